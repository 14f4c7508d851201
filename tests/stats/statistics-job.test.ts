/**
 * The statistics job against a real Postgres and pg-boss: a job for a range of days recomputes the
 * daily totals and every breakdown table, and each table equals the same figures counted here in
 * TypeScript from the raw rows (an independent reading of the definitions in breakdowns.server.ts);
 * running it again changes nothing; another tenant's facts on the same days never count; the two
 * schedules are registered; a tick of "today" fans out per tenant and counts today.
 */
import { DateTime } from "luxon";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../prisma/seed/random";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { insertCampaign, insertLead, insertMessage, insertPhone, insertReview, insertSequence, insertStateChange, insertTemplate } from "../support/factories";
import { adminQuery, createTenantFixture, type TenantFixture } from "../support/fixtures";

const ZONE = "Europe/Bucharest";
const DAYS = ["2026-11-16", "2026-11-17", "2026-11-18"];
const FROM = DAYS[0]!;
const TO = DAYS[DAYS.length - 1]!;
const CHANNELS = ["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"] as const;
type Ch = (typeof CHANNELS)[number];

let db: TestDatabase;
let a: TenantFixture;
let b: TenantFixture;
let boss: PgBoss;
let admin: pg.Client;

const dayOf = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toISODate() as string;
const start = DateTime.fromISO(FROM, { zone: ZONE }).toJSDate();
const end = DateTime.fromISO(TO, { zone: ZONE }).plus({ days: 1 }).toJSDate();
const inRange = (d: Date | null): d is Date => d !== null && d >= start && d < end;

interface World {
  tenantId: string;
  users: string[];
}

/** Random facts around the three days (and the days just outside them), in whole seconds. */
async function writeFacts(tenant: TenantFixture, seed: number): Promise<World> {
  const rng = new Rng(seed);
  const t = tenant.tenantId;
  const users = Object.values(tenant.users).map((u) => u.id);
  const phones = [await insertPhone(admin, t, { label: `Tel ${seed}-1` }), await insertPhone(admin, t, { label: `Tel ${seed}-2` })];
  const templates: Record<Ch, { id: string; versions: string[] }> = {} as never;
  for (const ch of CHANNELS) {
    const template = await insertTemplate(admin, t, { name: `T ${ch}`, channel: ch, subject: ch === "WHATSAPP" ? null : "s", content: "x", versions: [{ content: "a" }, { content: "b" }] });
    templates[ch] = { id: template.id, versions: template.versionIds };
  }
  const sequence = await insertSequence(admin, t, { name: "S" });
  await insertCampaign(admin, { tenantId: t, instantlyCampaignId: `inst-${seed}`, name: "Camp" });

  // Whole seconds in [2 days before, 2 days after] the range, never two facts at the same second.
  const used = new Set<number>();
  const at = () => {
    for (;;) {
      const ms = start.getTime() - 2 * 86_400_000 + rng.int(0, (DAYS.length + 4) * 86_400 - 1) * 1000;
      if (!used.has(ms)) {
        used.add(ms);
        return new Date(ms);
      }
    }
  };
  const later = (from: Date, p: number) => (rng.chance(p) ? new Date(from.getTime() + rng.int(1, 40 * 3600) * 1000) : null);

  for (let i = 0; i < 45; i++) {
    const assigned = rng.chance(0.8) ? rng.pick(users) : null;
    const ids = await insertLead(admin, t, {
      company: { denumire: `Ferma ${seed}-${i}` },
      journey: { currentState: "CONTACTED_WA", assignedToUser: assigned, firstContactChannel: rng.pick([null, "WHATSAPP", "EMAIL_COLD"]) },
    });
    const lead = { tenantId: t, ...ids };
    const times = Array.from({ length: rng.int(3, 6) }, at).sort((x, y) => x.getTime() - y.getTime());
    for (const created of times) {
      const ch = rng.pick(CHANNELS);
      if (rng.chance(0.35)) {
        await insertMessage(admin, { ...lead, channel: ch, direction: "INBOUND", status: "REPLIED", sentimentScore: rng.pick([null, -30, 10, 49, 50, 80]), metadata: { automatic: rng.chance(0.15) }, createdAt: created });
        continue;
      }
      const sent = rng.chance(0.9) ? created : null;
      const step = rng.chance(0.85) ? rng.int(1, 2) : null;
      // Property order is the order the RNG is drawn in.
      await insertMessage(admin, {
        ...lead, channel: ch, direction: "OUTBOUND", status: "SENT", quotaCost: ch === "WHATSAPP" && rng.chance(0.5) ? 1 : 0, sequenceId: step ? sequence : null, sequenceStep: step,
        templateId: templates[ch].id, templateVersionId: rng.chance(0.9) ? rng.pick(templates[ch].versions) : null,
        phoneId: ch === "WHATSAPP" ? rng.pick(phones) : null, instantlyCampaignId: ch === "EMAIL_COLD" ? `inst-${seed}` : null,
        createdAt: created, sentAt: sent, deliveredAt: sent && later(sent, 0.7), readAt: ch === "WHATSAPP" && sent ? later(sent, 0.5) : null, openedAt: ch !== "WHATSAPP" && sent ? later(sent, 0.5) : null,
        clickedAt: sent && later(sent, 0.2), bouncedAt: ch !== "WHATSAPP" && sent ? later(sent, 0.1) : null, failedAt: ch === "WHATSAPP" && !sent ? later(created, 0.8) : null,
      });
    }
    if (rng.chance(0.35)) {
      await insertStateChange(admin, { ...lead, fromState: "NEGOTIATION", toState: "CONVERTED", actorType: "USER", createdAt: at() });
    }
    if (rng.chance(0.6)) {
      const created = at();
      const resolved = later(created, 0.6);
      const breached = rng.chance(0.4);
      await insertReview(admin, {
        ...lead, kind: "TRIAGE", reason: "NEGATIVE_SENTIMENT", priority: "HIGH", status: resolved ? "RESOLVED" : "ASSIGNED", assignedToUser: rng.chance(0.8) ? rng.pick(users) : null,
        slaDueAt: new Date(created.getTime() + 4 * 3600_000), slaBreached: breached, slaBreachedAt: breached ? new Date(created.getTime() + 4 * 3600_000) : null,
        resolvedAt: resolved, resolvedBy: resolved ? rng.pick(users) : null, resolution: resolved ? "NO_ACTION" : null, createdAt: created,
      });
    }
  }
  return { tenantId: t, users };
}

