/**
 * Daily statistics against a real, migrated Postgres: facts are written around the edges of Bucharest
 * days (23:30 / 00:30, exact local midnight, and the two DST change days of 2026), every column of a
 * recomputed day is compared with a COUNT written directly against the source tables, and
 * recomputing twice must replace the rows, not add to them. A second tenant's facts, all on the same
 * days, must never be counted.
 */
import { DateTime } from "luxon";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng } from "../../prisma/seed/random";
import { computeDailyStats, DAILY_STAT_COLUMNS, LATE_EVENT_DAYS, recomputeDailyStats, recomputeDailyStatsRange, type DailyCountField, type DailyStats } from "../../server/stats/daily-stats.server";
import { dayRange } from "../../server/stats/day";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { insertDnc, insertLead, insertMessage, insertReview, insertStateChange } from "../support/factories";
import { createTenantFixture, type TenantFixture } from "../support/fixtures";

const ZONE = "Europe/Bucharest";
// Saturday before the spring change, the 23-hour Sunday, Monday; the 25-hour Sunday of October and
// its neighbours; an ordinary Wednesday.
const SPRING = ["2026-03-28", "2026-03-29", "2026-03-30"];
const AUTUMN = ["2026-10-24", "2026-10-25", "2026-10-26"];
const ORDINARY = ["2026-11-18"];
const DAYS = [...SPRING, ...AUTUMN, ...ORDINARY];

/** A wall-clock time of a Bucharest day as an instant (luxon moves a time the spring change skips). */
const local = (day: string, time: string) => DateTime.fromISO(`${day}T${time}`, { zone: ZONE }).toJSDate();

/** The times that decide which day a fact falls on, and a few ordinary ones. */
function edgeInstants(day: string): Date[] {
  const midnight = DateTime.fromISO(day, { zone: ZONE }).startOf("day");
  const next = midnight.plus({ days: 1 });
  return [
    midnight.toJSDate(), // exactly 00:00: belongs to `day`
    new Date(next.toMillis() - 1), // 23:59:59.999: still `day`
    local(day, "00:30"),
    local(day, "23:30"),
    local(day, "02:59"),
    local(day, "03:30"), // does not exist on 29 March (luxon gives 04:30); exists twice on 25 October
    local(day, "12:00"),
  ];
}

let db: TestDatabase;
let a: TenantFixture;
let b: TenantFixture;
let admin: pg.Client;

const CHANNELS = ["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"] as const;

