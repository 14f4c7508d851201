import { activeTenantIds, withTenant } from "../../server/db/client.server";
import { purgeExpiredSessions } from "../../server/auth/session-maintenance.server";
import { logEvent } from "../../server/observability/logger.server";
import { defineJob } from "../definition";
import { SESSIONS_PURGE_QUEUE, sessionsPurgePayload } from "../queues";

export const purgeSessionsJob = defineJob({
  name: SESSIONS_PURGE_QUEUE,
  payload: sessionsPurgePayload,
  retryLimit: 2,
  retryDelaySeconds: 60,
  retryBackoff: true,
  policy: "singleton",
  schedule: { cron: "17 * * * *", tz: "Europe/Bucharest", data: {} },
  async handler(_data, { jobId }) {
    let removed = 0;
    for (const tenantId of await activeTenantIds()) {
      removed += await withTenant(tenantId, (tx) => purgeExpiredSessions(tx, new Date()));
    }
    logEvent("info", { worker: SESSIONS_PURGE_QUEUE, jobId, action: "sessions.purged", metadata: { removed } });
    return { removed };
  },
});