// ─── The definitions, read again in TypeScript ────────────────────────────────────────────────────

interface Msg {
  id: string;
  journey_id: string;
  channel: Ch;
  direction: "OUTBOUND" | "INBOUND";
  sequence_id: string | null;
  sequence_step: number | null;
  template_id: string | null;
  template_version_id: string | null;
  phone_id: string | null;
  instantly_campaign_id: string | null;
  quota_cost: number;
  sentiment_score: number | null;
  automatic: boolean;
  created_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  opened_at: Date | null;
  clicked_at: Date | null;
  bounced_at: Date | null;
  failed_at: Date | null;
  assigned: string | null;
  first_contact_channel: string | null;
}

type Table = Map<string, Record<string, number>>;
function bump(table: Table, key: string, field: string, by = 1) {
  const row = table.get(key) ?? {};
  row[field] = (row[field] ?? 0) + by;
  table.set(key, row);
}

async function expected(tenantId: string) {
  const msgs = (
    await admin.query<Msg>(
      `SELECT m.*, COALESCE((m.metadata->>'automatic')::boolean, false) AS automatic, j.assigned_to_user AS assigned, j.first_contact_channel::text
         FROM gold_communication_log m JOIN gold_lead_journey j ON j.id = m.journey_id WHERE m.tenant_id = $1`,
      [tenantId],
    )
  ).rows;
  const campaigns = new Map((await admin.query<{ id: string; instantly_campaign_id: string }>("SELECT id, instantly_campaign_id FROM email_campaigns WHERE tenant_id = $1", [tenantId])).rows.map((c) => [c.instantly_campaign_id, c.id]));
  const byJourney = new Map<string, Msg[]>();
  for (const m of msgs) byJourney.set(m.journey_id, [...(byJourney.get(m.journey_id) ?? []), m]);
  const counted = (m: Msg) => m.direction === "INBOUND" && !m.automatic;
  const before = (p: Msg, r: Msg) => p.created_at < r.created_at || (p.created_at.getTime() === r.created_at.getTime() && p.id < r.id);

  const steps: Table = new Map();
  const versions: Table = new Map();
  const phones: Table = new Map();
  const reps: Table = new Map();
  const camps: Table = new Map();
  const channels: Table = new Map();

  for (const m of msgs.filter((x) => x.direction === "OUTBOUND")) {
    const facts: Array<[string, Date | null]> = [
      ["sent", m.sent_at],
      ["delivered", m.delivered_at],
      ["opened", m.channel === "WHATSAPP" ? m.read_at : m.opened_at],
      ["clicked", m.clicked_at],
      ["bounced", m.bounced_at],
      ["failed", m.failed_at],
    ];
    for (const [kind, when] of facts) {
      if (!inRange(when)) continue;
      const d = dayOf(when);
      if (m.sequence_id && m.sequence_step) bump(steps, `${d}|${m.sequence_id}|${m.sequence_step}|${m.channel}`, kind);
      if (m.template_version_id) bump(versions, `${d}|${m.template_version_id}`, kind);
      if (m.channel === "WHATSAPP" && m.phone_id && kind !== "clicked" && kind !== "bounced") {
        bump(phones, `${d}|${m.phone_id}`, kind === "opened" ? "read" : kind);
        if (kind === "sent") bump(phones, `${d}|${m.phone_id}`, m.quota_cost === 1 ? "new_contacts" : "followups");
      }
      if (kind === "sent" && m.assigned) bump(reps, `${d}|${m.assigned}`, "sent");
      const campaign = m.channel === "EMAIL_COLD" && m.instantly_campaign_id ? campaigns.get(m.instantly_campaign_id) : undefined;
      if (campaign && ["sent", "opened", "clicked", "bounced"].includes(kind)) bump(camps, `${d}|${campaign}`, kind);
    }
  }
  for (const r of msgs.filter((x) => counted(x) && inRange(x.created_at))) {
    const journey = byJourney.get(r.journey_id)!;
    const d = dayOf(r.created_at);
    const outs = journey.filter((o) => o.direction === "OUTBOUND" && o.sent_at && o.sent_at <= r.created_at);
    outs.sort((x, y) => Number(y.channel === r.channel) - Number(x.channel === r.channel) || y.sent_at!.getTime() - x.sent_at!.getTime() || (y.id > x.id ? 1 : -1));
    const o = outs[0];
    if (o && !journey.some((p) => counted(p) && p.created_at >= o.sent_at! && before(p, r))) {
      const positive = r.sentiment_score !== null && r.sentiment_score >= 50;
      for (const kind of positive ? ["replied", "positive"] : ["replied"]) {
        if (o.sequence_id && o.sequence_step) bump(steps, `${d}|${o.sequence_id}|${o.sequence_step}|${o.channel}`, kind);
        if (o.template_version_id) bump(versions, `${d}|${o.template_version_id}`, kind);
        if (o.channel === "WHATSAPP" && o.phone_id) bump(phones, `${d}|${o.phone_id}`, kind);
        if (r.assigned) bump(reps, `${d}|${r.assigned}`, kind);
        const campaign = o.channel === "EMAIL_COLD" && o.instantly_campaign_id ? campaigns.get(o.instantly_campaign_id) : undefined;
        if (campaign && kind === "replied") bump(camps, `${d}|${campaign}`, "replied");
      }
    }
    const first = journey.filter((x) => x.direction === "OUTBOUND" && x.sent_at).sort((x, y) => x.sent_at!.getTime() - y.sent_at!.getTime() || (x.id < y.id ? -1 : 1))[0];
    if (first && first.sent_at! <= r.created_at && !journey.some((p) => counted(p) && before(p, r))) {
      const seconds = Math.round((r.created_at.getTime() - first.sent_at!.getTime()) / 1000);
      const key = `${d}|${first.channel}`;
      bump(channels, key, "first_replies");
      bump(channels, key, "first_reply_seconds", seconds);
      for (const [h, field] of [[1, "first_replies_within_1h"], [4, "first_replies_within_4h"], [24, "first_replies_within_24h"], [72, "first_replies_within_72h"]] as const) {
        bump(channels, key, field, seconds <= h * 3600 ? 1 : 0);
      }
    }
  }
  const history = (
    await admin.query<{ created_at: Date; channel: string | null; assigned: string | null }>(
      "SELECT h.created_at, j.first_contact_channel::text AS channel, j.assigned_to_user AS assigned FROM lead_state_history h JOIN gold_lead_journey j ON j.id = h.journey_id WHERE h.tenant_id = $1 AND h.to_state = 'CONVERTED'",
      [tenantId],
    )
  ).rows;
  for (const h of history.filter((x) => inRange(x.created_at))) {
    bump(channels, `${dayOf(h.created_at)}|${h.channel ?? "MANUAL"}`, "conversions");
    if (h.assigned) bump(reps, `${dayOf(h.created_at)}|${h.assigned}`, "converted");
  }
  const reviews = (
    await admin.query<{ created_at: Date; resolved_at: Date | null; resolved_by: string | null; sla_due_at: Date; sla_breached: boolean; sla_breached_at: Date | null; assigned_to_user: string | null }>(
      "SELECT created_at, resolved_at, resolved_by, sla_due_at, sla_breached, sla_breached_at, assigned_to_user FROM human_review_queue WHERE tenant_id = $1",
      [tenantId],
    )
  ).rows;
  for (const r of reviews) {
    if (r.resolved_by && inRange(r.resolved_at)) {
      const key = `${dayOf(r.resolved_at)}|${r.resolved_by}`;
      bump(reps, key, "reviews_resolved");
      bump(reps, key, "reviews_resolved_in_sla", r.resolved_at <= r.sla_due_at ? 1 : 0);
      bump(reps, key, "review_resolve_seconds", Math.round((r.resolved_at.getTime() - r.created_at.getTime()) / 1000));
    }
    if (r.sla_breached && r.assigned_to_user && inRange(r.sla_breached_at)) bump(reps, `${dayOf(r.sla_breached_at)}|${r.assigned_to_user}`, "reviews_breached");
  }
  return { steps, versions, phones, reps, camps, channels };
}

