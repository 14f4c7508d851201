/**
 * Reading and changing a tenant's business settings (the settings page). The values are columns of
 * the tenant row plus one key of tenants.settings (holidayCountry). The SLA minutes, the auto-answer
 * mode and both auto-answer caps are the same columns the review queue and the reply worker read
 * (server/review/settings.server.ts: loadReviewSettings), and the review page's reply settings write
 * them too: one place per value (tests/settings/one-source.test.ts). Every reader of
 * them reads the row when it acts (dispatch per run, each send, sequence timing per call), and the
 * per-process memos on the way (quota settings, calendars) are keyed by the values themselves, so a
 * change applies from the next run or send without a restart (tests/settings/settings.test.ts shows
 * dispatch honouring a changed window).
 *
 * A changed WhatsApp daily quota also moves the phones that still had the old default (a limit an
 * admin set for one phone on the phones page stays). Their Redis mirrors carry the limit the Lua check
 * enforces: a lower limit is written before the commit (Redis may be stricter than the database, never
 * looser: phones/lifecycle.server.ts), and the caller refreshes every changed phone's mirror after it.
 */
import type { TenantTx } from "../db/client.server";
import { notFound } from "../errors";
import { Prisma } from "../generated/prisma/client";
import type { QuotaStore } from "../quota/store.server";
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../audit/actor";
import { holidayCountryFrom, type TenantSettings } from "./tenant-settings";

const TENANT_SELECT = {
  timezone: true,
  sendingDays: true,
  sendingStartHour: true,
  sendingEndHour: true,
  waDailyQuota: true,
  jitterMinSeconds: true,
  jitterMaxSeconds: true,
  bounceThreshold: true,
  sentimentAutoThreshold: true,
  slaUrgentMinutes: true,
  slaHighMinutes: true,
  slaMediumMinutes: true,
  slaLowMinutes: true,
  autoAnswerMode: true,
  autoAnswerDailyCap: true,
  autoAnswerTenantDailyCap: true,
  dispatchBatchSize: true,
  settings: true,
  updatedAt: true,
} as const;

type TenantRow = Prisma.TenantGetPayload<{ select: typeof TENANT_SELECT }>;

function toSettings(row: TenantRow): TenantSettings {
  return {
    timezone: row.timezone,
    sendingDays: [...row.sendingDays].sort((a, b) => a - b),
    sendingStartHour: row.sendingStartHour,
    sendingEndHour: row.sendingEndHour,
    holidayCountry: holidayCountryFrom(row.settings),
    waDailyQuota: row.waDailyQuota,
    jitterMinSeconds: row.jitterMinSeconds,
    jitterMaxSeconds: row.jitterMaxSeconds,
    bounceThreshold: Number(row.bounceThreshold),
    sentimentAutoThreshold: row.sentimentAutoThreshold,
    slaUrgentMinutes: row.slaUrgentMinutes,
    slaHighMinutes: row.slaHighMinutes,
    slaMediumMinutes: row.slaMediumMinutes,
    slaLowMinutes: row.slaLowMinutes,
    autoAnswerMode: row.autoAnswerMode,
    autoAnswerCaps: { perLeadPerDay: row.autoAnswerDailyCap, perTenantPerDay: row.autoAnswerTenantDailyCap },
    dispatchBatchSize: row.dispatchBatchSize,
  };
}

export async function getTenantSettings(tx: TenantTx, tenantId: string): Promise<TenantSettings & { updatedAt: Date }> {
  const row = await tx.tenant.findUnique({ where: { id: tenantId }, select: TENANT_SELECT });
  if (!row) throw notFound("tenant", tenantId);
  return { ...toSettings(row), updatedAt: row.updatedAt };
}

/** The fields that differ, as { field: [before, after] } (what the audit row and the toast show). */
export function settingsDiff(before: TenantSettings, after: TenantSettings): Record<string, [unknown, unknown]> {
  const diff: Record<string, [unknown, unknown]> = {};
  for (const key of Object.keys(after) as Array<keyof TenantSettings>) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) diff[key] = [before[key], after[key]];
  }
  return diff;
}

