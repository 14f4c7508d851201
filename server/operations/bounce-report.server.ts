/**
 * Runbook §4.1 "high bounce rate", steps 1–2 as a report: each campaign's figures (as last synced by
 * the deliverability monitor) and the addresses that bounced in the last hours, with the provider's
 * reason, most frequent first. What to do next stays a person's decision (fix the data, mark leads
 * DEAD, pause all cold email, resume the campaign at Instantly).
 */
import { withTenant } from "../db/client.server";
import type { Clock } from "../clock";

export interface BounceReport {
  threshold: number;
  hours: number;
  campaigns: Array<{ instantlyCampaignId: string; name: string; status: string; sent: number; bounced: number; bounceRate: number; pausedReason: string | null; lastSyncedAt: Date | null }>;
  bounced: Array<{ recipient: string; reason: string; count: number; lastAt: Date }>;
  totals: { sent: number; bounced: number; rate: number };
}

export async function bounceReport(deps: { clock: Clock }, tenantId: string, options: { hours: number; limit?: number }): Promise<BounceReport> {
  const since = new Date(deps.clock().getTime() - options.hours * 3600_000);
  return withTenant(tenantId, async (tx) => {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { bounceThreshold: true } });
    const campaigns = await tx.emailCampaign.findMany({ orderBy: [{ bounceRate: "desc" }, { name: "asc" }], select: { instantlyCampaignId: true, name: true, status: true, sentCount: true, bouncedCount: true, bounceRate: true, pausedReason: true, lastSyncedAt: true } });
    const bounced = await tx.$queryRaw<Array<{ recipient: string; reason: string; count: number; last_at: Date }>>`
      SELECT COALESCE(recipient, '(fără adresă)') AS recipient, COALESCE(error_code, error_message, 'BOUNCED') AS reason,
             count(*)::int AS count, max(COALESCE(bounced_at, updated_at)) AS last_at
        FROM gold_communication_log
       WHERE direction = 'OUTBOUND' AND channel IN ('EMAIL_COLD', 'EMAIL_WARM') AND status = 'BOUNCED'
         AND COALESCE(bounced_at, updated_at) > ${since}
       GROUP BY 1, 2 ORDER BY count(*) DESC, max(COALESCE(bounced_at, updated_at)) DESC
       LIMIT ${options.limit ?? 20}`;
    const totals = await tx.$queryRaw<Array<{ sent: number; bounced: number }>>`
      SELECT (count(*) FILTER (WHERE status NOT IN ('QUEUED', 'FAILED')))::int AS sent, (count(*) FILTER (WHERE status = 'BOUNCED'))::int AS bounced
        FROM gold_communication_log
       WHERE direction = 'OUTBOUND' AND channel IN ('EMAIL_COLD', 'EMAIL_WARM') AND created_at > ${since}`;
    const t = totals[0] ?? { sent: 0, bounced: 0 };
    return {
      threshold: Number(tenant.bounceThreshold),
      hours: options.hours,
      campaigns: campaigns.map((c) => ({ instantlyCampaignId: c.instantlyCampaignId, name: c.name, status: c.status, sent: c.sentCount, bounced: c.bouncedCount, bounceRate: Number(c.bounceRate), pausedReason: c.pausedReason, lastSyncedAt: c.lastSyncedAt })),
      bounced: bounced.map((b) => ({ recipient: b.recipient, reason: b.reason, count: b.count, lastAt: b.last_at })),
      totals: { ...t, rate: t.sent > 0 ? t.bounced / t.sent : 0 },
    };
  });
}
