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
 * - Follow-on jobs (reply understanding) are queued inside that transaction, together at the end, and
 *   the journeys' engagement counters (opens, clicks, replies) are written there in one statement
 *   (deferJourneyCounters): nothing in the batch reads them.
 * - An error the batch did not expect rolls it back; its events are then processed one by one, so
 *   one bad event fails alone and its neighbours are done.
 * - An account status change runs the phone lifecycle between two transactions (the first only reads,
 *   the second marks the event), because the lifecycle opens transactions of its own. It is idempotent
 *   (same status = no-op, stale events skipped), so a retry repeating it is harmless.
 * - Retries are per event (ADR 0017): a job names many events, each with its own history. "Cannot
 *   find the message yet" (the send job has not stored the provider's id) counts the attempt on the
 *   event and queues a job for it after the backoff of server/events/retry.ts, in the same
 *   transaction; on the last attempt the event is closed as IGNORED with the reason. An error counts
 *   the attempt likewise (recordFailedAttempt); after the last one the event is FAILED and a dead
 *   letter names it.
 */
import { randomUUID } from "node:crypto";
import type { WebhookProvider, WebhookStatus } from "../generated/prisma/enums";
import { pgDb, query } from "../db/executor.server";
import { lockJourneys } from "../db/lock-order.server";
import { withTenantTransaction } from "../db/sql.server";
import type { SqlExecutor, TransactionalQueue } from "../db/transactional-queue.server";
import { applyEvent, locateAll, type ApplicableEvent, type Located } from "./apply.server";
import { deferJourneyCounters, flushJourneyCounters, lockOutboundMessages } from "./repository.server";
import { normalize } from "./normalize";
import type { PhoneStatusOutcome, PhoneStatusPort } from "./phone-status.server";
import { isIgnored, type AccountStatusEvent } from "./types";
import { EVENT_RETRY, isFinalAttempt, retryDelaySeconds } from "./retry";
import { OUTREACH_DLQ, WEBHOOK_NORMALIZE_QUEUE, type DeadLetterPayload, type WebhookNormalizePayload } from "../../jobs/queues";

export interface ProcessDeps {
  queue: TransactionalQueue;
  phones: PhoneStatusPort;
}

export interface ProcessInput {
  tenantId: string;
  eventId: string;
  /**
   * No retry follows this attempt: close unmatched events instead of asking for one. Without it the
   * event's own count of attempts decides (server/events/retry.ts).
   */
  finalAttempt?: boolean;
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
  /** Where the row version this transaction locked is: the transaction updates it there (markFinished). */
  tid: string;
  provider: WebhookProvider;
  payload: unknown;
  status: WebhookStatus;
  received_at: Date;
  attempts: number;
}

interface Work {
  input: ProcessInput;
  provider: WebhookProvider;
  event: ApplicableEvent;
  located?: Located;
  /** No retry follows: an unmatched event is closed. */
  final: boolean;
}

interface Finish {
  id: string;
  tid: string;
  status: "PROCESSED" | "IGNORED";
  error: string | null;
}

async function processBatch(deps: ProcessDeps, tenantId: string, inputs: readonly ProcessInput[]): Promise<Map<string, EventResult>> {
  const results = new Map<string, EventResult>();
  const accounts: Array<{ input: ProcessInput; provider: WebhookProvider; event: AccountStatusEvent }> = [];
  await withTenantTransaction(tenantId, async (client) => {
    const db = pgDb(client);
    const queue = bufferedQueue(deps.queue);
    // The batch's journey counters (opens, clicks, replies) are written once, at its end.
    deferJourneyCounters(db);
    const events = new Map((await lockEvents(db, inputs.map((i) => i.eventId))).map((e) => [e.id, e]));
    const finishes: Finish[] = [];
    const finish = (input: ProcessInput, provider: WebhookProvider, status: Finish["status"], detail: string) => {
      // PROCESSED keeps no message; IGNORED keeps its reason, which is the point of storing it.
      finishes.push({ id: input.eventId, tid: events.get(input.eventId)!.tid, status, error: status === "IGNORED" ? detail.slice(0, 2000) : null });
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
      else work.push({ input, provider: stored.provider, event: normalized, final: input.finalAttempt === true || isFinalAttempt(stored.attempts) });
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
      if (result.outcome === "unmatched" && result.retryable && !w.final) {
        const error = new RetryLaterError(result.detail);
        retries.push({ id: w.input.eventId, error: `${error.name}: ${error.message}` });
        results.set(w.input.eventId, error);
      } else if (result.outcome === "unmatched") {
        finish(w.input, w.provider, "IGNORED", `unmatched: ${result.detail}`);
      } else {
        finish(w.input, w.provider, "PROCESSED", result.detail);
      }
    }
    await flushJourneyCounters(db);
    await markFinished(db, finishes);
    await retryLater(db, deps.queue, tenantId, await countAttempts(db, retries, false));
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
    await markFinished(db, [{ id: input.eventId, tid: stored.tid, status, error: status === "IGNORED" ? phone.detail.slice(0, 2000) : null }]);
    return { status, provider, detail: phone.detail };
  });
}

