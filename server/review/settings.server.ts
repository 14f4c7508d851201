/**
 * The tenant's review and reply settings, read in its own transaction (RLS: only itself) every time a
 * reply is handled or an item opened, so a change on the settings page (server/settings/settings.server.ts
 * writes the same columns) applies to the next one without a restart.
 */
import type { TenantTx } from "../db/client.server";
import { notFound } from "../errors";
import type { AutoAnswerMode } from "../generated/prisma/enums";
import { quotaSettingsFromTenant } from "../quota/settings";
import { calendarFor, type SendingCalendar } from "../quota/window";
import { slaSettingsFromTenant, type SlaSettings } from "./sla";

export interface ReviewSettings {
  tenantName: string;
  timeZone: string;
  sla: SlaSettings;
  /** The sending window: answers go out inside it, business-hours SLAs count in it. */
  calendar: SendingCalendar;
  sentimentAutoThreshold: number;
  autoAnswerMode: AutoAnswerMode;
  autoAnswerDailyCap: number;
  autoAnswerTenantDailyCap: number;
  reviewAutoAssign: boolean;
  reviewRepOpenCap: number;
  offerSummary: string | null;
  slackWebhookUrl: string | null;
}

export async function loadReviewSettings(tx: TenantTx, tenantId: string): Promise<ReviewSettings> {
  const t = await tx.tenant.findUnique({
    where: { id: tenantId },
    select: {
      name: true,
      timezone: true,
      sendingDays: true,
      sendingStartHour: true,
      sendingEndHour: true,
      waDailyQuota: true,
      settings: true,
      sentimentAutoThreshold: true,
      slaUrgentMinutes: true,
      slaHighMinutes: true,
      slaMediumMinutes: true,
      slaLowMinutes: true,
      slaBusinessHours: true,
      autoAnswerMode: true,
      autoAnswerDailyCap: true,
      autoAnswerTenantDailyCap: true,
      reviewAutoAssign: true,
      reviewRepOpenCap: true,
      offerSummary: true,
      slackWebhookUrl: true,
    },
  });
  if (!t) throw notFound("tenant", tenantId);
  return {
    tenantName: t.name,
    timeZone: t.timezone,
    sla: slaSettingsFromTenant(t),
    calendar: calendarFor(quotaSettingsFromTenant(t).window),
    sentimentAutoThreshold: t.sentimentAutoThreshold,
    autoAnswerMode: t.autoAnswerMode,
    autoAnswerDailyCap: t.autoAnswerDailyCap,
    autoAnswerTenantDailyCap: t.autoAnswerTenantDailyCap,
    reviewAutoAssign: t.reviewAutoAssign,
    reviewRepOpenCap: t.reviewRepOpenCap,
    offerSummary: t.offerSummary,
    slackWebhookUrl: t.slackWebhookUrl,
  };
}
