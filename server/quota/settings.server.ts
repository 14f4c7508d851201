import type { TenantTx } from "../db/client.server";
import { notFound } from "../errors";
import { quotaSettingsFromTenant, type TenantQuotaSettings } from "./settings";

/** The tenant's window and default limit, read inside its own transaction (RLS: only itself). */
export async function loadTenantQuotaSettings(tx: TenantTx, tenantId: string): Promise<TenantQuotaSettings> {
  const row = await tx.tenant.findUnique({
    where: { id: tenantId },
    select: { timezone: true, sendingDays: true, sendingStartHour: true, sendingEndHour: true, waDailyQuota: true, settings: true },
  });
  if (!row) throw notFound("tenant", tenantId);
  return quotaSettingsFromTenant(row);
}
