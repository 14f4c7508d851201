/**
 * Processing one stored webhook event, exactly once in effect:
 *
 * - The event row is locked (FOR NO KEY UPDATE) and its status checked in the same transaction that applies
 *   the effects and marks it PROCESSED/IGNORED. A retried job, a second job for the same event or a
 *   concurrent worker finds it done and does nothing; a crash before commit leaves it RECEIVED and
 *   the retry does the whole work again.
 * - Follow-on jobs (reply understanding) are enqueued inside that transaction (pg-boss `db` option).
 * - An account status change runs the phone lifecycle between two transactions (the first only reads,
 *   the second marks the event), because the lifecycle opens transactions of its own and nesting
 *   them would hold two pool connections per job. It is idempotent (same status = no-op, stale
 *   events skipped), so a retry repeating it is harmless.
 * - "Cannot find the message yet" (the send job has not stored the provider's id) is retried with
 *   the queue's backoff; on the last attempt the event is closed as IGNORED with the reason.
 */
import { withTenant, type TenantTx } from "../db/client.server";
import type { WebhookProvider, WebhookStatus } from "../generated/prisma/enums";
import { applyEvent, type ApplyContext, type ApplyResult } from "./apply.server";
import { normalize } from "./normalize";
import type { PhoneStatusOutcome, PhoneStatusPort } from "./phone-status.server";
import type { TransactionalQueue } from "../db/transactional-queue.server";
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

const DONE: ReadonlySet<WebhookStatus> = new Set(["PROCESSED", "IGNORED", "REJECTED"]);

export async function processWebhookEvent(deps: ProcessDeps, input: ProcessInput): Promise<ProcessOutcome> {
  const first = await withTenant(input.tenantId, async (tx): Promise<ProcessOutcome | { account: AccountStatusEvent; provider: WebhookProvider }> => {
    const event = await lockEvent(tx, input.eventId);
    if (!event) return { status: "MISSING", detail: `webhook event ${input.eventId} not found` };
    if (DONE.has(event.status)) return { status: "ALREADY_DONE", detail: `already ${event.status}` };

    const normalized = normalize(event.provider, event.payload, { source: "webhook", webhookEventId: input.eventId }, event.received_at);
    if (isIgnored(normalized)) return finish(tx, input.eventId, event.provider, "IGNORED", normalized.reason);
    // The phone lifecycle runs its own transactions: leave this one without writing anything.
    if (normalized.type === "ACCOUNT_STATUS") return { account: normalized, provider: event.provider };

    const ctx: ApplyContext = { tenantId: input.tenantId, queue: deps.queue };
    const result: ApplyResult = await applyEvent(tx, ctx, normalized);
    if (result.outcome === "unmatched" && result.retryable && !input.finalAttempt) throw new RetryLaterError(result.detail);
    return result.outcome === "unmatched"
      ? finish(tx, input.eventId, event.provider, "IGNORED", `unmatched: ${result.detail}`)
      : finish(tx, input.eventId, event.provider, "PROCESSED", result.detail);
  });
  if (!("account" in first)) return first;

  const phone: PhoneStatusOutcome = await deps.phones.applyAccountStatus(input.tenantId, first.account);
  return withTenant(input.tenantId, async (tx) => {
    const event = await lockEvent(tx, input.eventId);
    if (!event) return { status: "MISSING", detail: `webhook event ${input.eventId} vanished` };
    if (DONE.has(event.status)) return { status: "ALREADY_DONE", detail: `already ${event.status}` };
    return finish(tx, input.eventId, first.provider, phone.applied ? "PROCESSED" : "IGNORED", phone.detail);
  });
}

interface LockedEvent {
  provider: WebhookProvider;
  payload: unknown;
  status: WebhookStatus;
  received_at: Date;
}

async function lockEvent(tx: TenantTx, eventId: string): Promise<LockedEvent | null> {
  const rows = await tx.$queryRaw<LockedEvent[]>`
    SELECT provider, payload, status, received_at FROM webhook_events WHERE id = ${eventId}::uuid FOR NO KEY UPDATE`;
  return rows[0] ?? null;
}

async function finish(tx: TenantTx, eventId: string, provider: WebhookProvider, status: "PROCESSED" | "IGNORED", detail: string): Promise<ProcessOutcome> {
  await tx.webhookEvent.update({
    where: { id: eventId },
    // PROCESSED keeps no message; IGNORED keeps its reason, which is the point of storing it.
    data: { status, error: status === "IGNORED" ? detail.slice(0, 2000) : null, processedAt: new Date(), attempts: { increment: 1 } },
    select: { id: true },
  });
  return { status, provider, detail };
}

/** After a failed attempt: count it and keep the error; the last failure also closes the event as FAILED. */
export async function recordFailedAttempt(input: ProcessInput, error: unknown): Promise<void> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  await withTenant(input.tenantId, (tx) =>
    tx.webhookEvent.updateMany({
      where: { id: input.eventId, status: { in: ["RECEIVED", "FAILED"] } },
      data: { attempts: { increment: 1 }, error: message.slice(0, 2000), ...(input.finalAttempt ? { status: "FAILED" as const } : {}) },
    }),
  );
}