/** Random facts on the edge instants of every test day (and the days around them), for one tenant. */
async function writeFacts(client: pg.Client, tenantId: string, seed: number): Promise<void> {
  const rng = new Rng(seed);
  const instants = [...DAYS, "2026-03-27", "2026-03-31", "2026-10-23", "2026-10-27", "2026-11-17", "2026-11-19"].flatMap(edgeInstants);
  const at = () => rng.pick(instants);
  // A message's facts come at or after its row was written (the log is written before the provider
  // is called; inbound rows are written at arrival), and within the late-fact horizon.
  const after = (from: Date) => instants.filter((t) => t.getTime() >= from.getTime() && t.getTime() < from.getTime() + (LATE_EVENT_DAYS - 1) * 86_400_000);
  const maybeAfter = (from: Date, p: number) => (rng.chance(p) ? rng.pick(after(from)) : null);
  const maybe = (p: number) => (rng.chance(p) ? at() : null);
  const users = await client.query<{ id: string }>("SELECT id FROM users WHERE tenant_id = $1 LIMIT 1", [tenantId]);
  const userId = users.rows[0]!.id;

  for (let i = 0; i < 80; i++) {
    const lead = { tenantId, ...(await insertLead(client, tenantId, { company: { denumire: `Ferma ${seed}-${i}` }, journey: { currentState: "CONTACTED_WA", firstContactAt: maybe(0.7) } })) };
    for (let k = 0; k < 4; k++) {
      const channel = rng.pick(CHANNELS);
      const inbound = rng.chance(0.3);
      const createdAt = at();
      // Property order is the order the RNG is drawn in.
      await insertMessage(
        client,
        inbound
          ? { ...lead, channel, direction: "INBOUND", status: "REPLIED", quotaCost: 0, sentimentScore: rng.pick([null, -40, 0, 49, 50, 51, 90]), metadata: { automatic: rng.chance(0.2) }, createdAt }
          : {
              ...lead, channel, direction: "OUTBOUND", status: "SENT", quotaCost: channel === "WHATSAPP" && rng.chance(0.5) ? 1 : 0, metadata: {},
              // Outbound facts may come days after the row was created (the late-fact horizon).
              createdAt, sentAt: maybeAfter(createdAt, 0.85), deliveredAt: maybeAfter(createdAt, 0.6), readAt: maybeAfter(createdAt, 0.4), openedAt: maybeAfter(createdAt, 0.4),
              clickedAt: maybeAfter(createdAt, 0.2), bouncedAt: maybeAfter(createdAt, 0.1), failedAt: maybeAfter(createdAt, 0.1),
            },
      );
    }
    // A message created long before the range still counts for facts inside it (read late).
    if (i % 10 === 0) {
      const longBefore = new Date(instants[0]!.getTime() - 20 * 86_400_000);
      await insertMessage(client, { ...lead, channel: "WHATSAPP", direction: "OUTBOUND", status: "READ", createdAt: longBefore, sentAt: longBefore, readAt: rng.pick(after(longBefore)) });
    }
    if (rng.chance(0.4)) {
      await insertStateChange(client, { ...lead, fromState: "NEGOTIATION", toState: rng.pick(["CONVERTED", "CONVERTED", "DEAD"]), actorType: "USER", createdAt: at() });
    }
    if (rng.chance(0.5)) {
      const created = at();
      const resolved = maybeAfter(created, 0.5);
      const breached = rng.chance(0.4);
      await insertReview(client, {
        ...lead, kind: "TRIAGE", reason: "NEGATIVE_SENTIMENT", priority: "URGENT", status: resolved ? "RESOLVED" : "PENDING", slaDueAt: new Date(created.getTime() + 3_600_000),
        slaBreached: breached, slaBreachedAt: breached ? rng.pick(after(created)) : null, resolvedAt: resolved, resolvedBy: resolved ? userId : null, resolution: resolved ? "NO_ACTION" : null, createdAt: created,
      });
    }
    if (rng.chance(0.3)) {
      const type = rng.pick(["PHONE", "EMAIL", "DOMAIN"] as const);
      await insertDnc(client, { tenantId, type, value: `${type.toLowerCase()}-${seed}-${i}`, source: rng.pick(["reply:opt_out", "webhook:complaint", "webhook:unsubscribe", "manual", "import", null]), createdAt: at() });
    }
  }
}

/**
 * Each column as its own COUNT over the source table, written independently of the module's
 * grouped statements (one query per column and day).
 */
