/**
 * What a send job does with a failure (seeds: workers overview §6.1):
 *
 * | error                      | seeds              | here                                             |
 * | network timeout / failure  | 3, exponential     | retry up to 3 times, 30 s · 2^n (after reconcile) |
 * | rate limited (429)         | 5, fixed 60 s      | retry up to 5 times after Retry-After or 60 s     |
 * | API error 4xx              | 0, log, DLQ        | dead letter                                      |
 * | API error 5xx              | 3, exponential     | retry up to 3 times, 30 s · 2^n                   |
 * | quota exceeded             | delay to next day  | not an error: the refusal's retryAt (send path)   |
 * | phone banned               | alert + reassign   | not an error: PHONE_NOT_ACTIVE refusal (send path)|
 *
 * The provider clients already retry inside one attempt (server/providers/retry.ts); these are the
 * job-level attempts on top, made by re-enqueueing with a start time rather than by failing the job:
 * on a key_strict_fifo queue a job that fails for good blocks every later job of its phone.
 */
import { DomainError } from "../../errors";
import {
  ProviderAuthError,
  ProviderInvalidRecipientError,
  ProviderRateLimitedError,
  ProviderRequestError,
  ProviderResponseError,
  ProviderUnavailableError,
} from "../../providers/errors";

export type FailureAction =
  | { kind: "RETRY"; delayMs: number; budget: "network" | "server" | "rateLimit"; code: string; message: string }
  | { kind: "DEAD_LETTER"; code: string; message: string }
  /** The recipient cannot receive on this channel: record it and let dispatch pick the fallback. */
  | { kind: "RECIPIENT_INVALID"; code: string; message: string };

export const JOB_RETRY_LIMITS = { network: 3, server: 3, rateLimit: 5 } as const;
const BASE_DELAY_MS = 30_000;
const RATE_LIMIT_DELAY_MS = 60_000;

/** `attempts` = job-level retries already made for this budget. */
export function classifySendFailure(error: unknown, attempts: Partial<Record<"network" | "server" | "rateLimit", number>>): FailureAction {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof DomainError ? error.code : "UNEXPECTED";
  const retry = (budget: "network" | "server" | "rateLimit", delayMs: number): FailureAction => {
    const used = attempts[budget] ?? 0;
    if (used >= JOB_RETRY_LIMITS[budget]) return { kind: "DEAD_LETTER", code: `${code}_RETRIES_EXHAUSTED`, message };
    return { kind: "RETRY", delayMs, budget, code, message };
  };
  if (error instanceof ProviderInvalidRecipientError) return { kind: "RECIPIENT_INVALID", code, message };
  if (error instanceof ProviderRateLimitedError) return retry("rateLimit", error.retryAfterMs ?? RATE_LIMIT_DELAY_MS);
  if (error instanceof ProviderUnavailableError) {
    const budget = error.reason === "server" ? "server" : "network";
    return retry(budget, BASE_DELAY_MS * 2 ** (attempts[budget] ?? 0));
  }
  if (error instanceof ProviderAuthError || error instanceof ProviderRequestError || error instanceof ProviderResponseError) {
    return { kind: "DEAD_LETTER", code, message };
  }
  // Our own coded refusals (a template missing a required value, a lead without a phone): permanent.
  if (error instanceof DomainError && error.kind !== "UNAVAILABLE" && error.kind !== "RATE_LIMITED") return { kind: "DEAD_LETTER", code, message };
  // Anything else (database or Redis blip, quota store unavailable): transient.
  return retry("network", BASE_DELAY_MS * 2 ** (attempts.network ?? 0));
}

type Budget = "network" | "server" | "rateLimit";

/** What a send job does next: run again later with one more attempt counted, or go to the dead letters. */
export type SendRetryOutcome<P> =
  | { kind: "RESCHEDULE"; startAfter: Date; payload: P; code: string; reason: string }
  | { kind: "DEAD_LETTER"; code: string; message: string };

/** The payload of the next attempt: the same job, with one more retry counted against `budget`. */
export function withAttempt<P extends { attempts: Partial<Record<Budget, number>> }>(payload: P, budget: Budget): P {
  return { ...payload, attempts: { ...payload.attempts, [budget]: (payload.attempts[budget] ?? 0) + 1 } };
}

/**
 * A send job's failure (an error its send path did not handle itself) as the job's next step: retry
 * later within the seeds' budgets, or dead-letter. Used by both send paths and their job handlers.
 */
export function retryOrDeadLetter<P extends { attempts: Partial<Record<Budget, number>> }>(error: unknown, payload: P, now: Date): SendRetryOutcome<P> {
  const action = classifySendFailure(error, payload.attempts);
  if (action.kind === "RETRY") {
    return { kind: "RESCHEDULE", startAfter: new Date(now.getTime() + action.delayMs), payload: withAttempt(payload, action.budget), code: action.code, reason: action.message };
  }
  return { kind: "DEAD_LETTER", code: action.code, message: action.message };
}

/**
 * Did the failed call certainly not reach the provider? Then the quota unit goes back and the intent
 * row may be reused. A timeout after the request left us (`ambiguous`) is the one case where the
 * message may exist: reconcile before sending again. A 5xx or 429 is the provider saying it did not
 * do the work.
 */
export function certainlyNotSent(error: unknown): boolean {
  if (error instanceof ProviderUnavailableError) return !error.ambiguous || error.reason === "server";
  if (error instanceof ProviderRateLimitedError) return true;
  if (error instanceof ProviderInvalidRecipientError || error instanceof ProviderRequestError || error instanceof ProviderAuthError) return true;
  // A 2xx with a body we could not parse: the provider may well have accepted it.
  if (error instanceof ProviderResponseError) return false;
  // Not a provider error: it happened on our side before the call.
  return !(error instanceof DomainError && error.code.startsWith("PROVIDER_"));
}
