import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderRateLimitedError } from "../../server/providers/errors";
import { RedisSlidingWindowPacer } from "../../server/providers/pacing.server";
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

const client = (keyPrefix: string, limit: number, windowMs: number, maxWaitMs = 30_000) =>
  new TimelinesAiClient({
    baseUrl: sims.urls.timelinesai,
    token: SANDBOX_CREDENTIALS.timelinesaiToken,
    requestsPerMinute: limit,
    pacer: new RedisSlidingWindowPacer({ redis, provider: "timelinesai", keyPrefix, windowMs, maxWaitMs }),
    retryPolicy: FAST_RETRY,
  });

describe("TimelinesAI pacing shared through Redis", () => {
  it("two clients in this process and one in another never exceed the per-account limit", async () => {
    const keyPrefix = `test:${randomUUID()}`;
    const limit = 4;
    const windowMs = 1_000;
    const startAt = Date.now() + 2_500;
    const redisUrl = process.env.REDIS_URL ?? `redis://127.0.0.1:${process.env.TEST_REDIS_PORT ?? 63809}`;
    const worker = run(
      process.execPath,
      ["--import", "tsx", path.join(import.meta.dirname, "fixtures/pacing-worker.ts"), sims.urls.timelinesai, redisUrl, keyPrefix, ACCOUNT, "4", String(limit), String(windowMs), String(startAt)],
      { cwd: path.resolve(import.meta.dirname, "../..") },
    );
    await sims.control.state(); // warm this process's HTTP stack too
    const a = client(keyPrefix, limit, windowMs);
    const b = client(keyPrefix, limit, windowMs);
    await new Promise((r) => setTimeout(r, startAt - Date.now()));
    const burst = (c: TimelinesAiClient) => Promise.all(Array.from({ length: 4 }, () => c.listChats({ account: ACCOUNT })));
    // Another account has its own window: a request for it is not held up by the busy one.
    const other = (async () => {
      const started = Date.now();
      await client(keyPrefix, limit, windowMs).listWhatsAppAccounts({ account: OTHER_ACCOUNT });
      return Date.now() - started;
    })();
    await Promise.all([burst(a), burst(b)]);
    expect((await worker).stdout).toContain("done");
    // Queued behind ACCOUNT's 12 requests it would need at least two windows; alone it needs none.
    expect(await other).toBeLessThan(2 * windowMs - 250);

    // Every /chats request of this test is for ACCOUNT: 4 + 4 in this process, 4 from the other one.
    const times = (await sims.control.requests({ provider: "timelinesai", path: "/chats" })).map((r) => r.realAt).sort((x, y) => x - y);
    expect(times).toHaveLength(12);
    // 12 requests at 4 per second need at least two full windows after the first one…
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(2 * windowMs - 250);
    // …and no window saw more than the limit. The log has arrival times, which lag slot times by the
    // request's own latency (up to ~150 ms here when three processes share two cores), hence the slack.
    for (let i = 0; i + limit < times.length; i++) expect(times[i + limit]! - times[i]!).toBeGreaterThanOrEqual(windowMs - 250);
  });

  it("gives up after the max wait with a local ProviderRateLimitedError, which is not retried", async () => {
    const c = client(`test:${randomUUID()}`, 1, 60_000, 100);
    await c.listChats({ account: ACCOUNT });
    const before = (await sims.control.requests({ provider: "timelinesai" })).length;
    const error = await c.listChats({ account: ACCOUNT }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect(error).toMatchObject({ scope: "local-pacing", retryable: true });
    expect((error as ProviderRateLimitedError).retryAfterMs).toBeGreaterThan(59_000);
    expect((await sims.control.requests({ provider: "timelinesai" })).length).toBe(before);
  });
});

