import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { checkHealth } from "../../server/observability/health.server";
import { routeGroup } from "../../server/observability/metrics.server";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase("health");
  await useDatabase(db);
});

afterAll(async () => {
  const { disconnectPrisma } = await import("../../server/db/client.server");
  await disconnectPrisma();
  await db.drop();
});

describe("/healthz checks", () => {
  it("is ok when the database, Redis and pg-boss answer", async () => {
    const { getPrisma } = await import("../../server/db/client.server");
    const { startBoss, stopBoss } = await import("../../jobs/boss.server");
    const { QUOTA_SENTINEL_KEY } = await import("../../server/quota/keys");
    // A Redis database of its own: the sentinel is per Redis database, and other files share the server.
    const redis = new Redis(process.env.REDIS_URL!, { db: 9 });
    const boss = await startBoss();
    try {
      // What is checked is that each dependency answers, not how fast this machine is: no probe deadline.
      await redis.del(QUOTA_SENTINEL_KEY);
      const lost = await checkHealth({ prisma: getPrisma(), redis, boss }, { timeoutMs: 60_000 });
      // Redis answers but lost the quota data: degraded, yet the process keeps serving (200).
      expect(lost).toMatchObject({ status: "degraded", httpStatus: 200, checks: { redis: { ok: true }, quotaStore: { ok: false } } });
      expect(lost.checks.quotaStore.error).toContain("sentinel missing");

      await redis.hset(QUOTA_SENTINEL_KEY, { state: "ok", epoch: "test", at: String(Date.now()) });
      const report = await checkHealth({ prisma: getPrisma(), redis, boss }, { timeoutMs: 60_000 });
      expect(report.status).toBe("ok");
      expect(report.httpStatus).toBe(200);
      expect(Object.values(report.checks).every((c) => c.ok)).toBe(true);
    } finally {
      await redis.del(QUOTA_SENTINEL_KEY);
      await stopBoss();
      redis.disconnect();
    }
  });

  it("is degraded, naming the failing dependency, when Redis is down and pg-boss is not running", async () => {
    const { getPrisma } = await import("../../server/db/client.server");
    // Nothing listens on port 1: connection refused, fast.
    const redis = new Redis({ port: 1, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    redis.on("error", () => undefined); // the refusal is the point; the check reports it
    const report = await checkHealth({ prisma: getPrisma(), redis, boss: null });
    expect(report.status).toBe("degraded");
    expect(report.httpStatus).toBe(503);
    expect(report.checks.database?.ok).toBe(true);
    expect(report.checks.redis?.ok).toBe(false);
    expect(report.checks.redis?.error).toBeTruthy();
    expect(report.checks.queue?.ok).toBe(false);
    redis.disconnect();
  });
});

describe("metrics route labels", () => {
  it("collapses ids so label cardinality stays small", () => {
    expect(routeGroup("/outreach/leads/0d6f1c9e-7a1b-4c3d-9e8f-1a2b3c4d5e6f")).toBe("/outreach/leads/:id");
    expect(routeGroup("/webhooks/timelinesai/secret-value")).toBe("/webhooks/timelinesai");
    expect(routeGroup("/build/_assets/app-ABC.js")).toBe("/build");
  });
});
