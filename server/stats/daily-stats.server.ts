/**
 * outreach_daily_stats computed from what happened (issue 11 "Daily statistics"): every column is a
 * count of dated facts in the communication log, the lead state history, the review queue and the
 * do-not-contact list, for one tenant and one calendar day in the tenant's time zone. A day can be
 * recomputed at any time; the row is replaced (UPSERT on tenant_id, stat_date), never added to, so a
 * late webhook, a reply analysed after midnight or a retried job only needs the day recomputed.
 *
 * A fact counts on the day its own timestamp falls on, not the day of the message it belongs to
 * (a message sent on Monday and read on Tuesday is "sent" on Monday and "read" on Tuesday).
 *
 * Messages (gold_communication_log), per channel: WA = WHATSAPP, EMAIL_COLD, EMAIL_WARM
 *   *_sent            OUTBOUND messages whose sent_at is on the day (a cold email counts when Instantly
 *                     reports it sent, not when the lead was added to the campaign)
 *   wa_new_contacts   WhatsApp sent that day that consumed a new-contact quota unit (quota_cost = 1)
 *   wa_followups      WhatsApp sent that day that did not (quota_cost = 0)
 *   *_delivered       OUTBOUND delivered_at on the day (Instantly reports no delivery: cold stays 0)
 *   wa_read           OUTBOUND WhatsApp read_at on the day
 *   email_*_opened    OUTBOUND opened_at on the day; email_*_clicked: clicked_at
 *   email_*_bounced   OUTBOUND bounced_at on the day; wa_failed: WhatsApp failed_at
 *   *_replied         INBOUND messages that arrived that day (created_at, the provider's time),
 *                     automatic replies (out of office: metadata.automatic) excluded
 *   *_positive_replies  those replies whose analysis score (the inbound row's sentiment_score, written
 *                     by the reply analysis) is at least the tenant's sentiment_auto_threshold; a reply
 *                     not analysed yet is not positive until the day is recomputed after its analysis
 *   replies_total, positive_replies_total: the three channels added up
 *   leads_contacted   distinct leads with at least one OUTBOUND message sent that day, any channel
 *   leads_replied     distinct leads with at least one counted reply that day, any channel
 *   emails_sent_for_bounce_rate / emails_bounced_for_bounce_rate: cold + warm sent / bounced
 *   bounce_rate       bounced / sent of that day (0 when nothing was sent)
 *   reply_rate        replies_total / messages sent that day, all channels (0 when nothing was sent):
 *                     a flow ratio of the day, not a cohort's reply rate (analytics computes those
 *                     from the log)
 * Leads (gold_lead_journey, lead_state_history)
 *   new_contacts      journeys whose first_contact_at is on the day (the first message on any channel)
 *   leads_converted   transitions into CONVERTED recorded that day
 * Reviews (human_review_queue)
 *   reviews_created   items created that day; reviews_resolved: resolved_at on the day;
 *   sla_breaches      items whose SLA breach was recorded that day (sla_breached, sla_breached_at)
 * Opt-outs (do_not_contact; imports excluded: a list loaded in bulk is not a lead's decision that day,
 *   and DOMAIN entries are a manager's block of a company, not an opt-out)
 *   wa_opted_out      PHONE entries created that day; email_opted_out: EMAIL entries; opted_out_total
 *   email_warm_complained  EMAIL entries from a spam complaint (source webhook:complaint): only Resend
 *                     reports complaints, so email_cold_complained stays 0. An address already on the
 *                     list gets no second entry, so neither is counted twice.
 *
 * Late facts: a message's facts are looked for among messages created up to LATE_EVENT_DAYS before
 * the range (the log's (tenant_id, created_at) index bounds the scan); providers report long before
 * that (TimelinesAI status sync stops after 7 days).
 *
 * Cost: one grouped statement per source table for the whole range plus one UPSERT, whatever the
 * number of days (recomputeDailyStatsRange).
 */
import type pg from "pg";
import type { TenantTx } from "../db/client.server";
import { dayRange } from "./day";

export const LATE_EVENT_DAYS = 35;

