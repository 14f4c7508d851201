/**
 * The analytics page's read model: totals, a daily series and every breakdown for a period, with the
 * previous period of the same length for comparison. Reads only the daily aggregate tables
 * (outreach_daily_stats and the outreach_daily_*_stats breakdowns, kept current by the statistics
 * job), never the communication log, so a 90-day period costs the same on a million leads as on a
 * thousand: a few index range scans over at most a few thousand rows.
 *
 * Definitions (what each figure counts) are the tables' own: daily-stats.server.ts and
 * breakdowns.server.ts. Rates are computed here from summed counts (never averaged from daily rates).
 */
import type { TenantTx } from "../db/client.server";
import { DomainError, notFound } from "../errors";
import { localDay } from "./day";
import { periodDayList, previousPeriod, validPeriod, type Period } from "./periods";

export const ANALYTICS_CHANNELS = ["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"] as const;
export type AnalyticsChannel = (typeof ANALYTICS_CHANNELS)[number];

export interface ChannelTotals {
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  positiveReplies: number;
  bounced: number;
  failed: number;
  optedOut: number;
  conversions: number;
}

export interface PeriodTotals extends ChannelTotals {
  newContacts: number;
  leadsContacted: number;
  leadsReplied: number;
  reviewsCreated: number;
  reviewsResolved: number;
  slaBreaches: number;
  emailsSent: number;
  emailsBounced: number;
  /** Days of the period that have a statistics row (the job has computed them). */
  computedDays: number;
  days: number;
}

export interface SeriesPoint {
  date: string;
  /** null: the day has no statistics row yet (unknown, not zero). */
  sent: number | null;
  replied: number | null;
  positiveReplies: number | null;
  conversions: number | null;
}

interface DailyRow {
  day: string;
  wa_sent: number;
  wa_delivered: number;
  wa_read: number;
  wa_replied: number;
  wa_positive_replies: number;
  wa_failed: number;
  wa_opted_out: number;
  email_cold_sent: number;
  email_cold_delivered: number;
  email_cold_opened: number;
  email_cold_clicked: number;
  email_cold_replied: number;
  email_cold_positive_replies: number;
  email_cold_bounced: number;
  email_warm_sent: number;
  email_warm_delivered: number;
  email_warm_opened: number;
  email_warm_clicked: number;
  email_warm_replied: number;
  email_warm_positive_replies: number;
  email_warm_bounced: number;
  email_opted_out: number;
  new_contacts: number;
  leads_contacted: number;
  leads_replied: number;
  replies_total: number;
  positive_replies_total: number;
  leads_converted: number;
  reviews_created: number;
  reviews_resolved: number;
  sla_breaches: number;
  emails_sent_for_bounce_rate: number;
  emails_bounced_for_bounce_rate: number;
  computed_at: Date;
}

function zeroChannel(): ChannelTotals {
  return { sent: 0, delivered: 0, opened: 0, clicked: 0, replied: 0, positiveReplies: 0, bounced: 0, failed: 0, optedOut: 0, conversions: 0 };
}

function channelOf(r: DailyRow, c: AnalyticsChannel): Omit<ChannelTotals, "conversions"> {
  if (c === "WHATSAPP") {
    return { sent: r.wa_sent, delivered: r.wa_delivered, opened: r.wa_read, clicked: 0, replied: r.wa_replied, positiveReplies: r.wa_positive_replies, bounced: 0, failed: r.wa_failed, optedOut: r.wa_opted_out };
  }
  const p = c === "EMAIL_COLD" ? "email_cold" : "email_warm";
  const v = (k: string) => Number((r as unknown as Record<string, number>)[`${p}_${k}`] ?? 0);
  // Opt-outs by address are one column for both emails: they are on the totals, not per email channel.
  return { sent: v("sent"), delivered: v("delivered"), opened: v("opened"), clicked: v("clicked"), replied: v("replied"), positiveReplies: v("positive_replies"), bounced: v("bounced"), failed: 0, optedOut: 0 };
}

function add<T extends object>(into: T, from: Partial<T>): void {
  for (const [k, v] of Object.entries(from)) (into as Record<string, number>)[k] = ((into as Record<string, number>)[k] ?? 0) + Number(v ?? 0);
}

