/**
 * Processing stored webhook events, exactly once in effect, a batch at a time:
 *
 * - One transaction per batch (a tenant's events of one fetch), on a connection bound to the tenant
 *   (server/db/sql.server.ts, ADR 0007): the event rows are locked (FOR NO KEY UPDATE, in id order)
 *   and their status checked in the same transaction that applies the effects and marks them
 *   PROCESSED/IGNORED. A retried job, a second job for the same event or a concurrent worker finds it
 *   done and does nothing; a crash before commit leaves it RECEIVED and the retry does the whole work
 *   again.
 * - Lock order (server/db/lock-order.server.ts): every event's journey and message are found first
 *   without a lock (a few statements for the whole batch), then all of the batch's journeys are locked
 *   in one statement, in id order, then its messages likewise, then the events are
 *   applied in the order they were received, so each lead's events keep their order and its journey
 *   is locked once. An event whose lead only appears through an earlier event of the same batch (an
 *   email logged by its own email_sent) looks again when it is applied.
 * - Follow-on jobs (reply understanding) are queued inside that transaction, together at the end.
 * - An error the batch did not expect rolls it back; its events are then processed one by one, so
 *   one bad event fails alone and its neighbours are done.
 * - An account status change runs the phone lifecycle between two transactions (the first only reads,
 *   the second marks the event), because the lifecycle opens transactions of its own. It is idempotent
 *   (same status = no-op, stale events skipped), so a retry repeating it is harmless.
 * - "Cannot find the message yet" (the send job has not stored the provider's id) is retried with
 *   the queue's backoff; on the last attempt the event is closed as IGNORED with the reason.
 */
import type { WebhookProvider, WebhookStatus } from "../generated/prisma/enums";
import { pgDb, query } from "../db/executor.server";
import { lockJourneys } from "../db/lock-order.server";
import { withTenantTransaction } from "../db/sql.server";
import type { SqlExecutor, TransactionalQueue } from "../db/transactional-queue.server";
import { applyEvent, locateAll, type ApplicableEvent, type Located } from "./apply.server";
import { lockOutboundMessages } from "./repository.server";
import { normalize } from "./normalize";
import type { PhoneStatusOutcome, PhoneStatusPort } from "./phone-status.server";
import { isIgnored, type AccountStatusEvent } from "./types";

export interface ProcessDeps {
  queue: TransactionalQueue;
  phones: PhoneStatusPort;
}

export interface ProcessInput {
  tenantId: string;
  eventId: string;
  /** No retry follows this attempt: close unmatched events instead of asking for one. */
  finalAttempt: boolean;
}

export type ProcessOutcome =
  | { status: "PROCESSED" | "IGNORED"; provider: WebhookProvider; detail: string }
  | { status: "ALREADY_DONE" | "MISSING"; detail: string };

/** Thrown to have the job retried later: the event stays RECEIVED, nothing was written. */
export class RetryLaterError extends Error {
  readonly code = "EVENT_NOT_MATCHED_YET";
  constructor(message: string) {
    super(message);
    this.name = "RetryLaterError";
  }
}

/** Per event of a batch: its outcome, or the error its job fails with (a RetryLaterError asks for a retry). */
export type EventResult = ProcessOutcome | Error;

const DONE: ReadonlySet<WebhookStatus> = new Set(["PROCESSED", "IGNORED", "REJECTED"]);

/** One event: a batch of one; a retry is asked for by throwing RetryLaterError, as every error is thrown. */
export async function processWebhookEvent(deps: ProcessDeps, input: ProcessInput): Promise<ProcessOutcome> {
  const result = (await processWebhookEvents(deps, input.tenantId, [input])).get(input.eventId);
  if (!result) throw new Error(`no result for webhook event ${input.eventId}`);
  if (result instanceof Error) throw result;
  return result;
}

