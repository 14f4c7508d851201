/**
 * quota.resync: rebuild Redis (phone mirrors, today's counters) from the database for every active
 * tenant, or one (runbook §6.2 steps 2–3; server/quota/resync.server.ts). For a worker to run after
 * a Redis recovery or on an operator's request; safe at any time, because it never lowers a counter
 * and writes mirrors under row locks.
 */
import { z } from "zod";
import { activeTenantIds } from "../../server/db/client.server";
import { logEvent } from "../../server/observability/logger.server";
import { getQuotaStore } from "../../server/quota/index.server";
import { resyncTenants } from "../../server/quota/resync.server";
import { systemClock } from "../../server/clock";
import { defineJob } from "../definition";

export const resyncPayload = z.object({ tenantId: z.uuid().optional() }).strict();

export const quotaResyncJob = defineJob({
  name: "quota.resync",
  payload: resyncPayload,
  policy: "singleton",
  retryLimit: 5,
  retryDelaySeconds: 10,
  retryBackoff: true,
  localConcurrency: 1,
  async handler(data, { jobId }) {
    const tenants = data.tenantId ? [data.tenantId] : await activeTenantIds();
    const results = await resyncTenants({ store: getQuotaStore(), clock: systemClock }, tenants, { type: "JOB", name: "quota.resync" });
    const summary = { tenants: results.length, raised: results.reduce((n, r) => n + r.phones.filter((p) => p.after !== p.before).length, 0) };
    logEvent("info", { worker: "quota.resync", jobId, action: "quota.resync.done", metadata: summary });
    return summary;
  },
});
