import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderRateLimitedError } from "../../server/providers/errors";
import { RedisSlidingWindowPacer, type PacingSlot } from "../../server/providers/pacing.server";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { TimelinesAiClient } from "../../server/providers/timelinesai/client.server";
import { connectTestRedis, FAST_RETRY, startTestSimulators } from "./support";

const run = promisify(execFile);
const ACCOUNT = "+40740000105";
const OTHER_ACCOUNT = "+40740000106";

let sims: Awaited<ReturnType<typeof startTestSimulators>>;
let redis: Redis;

beforeAll(async () => {
  redis = await connectTestRedis();
  sims = await startTestSimulators({ seed: 3 });
});
afterAll(async () => {
  await sims?.close();
  redis?.disconnect();
});

const client = (keyPrefix: string, limit: number, windowMs: number, options: { maxWaitMs?: number; grants?: number[]; sleeps?: number[] } = {}) => {
  const pacer = new RedisSlidingWindowPacer({
    redis,
    provider: "timelinesai",
    keyPrefix,
    windowMs,
    maxWaitMs: options.maxWaitMs ?? 30_000,
    time: { now: () => Date.now(), sleep: (ms) => (options.sleeps?.push(ms), new Promise((r) => setTimeout(r, ms))) },
  });
  return new TimelinesAiClient({
    baseUrl: sims.urls.timelinesai,
    token: SANDBOX_CREDENTIALS.timelinesaiToken,
    requestsPerMinute: limit,
    // Records when Redis granted each request: the limit is about those instants, whatever this machine's speed.
    pacer: { acquire: (slots: readonly PacingSlot[]) => pacer.acquire(slots).then((at) => (options.grants?.push(at), at)) },
    retryPolicy: FAST_RETRY,
  });
};

describe("TimelinesAI pacing shared through Redis", () => {
  it("two clients in this process and one in another never exceed the per-account limit", async () => {
    const keyPrefix = `test:${randomUUID()}`;
    const limit = 4;
    const windowMs = 1_000;
    // A common start so the three clients really compete (a late one only makes the test easier).
    const startAt = Date.now() + 2_500;
    const redisUrl = process.env.REDIS_URL ?? `redis://127.0.0.1:${process.env.TEST_REDIS_PORT ?? 63809}`;
    const worker = run(
      process.execPath,
      ["--import", "tsx", path.join(import.meta.dirname, "fixtures/pacing-worker.ts"), sims.urls.timelinesai, redisUrl, keyPrefix, ACCOUNT, "4", String(limit), String(windowMs), String(startAt)],
      { cwd: path.resolve(import.meta.dirname, "../..") },
    );
    const grants: number[] = [];
    const a = client(keyPrefix, limit, windowMs, { grants });
    const b = client(keyPrefix, limit, windowMs, { grants });
    await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
    const burst = (c: TimelinesAiClient) => Promise.all(Array.from({ length: 4 }, () => c.listChats({ account: ACCOUNT })));
    // Another account has its own window: its request is granted without waiting, busy as ACCOUNT is.
    const otherSleeps: number[] = [];
    const other = client(keyPrefix, limit, windowMs, { sleeps: otherSleeps }).listWhatsAppAccounts({ account: OTHER_ACCOUNT });
    await Promise.all([burst(a), burst(b), other]);
    const fromWorker = JSON.parse((await worker).stdout.trim().split("\n").at(-1)!) as { grants: number[] };
    expect(otherSleeps).toEqual([]);

    // 4 + 4 requests in this process and 4 in the other: 12 grants, each one request at the provider.
    const times = [...grants, ...fromWorker.grants].sort((x, y) => x - y);
    expect(times).toHaveLength(12);
    expect((await sims.control.requests({ provider: "timelinesai", path: "/chats" })).length).toBe(12);
    // No window of windowMs on Redis' clock holds more than `limit` grants: the (i + limit)-th grant
    // comes a full window after the i-th. So the 12 take at least two windows after the first.
    for (let i = 0; i + limit < times.length; i++) expect(times[i + limit]! - times[i]!).toBeGreaterThanOrEqual(windowMs);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2 * windowMs);
  });

  it("gives up after the max wait with a local ProviderRateLimitedError, which is not retried", async () => {
    const c = client(`test:${randomUUID()}`, 1, 60_000, { maxWaitMs: 100 });
    await c.listChats({ account: ACCOUNT });
    const before = (await sims.control.requests({ provider: "timelinesai" })).length;
    const error = await c.listChats({ account: ACCOUNT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect(error).toMatchObject({ scope: "local-pacing", retryable: true });
    expect((error as ProviderRateLimitedError).retryAfterMs).toBeGreaterThan(59_000);
    expect((await sims.control.requests({ provider: "timelinesai" })).length).toBe(before);
  });
});

