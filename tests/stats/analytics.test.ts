/**
 * The analytics procedures against a real Postgres: an admin's recompute of a range (audited, at most
 * a month per call) fills the statistics from the log; the report's totals, per-channel figures and
 * previous period are the sums of the daily rows; breakdowns match the log facts written; managers
 * read, reps do not; another tenant's facts never appear.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../../server/auth/roles";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { insertLead, insertMessage, insertPhone, insertStateChange } from "../support/factories";
import { adminQuery, createTenantFixture, type TenantFixture } from "../support/fixtures";
import { failureOf } from "../sequences/support";

let db: TestDatabase;
let a: TenantFixture;
let b: TenantFixture;
const NOW = new Date("2026-11-20T10:00:00Z");

async function callerFor(user: SessionUser) {
  const { appRouter } = await import("../../server/trpc/router.server");
  const { createCallerFactory } = await import("../../server/trpc/init.server");
  return createCallerFactory(appRouter)({ user, requestId: "test", ip: null, boss: null, clock: () => NOW });
}

/** Whole-day facts: `sent` WhatsApp messages on `day` (12:00 Bucharest), `replies` of them answered an hour later. */
/** Each tenant sends from one phone, whatever the day. */
const phoneOf = new Map<string, string>();

async function facts(client: pg.Client, tenant: TenantFixture, day: string, sent: number, replies: number, converted: number) {
  const tenantId = tenant.tenantId;
  if (!phoneOf.has(tenantId)) phoneOf.set(tenantId, await insertPhone(client, tenantId, { label: `Tel ${tenantId.slice(0, 4)}` }));
  const phoneId = phoneOf.get(tenantId)!;
  for (let i = 0; i < sent; i++) {
    const lead = await insertLead(client, tenantId, { company: { denumire: `F ${day} ${i}` }, journey: { firstContactChannel: "WHATSAPP", assignedToUser: tenant.users.SALES_REP.id } });
    const at = new Date(`${day}T10:00:00Z`);
    await insertMessage(client, { tenantId, ...lead, channel: "WHATSAPP", direction: "OUTBOUND", status: "DELIVERED", quotaCost: 1, phoneId, createdAt: at, sentAt: at, deliveredAt: at });
    if (i < replies) {
      await insertMessage(client, { tenantId, ...lead, channel: "WHATSAPP", direction: "INBOUND", status: "REPLIED", sentimentScore: 70, createdAt: new Date(at.getTime() + 3600_000) });
    }
    if (i < converted) {
      await insertStateChange(client, { tenantId, ...lead, fromState: "NEGOTIATION", toState: "CONVERTED", actorType: "USER", createdAt: new Date(at.getTime() + 7200_000) });
    }
  }
}

beforeAll(async () => {
  db = await createTestDatabase("analytics");
  await useDatabase(db);
  a = await createTenantFixture(db.adminUrl, "alfa");
  b = await createTenantFixture(db.adminUrl, "beta");
  const client = new pg.Client({ connectionString: db.adminUrl });
  await client.connect();
  // The period 2026-11-16 … 18 and the three days before it.
  await facts(client, a, "2026-11-13", 4, 1, 0);
  await facts(client, a, "2026-11-16", 5, 2, 1);
  await facts(client, a, "2026-11-18", 3, 3, 0);
  await facts(client, b, "2026-11-17", 7, 7, 7);
  await client.end();
});

afterAll(async () => {
  const { disconnectPrisma } = await import("../../server/db/client.server");
  await disconnectPrisma();
  await db.drop();
});

describe("recompute and report", () => {
  it("an admin recomputes a range (audited); at most a month per call; managers and reps may not", async () => {
    const admin = await callerFor(a.users.ADMIN);
    const r = await admin.analytics.recompute({ from: "2026-11-10", to: "2026-11-20" });
    expect(r).toMatchObject({ from: "2026-11-10", to: "2026-11-20", days: 11, sent: 12, replies: 6 });
    await (await callerFor(b.users.ADMIN)).analytics.recompute({ from: "2026-11-10", to: "2026-11-20" });
    const audit = await adminQuery<{ after: { from: string } }>(db.adminUrl, "SELECT after FROM audit_log WHERE tenant_id = $1 AND action = 'stats.recompute'", [a.tenantId]);
    expect(audit.map((x) => x.after.from)).toEqual(["2026-11-10"]);
    expect((await failureOf(admin.analytics.recompute({ from: "2026-10-01", to: "2026-11-20" }))).domainCode).toBe("STATS_RANGE_TOO_LONG");
    expect((await failureOf((await callerFor(a.users.MANAGER)).analytics.recompute({ from: "2026-11-10", to: "2026-11-11" }))).code).toBe("FORBIDDEN");
  });

  it("the report's totals and previous period are the sums of the daily rows; breakdowns match the log", async () => {
    const manager = await callerFor(a.users.MANAGER);
    const r = await manager.analytics.report({ from: "2026-11-16", to: "2026-11-18" });
    expect(r.previous).toEqual({ from: "2026-11-13", to: "2026-11-15" });
    const [direct] = await adminQuery<{ sent: number; replies: number; conv: number }>(
      db.adminUrl,
      "SELECT sum(wa_sent + email_cold_sent + email_warm_sent)::int AS sent, sum(replies_total)::int AS replies, sum(leads_converted)::int AS conv FROM outreach_daily_stats WHERE tenant_id = $1 AND stat_date BETWEEN '2026-11-16' AND '2026-11-18'",
      [a.tenantId],
    );
    expect(r.totals).toMatchObject({ sent: direct!.sent, replied: direct!.replies, conversions: direct!.conv, days: 3, computedDays: 3 });
    expect(r.totals).toMatchObject({ sent: 8, delivered: 8, replied: 5, positiveReplies: 5, conversions: 1 });
    expect(r.previousTotals).toMatchObject({ sent: 4, replied: 1, days: 3, computedDays: 3 });
    expect(r.channels.find((c) => c.channel === "WHATSAPP")).toMatchObject({ sent: 8, replied: 5, conversions: 1, previous: { sent: 4 } });
    expect(r.series.map((p) => [p.date, p.sent])).toEqual([
      ["2026-11-16", 5],
      ["2026-11-17", 0],
      ["2026-11-18", 3],
    ]);
    expect(r.phones).toEqual([expect.objectContaining({ sent: 8, newContacts: 8, replied: 5, positiveReplies: 5 })]);
    expect(r.reps).toEqual([expect.objectContaining({ userId: a.users.SALES_REP.id, sent: 8, replied: 5, converted: 1 })]);
    expect(r.firstReply.find((f) => f.channel === "WHATSAPP")).toMatchObject({ firstReplies: 5, averageSeconds: 3600, within1h: 5 });
    // Tenant B's seven conversions on the 17th are not here.
    expect(r.totals.conversions).toBe(1);
  });

  it("reps may not read analytics; a period over 400 days or backwards is refused", async () => {
    expect((await failureOf((await callerFor(a.users.SALES_REP)).analytics.report({ from: "2026-11-16", to: "2026-11-18" }))).code).toBe("FORBIDDEN");
    const manager = await callerFor(a.users.MANAGER);
    expect((await failureOf(manager.analytics.report({ from: "2025-01-01", to: "2026-11-18" }))).code).toBe("BAD_REQUEST");
    expect((await failureOf(manager.analytics.report({ from: "2026-11-18", to: "2026-11-16" }))).code).toBe("BAD_REQUEST");
    expect(await manager.analytics.statsStatus()).toMatchObject({ today: "2026-11-20", days: 11, firstDay: "2026-11-10" });
  });
});
