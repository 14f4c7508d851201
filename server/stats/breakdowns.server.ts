/**
 * The analytics breakdowns by day: per sequence step, template version, phone, rep, Instantly campaign
 * and channel (the outreach_daily_*_stats tables), computed from the same sources and with the same
 * dating rule as the daily totals (daily-stats.server.ts): a fact counts on the day of its own
 * timestamp in the tenant's time zone, and a message's facts are looked for among messages created
 * up to LATE_EVENT_DAYS before the range. Recomputing a range replaces its rows.
 *
 * Facts of outbound messages (gold_communication_log, OUTBOUND, the three automated channels):
 *   sent (sent_at), delivered (delivered_at), opened (WhatsApp read_at, email opened_at), clicked,
 *   bounced, failed; phone stats add new_contacts / followups (sent with quota_cost 1 / 0) and read.
 * Replies: a message counts as replied on the day of its first reply, the lead's first counted reply
 *   (not automatic: out-of-office is metadata.automatic) after the message was sent. The message a
 *   reply answers is the lead's last outbound message sent before it, on the reply's channel when
 *   there is one (a WhatsApp answer answers the WhatsApp message). Positive: that reply's analysis
 *   score reached the tenant's sentiment_auto_threshold. So "replied" is "messages that got an
 *   answer", at most "sent"; the daily totals count every reply message (replies_total).
 * Reps: facts of the leads assigned to the rep when the day is computed (gold_lead_journey.
 *   assigned_to_user), conversions of those leads, review items the rep resolved (resolved_by) and
 *   breaches of items assigned to them (assigned_to_user).
 * Channels: the lead's first reply ever, timed from its first message (the channel is that first
 *   message's), and conversions by the lead's first contact channel (MANUAL when it has none).
 *
 * Cost: one DELETE per table and one statement whose materialised CTEs read the log once for the whole
 * range and feed the six INSERTs, whatever the number of days.
 */
import type { StatsDb } from "./daily-stats.server";
import { LATE_EVENT_DAYS } from "./daily-stats.server";
import { dayRange } from "./day";

export const BREAKDOWN_TABLES = [
  "outreach_daily_step_stats",
  "outreach_daily_template_stats",
  "outreach_daily_phone_stats",
  "outreach_daily_rep_stats",
  "outreach_daily_campaign_stats",
  "outreach_daily_channel_stats",
] as const;

async function run(db: StatsDb, text: string, values: unknown[]): Promise<void> {
  if ("$executeRawUnsafe" in db) await db.$executeRawUnsafe(text, ...values);
  else await db.query(text, values);
}

const AUTOMATED = "('WHATSAPP', 'EMAIL_COLD', 'EMAIL_WARM')";
const COUNTED_REPLY = (alias: string) => `${alias}.direction = 'INBOUND' AND COALESCE((${alias}.metadata ->> 'automatic')::boolean, false) = false`;