async function directCounts(client: pg.Client, tenantId: string, day: string): Promise<Record<DailyCountField, number>> {
  const onDay = (col: string) => `(${col} AT TIME ZONE '${ZONE}')::date = '${day}'::date`;
  const count = async (sql: string) => Number((await client.query<{ n: string }>(sql, [tenantId])).rows[0]!.n);
  const log = (where: string) => count(`SELECT count(*) AS n FROM gold_communication_log m JOIN tenants t ON t.id = m.tenant_id WHERE m.tenant_id = $1 AND ${where}`);
  const out = (channel: string, col: string, extra = "true") => log(`m.channel = '${channel}' AND m.direction = 'OUTBOUND' AND ${onDay(`m.${col}`)} AND ${extra}`);
  const notAutomatic = "COALESCE((m.metadata->>'automatic')::boolean, false) = false";
  const replies = (channel: string, extra = "true") => log(`m.channel = '${channel}' AND m.direction = 'INBOUND' AND ${notAutomatic} AND ${onDay("m.created_at")} AND ${extra}`);
  const positive = "m.sentiment_score >= t.sentiment_auto_threshold";
  const dnc = (types: string, extra = "true") =>
    count(`SELECT count(*) AS n FROM do_not_contact WHERE tenant_id = $1 AND type IN (${types}) AND COALESCE(source, '') NOT LIKE 'import%' AND ${onDay("created_at")} AND ${extra}`);
  const c = {
    waSent: await out("WHATSAPP", "sent_at"),
    waDelivered: await out("WHATSAPP", "delivered_at"),
    waRead: await out("WHATSAPP", "read_at"),
    waReplied: await replies("WHATSAPP"),
    waFailed: await out("WHATSAPP", "failed_at"),
    waNewContacts: await out("WHATSAPP", "sent_at", "m.quota_cost = 1"),
    waFollowups: await out("WHATSAPP", "sent_at", "m.quota_cost = 0"),
    waPositiveReplies: await replies("WHATSAPP", positive),
    waOptedOut: await dnc("'PHONE'"),
    emailColdSent: await out("EMAIL_COLD", "sent_at"),
    emailColdDelivered: await out("EMAIL_COLD", "delivered_at"),
    emailColdOpened: await out("EMAIL_COLD", "opened_at"),
    emailColdClicked: await out("EMAIL_COLD", "clicked_at"),
    emailColdReplied: await replies("EMAIL_COLD"),
    emailColdBounced: await out("EMAIL_COLD", "bounced_at"),
    emailColdComplained: 0,
    emailColdPositiveReplies: await replies("EMAIL_COLD", positive),
    emailWarmSent: await out("EMAIL_WARM", "sent_at"),
    emailWarmDelivered: await out("EMAIL_WARM", "delivered_at"),
    emailWarmOpened: await out("EMAIL_WARM", "opened_at"),
    emailWarmClicked: await out("EMAIL_WARM", "clicked_at"),
    emailWarmReplied: await replies("EMAIL_WARM"),
    emailWarmBounced: await out("EMAIL_WARM", "bounced_at"),
    emailWarmComplained: await dnc("'EMAIL'", "source = 'webhook:complaint'"),
    emailWarmPositiveReplies: await replies("EMAIL_WARM", positive),
    emailOptedOut: await dnc("'EMAIL'"),
    newContacts: await count(`SELECT count(*) AS n FROM gold_lead_journey WHERE tenant_id = $1 AND ${onDay("first_contact_at")}`),
    leadsContacted: await count(`SELECT count(DISTINCT journey_id) AS n FROM gold_communication_log WHERE tenant_id = $1 AND direction = 'OUTBOUND' AND ${onDay("sent_at")}`),
    leadsReplied: await count(
      `SELECT count(DISTINCT journey_id) AS n FROM gold_communication_log m WHERE tenant_id = $1 AND direction = 'INBOUND' AND ${notAutomatic} AND ${onDay("created_at")}`,
    ),
    repliesTotal: await log(`m.direction = 'INBOUND' AND ${notAutomatic} AND ${onDay("m.created_at")}`),
    positiveRepliesTotal: await log(`m.direction = 'INBOUND' AND ${notAutomatic} AND ${positive} AND ${onDay("m.created_at")}`),
    optedOutTotal: await dnc("'PHONE', 'EMAIL'"),
    leadsConverted: await count(`SELECT count(*) AS n FROM lead_state_history WHERE tenant_id = $1 AND to_state = 'CONVERTED' AND ${onDay("created_at")}`),
    reviewsCreated: await count(`SELECT count(*) AS n FROM human_review_queue WHERE tenant_id = $1 AND ${onDay("created_at")}`),
    reviewsResolved: await count(`SELECT count(*) AS n FROM human_review_queue WHERE tenant_id = $1 AND ${onDay("resolved_at")}`),
    slaBreaches: await count(`SELECT count(*) AS n FROM human_review_queue WHERE tenant_id = $1 AND sla_breached AND ${onDay("sla_breached_at")}`),
    emailsSentForBounceRate: await log(`m.channel IN ('EMAIL_COLD', 'EMAIL_WARM') AND m.direction = 'OUTBOUND' AND ${onDay("m.sent_at")}`),
    emailsBouncedForBounceRate: await log(`m.channel IN ('EMAIL_COLD', 'EMAIL_WARM') AND m.direction = 'OUTBOUND' AND ${onDay("m.bounced_at")}`),
  } satisfies Record<DailyCountField, number>;
  return c;
}

async function storedRows(tenantId: string) {
  return (
    await admin.query<Record<string, unknown> & { day: string; computed_at: Date }>(
      "SELECT *, to_char(stat_date, 'YYYY-MM-DD') AS day FROM outreach_daily_stats WHERE tenant_id = $1 ORDER BY stat_date",
      [tenantId],
    )
  ).rows;
}

