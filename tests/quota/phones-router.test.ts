/**
 * The phones tRPC procedures through a real caller: tiers, zod inputs, usage from Redis in the list.
 * Own database, Redis logical DB 14.
 */
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../server/auth/roles";
import { disconnectPrisma } from "../../server/db/client.server";
import { noPendingSends } from "../../server/phones/pending-sends.server";
import { createQuotaGuardian } from "../../server/quota/guardian.server";
import { QuotaStore } from "../../server/quota/store.server";
import { createCallerFactory } from "../../server/trpc/init.server";
import { createPhonesRouter } from "../../server/trpc/routers/phones.server";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { insertPhone, insertTenant, insertUser } from "../support/factories";
import { deleteOwnKeys, manualClock, settings, sharedRedisUrl } from "./support/index";

let database: TestDatabase;
let admin: pg.Client;
let redis: Redis;
let store: QuotaStore;
let tenantId: string;
const phones: string[] = [];
// Friday 12 June 2026, 17:30 Bucharest: open, closes at 18:00.
const clock = manualClock("2026-06-12T14:30:00Z");
const createCaller = createCallerFactory(createPhonesRouter(() => ({ store, pendingSends: noPendingSends, clock })));
const users: Partial<Record<Role, string>> = {};

const as = (role: Role) =>
  createCaller({
    user: { id: users[role] as string, tenantId, tenantName: "Test", role, name: role, email: `${role}@example.ro`, locale: "ro", sessionId: "s" },
    requestId: "test",
    ip: "127.0.0.1",
    boss: null,
  });

beforeAll(async () => {
  database = await createTestDatabase("quota_router");
  await useDatabase(database);
  admin = new pg.Client({ connectionString: database.adminUrl });
  await admin.connect();
  redis = new Redis(await sharedRedisUrl(14));
  store = new QuotaStore(redis);
  tenantId = (await insertTenant(admin)).id;
  for (const role of ["ADMIN", "MANAGER", "SALES_REP"] as const) users[role] = await insertUser(admin, tenantId, role);
});

afterAll(async () => {
  await deleteOwnKeys(redis, [tenantId], phones);
  await redis.quit();
  await disconnectPrisma();
  await admin.end();
  await database.drop();
});

describe("phones router", () => {
  it("lists every phone with status and usage/limit read from Redis", async () => {
    const added = await as("MANAGER").add({ label: "Sales 01", phoneNumber: "+40711000001", timelinesaiAccountId: "40711000001@s.whatsapp.net" });
    phones.push(added.id);
    const paused = await insertPhone(admin, tenantId, { status: "PAUSED", label: "Sales 02", dailyQuotaLimit: 150 });
    phones.push(paused);
    const guardian = createQuotaGuardian({ store, clock, logDecisions: false });
    for (let i = 0; i < 7; i++) await guardian.check({ tenantId, phoneId: added.id, cost: 1, settings: settings() });

    const list = await as("SALES_REP").list();
    expect(list).toMatchObject({ usageDate: "2026-06-12", quotaAvailable: true, window: { open: true, reason: null } });
    expect(list.phones.map((p) => [p.label, p.status, p.used, p.limit, p.remaining, p.mirror?.inSync])).toEqual([
      ["Sales 01", "ACTIVE", 7, 200, 193, true],
      // Never mirrored (inserted behind the app's back): the list says so, resync fixes it.
      ["Sales 02", "PAUSED", 0, 150, 150, false],
    ]);

    await as("ADMIN").resync();
    const after = await as("MANAGER").list();
    expect(after.phones.map((p) => p.mirror)).toEqual([
      { status: "ACTIVE", enabled: true, inSync: true },
      { status: "PAUSED", enabled: true, inSync: true },
    ]);
  });

  it("reports the closed window and its next opening after hours", async () => {
    clock.set("2026-06-12T15:00:00Z"); // Friday 18:00
    const list = await as("SALES_REP").list();
    expect(list.window).toEqual({ open: false, reason: "AFTER_HOURS", holiday: null, nextOpening: new Date("2026-06-15T06:00:00Z") });
    clock.set("2026-06-12T14:30:00Z");
  });

  it("enforces tiers: reps read, managers change status, admins adjust quota", async () => {
    const [phoneId] = phones as [string];
    await expect(as("SALES_REP").changeStatus({ phoneId, status: "PAUSED" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as("MANAGER").adjustQuota({ phoneId, used: 0, reason: "reset after incident" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as("MANAGER").resync()).rejects.toMatchObject({ code: "FORBIDDEN" });

    expect(await as("MANAGER").changeStatus({ phoneId, status: "PAUSED", reason: "warm-up" })).toMatchObject({ from: "ACTIVE", to: "PAUSED", changed: true });
    expect(await as("ADMIN").adjustQuota({ phoneId, used: 0, reason: "reset after incident" })).toMatchObject({ before: 7, after: 0 });
  });

  it("validates inputs with zod and maps domain errors to tRPC codes", async () => {
    const [phoneId] = phones as [string];
    await expect(as("MANAGER").changeStatus({ phoneId, status: "BANNED" })).rejects.toMatchObject({ code: "BAD_REQUEST" }); // reason required
    await expect(as("ADMIN").adjustQuota({ phoneId, used: 5, reason: "short" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as("MANAGER").add({ label: "x", phoneNumber: "0711000001", timelinesaiAccountId: "abc" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as("MANAGER").add({ label: "dup", phoneNumber: "+40711000001", timelinesaiAccountId: "other@s.whatsapp.net" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(as("MANAGER").changeStatus({ phoneId: "00000000-0000-4000-8000-000000000000", status: "PAUSED" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
