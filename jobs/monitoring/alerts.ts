/**
 * alert.notify: every minute, the notification outbox of every tenant (server/alerts/notify.server.ts).
 * `stately`: one run at a time across all workers, so an alert is never sent twice by two runs.
 */
import { notifyTenant } from "../../server/alerts/notify.server";
import { defineJob } from "../definition";
import { ALERT_NOTIFY_QUEUE, alertNotifyPayload } from "../queues";
import { recordMonitorRun } from "../../server/monitoring/runs.server";
import { monitoringDeps } from "./deps";

export const alertNotifyJob = defineJob({
  name: ALERT_NOTIFY_QUEUE,
  seedName: "alert:*",
  payload: alertNotifyPayload,
  policy: "stately",
  retryLimit: 0,
  retryDelaySeconds: 30,
  retryBackoff: false,
  localConcurrency: 1,
  expireInSeconds: 600,
  pollingIntervalSeconds: 5,
  schedule: { cron: "* * * * *", tz: "Europe/Bucharest", data: {} },
  async handler() {
    const deps = monitoringDeps();
    return recordMonitorRun(ALERT_NOTIFY_QUEUE, deps.clock, async () => {
      const summary = { tenants: 0, sent: 0, failed: 0, skipped: 0 };
      for (const tenantId of await deps.tenants()) {
        const s = await notifyTenant(tenantId, deps.notify, deps.clock());
        summary.tenants += 1;
        summary.sent += s.sent;
        summary.failed += s.failed;
        summary.skipped += s.skipped;
      }
      return { outcome: summary.failed > 0 ? ("FAILED" as const) : ("OK" as const), summary };
    });
  },
});