/** A tenant's events, in the order received; every one of them gets a result. */
export async function processWebhookEvents(deps: ProcessDeps, tenantId: string, inputs: readonly ProcessInput[]): Promise<Map<string, EventResult>> {
  let results: Map<string, EventResult>;
  try {
    results = await processBatch(deps, tenantId, inputs);
  } catch (error) {
    if (inputs.length === 1) return new Map([[inputs[0]!.eventId, asError(error)]]);
    // One by one: whichever event caused it fails alone.
    results = new Map();
    for (const input of inputs) {
      const one = await processBatch(deps, tenantId, [input]).catch((e: unknown) => new Map([[input.eventId, asError(e)]]));
      for (const [id, r] of one) results.set(id, r);
    }
  }
  return results;
}

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

interface LockedEvent {
  id: string;
  provider: WebhookProvider;
  payload: unknown;
  status: WebhookStatus;
  received_at: Date;
}

interface Work {
  input: ProcessInput;
  provider: WebhookProvider;
  event: ApplicableEvent;
  located?: Located;
}

interface Finish {
  id: string;
  status: "PROCESSED" | "IGNORED";
  error: string | null;
}

async function processBatch(deps: ProcessDeps, tenantId: string, inputs: readonly ProcessInput[]): Promise<Map<string, EventResult>> {
  const results = new Map<string, EventResult>();
  const accounts: Array<{ input: ProcessInput; provider: WebhookProvider; event: AccountStatusEvent }> = [];
  await withTenantTransaction(tenantId, async (client) => {
    const db = pgDb(client);
    const queue = bufferedQueue(deps.queue);
    const events = new Map((await lockEvents(db, inputs.map((i) => i.eventId))).map((e) => [e.id, e]));
    const finishes: Finish[] = [];
    const finish = (input: ProcessInput, provider: WebhookProvider, status: Finish["status"], detail: string) => {
      // PROCESSED keeps no message; IGNORED keeps its reason, which is the point of storing it.
      finishes.push({ id: input.eventId, status, error: status === "IGNORED" ? detail.slice(0, 2000) : null });
      results.set(input.eventId, { status, provider, detail });
    };

    const work: Work[] = [];
    for (const input of inputs) {
      const stored = events.get(input.eventId);
      if (!stored) {
        results.set(input.eventId, { status: "MISSING", detail: `webhook event ${input.eventId} not found` });
        continue;
      }
      if (DONE.has(stored.status) || results.has(input.eventId)) {
        results.set(input.eventId, { status: "ALREADY_DONE", detail: `already ${stored.status}` });
        continue;
      }
      const normalized = normalize(stored.provider, stored.payload, { source: "webhook", webhookEventId: input.eventId }, stored.received_at);
      if (isIgnored(normalized)) finish(input, stored.provider, "IGNORED", normalized.reason);
      // The phone lifecycle runs its own transactions: this one writes nothing for the event.
      else if (normalized.type === "ACCOUNT_STATUS") accounts.push({ input, provider: stored.provider, event: normalized });
      else work.push({ input, provider: stored.provider, event: normalized });
    }

    // The journeys first, all at once and in id order, then the messages the events name, likewise;
    // then each event in the order received.
    const { located, messageIds } = await locateAll(db, work.map((w) => w.event));
    work.forEach((w, i) => {
      const found = located[i]!;
      // Not found yet: an earlier event of this batch may create what it names; it looks again when applied.
      if (found.journey !== null && (found.journey !== undefined || found.message)) w.located = found;
    });
    await lockJourneys(db, work.flatMap((w) => (w.located?.journey ? [w.located.journey.journeyId] : [])));
    await lockOutboundMessages(db, messageIds);

    const retries: Array<{ id: string; error: string }> = [];
    for (const w of work) {
      const result = await applyEvent(db, { tenantId, queue: queue.port }, w.event, w.located);
      if (result.outcome === "unmatched" && result.retryable && !w.input.finalAttempt) {
        const error = new RetryLaterError(result.detail);
        retries.push({ id: w.input.eventId, error: `${error.name}: ${error.message}` });
        results.set(w.input.eventId, error);
      } else if (result.outcome === "unmatched") {
        finish(w.input, w.provider, "IGNORED", `unmatched: ${result.detail}`);
      } else {
        finish(w.input, w.provider, "PROCESSED", result.detail);
      }
    }
    await markFinished(db, finishes);
    await countAttempts(db, retries, false);
    await queue.flush(db);
  });

  for (const a of accounts) results.set(a.input.eventId, await applyAccountStatus(deps, tenantId, a.input, a.provider, a.event).catch(asError));
  return results;
}