function columnsOf(s: DailyStats): Record<string, number> {
  return Object.fromEntries(Object.entries(DAILY_STAT_COLUMNS).map(([field, column]) => [column, s[field as DailyCountField]]));
}

beforeAll(async () => {
  db = await createTestDatabase("stats");
  await useDatabase(db);
  a = await createTenantFixture(db.adminUrl, "alfa");
  b = await createTenantFixture(db.adminUrl, "beta");
  admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  await writeFacts(admin, a.tenantId, 11);
  await writeFacts(admin, b.tenantId, 22);
});

afterAll(async () => {
  await admin?.end();
  const { disconnectPrisma } = await import("../../server/db/client.server");
  await disconnectPrisma();
  await db?.drop();
});

describe("Bucharest days", () => {
  it("are 23 hours on the spring change, 25 on the autumn change, 24 otherwise", () => {
    const hours = (day: string) => {
      const r = dayRange(ZONE, day, day);
      return (r.end.getTime() - r.start.getTime()) / 3_600_000;
    };
    expect(hours("2026-03-29")).toBe(23);
    expect(hours("2026-10-25")).toBe(25);
    expect(hours("2026-11-18")).toBe(24);
    expect(dayRange(ZONE, "2026-03-28", "2026-03-30").days).toEqual(SPRING);
    expect(() => dayRange(ZONE, "2026-02-30", "2026-03-01")).toThrow();
    expect(() => dayRange(ZONE, "2026-03-02", "2026-03-01")).toThrow();
  });
});

