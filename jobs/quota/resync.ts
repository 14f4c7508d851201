/**
 * quota.resync: rebuild Redis (phone mirrors, today's counters) from the database for every active
 * tenant, or one (runbook §6.2 steps 2–3; server/quota/resync.server.ts). For a worker to run after
 * a Redis recovery or on an operator's request; safe at any time, because it never lowers a counter
 * and writes mirrors under row locks.
 */
import { activeTenantIds } from "../../server/db/client.server";
import { logEvent } from "../../server/observability/logger.server";
import { getQuotaStore } from "../../server/quota/index.server";
import { resyncTenants } from "../../server/quota/resync.server";
import { systemClock } from "../../server/clock";
import { defineJob } from "../definition";
import { QUOTA_RESYNC_QUEUE, quotaResyncPayload } from "../queues";

export const quotaResyncJob = defineJob({
  name: QUOTA_RESYNC_QUEUE,
  payload: quotaResyncPayload,
  policy: "singleton",
  retryLimit: 5,
  retryDelaySeconds: 10,
  retryBackoff: true,
  localConcurrency: 1,
  async handler(data, { jobId }) {
    const tenants = data.tenantId ? [data.tenantId] : await activeTenantIds();
    const results = await resyncTenants({ store: getQuotaStore(), clock: systemClock }, tenants, { type: "JOB", name: QUOTA_RESYNC_QUEUE });
    const summary = { tenants: results.length, raised: results.reduce((n, r) => n + r.phones.filter((p) => p.after !== p.before).length, 0) };
    logEvent("info", { worker: QUOTA_RESYNC_QUEUE, jobId, action: "quota.resync.done", metadata: summary });
    return summary;
  },
});
