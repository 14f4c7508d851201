/**
 * Resync (runbook §3.1, §6.1, §6.2): rebuild Redis from the database after Redis lost its data
 * (restart without persistence, fail-over, flush) or after a database restore.
 *
 * - Every phone's mirror is rewritten from wa_phone_numbers (status, enabled, limit).
 * - Today's counter of every phone becomes max(current, new contacts logged today): the log is the
 *   floor, because each logged new contact consumed a unit. It never lowers a counter: a counter above
 *   the log is normal (units consumed by sends still in flight), and lowering it would hand those
 *   units out a second time. Lowering is the manual adjustment's job (ADMIN, with a reason).
 *
 * Contract with the send path: a send that released its unit must not be logged with quota_cost 1.
 * The day a unit belongs to is the one the quota check charged (the intent's metadata.usageDate, set
 * before the provider call), not the row's created_at: a unit consumed at 23:59:59 and logged a second
 * later belongs to the earlier day, and counting by created_at would hand it out again.
 */
import { withTenant, type TenantTx } from "../db/client.server";
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import { lockAllPhonesShared } from "../phones/repository.server";
import type { PhoneStatus } from "../phones/status";
import { logEvent } from "../observability/logger.server";
import { loadTenantQuotaSettings } from "./settings.server";
import type { QuotaStore } from "./store.server";
import { calendarFor, dayBounds } from "./window";
import type { Clock } from "../clock";

export type TenantDb = <T>(fn: (tx: TenantTx) => Promise<T>) => Promise<T>;

export interface ResyncedPhone {
  phoneId: string;
  status: PhoneStatus;
  enabled: boolean;
  limit: number;
  /** New contacts in today's communication log. */
  fromLog: number;
  before: number;
  after: number;
}

export interface ResyncResult {
  tenantId: string;
  usageDate: string;
  phones: ResyncedPhone[];
}

export async function resyncTenant(
  deps: { store: QuotaStore; clock: Clock },
  db: TenantDb,
  tenantId: string,
  actor: Actor,
): Promise<ResyncResult> {
  const now = deps.clock();
  // One transaction, phones share-locked while Redis is written: a status change cannot commit in
  // between and then be overwritten by this older snapshot (same rule as the phone lifecycle).
  const { usageDate, phones } = await db(async (tx) => {
    await lockAllPhonesShared(tx);
    const settings = await loadTenantQuotaSettings(tx, tenantId);
    const usageDate = calendarFor(settings.window).localDate(now);
    const rows = await tx.waPhoneNumber.findMany({ select: { id: true, status: true, isEnabled: true, dailyQuotaLimit: true }, orderBy: { id: "asc" } });
    const logged = await newContactsCharged(tx, usageDate, dayBounds(settings.window.timeZone, usageDate));

    // Counters before mirrors. After Redis lost everything, a phone refuses every send until its
    // mirror exists (PHONE_UNKNOWN); writing the counter first means no send can pass on a counter of
    // 0 in between and exceed the day's limit once the counter is restored.
    const phones = await Promise.all(
      rows.map(async (p): Promise<ResyncedPhone> => {
        const fromLog = logged.get(p.id) ?? 0;
        const { before, after } = await deps.store.setUsage({ tenantId, phoneId: p.id, usageDate }, fromLog, "max");
        return { phoneId: p.id, status: p.status, enabled: p.isEnabled, limit: p.dailyQuotaLimit, fromLog, before, after };
      }),
    );
    await deps.store.writeMirrors(rows.map((p) => ({ phoneId: p.id, status: p.status, enabled: p.isEnabled, limit: p.dailyQuotaLimit })));
    return { usageDate, phones };
  });

  const changed = phones.filter((p) => p.before !== p.after);
  await db((tx) =>
    recordAudit(tx, {
      tenantId,
      actor,
      action: "quota.resync",
      entityType: "wa_quota",
      entityId: usageDate,
      after: { usageDate, phones: phones.length, raised: changed.map((p) => ({ phoneId: p.phoneId, before: p.before, after: p.after })) },
    }),
  );
  logEvent("info", { worker: "quota.resync", action: "quota.resynced", tenantId, metadata: { usageDate, phones: phones.length, raised: changed.length } });
  return { tenantId, usageDate, phones };
}

/** Rows are looked for this far back from the day's start: a send deferred across midnight, a clock skew. */
const LOOK_BACK_MS = 7 * 24 * 3600_000;

/**
 * New contacts charged to `usageDate`, per phone: rows with quota_cost 1 whose intent names that day,
 * and rows written without it (older sends, the seed) created within the day.
 */
async function newContactsCharged(tx: TenantTx, usageDate: string, day: { start: Date; end: Date }): Promise<Map<string, number>> {
  const from = new Date(day.start.getTime() - LOOK_BACK_MS);
  const rows = await tx.$queryRaw<Array<{ phone_id: string; n: number }>>`
    SELECT phone_id, count(*)::int AS n
      FROM gold_communication_log
     WHERE channel = 'WHATSAPP' AND direction = 'OUTBOUND' AND phone_id IS NOT NULL AND quota_cost = 1
       AND created_at >= ${from} AND created_at < ${day.end}
       AND (metadata->>'usageDate' = ${usageDate}
            OR (metadata->>'usageDate' IS NULL AND created_at >= ${day.start}))
     GROUP BY phone_id`;
  return new Map(rows.map((r) => [r.phone_id, r.n]));
}

/** Resync of several tenants (all active ones for the command and the job), one after another. */
export async function resyncTenants(deps: { store: QuotaStore; clock: Clock }, tenantIds: readonly string[], actor: Actor): Promise<ResyncResult[]> {
  const results: ResyncResult[] = [];
  for (const tenantId of tenantIds) results.push(await resyncTenant(deps, (fn) => withTenant(tenantId, fn), tenantId, actor));
  return results;
}
