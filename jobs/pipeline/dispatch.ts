/**
 * outreach.orchestrator.dispatch (seeds `outreach:orchestrator:dispatch`, cron every 5 minutes).
 *
 * The cron tick (no tenantId) fans out one job per active tenant for the tick's 5-minute slot, each
 * with singletonKey `dispatch:<tenant>:<slot>` and a job id derived from it: two schedulers ticking
 * the same slot insert the same id and pg-boss keeps one. The tenant job then runs the dispatch,
 * whose dispatch_runs (tenant, slot) row is the second lock: a run is done at most once even if a job
 * is retried or a person re-runs a slot (server/pipeline/dispatch/dispatch.server.ts).
 *
 * Each tenant run also unblocks its phones' send queues: on key_strict_fifo a send job that failed
 * for good (a worker killed mid-send more often than the retry limit) holds its phone's key until
 * deleted. pg-boss has copied it to the dead-letter queue by then, and its lead is due again once the
 * dispatch lease runs out, so deleting it loses nothing.
 */
import type { PgBoss } from "pg-boss";
import { activeTenantIds } from "../../server/db/client.server";
import { logEvent } from "../../server/observability/logger.server";
import { runDispatch } from "../../server/pipeline/dispatch/dispatch.server";
import { deterministicUuid, dispatchSingletonKey, dispatchSlot } from "../../server/pipeline/rules/ids.server";
import { DISPATCH_QUEUE, dispatchPayload, OUTREACH_DLQ, waSendQueue } from "../queues";
import { defineJob } from "../definition";
import { pipelineDeps } from "./deps";
import { pgBossTransactionalQueue } from "../transactional-queue";

export async function enqueueTenantDispatches(boss: Pick<PgBoss, "send">, tenantIds: readonly string[], slot: Date): Promise<number> {
  let queued = 0;
  for (const tenantId of tenantIds) {
    const singletonKey = dispatchSingletonKey(tenantId, slot);
    const id = await boss.send(DISPATCH_QUEUE, { tenantId, slot: slot.toISOString() }, { id: deterministicUuid(singletonKey), singletonKey });
    if (id) queued += 1;
  }
  return queued;
}

/**
 * Deletes failed-for-good send jobs, which would otherwise block their phone's key. pg-boss lists the
 * blocked keys itself; the tenant's own send queue holds only its phones (each tenant's run cleans its own).
 */
export async function unblockFailedSends(boss: Pick<PgBoss, "findJobs" | "deleteJob" | "getBlockedKeys" | "getQueue">, tenantId: string): Promise<number> {
  const queue = waSendQueue(tenantId);
  // A tenant without phones has no send queue, hence nothing blocked.
  if (!(await boss.getQueue(queue))) return 0;
  let deleted = 0;
  for (const phoneId of await boss.getBlockedKeys(queue)) {
    const failed = (await boss.findJobs(queue, { key: phoneId })).filter((j) => j.state === "failed");
    if (failed.length === 0) continue;
    await boss.deleteJob(queue, failed.map((j) => j.id));
    deleted += failed.length;
    logEvent("warn", { worker: DISPATCH_QUEUE, jobId: "-", phoneId, action: "wa.send.unblocked", metadata: { tenantId, deleted: failed.length } });
  }
  return deleted;
}

export const dispatchJob = defineJob({
  name: DISPATCH_QUEUE,
  seedName: "outreach:orchestrator:dispatch",
  payload: dispatchPayload,
  policy: "standard",
  retryLimit: 2,
  retryDelaySeconds: 30,
  retryBackoff: true,
  expireInSeconds: 300,
  deadLetter: OUTREACH_DLQ,
  localConcurrency: 4,
  schedule: { cron: "*/5 * * * *", tz: "Europe/Bucharest", data: {} },
  async handler(data, { jobId, boss }) {
    const deps = pipelineDeps();
    if (!data.tenantId) {
      const slot = dispatchSlot(data.slot ? new Date(data.slot) : deps.clock());
      const queued = await enqueueTenantDispatches(boss, await activeTenantIds(), slot);
      return { fannedOut: queued, slot: slot.toISOString() };
    }
    const result = await runDispatch(
      { guardian: deps.guardian, boss, queue: pgBossTransactionalQueue(boss), sequences: deps.ports.sequences, clock: deps.clock, options: deps.dispatchOptions },
      { tenantId: data.tenantId, slot: data.slot ? new Date(data.slot) : undefined, jobId },
    );
    const unblocked = await unblockFailedSends(boss, data.tenantId);
    return result.status === "DONE" ? { status: result.status, slot: result.slot, ...countsOnly(result.summary), unblocked } : { ...result, unblocked };
  },
});

function countsOnly(s: { totalEligibleLeads: number; dispatchedToWhatsApp: number; dispatchedToEmail: number; outcomes: object }) {
  return { totalEligibleLeads: s.totalEligibleLeads, dispatchedToWhatsApp: s.dispatchedToWhatsApp, dispatchedToEmail: s.dispatchedToEmail, outcomes: s.outcomes };
}

