import { describe, expect, it } from "vitest";
import {
  ProviderRateLimitedError,
  ProviderRequestError,
  ProviderUnavailableError,
} from "../../server/providers/errors";
import { exponentialDelay, SEED_RETRY_POLICY, withRetry } from "../../server/providers/retry";
import { recordingTime } from "./support";

const ctx = { provider: "timelinesai" as const, operation: "test" };
const failing = (errors: Error[]) => {
  let calls = 0;
  return {
    run: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return "ok";
    },
    calls: () => calls,
  };
};

describe("the seeds' retry policy (§6.1)", () => {
  it("defaults are the seeds' numbers", () => {
    expect(SEED_RETRY_POLICY).toMatchObject({ networkRetries: 3, serverErrorRetries: 3, rateLimitRetries: 5, rateLimitWaitMs: 60_000 });
  });

  it("each error kind has its own budget", async () => {
    const time = recordingTime();
    const server = () => new ProviderUnavailableError("5xx", { ...ctx, reason: "server" });
    const limited = () => new ProviderRateLimitedError("429", ctx);
    const op = failing([server(), server(), server(), limited(), limited(), limited(), limited(), limited()]);
    await expect(withRetry(op.run, { time, random: () => 0.5 })).resolves.toBe("ok");
    expect(op.calls()).toBe(9);
    // Exponential 1 s, 2 s, 4 s (no jitter at random = 0.5), then the fixed 60 s five times.
    expect(time.sleeps).toEqual([1_000, 2_000, 4_000, 60_000, 60_000, 60_000, 60_000, 60_000]);
  });

  it("other 4xx are never retried; local pacing refusals go back to the caller", async () => {
    const a = failing([new ProviderRequestError("400", ctx)]);
    await expect(withRetry(a.run, { time: recordingTime() })).rejects.toBeInstanceOf(ProviderRequestError);
    expect(a.calls()).toBe(1);
    const b = failing([new ProviderRateLimitedError("pacing", { ...ctx, scope: "local-pacing" })]);
    await expect(withRetry(b.run, { time: recordingTime() })).rejects.toBeInstanceOf(ProviderRateLimitedError);
    expect(b.calls()).toBe(1);
  });

  it("an ambiguous timeout of a non-idempotent call is not repeated; a refused connection is", async () => {
    const timeout = failing([new ProviderUnavailableError("t", { ...ctx, reason: "timeout" })]);
    await expect(withRetry(timeout.run, { time: recordingTime(), idempotent: false })).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(timeout.calls()).toBe(1);
    const refused = failing([new ProviderUnavailableError("r", { ...ctx, reason: "network", ambiguous: false })]);
    await expect(withRetry(refused.run, { time: recordingTime(), idempotent: false })).resolves.toBe("ok");
  });

  it("a Retry-After beyond the in-process limit is handed back instead of slept through", async () => {
    const op = failing([new ProviderRateLimitedError("429", { ...ctx, retryAfterMs: 3_600_000 })]);
    await expect(withRetry(op.run, { time: recordingTime() })).rejects.toBeInstanceOf(ProviderRateLimitedError);
    expect(op.calls()).toBe(1);
  });

  it("jitter stays within ±20 % and the cap holds", () => {
    expect(exponentialDelay(1, SEED_RETRY_POLICY, () => 0)).toBe(800);
    expect(exponentialDelay(1, SEED_RETRY_POLICY, () => 0.999999)).toBe(1_200);
    expect(exponentialDelay(10, SEED_RETRY_POLICY, () => 0.5)).toBe(30_000);
  });
});
