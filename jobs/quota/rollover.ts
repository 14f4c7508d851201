/**
 * quota:guardian:reset (seeds: workers overview §4, "Cron 00:00, daily reset"): at 00:00
 * Europe/Bucharest, write each tenant's finished day into wa_quota_usage and flag counter/log
 * mismatches (server/quota/rollover.server.ts). The counters roll by themselves (one key per date),
 * so nothing is reset.
 *
 * Payload overrides for a manual re-run: `{ tenantId?, usageDate? }`. Idempotent: the day's rows are
 * recomputed from the communication log, so retries and re-runs write the same numbers.
 */
import { activeTenantIds } from "../../server/db/client.server";
import { logEvent } from "../../server/observability/logger.server";
import { getQuotaStore } from "../../server/quota/index.server";
import { rollOverTenants } from "../../server/quota/rollover.server";
import { systemClock } from "../../server/clock";
import { defineJob } from "../definition";
import { QUOTA_ROLLOVER_QUEUE, quotaRolloverPayload } from "../queues";

export const quotaRolloverJob = defineJob({
  name: QUOTA_ROLLOVER_QUEUE,
  seedName: "quota:guardian:reset",
  payload: quotaRolloverPayload,
  policy: "singleton",
  retryLimit: 3,
  retryDelaySeconds: 300,
  retryBackoff: true,
  localConcurrency: 1,
  schedule: { cron: "0 0 * * *", tz: "Europe/Bucharest", data: {} },
  async handler(data, { jobId }) {
    const tenants = data.tenantId ? [data.tenantId] : await activeTenantIds();
    const results = await rollOverTenants({ store: getQuotaStore(), clock: systemClock }, tenants, data.usageDate);
    const summary = {
      tenants: results.length,
      phones: results.reduce((n, r) => n + r.phones.length, 0),
      mismatches: results.reduce((n, r) => n + r.mismatches.length, 0),
    };
    logEvent("info", { worker: QUOTA_ROLLOVER_QUEUE, jobId, action: "quota.rollover.done", metadata: summary });
    return summary;
  },
});
