/**
 * quota.resync: rebuild Redis (phone mirrors, today's counters) from the database (runbook §6.2 steps
 * 2–3; server/quota/resync.server.ts). With a tenant: that tenant only. Without: every active tenant,
 * and the quota store's sentinel is rewritten (server/quota/heal.server.ts), which is what the
 * start-up run, the second pass after a Redis loss and `npm run ops -- recover` need. Safe at any
 * time: it never lowers a counter and writes mirrors under row locks.
 */
import { activeTenantIds } from "../../server/db/client.server";
import { logEvent } from "../../server/observability/logger.server";
import { getQuotaStore } from "../../server/quota/index.server";
import { healQuotaStore } from "../../server/quota/heal.server";
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
    const deps = { store: getQuotaStore(), clock: systemClock };
    const actor = { type: "JOB" as const, name: `${QUOTA_RESYNC_QUEUE}${data.reason ? ` (${data.reason})` : ""}` };
    const results = data.tenantId
      ? await resyncTenants(deps, [data.tenantId], actor)
      : (await healQuotaStore(deps, await activeTenantIds(), actor, data.reason ?? "operator")).tenants;
    const summary = { tenants: results.length, raised: results.reduce((n, r) => n + r.phones.filter((p) => p.after !== p.before).length, 0), reason: data.reason ?? null };
    logEvent("info", { worker: QUOTA_RESYNC_QUEUE, jobId, action: "quota.resync.done", metadata: summary });
    return summary;
  },
});