export interface SettingsUpdateResult {
  settings: TenantSettings & { updatedAt: Date };
  changed: string[];
  /** Phones whose limit followed the quota default (their mirrors are refreshed after the commit). */
  phonesFollowingQuota: string[];
}

export async function updateTenantSettings(
  tx: TenantTx,
  deps: { store: Pick<QuotaStore, "writeMirrors"> },
  input: { tenantId: string; actor: Actor; settings: TenantSettings },
): Promise<SettingsUpdateResult> {
  // The tenant row locked: two admins saving at once apply one after the other, each audited against
  // what it replaced.
  await tx.$queryRaw`SELECT 1 FROM tenants WHERE id = ${input.tenantId}::uuid FOR UPDATE`;
  const row = await tx.tenant.findUnique({ where: { id: input.tenantId }, select: TENANT_SELECT });
  if (!row) throw notFound("tenant", input.tenantId);
  const before = toSettings(row);
  const next = input.settings;
  const diff = settingsDiff(before, next);
  if (Object.keys(diff).length === 0) return { settings: { ...before, updatedAt: row.updatedAt }, changed: [], phonesFollowingQuota: [] };

  const extra = row.settings && typeof row.settings === "object" && !Array.isArray(row.settings) ? (row.settings as Record<string, unknown>) : {};
  const updated = await tx.tenant.update({
    where: { id: input.tenantId },
    data: {
      timezone: next.timezone,
      sendingDays: next.sendingDays,
      sendingStartHour: next.sendingStartHour,
      sendingEndHour: next.sendingEndHour,
      waDailyQuota: next.waDailyQuota,
      jitterMinSeconds: next.jitterMinSeconds,
      jitterMaxSeconds: next.jitterMaxSeconds,
      bounceThreshold: new Prisma.Decimal(next.bounceThreshold.toFixed(4)),
      sentimentAutoThreshold: next.sentimentAutoThreshold,
      slaUrgentMinutes: next.slaUrgentMinutes,
      slaHighMinutes: next.slaHighMinutes,
      slaMediumMinutes: next.slaMediumMinutes,
      slaLowMinutes: next.slaLowMinutes,
      autoAnswerMode: next.autoAnswerMode,
      autoAnswerDailyCap: next.autoAnswerCaps.perLeadPerDay,
      autoAnswerTenantDailyCap: next.autoAnswerCaps.perTenantPerDay,
      dispatchBatchSize: next.dispatchBatchSize,
      settings: { ...extra, holidayCountry: next.holidayCountry } as Prisma.InputJsonValue,
    },
    select: TENANT_SELECT,
  });

  let phonesFollowingQuota: string[] = [];
  if (next.waDailyQuota !== before.waDailyQuota) {
    // Phones in id order (the order every bulk phone lock uses), those still at the old default.
    const phones = await tx.$queryRaw<Array<{ id: string; status: string; is_enabled: boolean }>>`
      SELECT id::text, status::text, is_enabled FROM wa_phone_numbers WHERE daily_quota_limit = ${before.waDailyQuota} ORDER BY id FOR UPDATE`;
    if (phones.length > 0) {
      phonesFollowingQuota = phones.map((p) => p.id);
      await tx.$executeRaw`UPDATE wa_phone_numbers SET daily_quota_limit = ${next.waDailyQuota}, updated_at = now() WHERE id = ANY(${phonesFollowingQuota}::uuid[])`;
      if (next.waDailyQuota < before.waDailyQuota) {
        await deps.store.writeMirrors(phones.map((p) => ({ phoneId: p.id, status: p.status as never, enabled: p.is_enabled, limit: next.waDailyQuota })));
      }
    }
  }

  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "tenant.settings_update",
    entityType: "tenant",
    entityId: input.tenantId,
    before: Object.fromEntries(Object.entries(diff).map(([k, [b]]) => [k, b])),
    after: { ...Object.fromEntries(Object.entries(diff).map(([k, [, a]]) => [k, a])), phonesFollowingQuota: phonesFollowingQuota.length },
  });
  return { settings: { ...toSettings(updated), updatedAt: updated.updatedAt }, changed: Object.keys(diff), phonesFollowingQuota };
}