async function applyAccountStatus(deps: ProcessDeps, tenantId: string, input: ProcessInput, provider: WebhookProvider, event: AccountStatusEvent): Promise<ProcessOutcome> {
  const phone: PhoneStatusOutcome = await deps.phones.applyAccountStatus(tenantId, event);
  return withTenantTransaction(tenantId, async (client) => {
    const db = pgDb(client);
    const [stored] = await lockEvents(db, [input.eventId]);
    if (!stored) return { status: "MISSING", detail: `webhook event ${input.eventId} vanished` };
    if (DONE.has(stored.status)) return { status: "ALREADY_DONE", detail: `already ${stored.status}` };
    const status = phone.applied ? "PROCESSED" : "IGNORED";
    await markFinished(db, [{ id: input.eventId, status, error: status === "IGNORED" ? phone.detail.slice(0, 2000) : null }]);
    return { status, provider, detail: phone.detail };
  });
}

function lockEvents(db: SqlExecutor, ids: readonly string[]): Promise<LockedEvent[]> {
  return query<LockedEvent>(
    db,
    `SELECT id::text, provider::text, payload, status::text, received_at FROM webhook_events WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
    [ids],
  );
}

async function markFinished(db: SqlExecutor, finishes: readonly Finish[]): Promise<void> {
  if (finishes.length === 0) return;
  await query(
    db,
    `UPDATE webhook_events e SET status = u.status, error = u.error, processed_at = now(), attempts = e.attempts + 1
       FROM unnest($1::uuid[], $2::webhook_status_enum[], $3::text[]) AS u(id, status, error)
      WHERE e.id = u.id`,
    [finishes.map((f) => f.id), finishes.map((f) => f.status), finishes.map((f) => f.error)],
  );
}

/** Counts failed attempts and keeps their error; the last failure also closes the event as FAILED. */
async function countAttempts(db: SqlExecutor, failures: ReadonlyArray<{ id: string; error: string }>, final: boolean): Promise<void> {
  if (failures.length === 0) return;
  await query(
    db,
    `UPDATE webhook_events e SET attempts = e.attempts + 1, error = u.error, status = CASE WHEN $3::boolean THEN 'FAILED'::webhook_status_enum ELSE e.status END
       FROM unnest($1::uuid[], $2::text[]) AS u(id, error)
      WHERE e.id = u.id AND e.status IN ('RECEIVED', 'FAILED')`,
    [failures.map((f) => f.id), failures.map((f) => f.error.slice(0, 2000)), final],
  );
}

/** After a failed attempt: count it and keep the error; the last failure also closes the event as FAILED. */
export async function recordFailedAttempt(input: ProcessInput, error: unknown): Promise<void> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  await withTenantTransaction(input.tenantId, (client) => countAttempts(pgDb(client), [{ id: input.eventId, error: message }], input.finalAttempt));
}

/**
 * The batch's follow-on jobs, sent together at the end of its transaction (one insert per queue
 * instead of one per reply). A job id sent twice is still one job (pg-boss inserts ON CONFLICT DO NOTHING).
 */
function bufferedQueue(queue: TransactionalQueue): { port: TransactionalQueue; flush: (db: SqlExecutor) => Promise<void> } {
  const pending = new Map<string, Array<{ id: string; data: object; singletonKey?: string }>>();
  const add = (name: string, job: { id: string; data: object; singletonKey?: string }) => {
    const jobs = pending.get(name) ?? [];
    jobs.push(job);
    pending.set(name, jobs);
  };
  return {
    port: {
      async send(_db, name, data, options) {
        add(name, { id: options.id, data, ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}) });
        return true;
      },
      async sendMany(_db, name, jobs) {
        for (const job of jobs) add(name, job);
      },
    },
    async flush(db) {
      for (const [name, jobs] of pending) await queue.sendMany(db, name, jobs);
      pending.clear();
    },
  };
}