function totalsOf(rows: readonly DailyRow[], days: number, conversionsByChannel: ReadonlyMap<string, number>): { totals: PeriodTotals; channels: Record<AnalyticsChannel, ChannelTotals> } {
  const channels = Object.fromEntries(ANALYTICS_CHANNELS.map((c) => [c, zeroChannel()])) as Record<AnalyticsChannel, ChannelTotals>;
  const totals: PeriodTotals = { ...zeroChannel(), newContacts: 0, leadsContacted: 0, leadsReplied: 0, reviewsCreated: 0, reviewsResolved: 0, slaBreaches: 0, emailsSent: 0, emailsBounced: 0, computedDays: rows.length, days };
  for (const r of rows) {
    for (const c of ANALYTICS_CHANNELS) add(channels[c], channelOf(r, c));
    add(totals, {
      newContacts: r.new_contacts,
      leadsContacted: r.leads_contacted,
      leadsReplied: r.leads_replied,
      reviewsCreated: r.reviews_created,
      reviewsResolved: r.reviews_resolved,
      slaBreaches: r.sla_breaches,
      emailsSent: r.emails_sent_for_bounce_rate,
      emailsBounced: r.emails_bounced_for_bounce_rate,
      optedOut: r.wa_opted_out + r.email_opted_out,
      conversions: r.leads_converted,
    });
  }
  for (const c of ANALYTICS_CHANNELS) {
    channels[c].conversions = conversionsByChannel.get(c) ?? 0;
    const { sent, delivered, opened, clicked, replied, positiveReplies, bounced, failed } = channels[c];
    add(totals, { sent, delivered, opened, clicked, replied, positiveReplies, bounced, failed });
  }
  return { totals, channels };
}

const dateOf = (d: Date | string): string => (d instanceof Date ? d.toISOString().slice(0, 10) : d);

const SUMS = `sum(sent)::int AS sent, sum(delivered)::int AS delivered, sum(opened)::int AS opened, sum(clicked)::int AS clicked,
              sum(replied)::int AS replied, sum(positive_replies)::int AS positive, sum(bounced)::int AS bounced, sum(failed)::int AS failed`;

export interface Counts {
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  replied: number;
  positive: number;
  bounced: number;
  failed: number;
}

/** The report statement's one row (JSON arrays, parsed by the driver). */
interface ReportRows {
  timezone: string | null;
  daily: DailyRow[];
  channels: Array<{ in_period: boolean; channel: string; first_replies: number; first_reply_seconds: number; within_1h: number; within_4h: number; within_24h: number; within_72h: number; conversions: number }>;
  steps: Array<Counts & { sequence_id: string; sequence_name: string; archived: boolean; step_number: number; channel: string }>;
  templates: Array<Counts & { template_id: string; template_name: string; channel: string; version_id: string; version_number: number; version_active: boolean }>;
  phones: Array<{ phone_id: string; label: string; phone_number: string; status: string; sent: number; new_contacts: number; followups: number; delivered: number; read: number; replied: number; positive: number; failed: number }>;
  reps: Array<{ user_id: string; name: string; role: string; is_active: boolean; sent: number; replied: number; positive: number; converted: number; resolved: number; in_sla: number; breached: number; resolve_seconds: number }>;
  campaigns: Array<{ campaign_id: string; name: string; status: string; sent: number; opened: number; clicked: number; replied: number; bounced: number }>;
}

