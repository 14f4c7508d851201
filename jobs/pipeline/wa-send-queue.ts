/**
 * The wa.send queue family without its handler (jobs/pipeline/wa-send.ts adds it): one key_strict_fifo
 * queue per tenant with phones (ADR 0014). Kept apart so the places that create a tenant's queue (a
 * phone added, a producer meeting a queue not created yet) need not import the send path.
 */
import type { PgBoss } from "pg-boss";
import type { QueueDefinition } from "../definition";
import { ensureQueues } from "../runtime";
import { activeTenantIds, withTenant } from "../../server/db/client.server";
import { OUTREACH_DLQ, tenantOfWaSendQueue, WA_SEND_FAMILY, waSendQueue } from "../queues";

export const waSendQueues = {
  name: WA_SEND_FAMILY,
  seedName: "q:wa:phone_{XX}",
  perTenant: { queueFor: waSendQueue, tenantOf: tenantOfWaSendQueue },
  policy: "key_strict_fifo",
  // Only for a process that died mid-job (the job expired); known failures are handled by the handler.
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryBackoff: true,
  // Above one attempt's worst case inside the client (5 × 60 s on 429, 30 s timeouts).
  expireInSeconds: 900,
  // A process killed mid-send frees its phone within about two minutes (30 s heartbeat + pg-boss's
  // 60 s monitor pass + 30 s retry delay), not after expireInSeconds: the
  // job is retried, and the retry reconciles against the chat before sending (exactly once).
  heartbeatSeconds: 30,
  deadLetter: OUTREACH_DLQ,
} satisfies QueueDefinition;

/** What creating queues takes from pg-boss. */
export type QueueAdmin = Pick<PgBoss, "getQueues" | "createQueue" | "updateQueue">;

/** Creates (or updates) these tenants' send queues, through ensureQueues like every queue. */
export async function ensureTenantSendQueues(boss: QueueAdmin, tenantIds: readonly string[]): Promise<void> {
  if (tenantIds.length > 0) await ensureQueues(boss, [waSendQueues], tenantIds);
}

/** The active tenants that have at least one phone: the tenants whose send queues a starting process ensures. */
export async function tenantsWithPhones(): Promise<string[]> {
  const tenants: string[] = [];
  for (const tenantId of await activeTenantIds()) {
    if ((await withTenant(tenantId, (tx) => tx.waPhoneNumber.count({ take: 1 }))) > 0) tenants.push(tenantId);
  }
  return tenants;
}

/**
 * Moves the sends still waiting on the one queue every tenant shared before ADR 0014 (`wa.send`) to
 * their tenants' queues: same id, phone key, payload and start time. Run at process start; a no-op
 * once that queue is empty or gone. Each job is inserted before it is deleted and pg-boss ignores an
 * id its queue already has, so processes starting together, or a crash in between, move nothing twice
 * (and the send itself is idempotent). A job active there (a worker of the old version mid-send) is
 * left to finish; if its worker died, it is moved by a later start once pg-boss has put it back to retry.
 */
export async function moveSharedQueueSends(boss: Pick<PgBoss, "getQueue" | "findJobs" | "insert" | "deleteJob"> & QueueAdmin): Promise<number> {
  if (!(await boss.getQueue(WA_SEND_FAMILY))) return 0;
  const waiting = await boss.findJobs<{ tenantId?: unknown }>(WA_SEND_FAMILY, { queued: true });
  const byTenant = new Map<string, typeof waiting>();
  for (const job of waiting) {
    const tenantId = typeof job.data?.tenantId === "string" ? job.data.tenantId : undefined;
    if (!tenantId || !job.singletonKey) continue;
    byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), job]);
  }
  await ensureTenantSendQueues(boss, [...byTenant.keys()]);
  let moved = 0;
  for (const [tenantId, jobs] of byTenant) {
    await boss.insert(waSendQueue(tenantId), jobs.map((j) => ({ id: j.id, data: j.data, singletonKey: j.singletonKey!, startAfter: j.startAfter })));
    await boss.deleteJob(WA_SEND_FAMILY, jobs.map((j) => j.id));
    moved += jobs.length;
  }
  return moved;
}
