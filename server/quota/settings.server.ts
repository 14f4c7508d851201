import type { TenantTx } from "../db/client.server";
import { notFound } from "../errors";
import { quotaSettingsFromTenant, type TenantQuotaSettings } from "./settings";
import { calendarFor } from "./window";
import type { OpeningCalendar } from "../sequences/definition";

/** The tenant's window and default limit, read inside its own transaction (RLS: only itself). */
export async function loadTenantQuotaSettings(tx: TenantTx, tenantId: string): Promise<TenantQuotaSettings> {
  const row = await tx.tenant.findUnique({
    where: { id: tenantId },
    select: { timezone: true, sendingDays: true, sendingStartHour: true, sendingEndHour: true, waDailyQuota: true, settings: true },
  });
  if (!row) throw notFound("tenant", tenantId);
  return quotaSettingsFromTenant(row);
}

/** The tenant's sending-window calendar (when steps that respect business hours may go out). */
export async function loadTenantCalendar(tx: TenantTx, tenantId: string): Promise<OpeningCalendar> {
  return calendarFor((await loadTenantQuotaSettings(tx, tenantId)).window);
}
