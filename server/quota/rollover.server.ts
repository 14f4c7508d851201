/**
 * Daily roll-over (seeds: quota:guardian:reset, cron 00:00 Europe/Bucharest). Counters do not need
 * resetting: each day has its own key. What the job does is write the finished day into
 * wa_quota_usage, recomputed from the communication log so that re-running it (a retry, a manual
 * run for a missed night) gives the same rows, and compare it with the Redis counter, which
 * outlives its day by 48 h for exactly this. After the window closed nothing is in flight, so a
 * difference is a leak worth a warning (runbook §3.1 step 3): a counter above the log means units
 * consumed without a logged send and never released; below it means Redis lost data.
 */
import { withTenant } from "../db/client.server";
import { logEvent } from "../observability/logger.server";
import { whatsappTotalsByPhone, writeDayTotals } from "./history.server";
import type { TenantDb } from "./resync.server";
import { loadTenantQuotaSettings } from "./settings.server";
import type { QuotaStore } from "./store.server";
import { calendarFor, dayBounds, previousDate } from "./window";
import type { Clock } from "../clock";

export interface RolledOverPhone {
  phoneId: string;
  newContacts: number;
  followups: number;
  redisCounter: number;
}

export interface RolloverResult {
  tenantId: string;
  usageDate: string;
  phones: RolledOverPhone[];
  mismatches: RolledOverPhone[];
}

export async function rollOverDay(deps: { store: QuotaStore }, db: TenantDb, tenantId: string, usageDate: string): Promise<RolloverResult> {
  const { settings, phoneIds, totals } = await db(async (tx) => {
    const settings = await loadTenantQuotaSettings(tx, tenantId);
    const phones = await tx.waPhoneNumber.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    const totals = await whatsappTotalsByPhone(tx, dayBounds(settings.window.timeZone, usageDate));
    return { settings, phoneIds: phones.map((p) => p.id), totals: new Map(totals.map((t) => [t.phoneId, t])) };
  });
  const counters = new Map((await deps.store.usage(tenantId, phoneIds, usageDate, settings.defaultLimit)).map((u) => [u.phoneId, u.used]));

  const phones = phoneIds.map((phoneId): RolledOverPhone => {
    const t = totals.get(phoneId);
    return { phoneId, newContacts: t?.newContacts ?? 0, followups: t?.followups ?? 0, redisCounter: counters.get(phoneId) ?? 0 };
  });
  await db(async (tx) => {
    for (const phoneId of phoneIds) {
      const t = totals.get(phoneId) ?? { phoneId, newContacts: 0, followups: 0, firstAt: null, lastAt: null };
      await writeDayTotals(tx, { tenantId, usageDate, ...t });
    }
  });

  const mismatches = phones.filter((p) => p.redisCounter !== p.newContacts);
  for (const m of mismatches) {
    logEvent("warn", {
      worker: "quota.rollover",
      action: "quota.reconcile.mismatch",
      tenantId,
      phoneId: m.phoneId,
      metadata: { usageDate, redisCounter: m.redisCounter, loggedNewContacts: m.newContacts },
    });
  }
  logEvent("info", { worker: "quota.rollover", action: "quota.rolled_over", tenantId, metadata: { usageDate, phones: phones.length, mismatches: mismatches.length } });
  return { tenantId, usageDate, phones, mismatches };
}

/**
 * Roll-over of several tenants. Without an explicit date each tenant writes its own "yesterday",
 * in its own zone, relative to the clock.
 */
export async function rollOverTenants(
  deps: { store: QuotaStore; clock: Clock },
  tenantIds: readonly string[],
  usageDate?: string,
): Promise<RolloverResult[]> {
  const results: RolloverResult[] = [];
  for (const tenantId of tenantIds) {
    const db: TenantDb = (fn) => withTenant(tenantId, fn);
    const date = usageDate ?? previousDate(calendarFor((await db((tx) => loadTenantQuotaSettings(tx, tenantId))).window).localDate(deps.clock()));
    results.push(await rollOverDay(deps, db, tenantId, date));
  }
  return results;
}
