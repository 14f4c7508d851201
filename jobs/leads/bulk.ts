/**
 * leads.bulk: a bulk action from the leads list (server/leads/bulk/run.server.ts), one operation per
 * job, all of it in one transaction. A retry only happens after a crash (the handler itself records a
 * failure on the operation and completes): the crashed run's transaction was rolled back, so the retry
 * starts the operation again from its first lead.
 */
import { systemClock } from "../../server/clock";
import { runBulkOperation } from "../../server/leads/bulk/run.server";
import { logEvent } from "../../server/observability/logger.server";
import { defineJob } from "../definition";
import { LEADS_BULK_QUEUE, leadsBulkPayload } from "../queues";

export const leadsBulkJob = defineJob({
  name: LEADS_BULK_QUEUE,
  payload: leadsBulkPayload,
  policy: "standard",
  retryLimit: 1,
  retryDelaySeconds: 5,
  retryBackoff: false,
  // Above the operation's own transaction timeout (15 min); the heartbeat fails a crashed run sooner.
  expireInSeconds: 20 * 60,
  heartbeatSeconds: 30,
  localConcurrency: 1,
  async handler(data, { jobId }) {
    const started = performance.now();
    const result = await runBulkOperation({ clock: systemClock }, data);
    logEvent(result.status === "FAILED" ? "warn" : "info", {
      worker: LEADS_BULK_QUEUE,
      jobId,
      action: `leads.bulk.${result.status.toLowerCase()}`,
      duration: Math.round(performance.now() - started),
      ...(result.status === "FAILED" ? { error: { code: result.code, message: result.message } } : {}),
      metadata: { operationId: data.operationId, ...(result.status === "DONE" ? { counts: result.counts } : {}) },
    });
    return result;
  },
});