describe("recomputeDailyStats", () => {
  it("counts every column of every day as the direct COUNT queries do", async () => {
    const computed = await recomputeDailyStatsRange(admin, { tenantId: a.tenantId, from: SPRING[0]!, to: ORDINARY[0]!, timeZone: ZONE });
    expect(computed[0]!.day).toBe(SPRING[0]);
    expect(computed.at(-1)!.day).toBe(ORDINARY[0]);
    const byDay = new Map(computed.map((s) => [s.day, s]));
    let nonZero = 0;
    for (const day of DAYS) {
      const expected = await directCounts(admin, a.tenantId, day);
      const got = byDay.get(day)!;
      for (const field of Object.keys(DAILY_STAT_COLUMNS) as DailyCountField[]) {
        expect({ day, field, n: got[field] }).toEqual({ day, field, n: expected[field] });
        if (got[field] > 0) nonZero++;
      }
      const sent = expected.waSent + expected.emailColdSent + expected.emailWarmSent;
      expect(got.replyRate).toBeCloseTo(sent ? expected.repliesTotal / sent : 0, 4);
      expect(got.bounceRate).toBeCloseTo(expected.emailsSentForBounceRate ? expected.emailsBouncedForBounceRate / expected.emailsSentForBounceRate : 0, 4);
    }
    // The generated facts reach most columns on most days: a comparison of zeroes proves nothing.
    expect(nonZero).toBeGreaterThan(DAYS.length * 20);
  });

  it("puts 23:30 on its own day and 00:30 on the next, on the DST change days too", async () => {
    const lead = await insertLead(admin, a.tenantId, { company: { denumire: "Ferma Margine" } });
    const before = await recomputeDailyStatsRange(admin, { tenantId: a.tenantId, from: "2026-10-24", to: "2026-10-26", timeZone: ZONE });
    // 23:30 on Saturday 24 October is 20:30Z; 00:30 on the 25-hour Sunday is 21:30Z.
    for (const sentAt of [local("2026-10-24", "23:30"), local("2026-10-25", "00:30"), local("2026-10-25", "23:30"), local("2026-10-26", "00:30")]) {
      await insertMessage(admin, { tenantId: a.tenantId, ...lead, channel: "EMAIL_WARM", direction: "OUTBOUND", status: "SENT", createdAt: sentAt, sentAt });
    }
    expect(local("2026-10-24", "23:30").toISOString()).toBe("2026-10-24T20:30:00.000Z");
    expect(local("2026-10-25", "00:30").toISOString()).toBe("2026-10-24T21:30:00.000Z");
    const after = await recomputeDailyStatsRange(admin, { tenantId: a.tenantId, from: "2026-10-24", to: "2026-10-26", timeZone: ZONE });
    expect(after.map((s, i) => s.emailWarmSent - before[i]!.emailWarmSent)).toEqual([1, 2, 1]);
  });

  it("replaces the rows when recomputed: twice gives the same rows, once per day", async () => {
    const input = { tenantId: a.tenantId, from: SPRING[0]!, to: SPRING[2]!, timeZone: ZONE };
    const first = await recomputeDailyStatsRange(admin, input);
    const rowsOnce = await storedRows(a.tenantId);
    await new Promise((r) => setTimeout(r, 20));
    const second = await recomputeDailyStatsRange(admin, input);
    const rowsTwice = await storedRows(a.tenantId);
    expect(second).toEqual(first);
    expect(rowsTwice.map((r) => r.day)).toEqual(rowsOnce.map((r) => r.day));
    expect(new Set(rowsTwice.map((r) => r.day)).size).toBe(rowsTwice.length);
    for (const s of second) {
      const row = rowsTwice.find((r) => r.day === s.day)!;
      expect(Object.fromEntries(Object.keys(columnsOf(s)).map((c) => [c, row[c]]))).toEqual(columnsOf(s));
      expect(Number(row.reply_rate)).toBeCloseTo(s.replyRate, 4);
      const once = rowsOnce.find((r) => r.day === s.day)!;
      expect(row.computed_at.getTime()).toBeGreaterThan(once.computed_at.getTime());
    }
  });

  it("takes in a fact that arrived after the first computation", async () => {
    const day = SPRING[1]!;
    const firstRun = await recomputeDailyStats(admin, { tenantId: a.tenantId, day, timeZone: ZONE });
    const j = await admin.query<{ id: string; lead_id: string }>("SELECT id, lead_id FROM gold_lead_journey WHERE tenant_id = $1 LIMIT 1", [a.tenantId]);
    await insertMessage(admin, { tenantId: a.tenantId, journeyId: j.rows[0]!.id, leadId: j.rows[0]!.lead_id, channel: "WHATSAPP", direction: "INBOUND", status: "REPLIED", createdAt: local(day, "03:30"), sentimentScore: 80 });
    const again = await recomputeDailyStats(admin, { tenantId: a.tenantId, day, timeZone: ZONE });
    expect(again.waReplied).toBe(firstRun.waReplied + 1);
    expect(again.waPositiveReplies).toBe(firstRun.waPositiveReplies + 1);
    const stored = (await storedRows(a.tenantId)).find((r) => r.day === day)!;
    expect(stored.wa_replied).toBe(again.waReplied);
  });

  it("gives the same numbers through the app's tenant-bound Prisma transaction, and only that tenant's", async () => {
    const { withTenant } = await import("../../server/db/client.server");
    const viaPg = await recomputeDailyStatsRange(admin, { tenantId: b.tenantId, from: AUTUMN[0]!, to: AUTUMN[2]!, timeZone: ZONE });
    const viaPrisma = await withTenant(b.tenantId, (tx) => recomputeDailyStatsRange(tx, { tenantId: b.tenantId, from: AUTUMN[0]!, to: AUTUMN[2]!, timeZone: ZONE }));
    expect(viaPrisma).toEqual(viaPg);
    for (const day of AUTUMN) {
      const expected = await directCounts(admin, b.tenantId, day);
      const got = viaPrisma.find((s) => s.day === day)!;
      for (const field of Object.keys(DAILY_STAT_COLUMNS) as DailyCountField[]) expect({ day, field, n: got[field] }).toEqual({ day, field, n: expected[field] });
    }
    // Row-level security: tenant A's transaction sees none of B's facts (and B's are not zero).
    const [aSeesB] = await withTenant(a.tenantId, (tx) => computeDailyStats(tx, { tenantId: b.tenantId, from: AUTUMN[0]!, to: AUTUMN[0]!, timeZone: ZONE }));
    expect(viaPg[0]!.waSent + viaPg[0]!.emailColdSent + viaPg[0]!.reviewsCreated).toBeGreaterThan(0);
    expect(aSeesB!.waSent + aSeesB!.emailColdSent + aSeesB!.reviewsCreated).toBe(0);
  });
});
