/**
 * Phone lifecycle, quota adjustment and history against a real Postgres (own migrated database) and
 * Redis (logical DB 13, own random ids).
 */
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { withTenant, disconnectPrisma } from "../../server/db/client.server";
import type { Actor } from "../../server/audit/actor";
import { addPhone, adjustQuota, changePhoneStatus, setPhoneEnabled, type PhoneLifecycleDeps } from "../../server/phones/lifecycle.server";
import type { PendingSends } from "../../server/phones/pending-sends.server";
import type { PhoneStatus } from "../../server/phones/status";
import { createQuotaGuardian } from "../../server/quota/guardian.server";
import { recordUsage } from "../../server/quota/history.server";
import { quotaKey } from "../../server/quota/keys";
import type { TenantDb } from "../../server/quota/resync.server";
import { rollOverDay, rollOverTenants } from "../../server/quota/rollover.server";
import { QuotaStore } from "../../server/quota/store.server";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { insertLead, insertMessage, insertPhone, insertTenant, insertUser } from "../support/factories";
import { WEDNESDAY_10_00, deleteOwnKeys, manualClock, settings, sharedRedisUrl } from "./support/index";

let database: TestDatabase;
let admin: pg.Client;
let redis: Redis;
let store: QuotaStore;
let tenantId: string;
let adminUser: Actor;
let managerUser: Actor;
const phones: string[] = [];
const clock = manualClock(WEDNESDAY_10_00);
const cancelled: string[] = [];
const opened: string[] = [];
const pendingSends: PendingSends = {
  cancelPendingSends: async (_tenantId, phoneId) => {
    cancelled.push(phoneId);
    return 2;
  },
  openSendQueue: async (tenantId) => {
    opened.push(tenantId);
  },
};
let deps: PhoneLifecycleDeps;
const db: TenantDb = (fn) => withTenant(tenantId, fn);

async function phone(o: { status?: PhoneStatus; limit?: number } = {}): Promise<string> {
  const id = await insertPhone(admin, tenantId, { status: o.status, dailyQuotaLimit: o.limit });
  phones.push(id);
  await store.writeMirrors([{ phoneId: id, status: o.status ?? "ACTIVE", enabled: true, limit: o.limit ?? 200 }]);
  return id;
}

beforeAll(async () => {
  database = await createTestDatabase("quota_phones");
  await useDatabase(database);
  admin = new pg.Client({ connectionString: database.adminUrl });
  await admin.connect();
  redis = new Redis(await sharedRedisUrl(13));
  store = new QuotaStore(redis);
  deps = { store, pendingSends, clock };
  tenantId = (await insertTenant(admin)).id;
  adminUser = { type: "USER", userId: await insertUser(admin, tenantId, "ADMIN"), role: "ADMIN", ip: "127.0.0.1" };
  managerUser = { type: "USER", userId: await insertUser(admin, tenantId, "MANAGER"), role: "MANAGER", ip: null };
});

afterAll(async () => {
  await deleteOwnKeys(redis, [tenantId], phones);
  await redis.quit();
  await disconnectPrisma();
  await admin.end();
  await database.drop();
});

const guardian = () => createQuotaGuardian({ store, clock, logDecisions: false });
const one = async <T extends pg.QueryResultRow>(sql: string, params: unknown[]) => (await admin.query<T>(sql, params)).rows[0];