/** The stored rows as the same key → counts maps (zero counts dropped on both sides). */
async function stored(tenantId: string) {
  const read = async (table: string, keys: string[], fields: string[]) => {
    const rows = (await admin.query(`SELECT to_char(stat_date, 'YYYY-MM-DD') AS day, * FROM ${table} WHERE tenant_id = $1`, [tenantId])).rows as Array<Record<string, unknown>>;
    const out: Table = new Map();
    for (const r of rows) {
      const key = [r.day, ...keys.map((k) => String(r[k]))].join("|");
      const counts: Record<string, number> = {};
      for (const f of fields) if (Number(r[f]) !== 0) counts[f] = Number(r[f]);
      out.set(key, counts);
    }
    return out;
  };
  const counts = ["sent", "delivered", "opened", "clicked", "replied", "positive_replies", "bounced", "failed"];
  return {
    steps: await read("outreach_daily_step_stats", ["sequence_id", "step_number", "channel"], counts),
    versions: await read("outreach_daily_template_stats", ["template_version_id"], counts),
    phones: await read("outreach_daily_phone_stats", ["phone_id"], ["sent", "new_contacts", "followups", "delivered", "read", "replied", "positive_replies", "failed"]),
    reps: await read("outreach_daily_rep_stats", ["user_id"], ["sent", "replied", "positive_replies", "converted", "reviews_resolved", "reviews_resolved_in_sla", "reviews_breached", "review_resolve_seconds"]),
    camps: await read("outreach_daily_campaign_stats", ["campaign_id"], ["sent", "opened", "clicked", "replied", "bounced"]),
    channels: await read("outreach_daily_channel_stats", ["channel"], [
      "first_replies", "first_reply_seconds", "first_replies_within_1h", "first_replies_within_4h", "first_replies_within_24h", "first_replies_within_72h", "conversions",
    ]),
  };
}

