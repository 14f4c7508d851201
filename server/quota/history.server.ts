/**
 * Daily quota history (wa_quota_usage, seeds F2.1.1.T005) and the communication-log totals it is
 * reconciled against. History and audit only: no send decision ever reads these tables, that is
 * the Redis counter's job.
 */
import type { TenantTx } from "../db/client.server";

export interface DailyLogTotals {
  phoneId: string;
  newContacts: number;
  followups: number;
  firstAt: Date | null;
  lastAt: Date | null;
}

/**
 * Outbound WhatsApp messages per phone in [start, end), split by quota cost (runbook §3.1 step 3 and
 * §6.1 step 4). created_at is the moment the send was logged, which is when its unit was consumed.
 */
export async function whatsappTotalsByPhone(tx: TenantTx, range: { start: Date; end: Date }): Promise<DailyLogTotals[]> {
  const rows = await tx.$queryRaw<Array<{ phone_id: string; new_contacts: number; followups: number; first_at: Date | null; last_at: Date | null }>>`
    SELECT phone_id,
           count(*) FILTER (WHERE quota_cost = 1)::int AS new_contacts,
           count(*) FILTER (WHERE quota_cost = 0)::int AS followups,
           min(created_at) AS first_at,
           max(created_at) AS last_at
      FROM gold_communication_log
     WHERE channel = 'WHATSAPP'
       AND direction = 'OUTBOUND'
       AND phone_id IS NOT NULL
       AND created_at >= ${range.start}
       AND created_at < ${range.end}
     GROUP BY phone_id`;
  return rows.map((r) => ({ phoneId: r.phone_id, newContacts: r.new_contacts, followups: r.followups, firstAt: r.first_at, lastAt: r.last_at }));
}

/** How a send adds to an existing day row; shared with the send path's own statement. */
export const USAGE_ON_CONFLICT = `
  ON CONFLICT (phone_id, usage_date) DO UPDATE SET
    new_contacts_count = wa_quota_usage.new_contacts_count + EXCLUDED.new_contacts_count,
    followups_count    = wa_quota_usage.followups_count + EXCLUDED.followups_count,
    first_message_at   = LEAST(wa_quota_usage.first_message_at, EXCLUDED.first_message_at),
    last_message_at    = GREATEST(wa_quota_usage.last_message_at, EXCLUDED.last_message_at),
    updated_at         = now()`;

/**
 * One send into the day's history row (seeds F2.1.1.T005): counts go up, first/last message times
 * widen. One statement, so concurrent sends of one phone cannot lose an increment.
 */
export async function recordUsage(
  tx: TenantTx,
  u: { tenantId: string; phoneId: string; usageDate: string; cost: 0 | 1; at: Date },
): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO wa_quota_usage (tenant_id, phone_id, usage_date, new_contacts_count, followups_count, first_message_at, last_message_at)
     VALUES ($1::uuid, $2::uuid, $3::date, $4, $5, $6, $6) ${USAGE_ON_CONFLICT}`,
    u.tenantId, u.phoneId, u.usageDate, u.cost, 1 - u.cost, u.at,
  );
}

/** The roll-over's write: the day's totals as recomputed from the log (idempotent, re-runnable). */
export async function writeDayTotals(tx: TenantTx, t: { tenantId: string; usageDate: string } & DailyLogTotals): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO wa_quota_usage (tenant_id, phone_id, usage_date, new_contacts_count, followups_count, first_message_at, last_message_at)
    VALUES (${t.tenantId}::uuid, ${t.phoneId}::uuid, ${t.usageDate}::date, ${t.newContacts}, ${t.followups}, ${t.firstAt}, ${t.lastAt})
    ON CONFLICT (phone_id, usage_date) DO UPDATE SET
      new_contacts_count = EXCLUDED.new_contacts_count,
      followups_count    = EXCLUDED.followups_count,
      first_message_at   = EXCLUDED.first_message_at,
      last_message_at    = EXCLUDED.last_message_at,
      updated_at         = now()`;
}
