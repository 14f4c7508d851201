/**
 * The tenant's reply and review settings as a manager edits them, and a rep's availability for
 * automatic assignment. Audited. The Slack URL is shown masked (a webhook URL is a credential).
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { DomainError } from "../errors";
import type { AutoAnswerMode } from "../generated/prisma/enums";
import { slaOrderViolations } from "../settings/tenant-settings";

export interface ReplySettingsForm {
  autoAnswerMode: AutoAnswerMode;
  autoAnswerDailyCap: number;
  sentimentAutoThreshold: number;
  reviewAutoAssign: boolean;
  reviewRepOpenCap: number;
  slaUrgentMinutes: number;
  slaHighMinutes: number;
  slaMediumMinutes: number;
  slaLowMinutes: number;
  slaBusinessHours: boolean;
  offerSummary: string | null;
  /** The URL with its secret path hidden, or null. */
  slackWebhook: string | null;
}

const SELECT = {
  autoAnswerMode: true,
  autoAnswerDailyCap: true,
  sentimentAutoThreshold: true,
  reviewAutoAssign: true,
  reviewRepOpenCap: true,
  slaUrgentMinutes: true,
  slaHighMinutes: true,
  slaMediumMinutes: true,
  slaLowMinutes: true,
  slaBusinessHours: true,
  offerSummary: true,
  slackWebhookUrl: true,
} as const;

export function maskUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…${u.pathname.slice(-4)}`;
  } catch {
    return "…";
  }
}

export async function getReplySettings(tx: TenantTx, tenantId: string): Promise<ReplySettingsForm> {
  const { slackWebhookUrl, ...t } = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: SELECT });
  return { ...t, slackWebhook: maskUrl(slackWebhookUrl) };
}

const pickDefined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export type ReplySettingsUpdate = Partial<Omit<ReplySettingsForm, "slackWebhook">> & { slackWebhookUrl?: string | null };

export async function updateReplySettings(tx: TenantTx, input: { tenantId: string; actor: Actor; changes: ReplySettingsUpdate }): Promise<ReplySettingsForm> {
  // The tenant row locked, as the settings page's save locks it: the order check below sees the
  // values this save will sit beside.
  await tx.$queryRaw`SELECT 1 FROM tenants WHERE id = ${input.tenantId}::uuid FOR UPDATE`;
  const before = await getReplySettings(tx, input.tenantId);
  // These columns are the settings page's too: the same rule as its form (tenant-settings.ts).
  const [late] = slaOrderViolations({ ...before, ...pickDefined(input.changes) });
  if (late) throw new DomainError("BAD_INPUT", "SLA_ORDER", `${late} is shorter than a more urgent priority's deadline`, { field: late });
  await tx.tenant.update({ where: { id: input.tenantId }, data: input.changes, select: { id: true } });
  const after = await getReplySettings(tx, input.tenantId);
  await recordAudit(tx, { tenantId: input.tenantId, actor: input.actor, action: "tenant.reply_settings.update", entityType: "tenant", entityId: input.tenantId, before, after });
  return after;
}

export async function setReviewAvailability(tx: TenantTx, input: { tenantId: string; actor: Actor & { type: "USER" }; available: boolean }): Promise<{ available: boolean }> {
  const before = await tx.user.findUniqueOrThrow({ where: { id: input.actor.userId }, select: { reviewAvailable: true } });
  await tx.user.update({ where: { id: input.actor.userId }, data: { reviewAvailable: input.available }, select: { id: true } });
  await recordAudit(tx, { tenantId: input.tenantId, actor: input.actor, action: "user.review_availability", entityType: "user", entityId: input.actor.userId, before: { available: before.reviewAvailable }, after: { available: input.available } });
  return { available: input.available };
}

export async function myAvailability(tx: TenantTx, userId: string): Promise<boolean> {
  return (await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { reviewAvailable: true } })).reviewAvailable;
}
