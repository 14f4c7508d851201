import { z } from "zod";
import { activeTenantIds, withTenant } from "../../server/db/client.server";
import { purgeExpiredSessions } from "../../server/auth/session-maintenance.server";
import { logEvent } from "../../server/observability/logger.server";
import { defineJob } from "../definition";

export const purgeSessionsJob = defineJob({
  name: "maintenance.sessions.purge",
  payload: z.object({}).strict(),
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
    logEvent("info", { worker: "maintenance.sessions.purge", jobId, action: "sessions.purged", metadata: { removed } });
    return { removed };
  },
});
