import type { TenantTx } from "../db/client.server";

/** Deletes expired sessions; the lookup already ignores them, this keeps the table small. */
export async function purgeExpiredSessions(tx: TenantTx, now: Date): Promise<number> {
  const result = await tx.userSession.deleteMany({ where: { expiresAt: { lt: now } } });
  return result.count;
}