/** The counted columns, in table order: field name → column. */
export const DAILY_STAT_COLUMNS = {
  waSent: "wa_sent",
  waDelivered: "wa_delivered",
  waRead: "wa_read",
  waReplied: "wa_replied",
  waFailed: "wa_failed",
  waNewContacts: "wa_new_contacts",
  waFollowups: "wa_followups",
  waPositiveReplies: "wa_positive_replies",
  waOptedOut: "wa_opted_out",
  emailColdSent: "email_cold_sent",
  emailColdDelivered: "email_cold_delivered",
  emailColdOpened: "email_cold_opened",
  emailColdClicked: "email_cold_clicked",
  emailColdReplied: "email_cold_replied",
  emailColdBounced: "email_cold_bounced",
  emailColdComplained: "email_cold_complained",
  emailColdPositiveReplies: "email_cold_positive_replies",
  emailWarmSent: "email_warm_sent",
  emailWarmDelivered: "email_warm_delivered",
  emailWarmOpened: "email_warm_opened",
  emailWarmClicked: "email_warm_clicked",
  emailWarmReplied: "email_warm_replied",
  emailWarmBounced: "email_warm_bounced",
  emailWarmComplained: "email_warm_complained",
  emailWarmPositiveReplies: "email_warm_positive_replies",
  emailOptedOut: "email_opted_out",
  newContacts: "new_contacts",
  leadsContacted: "leads_contacted",
  leadsReplied: "leads_replied",
  repliesTotal: "replies_total",
  positiveRepliesTotal: "positive_replies_total",
  optedOutTotal: "opted_out_total",
  leadsConverted: "leads_converted",
  reviewsCreated: "reviews_created",
  reviewsResolved: "reviews_resolved",
  slaBreaches: "sla_breaches",
  emailsSentForBounceRate: "emails_sent_for_bounce_rate",
  emailsBouncedForBounceRate: "emails_bounced_for_bounce_rate",
} as const;

export type DailyCountField = keyof typeof DAILY_STAT_COLUMNS;
export type DailyCounts = Record<DailyCountField, number>;

export interface DailyStats extends DailyCounts {
  /** YYYY-MM-DD in the tenant's time zone. */
  day: string;
  /** Fractions rounded to 4 decimals (the column's scale). */
  bounceRate: number;
  replyRate: number;
}

const COUNT_FIELDS = Object.keys(DAILY_STAT_COLUMNS) as DailyCountField[];

/** A `pg` client or pool (the seed, withTenantSql) or a Prisma transaction (withTenant). */
export type StatsDb = Pick<pg.ClientBase, "query"> | TenantTx;

interface Runner {
  rows<R>(text: string, values: unknown[]): Promise<R[]>;
  run(text: string, values: unknown[]): Promise<void>;
}

function runnerOf(db: StatsDb): Runner {
  if ("$queryRawUnsafe" in db) {
    return {
      rows: <R>(text: string, values: unknown[]) => db.$queryRawUnsafe<R[]>(text, ...values),
      run: async (text, values) => void (await db.$executeRawUnsafe(text, ...values)),
    };
  }
  return {
    rows: async <R>(text: string, values: unknown[]) => (await db.query(text, values)).rows as R[],
    run: async (text, values) => void (await db.query(text, values)),
  };
}

export interface StatsRangeInput {
  tenantId: string;
  /** First and last day, YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  /** The tenant's IANA time zone (tenants.timezone). */
  timeZone: string;
}

type Channel = "WHATSAPP" | "EMAIL_COLD" | "EMAIL_WARM";
const CHANNEL_PREFIX: Record<Channel, "wa" | "emailCold" | "emailWarm"> = { WHATSAPP: "wa", EMAIL_COLD: "emailCold", EMAIL_WARM: "emailWarm" };

/** Which field a (channel, fact) of the log adds to; facts a channel cannot have map to nothing. */
function logField(channel: Channel, kind: string): DailyCountField | null {
  const prefix = CHANNEL_PREFIX[channel];
  const byKind: Record<string, string> = {
    sent: "Sent",
    delivered: "Delivered",
    replied: "Replied",
    positive: "PositiveReplies",
    ...(channel === "WHATSAPP"
      ? { read: "Read", failed: "Failed", new_contact: "NewContacts", followup: "Followups" }
      : { opened: "Opened", clicked: "Clicked", bounced: "Bounced" }),
  };
  const suffix = byKind[kind];
  return suffix ? (`${prefix}${suffix}` as DailyCountField) : null;
}