// $1 tenant, $2 range start (instant), $3 range end (instant, exclusive), $4 time zone, $5 late days.
const BREAKDOWNS_SQL = `
WITH tenant AS (SELECT sentiment_auto_threshold AS threshold FROM tenants WHERE id = $1::uuid),
out_facts AS MATERIALIZED (
  SELECT m.channel, m.sequence_id, m.sequence_step, m.template_id, m.template_version_id, m.phone_id,
         m.instantly_campaign_id, m.quota_cost, j.assigned_to_user AS user_id, e.kind, (e.at AT TIME ZONE $4)::date AS day
    FROM gold_communication_log m
    JOIN gold_lead_journey j ON j.id = m.journey_id
   CROSS JOIN LATERAL (VALUES
     ('sent', m.sent_at), ('delivered', m.delivered_at),
     ('opened', CASE WHEN m.channel = 'WHATSAPP' THEN m.read_at ELSE m.opened_at END),
     ('clicked', m.clicked_at), ('bounced', m.bounced_at), ('failed', m.failed_at)
   ) AS e(kind, at)
   WHERE m.tenant_id = $1::uuid AND m.direction = 'OUTBOUND' AND m.channel IN ${AUTOMATED}
     AND m.created_at >= $2::timestamptz - make_interval(days => $5::int) AND m.created_at < $3::timestamptz
     AND e.at >= $2::timestamptz AND e.at < $3::timestamptz
),
replies AS MATERIALIZED (
  SELECT (r.created_at AT TIME ZONE $4)::date AS day,
         (r.sentiment_score >= (SELECT threshold FROM tenant)) IS TRUE AS positive,
         o.channel, o.sequence_id, o.sequence_step, o.template_id, o.template_version_id, o.phone_id, o.instantly_campaign_id,
         j.assigned_to_user AS user_id
    FROM gold_communication_log r
    JOIN gold_lead_journey j ON j.id = r.journey_id
   CROSS JOIN LATERAL (
     SELECT o.id, o.channel, o.sent_at, o.sequence_id, o.sequence_step, o.template_id, o.template_version_id, o.phone_id, o.instantly_campaign_id
       FROM gold_communication_log o
      WHERE o.journey_id = r.journey_id AND o.direction = 'OUTBOUND' AND o.channel IN ${AUTOMATED}
        AND o.sent_at IS NOT NULL AND o.sent_at <= r.created_at
      ORDER BY (o.channel = r.channel) DESC, o.sent_at DESC, o.id DESC
      LIMIT 1
   ) o
   WHERE r.tenant_id = $1::uuid AND ${COUNTED_REPLY("r")} AND r.channel IN ${AUTOMATED}
     AND r.created_at >= $2::timestamptz AND r.created_at < $3::timestamptz
     AND NOT EXISTS (
       SELECT 1 FROM gold_communication_log p
        WHERE p.journey_id = r.journey_id AND ${COUNTED_REPLY("p")} AND p.channel IN ${AUTOMATED}
          AND p.created_at >= o.sent_at AND (p.created_at, p.id) < (r.created_at, r.id)
     )
),
first_replies AS MATERIALIZED (
  SELECT (r.created_at AT TIME ZONE $4)::date AS day, f.channel, extract(epoch FROM r.created_at - f.sent_at)::bigint AS seconds
    FROM gold_communication_log r
   CROSS JOIN LATERAL (
     SELECT o.channel, o.sent_at FROM gold_communication_log o
      WHERE o.journey_id = r.journey_id AND o.direction = 'OUTBOUND' AND o.channel IN ${AUTOMATED} AND o.sent_at IS NOT NULL
      ORDER BY o.sent_at, o.id LIMIT 1
   ) f
   WHERE r.tenant_id = $1::uuid AND ${COUNTED_REPLY("r")} AND r.channel IN ${AUTOMATED}
     AND r.created_at >= $2::timestamptz AND r.created_at < $3::timestamptz AND f.sent_at <= r.created_at
     AND NOT EXISTS (
       SELECT 1 FROM gold_communication_log p
        WHERE p.journey_id = r.journey_id AND ${COUNTED_REPLY("p")} AND p.channel IN ${AUTOMATED}
          AND (p.created_at, p.id) < (r.created_at, r.id)
     )
),
conversions AS MATERIALIZED (
  SELECT (h.created_at AT TIME ZONE $4)::date AS day, COALESCE(j.first_contact_channel, 'MANUAL') AS channel, j.assigned_to_user AS user_id
    FROM lead_state_history h JOIN gold_lead_journey j ON j.id = h.journey_id
   WHERE h.tenant_id = $1::uuid AND h.to_state = 'CONVERTED' AND h.created_at >= $2::timestamptz AND h.created_at < $3::timestamptz
),
review_facts AS MATERIALIZED (
  SELECT (r.resolved_at AT TIME ZONE $4)::date AS day, r.resolved_by AS user_id, 'resolved' AS kind,
         (r.resolved_at <= r.sla_due_at) AS in_sla, extract(epoch FROM r.resolved_at - r.created_at)::bigint AS seconds
    FROM human_review_queue r
   WHERE r.tenant_id = $1::uuid AND r.resolved_by IS NOT NULL AND r.resolved_at >= $2::timestamptz AND r.resolved_at < $3::timestamptz
  UNION ALL
  SELECT (r.sla_breached_at AT TIME ZONE $4)::date, r.assigned_to_user, 'breached', false, 0
    FROM human_review_queue r
   WHERE r.tenant_id = $1::uuid AND r.sla_breached AND r.assigned_to_user IS NOT NULL
     AND r.sla_breached_at >= $2::timestamptz AND r.sla_breached_at < $3::timestamptz
),
step_rows AS (
  INSERT INTO outreach_daily_step_stats (tenant_id, stat_date, sequence_id, step_number, channel, sent, delivered, opened, clicked, replied, positive_replies, bounced, failed)
  SELECT $1::uuid, day, sequence_id, sequence_step, channel,
         count(*) FILTER (WHERE kind = 'sent'), count(*) FILTER (WHERE kind = 'delivered'), count(*) FILTER (WHERE kind = 'opened'),
         count(*) FILTER (WHERE kind = 'clicked'), count(*) FILTER (WHERE kind = 'replied'), count(*) FILTER (WHERE kind = 'positive'),
         count(*) FILTER (WHERE kind = 'bounced'), count(*) FILTER (WHERE kind = 'failed')
    FROM (SELECT day, sequence_id, sequence_step, channel, kind FROM out_facts
          UNION ALL SELECT day, sequence_id, sequence_step, channel, 'replied' FROM replies
          UNION ALL SELECT day, sequence_id, sequence_step, channel, 'positive' FROM replies WHERE positive) f
   WHERE sequence_id IS NOT NULL AND sequence_step IS NOT NULL
   GROUP BY day, sequence_id, sequence_step, channel
  RETURNING 1
),
template_rows AS (
  INSERT INTO outreach_daily_template_stats (tenant_id, stat_date, template_id, template_version_id, sent, delivered, opened, clicked, replied, positive_replies, bounced, failed)
  SELECT $1::uuid, day, min(template_id::text)::uuid, template_version_id,
         count(*) FILTER (WHERE kind = 'sent'), count(*) FILTER (WHERE kind = 'delivered'), count(*) FILTER (WHERE kind = 'opened'),
         count(*) FILTER (WHERE kind = 'clicked'), count(*) FILTER (WHERE kind = 'replied'), count(*) FILTER (WHERE kind = 'positive'),
         count(*) FILTER (WHERE kind = 'bounced'), count(*) FILTER (WHERE kind = 'failed')
    FROM (SELECT day, template_id, template_version_id, kind FROM out_facts
          UNION ALL SELECT day, template_id, template_version_id, 'replied' FROM replies
          UNION ALL SELECT day, template_id, template_version_id, 'positive' FROM replies WHERE positive) f
   WHERE template_version_id IS NOT NULL AND template_id IS NOT NULL
   GROUP BY day, template_version_id
  RETURNING 1
),
phone_rows AS (
  INSERT INTO outreach_daily_phone_stats (tenant_id, stat_date, phone_id, sent, new_contacts, followups, delivered, read, replied, positive_replies, failed)
  SELECT $1::uuid, day, phone_id,
         count(*) FILTER (WHERE kind = 'sent'), count(*) FILTER (WHERE kind = 'sent' AND quota_cost = 1), count(*) FILTER (WHERE kind = 'sent' AND quota_cost = 0),
         count(*) FILTER (WHERE kind = 'delivered'), count(*) FILTER (WHERE kind = 'opened'),
         count(*) FILTER (WHERE kind = 'replied'), count(*) FILTER (WHERE kind = 'positive'), count(*) FILTER (WHERE kind = 'failed')
    FROM (SELECT day, phone_id, quota_cost, kind FROM out_facts WHERE channel = 'WHATSAPP'
          UNION ALL SELECT day, phone_id, NULL, 'replied' FROM replies WHERE channel = 'WHATSAPP'
          UNION ALL SELECT day, phone_id, NULL, 'positive' FROM replies WHERE channel = 'WHATSAPP' AND positive) f
   WHERE phone_id IS NOT NULL
   GROUP BY day, phone_id
  RETURNING 1
),
rep_rows AS (
  INSERT INTO outreach_daily_rep_stats (tenant_id, stat_date, user_id, sent, replied, positive_replies, converted, reviews_resolved, reviews_resolved_in_sla, reviews_breached, review_resolve_seconds)
  SELECT $1::uuid, day, user_id,
         count(*) FILTER (WHERE kind = 'sent'), count(*) FILTER (WHERE kind = 'replied'), count(*) FILTER (WHERE kind = 'positive'),
         count(*) FILTER (WHERE kind = 'converted'), count(*) FILTER (WHERE kind = 'resolved'), count(*) FILTER (WHERE kind = 'resolved' AND in_sla),
         count(*) FILTER (WHERE kind = 'breached'), COALESCE(sum(seconds) FILTER (WHERE kind = 'resolved'), 0)
    FROM (SELECT day, user_id, kind, NULL::boolean AS in_sla, NULL::bigint AS seconds FROM out_facts WHERE kind = 'sent'
          UNION ALL SELECT day, user_id, 'replied', NULL, NULL FROM replies
          UNION ALL SELECT day, user_id, 'positive', NULL, NULL FROM replies WHERE positive
          UNION ALL SELECT day, user_id, 'converted', NULL, NULL FROM conversions
          UNION ALL SELECT day, user_id, kind, in_sla, seconds FROM review_facts) f
   WHERE user_id IS NOT NULL
   GROUP BY day, user_id
  RETURNING 1
),
campaign_rows AS (
  INSERT INTO outreach_daily_campaign_stats (tenant_id, stat_date, campaign_id, sent, opened, clicked, replied, bounced)
  SELECT $1::uuid, f.day, c.id,
         count(*) FILTER (WHERE kind = 'sent'), count(*) FILTER (WHERE kind = 'opened'), count(*) FILTER (WHERE kind = 'clicked'),
         count(*) FILTER (WHERE kind = 'replied'), count(*) FILTER (WHERE kind = 'bounced')
    FROM (SELECT day, instantly_campaign_id, kind FROM out_facts WHERE channel = 'EMAIL_COLD'
          UNION ALL SELECT day, instantly_campaign_id, 'replied' FROM replies WHERE channel = 'EMAIL_COLD') f
    JOIN email_campaigns c ON c.tenant_id = $1::uuid AND c.instantly_campaign_id = f.instantly_campaign_id
   GROUP BY f.day, c.id
  RETURNING 1
),
channel_rows AS (
  INSERT INTO outreach_daily_channel_stats (tenant_id, stat_date, channel, first_replies, first_reply_seconds,
                                            first_replies_within_1h, first_replies_within_4h, first_replies_within_24h, first_replies_within_72h, conversions)
  SELECT $1::uuid, day, channel, count(*) FILTER (WHERE kind = 'first'), COALESCE(sum(seconds) FILTER (WHERE kind = 'first'), 0),
         count(*) FILTER (WHERE kind = 'first' AND seconds <= 3600), count(*) FILTER (WHERE kind = 'first' AND seconds <= 4 * 3600),
         count(*) FILTER (WHERE kind = 'first' AND seconds <= 24 * 3600), count(*) FILTER (WHERE kind = 'first' AND seconds <= 72 * 3600),
         count(*) FILTER (WHERE kind = 'converted')
    FROM (SELECT day, channel, 'first' AS kind, seconds FROM first_replies
          UNION ALL SELECT day, channel, 'converted', NULL FROM conversions) f
   GROUP BY day, channel
  RETURNING 1
)
SELECT (SELECT count(*) FROM step_rows)::int AS steps, (SELECT count(*) FROM template_rows)::int AS templates,
       (SELECT count(*) FROM phone_rows)::int AS phones, (SELECT count(*) FROM rep_rows)::int AS reps,
       (SELECT count(*) FROM campaign_rows)::int AS campaigns, (SELECT count(*) FROM channel_rows)::int AS channels`;

export interface BreakdownInput {
  tenantId: string;
  from: string;
  to: string;
  timeZone: string;
}

/**
 * Replaces the breakdown rows of every day of [from, to] for one tenant. Run it inside the caller's
 * transaction (with the daily totals: recompute.server.ts), so a reader sees the old rows or the new
 * ones, never none.
 */
export async function recomputeBreakdowns(db: StatsDb, input: BreakdownInput): Promise<void> {
  const range = dayRange(input.timeZone, input.from, input.to);
  for (const table of BREAKDOWN_TABLES) {
    await run(db, `DELETE FROM ${table} WHERE tenant_id = $1::uuid AND stat_date BETWEEN $2::date AND $3::date`, [input.tenantId, input.from, input.to]);
  }
  await run(db, BREAKDOWNS_SQL, [input.tenantId, range.start, range.end, input.timeZone, LATE_EVENT_DAYS]);
}
