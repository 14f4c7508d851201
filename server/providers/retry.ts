import {
  ProviderRateLimitedError,
  ProviderUnavailableError,
  type ProviderError,
} from "./errors";
import { systemTimekeeper, type Timekeeper } from "../clock";

/**
 * The retry policy of the seeds (workers overview §6.1), in one place for every provider:
 *
 * | error                     | retries | wait                               |
 * | network timeout / failure | 3       | exponential                        |
 * | 429 rate limited          | 5       | fixed 60 s, or the provider's Retry-After |
 * | other 4xx                 | 0       | (log, DLQ: the job layer's business)   |
 * | 5xx                       | 3       | exponential                        |
 *
 * Defaults are the seeds' numbers; tests shrink the waits through `RetryPolicy`, never the counts.
 */
export interface RetryPolicy {
  networkRetries: number;
  serverErrorRetries: number;
  rateLimitRetries: number;
  /** First exponential wait; attempt n waits base × 2^(n-1), capped. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** ± fraction of random spread on exponential waits, so many workers do not retry in lockstep. */
  jitterRatio: number;
  /** Wait on 429 when the provider gives no Retry-After. */
  rateLimitWaitMs: number;
  /** A Retry-After beyond this is not slept through in-process; the error goes back to the job. */
  maxRetryAfterMs: number;
}

export const SEED_RETRY_POLICY: RetryPolicy = Object.freeze({
  networkRetries: 3,
  serverErrorRetries: 3,
  rateLimitRetries: 5,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  jitterRatio: 0.2,
  rateLimitWaitMs: 60_000,
  maxRetryAfterMs: 5 * 60_000,
});

export interface RetryAttemptInfo {
  attempt: number;
  delayMs: number;
  error: ProviderError;
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  time?: Timekeeper;
  random?: () => number;
  /**
   * False for calls that are not safe to repeat (a WhatsApp send has no idempotency key): a timeout
   * after the request left us is then not retried, because the message may already be on its way.
   * 5xx and refused connections are still retried: the provider said it did not do the work.
   */
  idempotent?: boolean;
  onRetry?: (info: RetryAttemptInfo) => void;
}

type Budget = "network" | "server" | "rateLimit";

function classify(error: unknown, idempotent: boolean): Budget | null {
  if (error instanceof ProviderRateLimitedError) return error.scope === "provider" ? "rateLimit" : null;
  if (error instanceof ProviderUnavailableError) {
    if (error.reason === "server") return "server";
    if (!idempotent && error.ambiguous) return null;
    return "network";
  }
  return null;
}

export function exponentialDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const raw = Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** (attempt - 1));
  const spread = raw * policy.jitterRatio * (random() * 2 - 1);
  return Math.max(0, Math.round(raw + spread));
}

/**
 * Runs `operation` until it succeeds or the policy says stop. Each error kind has its own budget, so
 * three 5xx followed by a 429 still gets the 429's retries, as the table reads.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy: RetryPolicy = { ...SEED_RETRY_POLICY, ...options.policy };
  const time = options.time ?? systemTimekeeper;
  const random = options.random ?? Math.random;
  const idempotent = options.idempotent ?? true;
  const used: Record<Budget, number> = { network: 0, server: 0, rateLimit: 0 };
  const limit: Record<Budget, number> = {
    network: policy.networkRetries,
    server: policy.serverErrorRetries,
    rateLimit: policy.rateLimitRetries,
  };

  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const budget = classify(error, idempotent);
      if (budget === null || used[budget] >= limit[budget]) throw error;
      used[budget] += 1;
      let delayMs: number;
      if (budget === "rateLimit") {
        const retryAfter = (error as ProviderRateLimitedError).retryAfterMs;
        delayMs = retryAfter ?? policy.rateLimitWaitMs;
        // A provider asking for an hour is not something to sleep through inside a request.
        if (delayMs > policy.maxRetryAfterMs) throw error;
      } else {
        delayMs = exponentialDelay(used[budget], policy, random);
      }
      options.onRetry?.({ attempt, delayMs, error: error as ProviderError });
      await time.sleep(delayMs);
    }
  }
}