// One row per message and fact, dated by the fact's own timestamp; the grouping set without the
// channel gives the distinct leads across channels (leads contacted, leads replied).
const LOG_SQL = `
  WITH facts AS (
    SELECT m.channel::text AS channel, e.kind, m.journey_id, (e.at AT TIME ZONE $4)::date AS day
      FROM gold_communication_log m
      JOIN tenants t ON t.id = m.tenant_id
     CROSS JOIN LATERAL (
       SELECT m.direction = 'OUTBOUND' AS outbound,
              m.direction = 'INBOUND' AND COALESCE((m.metadata ->> 'automatic')::boolean, false) = false AS reply
     ) d
     CROSS JOIN LATERAL (VALUES
       ('sent',        CASE WHEN d.outbound THEN m.sent_at END),
       ('new_contact', CASE WHEN d.outbound AND m.channel = 'WHATSAPP' AND m.quota_cost = 1 THEN m.sent_at END),
       ('followup',    CASE WHEN d.outbound AND m.channel = 'WHATSAPP' AND m.quota_cost = 0 THEN m.sent_at END),
       ('delivered',   CASE WHEN d.outbound THEN m.delivered_at END),
       ('read',        CASE WHEN d.outbound THEN m.read_at END),
       ('opened',      CASE WHEN d.outbound THEN m.opened_at END),
       ('clicked',     CASE WHEN d.outbound THEN m.clicked_at END),
       ('bounced',     CASE WHEN d.outbound THEN m.bounced_at END),
       ('failed',      CASE WHEN d.outbound THEN m.failed_at END),
       ('replied',     CASE WHEN d.reply THEN m.created_at END),
       ('positive',    CASE WHEN d.reply AND m.sentiment_score >= t.sentiment_auto_threshold THEN m.created_at END)
     ) AS e(kind, at)
     WHERE m.tenant_id = $1::uuid
       AND m.channel IN ('WHATSAPP', 'EMAIL_COLD', 'EMAIL_WARM')
       AND m.created_at >= $2::timestamptz - make_interval(days => $5::int)
       AND m.created_at < $3::timestamptz
       AND e.at >= $2::timestamptz AND e.at < $3::timestamptz
  )
  SELECT to_char(day, 'YYYY-MM-DD') AS day, channel, kind, count(*)::int AS n, count(DISTINCT journey_id)::int AS leads
    FROM facts
   GROUP BY GROUPING SETS ((day, channel, kind), (day, kind))`;

const NEW_CONTACTS_SQL = `
  SELECT to_char((first_contact_at AT TIME ZONE $4)::date, 'YYYY-MM-DD') AS day, count(*)::int AS n
    FROM gold_lead_journey
   WHERE tenant_id = $1::uuid AND first_contact_at >= $2::timestamptz AND first_contact_at < $3::timestamptz
   GROUP BY 1`;

const CONVERSIONS_SQL = `
  SELECT to_char((created_at AT TIME ZONE $4)::date, 'YYYY-MM-DD') AS day, count(*)::int AS n
    FROM lead_state_history
   WHERE tenant_id = $1::uuid AND to_state = 'CONVERTED' AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
   GROUP BY 1`;

const REVIEWS_SQL = `
  SELECT to_char((e.at AT TIME ZONE $4)::date, 'YYYY-MM-DD') AS day, e.kind, count(*)::int AS n
    FROM human_review_queue r
   CROSS JOIN LATERAL (VALUES
     ('created', r.created_at),
     ('resolved', r.resolved_at),
     ('breached', CASE WHEN r.sla_breached THEN r.sla_breached_at END)
   ) AS e(kind, at)
   WHERE r.tenant_id = $1::uuid AND r.created_at < $3::timestamptz
     AND e.at >= $2::timestamptz AND e.at < $3::timestamptz
   GROUP BY 1, 2`;

const OPT_OUTS_SQL = `
  SELECT to_char((created_at AT TIME ZONE $4)::date, 'YYYY-MM-DD') AS day, type::text AS type,
         (source = 'webhook:complaint') IS TRUE AS complaint, count(*)::int AS n
    FROM do_not_contact
   WHERE tenant_id = $1::uuid AND type IN ('PHONE', 'EMAIL') AND COALESCE(source, '') NOT LIKE 'import%'
     AND created_at >= $2::timestamptz AND created_at < $3::timestamptz
   GROUP BY 1, 2, 3`;

function zeroCounts(): DailyCounts {
  return Object.fromEntries(COUNT_FIELDS.map((f) => [f, 0])) as DailyCounts;
}

const ratio = (part: number, whole: number): number => (whole > 0 ? Math.min(99.9999, Math.round((part / whole) * 10_000) / 10_000) : 0);

/**
 * Counts every column for each day of the range from the source tables (reads only). Days without
 * any fact come back as zeroes: a day with nothing is zero, not unknown.
 */