describe("BANNED", () => {
  it("writes DB and mirror, un-assigns COLD/CONTACTED_WA leads, cancels sends, alerts and audits", async () => {
    const phoneId = await phone();
    const journeyOn = (currentState: string) => insertLead(admin, tenantId, { journey: { currentState, assignedPhoneId: phoneId, assignedAt: new Date() } });
    const cold = await journeyOn("COLD");
    const contacted = await journeyOn("CONTACTED_WA");
    const warm = await journeyOn("WARM_REPLY");

    const result = await changePhoneStatus(deps, db, { tenantId, actor: managerUser, phoneId, to: "BANNED", reason: "403 from TimelinesAI" });

    expect(result).toMatchObject({ from: "ACTIVE", changed: true, alertRaised: true, unassignedLeads: 2, cancelledSends: 2 });
    expect(cancelled).toContain(phoneId);
    expect(await one(`SELECT status, ban_count, paused_reason FROM wa_phone_numbers WHERE id = $1`, [phoneId])).toEqual({ status: "BANNED", ban_count: 1, paused_reason: "403 from TimelinesAI" });
    expect(await store.readMirror(phoneId)).toMatchObject({ status: "BANNED" });
    const assigned = await admin.query(`SELECT id, assigned_phone_id FROM gold_lead_journey WHERE id = ANY($1::uuid[]) ORDER BY id`, [[cold.journeyId, contacted.journeyId, warm.journeyId]]);
    expect(Object.fromEntries(assigned.rows.map((r) => [r.id, r.assigned_phone_id]))).toEqual({ [cold.journeyId]: null, [contacted.journeyId]: null, [warm.journeyId]: phoneId });
    expect(await one(`SELECT severity, type FROM alerts WHERE phone_id = $1`, [phoneId])).toEqual({ severity: "CRITICAL", type: "phone:banned" });
    expect(await one(`SELECT action, actor_type, actor_user_id, before, after FROM audit_log WHERE entity_id = $1`, [phoneId])).toMatchObject({
      action: "phone.status_changed",
      actor_type: "USER",
      actor_user_id: managerUser.type === "USER" ? managerUser.userId : null,
      before: { status: "ACTIVE" },
      after: { status: "BANNED", unassignedLeads: 2 },
    });
    // And the quota check now refuses everything on it.
    expect(await guardian().check({ tenantId, phoneId, cost: 0, settings: settings() })).toMatchObject({ allowed: false, reason: "PHONE_NOT_ACTIVE" });
  });

  it("is left only by an ADMIN, and only to QUARANTINE", async () => {
    const phoneId = await phone();
    await changePhoneStatus(deps, db, { tenantId, actor: managerUser, phoneId, to: "BANNED", reason: "ban" });
    await expect(changePhoneStatus(deps, db, { tenantId, actor: adminUser, phoneId, to: "ACTIVE", reason: null })).rejects.toMatchObject({ code: "ILLEGAL_PHONE_TRANSITION", kind: "CONFLICT" });
    await expect(changePhoneStatus(deps, db, { tenantId, actor: managerUser, phoneId, to: "QUARANTINE", reason: "appeal won" })).rejects.toMatchObject({ code: "PHONE_TRANSITION_FORBIDDEN" });
    const r = await changePhoneStatus(deps, db, { tenantId, actor: adminUser, phoneId, to: "QUARANTINE", reason: "appeal won" });
    expect(r).toMatchObject({ changed: true, from: "BANNED" });
    expect(await store.readMirror(phoneId)).toMatchObject({ status: "QUARANTINE" });
  });
});

describe("OFFLINE and back", () => {
  it("pages once while the phone flaps, and resolves the alert when it is ACTIVE again", async () => {
    const phoneId = await phone();
    const job: Actor = { type: "JOB", name: "monitor.phone.health" };
    expect((await changePhoneStatus(deps, db, { tenantId, actor: job, phoneId, to: "OFFLINE", reason: "disconnected" })).alertRaised).toBe(true);
    await changePhoneStatus(deps, db, { tenantId, actor: job, phoneId, to: "RECONNECTING", reason: null });
    expect((await changePhoneStatus(deps, db, { tenantId, actor: job, phoneId, to: "OFFLINE", reason: "again" })).alertRaised).toBe(false);
    await changePhoneStatus(deps, db, { tenantId, actor: job, phoneId, to: "ACTIVE", reason: null });
    const alerts = await admin.query(`SELECT severity, resolved_at FROM alerts WHERE phone_id = $1`, [phoneId]);
    expect(alerts.rows).toHaveLength(1);
    expect(alerts.rows[0]).toMatchObject({ severity: "HIGH" });
    expect(alerts.rows[0].resolved_at).not.toBeNull();
    expect(await store.readMirror(phoneId)).toMatchObject({ status: "ACTIVE", enabled: true });
    expect(await one(`SELECT count(*)::int AS n FROM audit_log WHERE entity_id = $1 AND actor_type = 'JOB'`, [phoneId])).toEqual({ n: 4 });
  });

  it("treats a same-status change as a no-op that still repairs the mirror", async () => {
    const phoneId = await phone({ status: "PAUSED" });
    await store.writeMirrors([{ phoneId, status: "ACTIVE", enabled: true, limit: 200 }]); // stale, too permissive
    const r = await changePhoneStatus(deps, db, { tenantId, actor: managerUser, phoneId, to: "PAUSED", reason: null });
    expect(r.changed).toBe(false);
    expect(await store.readMirror(phoneId)).toMatchObject({ status: "PAUSED" });
  });
});