function normalise(table: Table, rename: Record<string, string> = {}): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [key, counts] of [...table.entries()].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const clean = Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== 0).map(([k, v]) => [rename[k] ?? k, v]));
    if (Object.keys(clean).length > 0) out[key] = clean;
  }
  return out;
}

async function waitFor(name: string, id: string) {
  const started = Date.now();
  while (Date.now() - started < 60_000) {
    const job = await boss.getJobById(name, id);
    if (job && ["completed", "failed"].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

let world: World;

beforeAll(async () => {
  db = await createTestDatabase("statsjob");
  await useDatabase(db);
  a = await createTenantFixture(db.adminUrl, "alfa");
  b = await createTenantFixture(db.adminUrl, "beta");
  admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  world = await writeFacts(a, 11);
  await writeFacts(b, 22);
  const { startBoss } = await import("../../jobs/boss.server");
  boss = await startBoss();
  const { jobRegistry } = await import("../../jobs/registry");
  const { ensureQueues, ensureSchedules, startWorkers } = await import("../../jobs/runtime");
  const stats = jobRegistry.filter((j) => j.name === "monitor.stats.daily");
  await ensureQueues(boss, stats);
  await ensureSchedules(boss, stats);
  await startWorkers(boss, stats);
}, 180_000);

afterAll(async () => {
  const { stopBoss } = await import("../../jobs/boss.server");
  const { disconnectPrisma } = await import("../../server/db/client.server");
  await stopBoss();
  await disconnectPrisma();
  await admin.end();
  await db.drop();
});

describe("the statistics job", () => {
  it("recomputes a range: every breakdown equals the counts read from the raw rows, and the totals are written", async () => {
    const { STATS_RECOMPUTE_QUEUE } = await import("../../jobs/queues");
    const id = await boss.send(STATS_RECOMPUTE_QUEUE, { tenantId: world.tenantId, scope: "range", from: FROM, to: TO });
    expect((await waitFor(STATS_RECOMPUTE_QUEUE, id!)).state).toBe("completed");

    const want = await expected(world.tenantId);
    const got = await stored(world.tenantId);
    const rename = { positive: "positive_replies" };
    expect(normalise(got.steps)).toEqual(normalise(want.steps, rename));
    expect(normalise(got.versions)).toEqual(normalise(want.versions, rename));
    expect(normalise(got.phones)).toEqual(normalise(want.phones, rename));
    expect(normalise(got.reps)).toEqual(normalise(want.reps, rename));
    expect(normalise(got.camps)).toEqual(normalise(want.camps, rename));
    expect(normalise(got.channels)).toEqual(normalise(want.channels, rename));
    // The facts are varied enough that every table has rows to compare.
    for (const table of Object.values(got)) expect(table.size).toBeGreaterThan(0);

    const totals = await adminQuery<{ day: string; wa_sent: number }>(db.adminUrl, "SELECT to_char(stat_date, 'YYYY-MM-DD') AS day, wa_sent FROM outreach_daily_stats WHERE tenant_id = $1 ORDER BY stat_date", [world.tenantId]);
    expect(totals.map((r) => r.day)).toEqual(DAYS);
    // The totals and the breakdowns read the same log: every WhatsApp message here went out on a phone,
    // so a day's phone sends add up to the day's WhatsApp sends.
    for (const day of DAYS) {
      const byPhones = [...got.phones.entries()].filter(([key]) => key.startsWith(day)).reduce((n, [, c]) => n + (c.sent ?? 0), 0);
      expect({ day, sent: byPhones }).toEqual({ day, sent: Number(totals.find((r) => r.day === day)!.wa_sent) });
    }
  });

  it("is idempotent: running the same range again leaves the same rows, none added", async () => {
    const { STATS_RECOMPUTE_QUEUE } = await import("../../jobs/queues");
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const table of ["outreach_daily_stats", "outreach_daily_step_stats", "outreach_daily_template_stats", "outreach_daily_phone_stats", "outreach_daily_rep_stats", "outreach_daily_campaign_stats", "outreach_daily_channel_stats"]) {
        out[table] = (await admin.query(`SELECT * FROM ${table} WHERE tenant_id = $1 ORDER BY 1, 2, 3`, [world.tenantId])).rows.map((r: Record<string, unknown>) => {
          const { id: _id, computed_at: _c, created_at: _cr, updated_at: _u, ...rest } = r;
          return rest;
        });
      }
      return out;
    };
    const first = await snapshot();
    const id = await boss.send(STATS_RECOMPUTE_QUEUE, { tenantId: world.tenantId, scope: "range", from: FROM, to: TO });
    expect((await waitFor(STATS_RECOMPUTE_QUEUE, id!)).state).toBe("completed");
    expect(await snapshot()).toEqual(first);
  });

  it("never counts another tenant's facts", async () => {
    const rows = await adminQuery<{ tenant_id: string }>(
      db.adminUrl,
      `SELECT DISTINCT tenant_id FROM (SELECT tenant_id FROM outreach_daily_step_stats UNION ALL SELECT tenant_id FROM outreach_daily_rep_stats UNION ALL SELECT tenant_id FROM outreach_daily_stats) x`,
    );
    expect(rows.map((r) => r.tenant_id)).toEqual([world.tenantId]);
    // Tenant B's users never appear in A's rep rows (composite keys would refuse it anyway).
    const reps = await adminQuery<{ user_id: string }>(db.adminUrl, "SELECT DISTINCT user_id FROM outreach_daily_rep_stats WHERE tenant_id = $1", [world.tenantId]);
    for (const r of reps) expect(world.users).toContain(r.user_id);
  });

  it("has the nightly and the five-minute schedules, and a tick of today fans out to every tenant", async () => {
    const { STATS_RECOMPUTE_QUEUE } = await import("../../jobs/queues");
    const schedules = await boss.getSchedules(STATS_RECOMPUTE_QUEUE);
    expect(schedules.map((s) => [s.key, s.cron, s.timezone]).sort()).toEqual([
      ["nightly", "15 0 * * *", ZONE],
      ["today", "*/5 * * * *", ZONE],
    ]);
    // One message sent now for tenant B: today's row counts it after the tick's per-tenant jobs ran.
    const [lead] = await adminQuery<{ id: string; journey: string }>(db.adminUrl, "SELECT g.id, j.id AS journey FROM gold_companies g JOIN gold_lead_journey j ON j.lead_id = g.id WHERE g.tenant_id = $1 LIMIT 1", [b.tenantId]);
    const now = new Date();
    await insertMessage(db.adminUrl, { tenantId: b.tenantId, journeyId: lead!.journey, leadId: lead!.id, channel: "WHATSAPP", direction: "OUTBOUND", status: "SENT", createdAt: now, sentAt: now });
    const tick = new Date();
    const id = await boss.send(STATS_RECOMPUTE_QUEUE, { scope: "today", tick: tick.toISOString() });
    expect((await waitFor(STATS_RECOMPUTE_QUEUE, id!)).state).toBe("completed");
    const perTenant = async () =>
      (await adminQuery<{ tenant: string }>(db.adminUrl, "SELECT data->>'tenantId' AS tenant FROM pgboss.job WHERE name = $1 AND data->>'tick' = $2 AND data ? 'tenantId'", [STATS_RECOMPUTE_QUEUE, tick.toISOString()]))
        .map((r) => r.tenant)
        .sort();
    expect(await perTenant()).toEqual([a.tenantId, b.tenantId].sort());
    // The same tick again makes no new jobs (deterministic ids).
    const again = await boss.send(STATS_RECOMPUTE_QUEUE, { scope: "today", tick: tick.toISOString() });
    expect((await waitFor(STATS_RECOMPUTE_QUEUE, again!)).state).toBe("completed");
    expect(await perTenant()).toHaveLength(2);
    const today = DateTime.now().setZone(ZONE).toISODate();
    const started = Date.now();
    let row: { wa_sent: number } | undefined;
    while (Date.now() - started < 60_000) {
      [row] = await adminQuery<{ wa_sent: number }>(db.adminUrl, "SELECT wa_sent FROM outreach_daily_stats WHERE tenant_id = $1 AND stat_date = $2", [b.tenantId, today]);
      if (row) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(row?.wa_sent).toBe(1);
  });
});
