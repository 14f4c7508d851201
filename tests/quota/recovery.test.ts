/**
 * Redis loses everything (runbook §6.2): a private redis-server is killed and started empty, which
 * also empties its script cache. Then resync rebuilds the same counters and mirrors from Postgres.
 */
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectPrisma, withTenant } from "../../server/db/client.server";
import { createQuotaGuardian } from "../../server/quota/guardian.server";
import { quotaKey } from "../../server/quota/keys";
import { resyncTenant } from "../../server/quota/resync.server";
import { LuaScripts } from "../../server/quota/scripts.server";
import { QuotaStore } from "../../server/quota/store.server";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { insertLead, insertMessage, insertPhone, insertTenant } from "../support/factories";
import { WEDNESDAY_10_00, manualClock, settings, startPrivateRedis, type PrivateRedis } from "./support/index";

let database: TestDatabase;
let admin: pg.Client;
let server: PrivateRedis;
let redis: Redis;

beforeAll(async () => {
  database = await createTestDatabase("quota_recovery");
  await useDatabase(database);
  admin = new pg.Client({ connectionString: database.adminUrl });
  await admin.connect();
  server = await startPrivateRedis();
  redis = new Redis(server.url, { maxRetriesPerRequest: 20 });
});

afterAll(async () => {
  redis.disconnect();
  await server.stop();
  await disconnectPrisma();
  await admin.end();
  await database.drop();
});

describe("NOSCRIPT", () => {
  it("reloads a script Redis forgot and answers the call that hit it", async () => {
    const scripts = new LuaScripts();
    const store = new QuotaStore(redis, scripts);
    await store.loadScripts();
    await store.writeMirrors([{ phoneId: "00000000-0000-4000-8000-000000000001", status: "ACTIVE", enabled: true, limit: 5 }]);
    await redis.script("FLUSH");
    const guardian = createQuotaGuardian({ store, clock: () => new Date(WEDNESDAY_10_00), logDecisions: false });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => guardian.check({ tenantId: "00000000-0000-4000-8000-00000000000a", phoneId: "00000000-0000-4000-8000-000000000001", cost: 1, settings: settings() })),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    // Ten concurrent NOSCRIPTs shared one reload.
    expect(scripts.reloads).toBe(1);
  });
});

describe("Redis restart, then resync", () => {
  it("restores the same counters and phone statuses, and never lowers a counter", async () => {
    const tenantId = (await insertTenant(admin)).id;
    const clock = manualClock(WEDNESDAY_10_00);
    const statuses = ["ACTIVE", "ACTIVE", "ACTIVE", "PAUSED", "BANNED"] as const;
    const phones: string[] = [];
    for (const status of statuses) phones.push(await insertPhone(admin, tenantId, { status, dailyQuotaLimit: 20 }));
    const journey = await insertLead(admin, tenantId, { journey: { currentState: "COLD" } });
    // One outbound WhatsApp message in the log, as the send worker writes it.
    const sent = (phoneId: string, quotaCost: 0 | 1) =>
      insertMessage(admin, { tenantId, ...journey, channel: "WHATSAPP", direction: "OUTBOUND", status: "SENT", quotaCost, phoneId, createdAt: clock(), sentAt: clock() });

    const store = new QuotaStore(redis, new LuaScripts());
    const guardian = createQuotaGuardian({ store, clock, logDecisions: false });
    await resyncTenant({ store, clock }, (fn) => withTenant(tenantId, fn), tenantId, { type: "SYSTEM", name: "test" });

    // A morning of sends: each allowed new contact is logged, as the send worker will.
    for (let i = 0; i < 60; i++) {
      const phoneId = phones[i % phones.length] as string;
      clock.set(new Date(new Date(WEDNESDAY_10_00).getTime() + i * 60_000));
      const d = await guardian.check({ tenantId, phoneId, cost: 1, settings: settings() });
      if (d.allowed) await sent(phoneId, 1);
    }
    // Follow-ups are logged too but are not quota.
    await sent(phones[0] as string, 0);
    const before = await guardian.usage(tenantId, phones, settings());
    expect(before.map((u) => u.used)).toEqual([12, 12, 12, 0, 0]);

    await server.restart();
    await redis.ping();
    expect(await redis.dbsize()).toBe(0);
    // Nothing is known now, so nothing is allowed: the check fails closed.
    expect(await guardian.check({ tenantId, phoneId: phones[0] as string, cost: 1, settings: settings() })).toMatchObject({ allowed: false, reason: "PHONE_UNKNOWN" });

    const result = await resyncTenant({ store, clock }, (fn) => withTenant(tenantId, fn), tenantId, { type: "SYSTEM", name: "test" });
    expect(await guardian.usage(tenantId, phones, settings())).toEqual(before);
    expect(result.phones.map((p) => p.after).sort()).toEqual([0, 0, 12, 12, 12]);

    // A counter above the log (units consumed by sends still in flight) survives a resync.
    await store.setUsage({ tenantId, phoneId: phones[0] as string, usageDate: "2026-06-10" }, 15, "set");
    await resyncTenant({ store, clock }, (fn) => withTenant(tenantId, fn), tenantId, { type: "SYSTEM", name: "test" });
    expect(await redis.get(quotaKey(tenantId, phones[0] as string, "2026-06-10"))).toBe("15");
    expect(await admin.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'quota.resync' AND tenant_id = $1`, [tenantId])).toMatchObject({ rows: [{ n: 3 }] });
  });
});