describe("DB and mirror fail safe", () => {
  it("a blocking change reaches Redis even if the commit then fails", async () => {
    const phoneId = await phone();
    const failingCommit: TenantDb = async (fn) => {
      await withTenant(tenantId, async (tx) => {
        await fn(tx);
        throw new Error("connection lost before COMMIT");
      });
      throw new Error("unreachable");
    };
    await expect(changePhoneStatus(deps, failingCommit, { tenantId, actor: managerUser, phoneId, to: "PAUSED", reason: null })).rejects.toThrow(/before COMMIT/);
    expect(await one(`SELECT status FROM wa_phone_numbers WHERE id = $1`, [phoneId])).toEqual({ status: "ACTIVE" });
    expect(await store.readMirror(phoneId)).toMatchObject({ status: "PAUSED" }); // stricter than the DB: safe
  });

  it("an allowing change leaves Redis refusing when the mirror write fails, and a retry repairs it", async () => {
    const phoneId = await phone({ status: "PAUSED" });
    const broken = new QuotaStore(redis);
    vi.spyOn(broken, "writeMirrors").mockRejectedValue(new Error("ECONNRESET"));
    await expect(changePhoneStatus({ ...deps, store: broken }, db, { tenantId, actor: managerUser, phoneId, to: "ACTIVE", reason: null })).rejects.toMatchObject({ code: "PHONE_MIRROR_STALE" });
    expect(await one(`SELECT status FROM wa_phone_numbers WHERE id = $1`, [phoneId])).toEqual({ status: "ACTIVE" });
    expect(await store.readMirror(phoneId)).toMatchObject({ status: "PAUSED" }); // still refusing: safe
    await changePhoneStatus(deps, db, { tenantId, actor: managerUser, phoneId, to: "ACTIVE", reason: null });
    expect(await store.readMirror(phoneId)).toMatchObject({ status: "ACTIVE" });
  });
});

describe("add, enable/disable", () => {
  it("adds a phone with the tenant's default limit, mirrored, and refuses duplicates", async () => {
    const input = { tenantId, actor: managerUser, label: "Sales 21", phoneNumber: "+40799000021", timelinesaiAccountId: "40799000021@s.whatsapp.net", dailyQuotaLimit: null, status: "ACTIVE" as const, notes: null };
    const added = await addPhone(deps, db, input);
    phones.push(added.id);
    expect(added).toMatchObject({ status: "ACTIVE", dailyQuotaLimit: 200, isEnabled: true });
    expect(await store.readMirror(added.id)).toEqual({ phoneId: added.id, status: "ACTIVE", enabled: true, limit: 200 });
    // The tenant's WhatsApp send queue is opened once the phone is committed (ADR 0014).
    expect(opened).toEqual([tenantId]);
    await expect(addPhone(deps, db, { ...input, label: "again" })).rejects.toMatchObject({ code: "PHONE_ALREADY_EXISTS", kind: "CONFLICT" });
  });

  it("a disabled phone refuses every send", async () => {
    const phoneId = await phone();
    await setPhoneEnabled(deps, db, { tenantId, actor: managerUser, phoneId, enabled: false, reason: "SIM swap" });
    expect(await guardian().check({ tenantId, phoneId, cost: 1, settings: settings() })).toMatchObject({ allowed: false, reason: "PHONE_NOT_ACTIVE" });
    await setPhoneEnabled(deps, db, { tenantId, actor: managerUser, phoneId, enabled: true, reason: null });
    expect(await guardian().check({ tenantId, phoneId, cost: 1, settings: settings() })).toMatchObject({ allowed: true });
  });
});

describe("manual quota adjustment", () => {
  it("is ADMIN only, bounded by the limit, and audited with before/after", async () => {
    const phoneId = await phone({ limit: 200 });
    await guardian().check({ tenantId, phoneId, cost: 1, settings: settings() });
    await expect(adjustQuota(deps, db, { tenantId, actor: managerUser, phoneId, used: 150, reason: "leak found in log" })).rejects.toMatchObject({ code: "QUOTA_ADJUST_FORBIDDEN" });
    await expect(adjustQuota(deps, db, { tenantId, actor: adminUser, phoneId, used: 201, reason: "leak found in log" })).rejects.toMatchObject({ code: "QUOTA_ADJUST_OUT_OF_RANGE" });
    const r = await adjustQuota(deps, db, { tenantId, actor: adminUser, phoneId, used: 150, reason: "leak found in log" });
    expect(r).toEqual({ phoneId, usageDate: "2026-06-10", before: 1, after: 150, limit: 200 });
    expect(await redis.get(quotaKey(tenantId, phoneId, "2026-06-10"))).toBe("150");
    expect(await one(`SELECT before, after FROM audit_log WHERE action = 'quota.adjusted' AND entity_id = $1`, [phoneId])).toEqual({
      before: { usageDate: "2026-06-10", used: 1 },
      after: { usageDate: "2026-06-10", used: 150, reason: "leak found in log" },
    });
  });
});

