/**
 * Runbook §8.1, weekly maintenance (Sunday 02:00 Bucharest): communication log rows older than 90 days
 * into the archive table (server/operations/archive.server.ts). `npm run ops -- archive` runs the same
 * use case by hand, with --dry-run.
 */
import { activeTenantIds } from "../../server/db/client.server";
import { archiveCommunicationLog } from "../../server/operations/archive.server";
import { recordMonitorRun } from "../../server/monitoring/runs.server";
import { systemClock } from "../../server/clock";
import { defineJob } from "../definition";
import { LOG_ARCHIVE_QUEUE, logArchivePayload } from "../queues";

export const logArchiveJob = defineJob({
  name: LOG_ARCHIVE_QUEUE,
  payload: logArchivePayload,
  policy: "stately",
  retryLimit: 2,
  retryDelaySeconds: 600,
  retryBackoff: true,
  localConcurrency: 1,
  expireInSeconds: 3600,
  pollingIntervalSeconds: 30,
  schedule: { cron: "0 2 * * 0", tz: "Europe/Bucharest", data: { olderThanDays: 90 } },
  async handler(data) {
    return recordMonitorRun(LOG_ARCHIVE_QUEUE, systemClock, async () => {
      const summary = { tenants: 0, archived: 0, heldByReviews: 0 };
      for (const tenantId of await activeTenantIds()) {
        const r = await archiveCommunicationLog(tenantId, { now: systemClock(), olderThanDays: data.olderThanDays, dryRun: false, actor: { type: "JOB", name: LOG_ARCHIVE_QUEUE } });
        summary.tenants += 1;
        summary.archived += r.archived;
        summary.heldByReviews += r.heldByReviews;
      }
      return { summary };
    });
  },
});
