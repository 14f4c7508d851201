/**
 * The dashboard read model against a real, migrated Postgres with row-level security: every number is
 * checked, and a second tenant's rows (more of them, all "today") must never show up.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { insertLead, insertMessage, insertReview } from "../support/factories";
import { createTenantFixture, type TenantFixture } from "../support/fixtures";

// Wednesday 18 Nov 2026, 14:00 in Bucharest.
const NOW = new Date("2026-11-18T12:00:00Z");
const at = (iso: string) => new Date(iso);
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

let db: TestDatabase;
let a: TenantFixture;
let b: TenantFixture;

function journey(client: pg.Client, tenantId: string, state: string, firstContactAt: Date | null, replyCount: number) {
  return insertLead(client, tenantId, { journey: { currentState: state, firstContactAt, replyCount } });
}

async function message(
  client: pg.Client,
  tenantId: string,
  j: { journeyId: string; leadId: string },
  direction: "OUTBOUND" | "INBOUND",
  fields: { sentAt?: Date | null; createdAt: Date; status?: string },
) {
  await insertMessage(client, { tenantId, ...j, channel: "WHATSAPP", direction, status: fields.status ?? "SENT", sentAt: fields.sentAt ?? null, createdAt: fields.createdAt });
}

async function review(
  client: pg.Client,
  tenantId: string,
  j: { journeyId: string; leadId: string },
  priority: string,
  status: string,
  slaDueAt: Date,
  slaBreached = false,
) {
  await insertReview(client, { tenantId, ...j, kind: "TRIAGE", reason: "NEGATIVE_SENTIMENT", priority, status, slaDueAt, slaBreached });
}

async function stats(client: pg.Client, tenantId: string, day: string, v: { wa: number; cold: number; warm: number; newContacts: number; replies: number }) {
  await client.query(
    `INSERT INTO outreach_daily_stats (tenant_id, stat_date, wa_sent, email_cold_sent, email_warm_sent, new_contacts, replies_total)
     VALUES ($1, $2::date, $3, $4, $5, $6, $7)`,
    [tenantId, day, v.wa, v.cold, v.warm, v.newContacts, v.replies],
  );
}

beforeAll(async () => {
  db = await createTestDatabase("dash");
  await useDatabase(db);
  a = await createTenantFixture(db.adminUrl, "alfa");
  b = await createTenantFixture(db.adminUrl, "beta");

  const client = new pg.Client({ connectionString: db.adminUrl });
  await client.connect();
  try {
    // Tenant A
    const j1 = await journey(client, a.tenantId, "CONTACTED_WA", hoursAgo(1), 0);
    const j2 = await journey(client, a.tenantId, "WARM_REPLY", hoursAgo(72), 2);
    const j3 = await journey(client, a.tenantId, "COLD", null, 0);
    const j4 = await journey(client, a.tenantId, "CONTACTED_EMAIL", hoursAgo(24 * 20), 1);
    await message(client, a.tenantId, j1, "OUTBOUND", { sentAt: hoursAgo(1), createdAt: hoursAgo(1) });
    await message(client, a.tenantId, j1, "OUTBOUND", { sentAt: hoursAgo(0.5), createdAt: hoursAgo(0.5) });
    await message(client, a.tenantId, j2, "INBOUND", { createdAt: hoursAgo(0.5), status: "REPLIED" });
    await message(client, a.tenantId, j2, "INBOUND", { createdAt: hoursAgo(0.25), status: "REPLIED" });
    // Sent yesterday evening in Bucharest (21:30 local) is not today.
    await message(client, a.tenantId, j2, "OUTBOUND", { sentAt: at("2026-11-17T19:30:00Z"), createdAt: at("2026-11-17T19:30:00Z") });
    // Queued but not sent: not a contact.
    await message(client, a.tenantId, j3, "OUTBOUND", { sentAt: null, createdAt: hoursAgo(1), status: "QUEUED" });
    await review(client, a.tenantId, j2, "URGENT", "PENDING", hoursAgo(0.2)); // overdue, breach job not run yet
    await review(client, a.tenantId, j1, "MEDIUM", "ASSIGNED", new Date(NOW.getTime() + 10 * 3_600_000));
    await review(client, a.tenantId, j4, "LOW", "ESCALATED", new Date(NOW.getTime() + 3_600_000), true);
    await review(client, a.tenantId, j4, "HIGH", "RESOLVED", hoursAgo(5), true); // done: not counted
    await stats(client, a.tenantId, "2026-11-17", { wa: 10, cold: 5, warm: 1, newContacts: 8, replies: 3 });
    await stats(client, a.tenantId, "2026-11-15", { wa: 4, cold: 0, warm: 0, newContacts: 4, replies: 0 });
    await stats(client, a.tenantId, "2026-10-30", { wa: 99, cold: 99, warm: 99, newContacts: 99, replies: 99 }); // outside the window

    // Tenant B: busier, everything today; none of it may leak into A's numbers.
    for (let i = 0; i < 5; i += 1) {
      const j = await journey(client, b.tenantId, "NEGOTIATION", hoursAgo(2), 1);
      await message(client, b.tenantId, j, "OUTBOUND", { sentAt: hoursAgo(2), createdAt: hoursAgo(2) });
      await message(client, b.tenantId, j, "INBOUND", { createdAt: hoursAgo(1) });
      await review(client, b.tenantId, j, "URGENT", "PENDING", hoursAgo(1), true);
    }
    await stats(client, b.tenantId, "2026-11-17", { wa: 500, cold: 0, warm: 0, newContacts: 500, replies: 50 });
  } finally {
    await client.end();
  }
});

afterAll(async () => {
  const { disconnectPrisma } = await import("../../server/db/client.server");
  await disconnectPrisma();
  await db?.drop();
});

async function summaryFor(tenantId: string) {
  const { withTenant } = await import("../../server/db/client.server");
  const { loadDashboardSummary } = await import("../../server/dashboard/summary.server");
  return withTenant(tenantId, (tx) => loadDashboardSummary(tx, { tenantId, now: NOW }));
}

describe("dashboard summary", () => {
  it("counts leads per state, with every state present", async () => {
    const s = await summaryFor(a.tenantId);
    expect(s.leads.total).toBe(4);
    expect(s.leads.byState).toEqual({
      COLD: 1,
      CONTACTED_WA: 1,
      CONTACTED_EMAIL: 1,
      WARM_REPLY: 1,
      NEGOTIATION: 0,
      CONVERTED: 0,
      DEAD: 0,
      PAUSED: 0,
    });
  });

  it("counts distinct leads contacted and replying today, on the Bucharest calendar", async () => {
    const s = await summaryFor(a.tenantId);
    expect(s.today).toBe("2026-11-18");
    expect(s.todayActivity).toEqual({ contactedLeads: 1, repliedLeads: 1 });
  });

  it("computes the reply rate over leads first contacted in the 14-day window", async () => {
    const s = await summaryFor(a.tenantId);
    expect(s.replyRate).toEqual({ windowStart: "2026-11-05", contacted: 2, replied: 1, rate: 0.5 });
  });

  it("counts open reviews by priority and SLA breaches, including overdue items not yet flagged", async () => {
    const s = await summaryFor(a.tenantId);
    expect(s.reviews.open).toBe(3);
    expect(s.reviews.byPriority).toEqual({ URGENT: 1, HIGH: 0, MEDIUM: 1, LOW: 1 });
    expect(s.reviews.slaBreached).toBe(2);
    expect(s.reviews.slaMinutes).toEqual({ URGENT: 60, HIGH: 240, MEDIUM: 1440, LOW: 4320 });
  });

  it("returns 14 days of history, with missing days as null rather than zero", async () => {
    const s = await summaryFor(a.tenantId);
    expect(s.history.map((p) => p.date)).toEqual(
      Array.from({ length: 14 }, (_, i) => `2026-11-${String(5 + i).padStart(2, "0")}`),
    );
    const byDate = new Map(s.history.map((p) => [p.date, p.stats]));
    expect(byDate.get("2026-11-17")).toEqual({
      messagesSent: 16,
      whatsappSent: 10,
      emailColdSent: 5,
      emailWarmSent: 1,
      newContacts: 8,
      replies: 3,
    });
    expect(byDate.get("2026-11-15")?.messagesSent).toBe(4);
    expect(s.history.filter((p) => p.stats !== null)).toHaveLength(2);
  });

  it("shows the other tenant only its own data", async () => {
    const s = await summaryFor(b.tenantId);
    expect(s.leads.total).toBe(5);
    expect(s.leads.byState.NEGOTIATION).toBe(5);
    expect(s.todayActivity).toEqual({ contactedLeads: 5, repliedLeads: 5 });
    expect(s.reviews.byPriority.URGENT).toBe(5);
    expect(s.history.find((p) => p.date === "2026-11-17")?.stats?.messagesSent).toBe(500);
  });

  it("is served to a sales rep through tRPC, scoped to the rep's tenant and matching the output schema", async () => {
    const { appRouter } = await import("../../server/trpc/router.server");
    const { createCallerFactory } = await import("../../server/trpc/init.server");
    const caller = createCallerFactory(appRouter)({ user: a.users.SALES_REP, requestId: "test", ip: null, boss: null });
    const s = await caller.dashboard.summary();
    expect(s.leads.total).toBe(4);
    expect(s.reviews.open).toBe(3);
    expect(s.history).toHaveLength(14);
  });
});