export async function analyticsReport(tx: TenantTx, input: { tenantId: string; period: Period; now: Date }) {
  if (!validPeriod(input.period) || input.period.from > input.period.to) throw new DomainError("BAD_INPUT", "ANALYTICS_PERIOD_INVALID", "the period must be 1 to 400 days, from before to");
  const previous = previousPeriod(input.period);
  const { from, to } = input.period;

  // One statement, one round trip: the page's whole report from the daily aggregates ($1 tenant,
  // $2..$3 the period, $4 the previous period's first day). Each part is a JSON array.
  const [report] = await tx.$queryRawUnsafe<[ReportRows]>(
    `SELECT
       (SELECT timezone FROM tenants WHERE id = $1::uuid) AS timezone,
       (SELECT COALESCE(json_agg(d ORDER BY d.day), '[]') FROM (
          SELECT to_char(stat_date, 'YYYY-MM-DD') AS day, wa_sent, wa_delivered, wa_read, wa_replied, wa_positive_replies, wa_failed, wa_opted_out,
                 email_cold_sent, email_cold_delivered, email_cold_opened, email_cold_clicked, email_cold_replied, email_cold_positive_replies, email_cold_bounced,
                 email_warm_sent, email_warm_delivered, email_warm_opened, email_warm_clicked, email_warm_replied, email_warm_positive_replies, email_warm_bounced,
                 email_opted_out, new_contacts, leads_contacted, leads_replied, replies_total, positive_replies_total, leads_converted,
                 reviews_created, reviews_resolved, sla_breaches, emails_sent_for_bounce_rate, emails_bounced_for_bounce_rate, computed_at
            FROM outreach_daily_stats
           WHERE tenant_id = $1::uuid AND stat_date BETWEEN $4::date AND $3::date) d) AS daily,
       (SELECT COALESCE(json_agg(d), '[]') FROM (
          SELECT stat_date >= $2::date AS in_period, channel::text,
                 sum(first_replies)::int AS first_replies, sum(first_reply_seconds)::float8 AS first_reply_seconds,
                 sum(first_replies_within_1h)::int AS within_1h, sum(first_replies_within_4h)::int AS within_4h,
                 sum(first_replies_within_24h)::int AS within_24h, sum(first_replies_within_72h)::int AS within_72h, sum(conversions)::int AS conversions
            FROM outreach_daily_channel_stats
           WHERE tenant_id = $1::uuid AND stat_date BETWEEN $4::date AND $3::date
           GROUP BY 1, 2) d) AS channels,
       (SELECT COALESCE(json_agg(d ORDER BY d.sequence_name, d.step_number, d.channel), '[]') FROM (
          SELECT s.sequence_id::text, q.name AS sequence_name, q.archived_at IS NOT NULL AS archived, s.step_number, s.channel::text, ${SUMS}
            FROM outreach_daily_step_stats s JOIN outreach_sequences q ON q.id = s.sequence_id
           WHERE s.tenant_id = $1::uuid AND s.stat_date BETWEEN $2::date AND $3::date
           GROUP BY 1, 2, 3, 4, 5) d) AS steps,
       (SELECT COALESCE(json_agg(d ORDER BY d.template_name, d.version_number), '[]') FROM (
          SELECT s.template_id::text, t.name AS template_name, t.channel::text, s.template_version_id::text AS version_id, v.version_number,
                 v.is_active AS version_active, ${SUMS}
            FROM outreach_daily_template_stats s
            JOIN outreach_templates t ON t.id = s.template_id
            JOIN template_versions v ON v.id = s.template_version_id
           WHERE s.tenant_id = $1::uuid AND s.stat_date BETWEEN $2::date AND $3::date
           GROUP BY 1, 2, 3, 4, 5, 6) d) AS templates,
       (SELECT COALESCE(json_agg(d ORDER BY d.label), '[]') FROM (
          SELECT s.phone_id::text, ph.label, ph.phone_number, ph.status::text,
                 sum(s.sent)::int AS sent, sum(s.new_contacts)::int AS new_contacts, sum(s.followups)::int AS followups, sum(s.delivered)::int AS delivered,
                 sum(s.read)::int AS read, sum(s.replied)::int AS replied, sum(s.positive_replies)::int AS positive, sum(s.failed)::int AS failed
            FROM outreach_daily_phone_stats s JOIN wa_phone_numbers ph ON ph.id = s.phone_id
           WHERE s.tenant_id = $1::uuid AND s.stat_date BETWEEN $2::date AND $3::date
           GROUP BY 1, 2, 3, 4) d) AS phones,
       (SELECT COALESCE(json_agg(d ORDER BY d.name), '[]') FROM (
          SELECT s.user_id::text, u.name, u.role::text, u.is_active,
                 sum(s.sent)::int AS sent, sum(s.replied)::int AS replied, sum(s.positive_replies)::int AS positive, sum(s.converted)::int AS converted,
                 sum(s.reviews_resolved)::int AS resolved, sum(s.reviews_resolved_in_sla)::int AS in_sla, sum(s.reviews_breached)::int AS breached,
                 sum(s.review_resolve_seconds)::float8 AS resolve_seconds
            FROM outreach_daily_rep_stats s JOIN users u ON u.id = s.user_id
           WHERE s.tenant_id = $1::uuid AND s.stat_date BETWEEN $2::date AND $3::date
           GROUP BY 1, 2, 3, 4) d) AS reps,
       (SELECT COALESCE(json_agg(d ORDER BY d.name), '[]') FROM (
          SELECT s.campaign_id::text, c.name, c.status::text,
                 sum(s.sent)::int AS sent, sum(s.opened)::int AS opened, sum(s.clicked)::int AS clicked, sum(s.replied)::int AS replied, sum(s.bounced)::int AS bounced
            FROM outreach_daily_campaign_stats s JOIN email_campaigns c ON c.id = s.campaign_id
           WHERE s.tenant_id = $1::uuid AND s.stat_date BETWEEN $2::date AND $3::date
           GROUP BY 1, 2, 3) d) AS campaigns`,
    input.tenantId,
    from,
    to,
    previous.from,
  );
  if (!report?.timezone) throw notFound("tenant", input.tenantId);
  const tenant = { timezone: report.timezone };
  // JSON carries the computation time as text.
  const daily: DailyRow[] = report.daily.map((r) => ({ ...r, computed_at: new Date(r.computed_at as unknown as string) }));
  const { channels: channelRows, steps, templates, phones, reps, campaigns } = report;

  const current = daily.filter((r) => r.day >= from);
  const before = daily.filter((r) => r.day < from);
  const conversions = (inPeriod: boolean) => new Map(channelRows.filter((r) => r.in_period === inPeriod).map((r) => [r.channel, r.conversions]));
  const now = totalsOf(current, periodDayList(input.period).length, conversions(true));
  const prev = totalsOf(before, periodDayList(previous).length, conversions(false));
  const byDay = new Map(current.map((r) => [r.day, r]));
  const series: SeriesPoint[] = periodDayList(input.period).map((date) => {
    const r = byDay.get(date);
    return r
      ? { date, sent: r.wa_sent + r.email_cold_sent + r.email_warm_sent, replied: r.replies_total, positiveReplies: r.positive_replies_total, conversions: r.leads_converted }
      : { date, sent: null, replied: null, positiveReplies: null, conversions: null };
  });

  const firstReply = ANALYTICS_CHANNELS.map((c) => {
    const r = channelRows.find((x) => x.in_period && x.channel === c);
    return {
      channel: c,
      firstReplies: r?.first_replies ?? 0,
      averageSeconds: r && r.first_replies > 0 ? Math.round(Number(r.first_reply_seconds) / r.first_replies) : null,
      within1h: r?.within_1h ?? 0,
      within4h: r?.within_4h ?? 0,
      within24h: r?.within_24h ?? 0,
      within72h: r?.within_72h ?? 0,
    };
  });
  const lastComputedAt = current.reduce<Date | null>((latest, r) => (!latest || r.computed_at > latest ? r.computed_at : latest), null);

  return {
    period: input.period,
    previous,
    today: localDay(tenant.timezone, input.now),
    timeZone: tenant.timezone,
    lastComputedAt,
    totals: now.totals,
    previousTotals: prev.totals,
    channels: ANALYTICS_CHANNELS.map((c) => ({ channel: c, ...now.channels[c], previous: prev.channels[c] })),
    series,
    steps: steps.map((s) => ({ sequenceId: s.sequence_id, sequenceName: s.sequence_name, archived: s.archived, stepNumber: s.step_number, channel: s.channel, ...counts(s) })),
    templates: templates.map((s) => ({
      templateId: s.template_id,
      templateName: s.template_name,
      channel: s.channel,
      versionId: s.version_id,
      versionNumber: s.version_number,
      versionActive: s.version_active,
      ...counts(s),
    })),
    phones: phones.map((s) => ({
      phoneId: s.phone_id,
      label: s.label,
      phoneNumber: s.phone_number,
      status: s.status,
      sent: s.sent,
      newContacts: s.new_contacts,
      followups: s.followups,
      delivered: s.delivered,
      read: s.read,
      replied: s.replied,
      positiveReplies: s.positive,
      failed: s.failed,
    })),
    reps: reps.map((s) => ({
      userId: s.user_id,
      name: s.name,
      role: s.role,
      isActive: s.is_active,
      sent: s.sent,
      replied: s.replied,
      positiveReplies: s.positive,
      converted: s.converted,
      reviewsResolved: s.resolved,
      reviewsResolvedInSla: s.in_sla,
      reviewsBreached: s.breached,
      averageResolveSeconds: s.resolved > 0 ? Math.round(Number(s.resolve_seconds) / s.resolved) : null,
    })),
    campaigns: campaigns.map((s) => ({ campaignId: s.campaign_id, name: s.name, status: s.status, sent: s.sent, opened: s.opened, clicked: s.clicked, replied: s.replied, bounced: s.bounced })),
    firstReply,
  };
}

