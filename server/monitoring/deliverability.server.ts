/**
 * Email deliverability (seeds `monitor:email:deliverability`, business constraint "bounce rate over
 * 3 % pauses the campaign", runbook §4.1): for each of the tenant's active Instantly campaigns, the
 * bounce rate from Instantly's analytics; over the tenant's bounce_threshold (with enough sends to
 * mean something) the campaign is paused at Instantly and in our data, and `bounce:high` is raised.
 * Per tenant, the bounce rate of every email we sent in the last 7 days (cold and warm, from our own
 * log) raises its own `bounce:high` and resolves it when the rate is back under the threshold.
 */
import { raiseAlert, resolveAlertByKey } from "../alerts/alerts.server";
import { recordAudit } from "../audit/audit.server";
import { withTenant } from "../db/client.server";
import { errorFields, logEvent } from "../observability/logger.server";
import type { Clock } from "../clock";
import { MONITOR_DELIVERABILITY_QUEUE } from "../../jobs/queues";
import { bounceVerdict, percent } from "./rules";

/** What the monitor needs from Instantly (the production adapter is the Instantly client). */
export interface CampaignProvider {
  analytics(campaignIds: string[]): Promise<Array<{ campaignId: string; status: number | null; sent: number; bounced: number; opened: number; replied: number }>>;
  pause(campaignId: string): Promise<void>;
}

export interface DeliverabilitySummary {
  campaigns: number;
  paused: number;
  alerts: number;
  tenantRate: number;
  tenantSent: number;
}

const ACTOR = { type: "JOB", name: MONITOR_DELIVERABILITY_QUEUE } as const;
/** Instantly's campaign states that mean "not sending" (2 paused, -2 bounce protection, -99 suspended). */
const NOT_SENDING_AT_INSTANTLY = new Set([2, -2, -99]);
const TENANT_WINDOW_MS = 7 * 24 * 3600_000;

export async function checkDeliverability(deps: { instantly: CampaignProvider; clock: Clock }, tenantId: string): Promise<DeliverabilitySummary> {
  const now = deps.clock();
  const { campaigns, threshold } = await withTenant(tenantId, async (tx) => ({
    campaigns: await tx.emailCampaign.findMany({ where: { status: "ACTIVE" }, select: { id: true, instantlyCampaignId: true, name: true } }),
    threshold: Number((await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { bounceThreshold: true } })).bounceThreshold),
  }));
  const summary: DeliverabilitySummary = { campaigns: campaigns.length, paused: 0, alerts: 0, tenantRate: 0, tenantSent: 0 };

  const figures = campaigns.length > 0 ? await deps.instantly.analytics(campaigns.map((c) => c.instantlyCampaignId)) : [];
  const byId = new Map(figures.map((f) => [f.campaignId, f]));
  for (const campaign of campaigns) {
    const f = byId.get(campaign.instantlyCampaignId);
    if (!f) continue;
    const verdict = bounceVerdict(f, threshold);
    const pausedThere = f.status !== null && NOT_SENDING_AT_INSTANTLY.has(f.status);
    let pausedNow = false;
    if (verdict.over && !pausedThere) {
      try {
        await deps.instantly.pause(campaign.instantlyCampaignId);
        pausedNow = true;
      } catch (error) {
        // Not paused at Instantly: keep it ACTIVE here too (the truth), alert anyway, retry next run.
        logEvent("error", { worker: MONITOR_DELIVERABILITY_QUEUE, action: "campaign.pause_failed", tenantId, error: errorFields(error), metadata: { campaignId: campaign.instantlyCampaignId } });
      }
    }
    const reason = verdict.over
      ? `rata de respingere ${percent(verdict.rate)} peste pragul de ${percent(threshold)} (${f.bounced} din ${f.sent})`
      : pausedThere
        ? "oprită la Instantly"
        : null;
    await withTenant(tenantId, async (tx) => {
      await tx.emailCampaign.update({
        where: { id: campaign.id },
        data: {
          sentCount: f.sent,
          bouncedCount: f.bounced,
          openedCount: f.opened,
          repliedCount: f.replied,
          bounceRate: verdict.rate.toFixed(4),
          instantlyStatus: pausedNow ? 2 : f.status,
          lastSyncedAt: now,
          ...(pausedNow || pausedThere ? { status: "PAUSED" as const, pausedAt: now, pausedReason: reason } : {}),
        },
        select: { id: true },
      });
      if (pausedNow) {
        await recordAudit(tx, {
          tenantId,
          actor: ACTOR,
          action: "email_campaign.auto_paused",
          entityType: "email_campaign",
          entityId: campaign.id,
          before: { status: "ACTIVE" },
          after: { status: "PAUSED", reason, bounceRate: verdict.rate, threshold, sent: f.sent, bounced: f.bounced },
        });
      }
      if (verdict.over) {
        const r = await raiseAlert(
          tx,
          {
            tenantId,
            type: "bounce:high",
            title: `Campania „${campaign.name}” a fost oprită: prea multe respingeri`,
            message: `${reason}. ${pausedNow || pausedThere ? "Campania este oprită la Instantly." : "Oprirea la Instantly a eșuat; se reîncearcă."} Runbook §4.1: verificați adresele respinse înainte de reluare.`,
            dedupeKey: `bounce:high:campaign:${campaign.instantlyCampaignId}`,
            metadata: { campaignId: campaign.instantlyCampaignId, rate: verdict.rate, threshold, sent: f.sent, bounced: f.bounced, paused: pausedNow || pausedThere },
          },
          now,
        );
        if (r.raised) summary.alerts += 1;
      }
    });
    if (pausedNow) summary.paused += 1;
  }

  // The tenant as a whole, from our own log: every email handed to a provider in the last 7 days.
  const since = new Date(now.getTime() - TENANT_WINDOW_MS);
  const tenant = await withTenant(tenantId, async (tx) => {
    const rows = await tx.$queryRaw<Array<{ sent: number; bounced: number }>>`
      SELECT (count(*) FILTER (WHERE status NOT IN ('QUEUED', 'FAILED')))::int AS sent,
             (count(*) FILTER (WHERE status = 'BOUNCED' OR bounced_at IS NOT NULL))::int AS bounced
      FROM gold_communication_log
      WHERE direction = 'OUTBOUND' AND channel IN ('EMAIL_COLD', 'EMAIL_WARM') AND created_at > ${since}`;
    const figures = rows[0] ?? { sent: 0, bounced: 0 };
    const verdict = bounceVerdict(figures, threshold);
    if (verdict.over) {
      const r = await raiseAlert(
        tx,
        {
          tenantId,
          type: "bounce:high",
          title: "Rata de respingere a emailurilor este peste prag",
          message: `În ultimele 7 zile: ${figures.bounced} respinse din ${figures.sent} emailuri (${percent(verdict.rate)}, prag ${percent(threshold)}). Runbook §4.1.`,
          dedupeKey: "bounce:high:tenant",
          metadata: { rate: verdict.rate, threshold, ...figures, windowDays: 7 },
        },
        now,
      );
      if (r.raised) summary.alerts += 1;
    } else if (verdict.enoughData || figures.sent === 0) {
      await resolveAlertByKey(tx, { tenantId, dedupeKey: "bounce:high:tenant", note: `rata a revenit la ${percent(verdict.rate)}` }, now);
    }
    return { ...figures, rate: verdict.rate };
  });
  summary.tenantRate = tenant.rate;
  summary.tenantSent = tenant.sent;
  return summary;
}
