/**
 * Runbook §3.1 steps 1 and 3: today's usage of every phone next to what the communication log says,
 * so a quota leak (the counter ahead of the log with nothing in flight) shows at a glance. Read-only;
 * the fixes are resync (raises counters to the log) and the emergency adjustment (phones lifecycle).
 */
import { withTenant } from "../db/client.server";
import { createQuotaGuardian } from "../quota/guardian.server";
import { loadTenantQuotaSettings } from "../quota/settings.server";
import { calendarFor } from "../quota/window";
import type { OperationsDeps } from "./context";

export interface QuotaRow {
  phoneId: string;
  label: string;
  status: string;
  enabled: boolean;
  /** Redis counter (null: no data in Redis for this phone). */
  used: number | null;
  limit: number;
  /** New contacts the log charged to today. */
  logged: number;
  /** used − logged: units consumed by sends in flight, or leaked. */
  aheadOfLog: number | null;
}

export async function quotaReport(deps: Pick<OperationsDeps, "store" | "clock">, tenantId: string): Promise<{ usageDate: string; phones: QuotaRow[] }> {
  const now = deps.clock();
  const { settings, phones, logged } = await withTenant(tenantId, async (tx) => {
    const settings = await loadTenantQuotaSettings(tx, tenantId);
    const usageDate = calendarFor(settings.window).localDate(now);
    const phones = await tx.waPhoneNumber.findMany({ select: { id: true, label: true, status: true, isEnabled: true, dailyQuotaLimit: true }, orderBy: { label: "asc" } });
    const rows = await tx.$queryRaw<Array<{ phone_id: string; n: number }>>`
      SELECT phone_id, count(*)::int AS n FROM gold_communication_log
       WHERE channel = 'WHATSAPP' AND direction = 'OUTBOUND' AND quota_cost = 1 AND phone_id IS NOT NULL
         AND created_at > ${new Date(now.getTime() - 8 * 86_400_000)} AND metadata->>'usageDate' = ${usageDate}
       GROUP BY phone_id`;
    return { settings, phones, logged: new Map(rows.map((r) => [r.phone_id, r.n])) };
  });
  const usageDate = calendarFor(settings.window).localDate(now);
  const guardian = createQuotaGuardian({ store: deps.store, clock: deps.clock, logDecisions: false });
  const usage = new Map((await guardian.usage(tenantId, phones.map((p) => p.id), settings)).map((u) => [u.phoneId, u]));
  return {
    usageDate,
    phones: phones.map((p) => {
      const u = usage.get(p.id);
      const used = u?.status ? u.used : null;
      const log = logged.get(p.id) ?? 0;
      return { phoneId: p.id, label: p.label, status: p.status, enabled: p.isEnabled, used, limit: p.dailyQuotaLimit, logged: log, aheadOfLog: used === null ? null : used - log };
    }),
  };
}