export async function computeDailyStats(db: StatsDb, input: StatsRangeInput): Promise<DailyStats[]> {
  const range = dayRange(input.timeZone, input.from, input.to);
  const query = <R>(text: string, values: unknown[]) => runnerOf(db).rows<R>(text, values);
  const params = [input.tenantId, range.start, range.end, input.timeZone];
  // One after another: a Prisma interactive transaction runs one statement at a time anyway.
  const log = await query<{ day: string; channel: Channel | null; kind: string; n: number; leads: number }>(LOG_SQL, [...params, LATE_EVENT_DAYS]);
  const newContacts = await query<{ day: string; n: number }>(NEW_CONTACTS_SQL, params);
  const conversions = await query<{ day: string; n: number }>(CONVERSIONS_SQL, params);
  const reviews = await query<{ day: string; kind: string; n: number }>(REVIEWS_SQL, params);
  const optOuts = await query<{ day: string; type: "PHONE" | "EMAIL"; complaint: boolean; n: number }>(OPT_OUTS_SQL, params);

  const byDay = new Map(range.days.map((d) => [d, zeroCounts()]));
  const add = (day: string, field: DailyCountField | null, n: number) => {
    const counts = byDay.get(day);
    if (counts && field) counts[field] += Number(n);
  };
  for (const r of log) {
    if (r.channel) add(r.day, logField(r.channel, r.kind), r.n);
    else if (r.kind === "sent") add(r.day, "leadsContacted", r.leads);
    else if (r.kind === "replied") add(r.day, "leadsReplied", r.leads);
  }
  for (const r of newContacts) add(r.day, "newContacts", r.n);
  for (const r of conversions) add(r.day, "leadsConverted", r.n);
  for (const r of reviews) add(r.day, r.kind === "created" ? "reviewsCreated" : r.kind === "resolved" ? "reviewsResolved" : "slaBreaches", r.n);
  for (const r of optOuts) {
    add(r.day, r.type === "PHONE" ? "waOptedOut" : "emailOptedOut", r.n);
    if (r.complaint) add(r.day, "emailWarmComplained", r.n);
  }

  return range.days.map((day) => {
    const c = byDay.get(day)!;
    c.repliesTotal = c.waReplied + c.emailColdReplied + c.emailWarmReplied;
    c.positiveRepliesTotal = c.waPositiveReplies + c.emailColdPositiveReplies + c.emailWarmPositiveReplies;
    c.optedOutTotal = c.waOptedOut + c.emailOptedOut;
    c.emailsSentForBounceRate = c.emailColdSent + c.emailWarmSent;
    c.emailsBouncedForBounceRate = c.emailColdBounced + c.emailWarmBounced;
    const sent = c.waSent + c.emailColdSent + c.emailWarmSent;
    return { day, ...c, bounceRate: ratio(c.emailsBouncedForBounceRate, c.emailsSentForBounceRate), replyRate: ratio(c.repliesTotal, sent) };
  });
}

/** Writes the computed days in one statement; recomputing a day replaces its row. */
async function upsertDailyStats(db: StatsDb, tenantId: string, rows: readonly DailyStats[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = COUNT_FIELDS.map((f) => DAILY_STAT_COLUMNS[f]);
  const values: unknown[] = [tenantId, rows.map((r) => r.day), ...COUNT_FIELDS.map((f) => rows.map((r) => r[f])), rows.map((r) => r.bounceRate), rows.map((r) => r.replyRate)];
  const arrays = ["$2::date[]", ...COUNT_FIELDS.map((_, i) => `$${i + 3}::int[]`), `$${COUNT_FIELDS.length + 3}::numeric[]`, `$${COUNT_FIELDS.length + 4}::numeric[]`];
  const all = [...columns, "bounce_rate", "reply_rate"];
  await runnerOf(db).run(
    `INSERT INTO outreach_daily_stats (tenant_id, stat_date, ${all.join(", ")}, computed_at)
     SELECT $1::uuid, u.*, now() FROM unnest(${arrays.join(", ")}) AS u
     ON CONFLICT (tenant_id, stat_date) DO UPDATE SET
       ${all.map((c) => `${c} = EXCLUDED.${c}`).join(",\n       ")},
       computed_at = EXCLUDED.computed_at, updated_at = now()`,
    values,
  );
}

/**
 * Recomputes every day of [from, to] for one tenant: one grouped statement per source table for the
 * whole range, then one UPSERT. Idempotent; run it inside the caller's transaction to make the
 * replacement atomic.
 */
export async function recomputeDailyStatsRange(db: StatsDb, input: StatsRangeInput): Promise<DailyStats[]> {
  const rows = await computeDailyStats(db, input);
  await upsertDailyStats(db, input.tenantId, rows);
  return rows;
}

/** Recomputes one day (YYYY-MM-DD in `timeZone`) for one tenant. */
export async function recomputeDailyStats(db: StatsDb, input: { tenantId: string; day: string; timeZone: string }): Promise<DailyStats> {
  const [row] = await recomputeDailyStatsRange(db, { tenantId: input.tenantId, from: input.day, to: input.day, timeZone: input.timeZone });
  return row!;
}
