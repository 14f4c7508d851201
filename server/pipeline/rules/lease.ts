/**
 * The lease of a WhatsApp send attempt. TimelinesAI has no idempotency key, so "sent once" rests on one
 * attempt at a time talking to it about a given message. pg-boss can run a second attempt while the
 * first is still alive: a job whose process stalled past its heartbeat (or its expiry) is retried. The
 * retry then found the intent in flight, did not see the message in the chat yet (the first attempt
 * was still calling) and sent it again.
 *
 * So an attempt holds a lease on its intent row (metadata `attemptId`, `leaseUntil`):
 * - it starts a provider request only while its lease has `requestBudgetMs` left (the client's
 *   request timeout and a margin), and renews the lease in the database, fenced on its own attempt
 *   id, when it has less (429 back-offs inside the client can take minutes);
 * - an attempt that finds the send in flight waits until the lease is over (and the clocks' skew),
 *   then looks in the chat, and takes the row over only if the lease is still the one it read;
 * - an attempt whose call has ended, with an answer or not, closes its lease (`leaseUntil` null), so
 *   the next attempt looks in the chat at once.
 *
 * No request of the first attempt can be running once its lease is over: it started with at least the
 * request timeout left. What stays is what no client can know without an idempotency key: a request
 * the provider accepted after our timeout; the chat lookup finds it when it shows there.
 */
import { DomainError } from "../../errors";

export interface LeaseTimes {
  /** An attempt's lease, from its intent row's write (and from each renewal). */
  leaseMs: number;
  /** A request starts only with this much lease left: the client's request timeout and a margin. */
  requestBudgetMs: number;
  /** How far two worker processes' clocks may disagree. */
  skewMs: number;
}

/** For the TimelinesAI client's 30 s request timeout. Tests with a shorter timeout give shorter times. */
export const SEND_LEASE: LeaseTimes = Object.freeze({ leaseMs: 120_000, requestBudgetMs: 45_000, skewMs: 60_000 });

/** The lease fields of an intent's metadata. */
export interface AttemptLease {
  attemptId: string;
  attemptAt: string;
  /** null: the attempt's call is over, nothing of it is in flight. */
  leaseUntil: string | null;
}

export interface LeaseFields {
  attemptId?: unknown;
  attemptAt?: unknown;
  leaseUntil?: unknown;
}

export function openLease(attemptId: string, now: Date, times: LeaseTimes = SEND_LEASE): AttemptLease {
  return { attemptId, attemptAt: now.toISOString(), leaseUntil: new Date(now.getTime() + times.leaseMs).toISOString() };
}

/**
 * The lease as read, to fence a take-over on: the row is taken only if both are still these.
 * (Rows from before leases have neither; their fence is "still none".)
 */
export function leaseFence(m: LeaseFields): { attemptId: string | null; leaseUntil: string | null } {
  return { attemptId: typeof m.attemptId === "string" ? m.attemptId : null, leaseUntil: typeof m.leaseUntil === "string" ? m.leaseUntil : null };
}

/**
 * When an attempt that finds this send in flight may look in the chat and take it over: null means
 * now (no attempt in flight, or its call is over). A row written before leases existed has no
 * `leaseUntil`: its attempt is given the lease it would have had.
 */
export function takeOverAt(m: LeaseFields, times: LeaseTimes = SEND_LEASE): Date | null {
  if (typeof m.attemptAt !== "string" || !m.attemptAt) return null;
  const until = "leaseUntil" in m ? m.leaseUntil : new Date(Date.parse(m.attemptAt) + times.leaseMs).toISOString();
  if (typeof until !== "string") return null;
  return new Date(Date.parse(until) + times.skewMs);
}

/** May a request start now, or must the lease be renewed first? */
export function requestMayStart(leaseUntil: string, now: Date, times: LeaseTimes = SEND_LEASE): boolean {
  return now.getTime() + times.requestBudgetMs <= Date.parse(leaseUntil);
}

/**
 * The lease was taken over (or the message finalised) while this attempt was not looking: it sends
 * nothing and writes nothing; the row belongs to the attempt that holds it now.
 */
export class SendLeaseLostError extends DomainError {
  constructor(intentId: string) {
    super("CONFLICT", "SEND_LEASE_LOST", `send attempt lost its lease on message ${intentId}: another attempt holds it`);
  }
}

/** What an attempt that lost its lease answers: it sent nothing and wrote nothing; the attempt holding the row decides. */
export const superseded = (reason: string) => ({ kind: "DONE", code: "SEND_SUPERSEDED", reason }) as const;

/** Run the send again at `until`, holding the phone: an earlier attempt of it may still be calling the provider. */
export interface SendWait {
  kind: "WAIT";
  until: Date;
  code: "SEND_IN_FLIGHT";
  reason: string;
}

export const waitForLease = (until: Date, reason = `an earlier attempt may still be sending; its lease ends ${until.toISOString()}`): SendWait => ({ kind: "WAIT", until, code: "SEND_IN_FLIGHT", reason });

/** The earlier attempt's lease changed between reading it and taking the row over: read it again shortly. */
export const LEASE_RECHECK_MS = 1_000;
