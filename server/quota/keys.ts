/**
 * Every Redis key the quota system reads or writes is named here and nowhere else.
 *
 * - `phone:status:{phoneId}`: hash mirror of the phone row (status, enabled, limit). Phone ids are
 *   globally unique UUIDs, so the key needs no tenant.
 * - `quota:{tenantId}:{phoneId}:{yyyy-mm-dd}`: new-contact counter of one phone for one calendar day
 *   in the tenant's time zone. Days roll by key, not by a reset job: a new date is a new key, and the
 *   old one expires 48 h after its first increment (long enough for the roll-over job to read it).
 *
 * Single Redis instance, so no {hash tags} are needed; if we ever move to Redis Cluster, a check
 * touches one phone's two keys and the tag would be `{phoneId}`.
 */
export const QUOTA_KEY_TTL_SECONDS = 48 * 60 * 60;

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function phoneStatusKey(phoneId: string): string {
  return `phone:status:${phoneId}`;
}

export function quotaKey(tenantId: string, phoneId: string, localDate: string): string {
  if (!LOCAL_DATE.test(localDate)) throw new Error(`quotaKey: not a yyyy-mm-dd date: ${localDate}`);
  return `quota:${tenantId}:${phoneId}:${localDate}`;
}

/**
 * `quota:sentinel`: written when a full resync has rebuilt every tenant's counters and mirrors
 * (server/quota/heal.server.ts). Redis restarted empty, flushed or failed over to a replica without
 * the data ⇒ the key is gone ⇒ the monitors rebuild the store from the log (runbook §6.2).
 */
export const QUOTA_SENTINEL_KEY = "quota:sentinel";

/** SCAN pattern for every counter of one tenant (tests and the roll-over job). */
export function tenantQuotaPattern(tenantId: string): string {
  return `quota:${tenantId}:*`;
}
