/**
 * One of the worker processes of the multi-process quota test: receives its share of calls over
 * IPC, waits for the common start signal, runs them with `concurrency` calls in flight against the
 * shared Redis through the real guardian, and reports what it was granted.
 *
 * Run as `node --import tsx hammer-child.ts` (the test forks it), never imported.
 */
import { Redis } from "ioredis";
import { z } from "zod";
import { createQuotaGuardian } from "../../../server/quota/guardian.server";
import { DEFAULT_QUOTA_SETTINGS } from "../../../server/quota/settings";
import { QuotaStore } from "../../../server/quota/store.server";

const setupSchema = z.object({
  type: z.literal("setup"),
  redisUrl: z.string(),
  tenantId: z.string(),
  now: z.string(),
  concurrency: z.number().int().min(1),
  /** Phone id of each call, in order. */
  calls: z.array(z.string()),
});
export type HammerSetup = z.infer<typeof setupSchema>;

export interface HammerResult {
  type: "result";
  pid: number;
  allowed: Record<string, number>;
  refused: Record<string, number>;
  elapsedMs: number;
}

const send = (message: unknown) => process.send?.(message);

process.once("message", async (raw) => {
  const setup = setupSchema.parse(raw);
  const redis = new Redis(setup.redisUrl);
  const store = new QuotaStore(redis);
  await store.loadScripts();
  const now = new Date(setup.now);
  const guardian = createQuotaGuardian({ store, clock: () => now, logDecisions: false });

  process.once("message", async () => {
    const allowed: Record<string, number> = {};
    const refused: Record<string, number> = {};
    const started = performance.now();
    let next = 0;
    const lane = async () => {
      while (next < setup.calls.length) {
        const phoneId = setup.calls[next++] as string;
        const d = await guardian.check({ tenantId: setup.tenantId, phoneId, cost: 1, settings: DEFAULT_QUOTA_SETTINGS });
        if (d.allowed) allowed[phoneId] = (allowed[phoneId] ?? 0) + 1;
        else refused[d.reason] = (refused[d.reason] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: setup.concurrency }, lane));
    const result: HammerResult = { type: "result", pid: process.pid, allowed, refused, elapsedMs: performance.now() - started };
    send(result);
    await redis.quit();
    process.disconnect?.();
  });
  send({ type: "ready" });
});