function counts(s: Counts) {
  return { sent: s.sent, delivered: s.delivered, opened: s.opened, clicked: s.clicked, replied: s.replied, positiveReplies: s.positive, bounced: s.bounced, failed: s.failed };
}

export type AnalyticsReport = Awaited<ReturnType<typeof analyticsReport>>;

/** When the statistics of recent days were last computed (the settings page and the runbook's checks). */
export async function statisticsStatus(tx: TenantTx, input: { tenantId: string; now: Date }) {
  const tenant = await tx.tenant.findUnique({ where: { id: input.tenantId }, select: { timezone: true } });
  if (!tenant) throw notFound("tenant", input.tenantId);
  const today = localDay(tenant.timezone, input.now);
  const rows = await tx.$queryRaw<Array<{ day: string; computed_at: Date }>>`
    SELECT to_char(stat_date, 'YYYY-MM-DD') AS day, computed_at FROM outreach_daily_stats
     WHERE tenant_id = ${input.tenantId}::uuid ORDER BY stat_date DESC LIMIT 7`;
  const [oldest] = await tx.$queryRaw<Array<{ first: Date | null; days: number }>>`
    SELECT min(stat_date) AS first, count(*)::int AS days FROM outreach_daily_stats WHERE tenant_id = ${input.tenantId}::uuid`;
  return {
    today,
    timeZone: tenant.timezone,
    recent: rows.map((r) => ({ day: r.day, computedAt: r.computed_at })),
    firstDay: oldest?.first ? dateOf(oldest.first) : null,
    days: oldest?.days ?? 0,
  };
}