describe("daily history", () => {
  it("records each send in wa_quota_usage with first and last message times", async () => {
    const phoneId = await phone();
    const at = (t: string) => new Date(`2026-06-10T${t}Z`);
    await withTenant(tenantId, async (tx) => {
      await recordUsage(tx, { tenantId, phoneId, usageDate: "2026-06-10", cost: 1, at: at("09:00:00") });
      await recordUsage(tx, { tenantId, phoneId, usageDate: "2026-06-10", cost: 0, at: at("07:00:00") });
      await recordUsage(tx, { tenantId, phoneId, usageDate: "2026-06-10", cost: 1, at: at("08:00:00") });
    });
    expect(await one(`SELECT new_contacts_count, followups_count, first_message_at, last_message_at FROM wa_quota_usage WHERE phone_id = $1`, [phoneId])).toEqual({
      new_contacts_count: 2,
      followups_count: 1,
      first_message_at: at("07:00:00"),
      last_message_at: at("09:00:00"),
    });
  });

  it("rolls a finished day over from the log, idempotently, and flags counter/log mismatches", async () => {
    const tenant2 = (await insertTenant(admin)).id;
    const db2: TenantDb = (fn) => withTenant(tenant2, fn);
    const a = await insertPhone(admin, tenant2);
    const b = await insertPhone(admin, tenant2);
    phones.push(a, b);
    const j = await insertLead(admin, tenant2, { journey: { currentState: "CONTACTED_WA", assignedPhoneId: a, assignedAt: new Date() } });
    // Tuesday 9 June, Bucharest: 3 new contacts + 1 follow-up on A (one at 23:30 local belongs to the 9th,
    // one at 00:30 local on the 10th does not).
    for (const [t, cost] of [["2026-06-09T06:00:00Z", 1], ["2026-06-09T10:00:00Z", 1], ["2026-06-09T20:30:00Z", 1], ["2026-06-09T11:00:00Z", 0], ["2026-06-09T21:30:00Z", 1]] as const) {
      await insertMessage(admin, { tenantId: tenant2, ...j, channel: "WHATSAPP", direction: "OUTBOUND", status: "SENT", quotaCost: cost, phoneId: a, createdAt: new Date(t), sentAt: new Date(t) });
    }
    await store.setUsage({ tenantId: tenant2, phoneId: a, usageDate: "2026-06-09" }, 3, "set");
    await store.setUsage({ tenantId: tenant2, phoneId: b, usageDate: "2026-06-09" }, 1, "set"); // consumed, never logged

    const first = await rollOverDay({ store }, db2, tenant2, "2026-06-09");
    const again = await rollOverDay({ store }, db2, tenant2, "2026-06-09");
    expect(again).toEqual(first);
    expect(first.mismatches).toEqual([{ phoneId: b, newContacts: 0, followups: 0, redisCounter: 1 }]);
    const rows = await admin.query(`SELECT phone_id, new_contacts_count, followups_count, first_message_at, last_message_at FROM wa_quota_usage WHERE tenant_id = $1 ORDER BY phone_id`, [tenant2]);
    expect(Object.fromEntries(rows.rows.map((r) => [r.phone_id, r]))).toEqual({
      [a]: { phone_id: a, new_contacts_count: 3, followups_count: 1, first_message_at: new Date("2026-06-09T06:00:00Z"), last_message_at: new Date("2026-06-09T20:30:00Z") },
      [b]: { phone_id: b, new_contacts_count: 0, followups_count: 0, first_message_at: null, last_message_at: null },
    });
    await deleteOwnKeys(redis, [tenant2], []);
  });

  it("the nightly run writes each tenant's yesterday in its own zone", async () => {
    const t = (await insertTenant(admin)).id;
    const p = await insertPhone(admin, t);
    phones.push(p);
    // 00:00:30 on Thursday 11 June in Bucharest is still the 10th in UTC.
    const [result] = await rollOverTenants({ store, clock: () => new Date("2026-06-10T21:00:30Z") }, [t]);
    expect(result).toMatchObject({ tenantId: t, usageDate: "2026-06-10", phones: [{ phoneId: p, newContacts: 0 }] });
    expect(await one(`SELECT usage_date::text AS d FROM wa_quota_usage WHERE phone_id = $1`, [p])).toEqual({ d: "2026-06-10" });
  });
});
