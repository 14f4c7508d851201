/**
 * Quota usage (seeds `monitor:quota:usage`, runbook §3.1 "quota exhausted early"): when every phone
 * that may send has used its 200 new contacts before the afternoon, `quota:exhausted` is raised (one
 * per day: the key carries the date) so someone checks for a leak or adds phones. Alerts of earlier
 * days are resolved: a new day is a new quota.
 */
import { DateTime } from "luxon";
import { openAlertKeys, raiseAlert, resolveAlertByKey } from "../alerts/alerts.server";
import { withTenant } from "../db/client.server";
import type { QuotaGuardian } from "../quota/guardian.server";
import { loadTenantQuotaSettings } from "../quota/settings.server";
import { calendarFor } from "../quota/window";
import type { Clock } from "../clock";
import { AFTERNOON_HOUR, quotaExhaustedEarly } from "./rules";

export interface QuotaUsageSummary {
  sendable: number;
  exhausted: number;
  used: number;
  capacity: number;
  alerted: boolean;
}

export async function checkQuotaUsage(deps: { guardian: QuotaGuardian; clock: Clock }, tenantId: string): Promise<QuotaUsageSummary> {
  const now = deps.clock();
  const { settings, phones } = await withTenant(tenantId, async (tx) => ({
    settings: await loadTenantQuotaSettings(tx, tenantId),
    phones: await tx.waPhoneNumber.findMany({ where: { status: "ACTIVE", isEnabled: true }, select: { id: true, label: true } }),
  }));
  const state = calendarFor(settings.window).state(now);
  const usage = phones.length > 0 ? await deps.guardian.usage(tenantId, phones.map((p) => p.id), settings) : [];
  const exhausted = usage.filter((u) => u.used >= u.limit);
  const local = DateTime.fromJSDate(now, { zone: settings.window.timeZone });
  const sendingDay = settings.window.days.includes(local.weekday);
  const pool = { sendable: phones.length, exhausted: exhausted.length };
  const summary: QuotaUsageSummary = {
    ...pool,
    used: usage.reduce((n, u) => n + u.used, 0),
    capacity: usage.reduce((n, u) => n + u.limit, 0),
    alerted: false,
  };
  const todayKey = `quota:exhausted:${state.localDate}`;

  await withTenant(tenantId, async (tx) => {
    for (const key of await openAlertKeys(tx, "quota:exhausted:")) {
      if (key !== todayKey) await resolveAlertByKey(tx, { tenantId, dedupeKey: key, note: "o zi nouă, o cotă nouă" }, now);
    }
    if (quotaExhaustedEarly(pool, { hour: local.hour, sendingDay })) {
      const r = await raiseAlert(
        tx,
        {
          tenantId,
          type: "quota:exhausted",
          title: "Cota zilnică WhatsApp s-a epuizat înainte de prânz",
          message: `Toate cele ${pool.sendable} telefoane active au folosit ${summary.used} din ${summary.capacity} contacte noi până la ${local.toFormat("HH:mm")} (înainte de ${AFTERNOON_HOUR}:00). Runbook §3.1: verificați o scurgere de cotă sau adăugați telefoane.`,
          dedupeKey: todayKey,
          metadata: { usageDate: state.localDate, ...pool, used: summary.used, capacity: summary.capacity, at: local.toISO() },
        },
        now,
      );
      summary.alerted = r.raised;
    }
  });
  return summary;
}
