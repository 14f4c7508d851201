/**
 * The send attempt's lease in the database (the rules: server/pipeline/rules/lease.ts): renewing it
 * before a provider request, and the fence a take-over or a late write of an attempt checks. Every
 * write is fenced on the lease as the writer knows it, so of two attempts exactly one owns the row.
 */
import type { Clock } from "../../clock";
import type { TenantTx } from "../../db/client.server";
import { tenantSql } from "../../db/sql.server";
import { logEvent } from "../../observability/logger.server";
import { requestMayStart, SEND_LEASE, SendLeaseLostError, type AttemptLease, type LeaseTimes } from "../rules/lease";

/** The row still carries this lease (its attempt id and end, as read or written): `$a`, `$b` are their parameters. */
export const leaseUnchangedSql = (a: string, b: string, alias = "") =>
  `${alias}metadata->>'attemptId' IS NOT DISTINCT FROM ${a} AND ${alias}metadata->>'leaseUntil' IS NOT DISTINCT FROM ${b}`;

/**
 * The hook the attempt gives the TimelinesAI client, run before each request (after its pacing
 * wait, retries included): passes while the lease has a request's time left, else renews it, fenced
 * on this attempt; throws SendLeaseLostError when another attempt took the row or it was finalised.
 */
export function leaseGuard(tenantId: string, intentId: string, lease: AttemptLease, clock: Clock, times: LeaseTimes = SEND_LEASE): () => Promise<void> {
  let until = lease.leaseUntil;
  return async () => {
    const now = clock();
    if (until && requestMayStart(until, now, times)) return;
    const next = new Date(now.getTime() + times.leaseMs).toISOString();
    const { rowCount } = await tenantSql(tenantId).query({
      name: "send-lease.renew",
      text: `UPDATE gold_communication_log SET metadata = metadata || jsonb_build_object('leaseUntil', $4::text), updated_at = now()
              WHERE id = $1 AND external_message_id IS NULL AND ${leaseUnchangedSql("$2", "$3")}`,
      values: [intentId, lease.attemptId, until, next],
    });
    if (rowCount !== 1) throw new SendLeaseLostError(intentId);
    logEvent("info", { tenantId, action: "send.lease_renewed", metadata: { intentId, attemptId: lease.attemptId, leaseUntil: next } });
    until = next;
  };
}

/**
 * Locks the intent row if this attempt still holds it (the lock order's last row: take the journey
 * first where it is written too). False: another attempt took it over, this one must write nothing.
 */
export async function lockIfLeaseHeld(tx: TenantTx, intentId: string, lease: { attemptId: string | null; leaseUntil: string | null }): Promise<boolean> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT 1 FROM gold_communication_log
     WHERE id = ${intentId}::uuid AND metadata->>'attemptId' IS NOT DISTINCT FROM ${lease.attemptId}::text
       AND metadata->>'leaseUntil' IS NOT DISTINCT FROM ${lease.leaseUntil}::text
       FOR NO KEY UPDATE`;
  return rows.length === 1;
}