/**
 * The events, locked in id order. Each is looked up by its primary key, one probe per id (the lateral
 * join), whatever the statistics say: with none yet (a young table in its first burst) a plain
 * `id = ANY($1)` was planned as a bitmap AND with the tenant's whole index range, which the row-level
 * security filter makes usable, and cost 10–18 ms per batch instead of under 1.
 */
function lockEvents(db: SqlExecutor, ids: readonly string[]): Promise<LockedEvent[]> {
  return query<LockedEvent>(
    db,
    `SELECT e.*
       FROM (SELECT DISTINCT id FROM unnest($1::uuid[]) AS k(id) ORDER BY id) AS k
      CROSS JOIN LATERAL (SELECT w.id::text, w.ctid::text AS tid, w.provider::text, w.payload, w.status::text, w.received_at, w.attempts
                            FROM webhook_events w WHERE w.id = k.id FOR NO KEY UPDATE) AS e`,
    [ids],
  );
}

/**
 * Closes the events where this transaction locked them (by tuple id: no other transaction can move a
 * row we hold locked, and this one has not updated it yet), for the same reason as lockEvents: a join
 * on `id` was planned as a scan of the tenant's index range on a young table.
 */
async function markFinished(db: SqlExecutor, finishes: readonly Finish[]): Promise<void> {
  if (finishes.length === 0) return;
  const closed = await query(
    db,
    `UPDATE webhook_events e SET status = u.status, error = u.error, processed_at = now(), attempts = e.attempts + 1
       FROM unnest($1::tid[], $2::uuid[], $3::webhook_status_enum[], $4::text[]) AS u(tid, id, status, error)
      WHERE e.ctid = u.tid AND e.id = u.id
      RETURNING e.id`,
    [finishes.map((f) => f.tid), finishes.map((f) => f.id), finishes.map((f) => f.status), finishes.map((f) => f.error)],
  );
  // An event left open would be applied again: the whole batch rolls back instead.
  if (closed.length !== finishes.length) throw new Error(`closed ${closed.length} of ${finishes.length} webhook events: a locked row moved`);
}

interface Counted {
  id: string;
  /** Attempts made, this one included. */
  attempts: number;
  status: WebhookStatus;
}

/**
 * Counts failed attempts and keeps their error. An attempt that was the last (`final`, or the event's
 * count says so) closes the event as FAILED. Events already closed are left alone.
 */
async function countAttempts(db: SqlExecutor, failures: ReadonlyArray<{ id: string; error: string }>, final: boolean): Promise<Counted[]> {
  if (failures.length === 0) return [];
  return query<Counted>(
    db,
    `UPDATE webhook_events e SET attempts = e.attempts + 1, error = u.error,
            -- isFinalAttempt (server/events/retry.ts) of the attempts made before this one
            status = CASE WHEN $3::boolean OR e.attempts >= $4::int THEN 'FAILED'::webhook_status_enum ELSE e.status END
       FROM unnest($1::uuid[], $2::text[]) AS u(id, error)
      WHERE e.id = u.id AND e.status IN ('RECEIVED', 'FAILED')
      RETURNING e.id::text, e.attempts, e.status::text`,
    [failures.map((f) => f.id), failures.map((f) => f.error.slice(0, 2000)), final, EVENT_RETRY.limit],
  );
}

/**
 * Queues the next attempt of events still open, one job per delay, in the transaction that counted
 * their attempt: the event is tried again if and only if the count committed.
 */
async function retryLater(db: SqlExecutor, queue: TransactionalQueue, tenantId: string, counted: readonly Counted[]): Promise<void> {
  const byDelay = new Map<number, string[]>();
  for (const c of counted) {
    if (c.status !== "RECEIVED") continue;
    const delay = retryDelaySeconds(c.attempts);
    byDelay.set(delay, [...(byDelay.get(delay) ?? []), c.id]);
  }
  for (const [delay, eventIds] of byDelay) {
    const data: WebhookNormalizePayload = { tenantId, eventIds };
    await queue.send(db, WEBHOOK_NORMALIZE_QUEUE, data, { id: randomUUID(), startAfter: new Date(Date.now() + delay * 1000) });
  }
}

/**
 * After an attempt that failed with an error (its transaction rolled back): counts it and keeps the
 * error, then queues the next attempt, or, after the last one, closes the event as FAILED and leaves a
 * dead letter naming it (the operations page's "retry" sends it back for one more attempt).
 */
export async function recordFailedAttempt(queue: TransactionalQueue, input: ProcessInput, error: unknown): Promise<void> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  await withTenantTransaction(input.tenantId, async (client) => {
    const db = pgDb(client);
    const counted = await countAttempts(db, [{ id: input.eventId, error: message }], input.finalAttempt === true);
    await retryLater(db, queue, input.tenantId, counted);
    for (const c of counted.filter((c) => c.status === "FAILED")) {
      const payload: WebhookNormalizePayload = { tenantId: input.tenantId, eventIds: [c.id] };
      const letter: DeadLetterPayload = { queue: WEBHOOK_NORMALIZE_QUEUE, code: "WEBHOOK_EVENT_FAILED", reason: message.slice(0, 2000), payload };
      await queue.send(db, OUTREACH_DLQ, letter, { id: randomUUID() });
    }
  });
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
