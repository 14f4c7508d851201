/**
 * The monitors as registered pg-boss schedules (seeds: worker category K; runbook §7). Each handler
 * is thin: pick the tenants, call the use case in server/monitoring/, record the run.
 *
 * Policy `stately` for all: at most one queued and one running per monitor across every worker on
 * every host, so a slow run makes the next tick wait instead of two runs racing. No job-level
 * retries: the next tick is minutes away and does the same work (the quota-store monitor is the
 * exception: a rebuild that failed is retried at once).
 */
import { defineJob } from "../definition";
import {
  MONITOR_DELIVERABILITY_QUEUE,
  MONITOR_DLQ_QUEUE,
  MONITOR_PHONE_HEALTH_QUEUE,
  MONITOR_QUOTA_STORE_QUEUE,
  MONITOR_QUOTA_USAGE_QUEUE,
  PIPELINE_HEALTH_QUEUE,
  QUOTA_RESYNC_QUEUE,
  monitorPayload,
} from "../queues";
import { noPendingSends, pgBossPendingSends } from "../../server/phones/pending-sends.server";
import { checkDeliverability } from "../../server/monitoring/deliverability.server";
import { checkDeadLetters } from "../../server/monitoring/dead-letters.server";
import { checkPhoneHealth } from "../../server/monitoring/phone-health.server";
import { pipelineHealth } from "../../server/monitoring/pipeline-health.server";
import { probeProvider } from "../../server/monitoring/provider-health.server";
import { deadLetterCounts } from "../../server/monitoring/queue-stats.server";
import { checkQuotaUsage } from "../../server/monitoring/quota-usage.server";
import { recordMonitorRun } from "../../server/monitoring/runs.server";
import { detectAndHeal } from "../../server/quota/heal.server";
import { logEvent } from "../../server/observability/logger.server";
import { monitoringDeps } from "./deps";

const BUCHAREST = "Europe/Bucharest";
const common = {
  payload: monitorPayload,
  policy: "stately" as const,
  retryLimit: 0,
  retryDelaySeconds: 30,
  retryBackoff: false,
  localConcurrency: 1,
  expireInSeconds: 600,
  // Monitors are not latency-sensitive: a slower poll keeps idle workers cheap.
  pollingIntervalSeconds: 5,
};

async function tenantsOf(data: { tenantId?: string }): Promise<string[]> {
  return data.tenantId ? [data.tenantId] : monitoringDeps().tenants();
}

/** Every minute: TimelinesAI's accounts → phone statuses and health fields (probe with back-off). */
export const phoneHealthMonitor = defineJob({
  ...common,
  name: MONITOR_PHONE_HEALTH_QUEUE,
  seedName: "monitor:phone:health",
  schedule: { cron: "* * * * *", tz: BUCHAREST, data: {} },
  async handler(data, { boss }) {
    const deps = monitoringDeps();
    return recordMonitorRun(MONITOR_PHONE_HEALTH_QUEUE, deps.clock, async () => {
      const probe = await probeProvider({ clock: deps.clock, tenants: deps.tenants }, "timelinesai", () => deps.accounts.list());
      if (probe.kind === "SKIPPED") return { outcome: "SKIPPED" as const, summary: { provider: probe.state, nextProbeAt: probe.nextProbeAt.toISOString() } };
      if (probe.kind === "FAILED") return { outcome: "FAILED" as const, summary: { provider: probe.state, failures: probe.failures, error: probe.error } };
      const lifecycle = { store: deps.store, pendingSends: boss ? pgBossPendingSends(boss) : noPendingSends, clock: deps.clock };
      const summary = { tenants: 0, phones: 0, changed: 0, notConnected: 0 };
      for (const tenantId of await tenantsOf(data)) {
        const s = await checkPhoneHealth(lifecycle, tenantId, probe.value);
        summary.tenants += 1;
        summary.phones += s.checked;
        summary.changed += s.changed;
        summary.notConnected += s.notConnected;
      }
      return { summary };
    });
  },
});

/** Every 10 minutes: bounce rate per Instantly campaign and per tenant; pause and alert over the threshold. */
export const deliverabilityMonitor = defineJob({
  ...common,
  name: MONITOR_DELIVERABILITY_QUEUE,
  seedName: "monitor:email:deliverability",
  schedule: { cron: "*/10 * * * *", tz: BUCHAREST, data: {} },
  async handler(data) {
    const deps = monitoringDeps();
    return recordMonitorRun(MONITOR_DELIVERABILITY_QUEUE, deps.clock, async () => {
      const summary = { tenants: 0, campaigns: 0, paused: 0, alerts: 0 };
      for (const tenantId of await tenantsOf(data)) {
        const s = await checkDeliverability({ instantly: deps.instantly, clock: deps.clock }, tenantId);
        summary.tenants += 1;
        summary.campaigns += s.campaigns;
        summary.paused += s.paused;
        summary.alerts += s.alerts;
      }
      return { summary };
    });
  },
});

/** Every 5 minutes: did the phone pool run out of new contacts before the afternoon? */
export const quotaUsageMonitor = defineJob({
  ...common,
  name: MONITOR_QUOTA_USAGE_QUEUE,
  seedName: "monitor:quota:usage",
  schedule: { cron: "*/5 * * * *", tz: BUCHAREST, data: {} },
  async handler(data) {
    const deps = monitoringDeps();
    return recordMonitorRun(MONITOR_QUOTA_USAGE_QUEUE, deps.clock, async () => {
      const summary = { tenants: 0, alerts: 0 };
      for (const tenantId of await tenantsOf(data)) {
        const s = await checkQuotaUsage({ guardian: deps.guardian, clock: deps.clock }, tenantId);
        summary.tenants += 1;
        if (s.alerted) summary.alerts += 1;
      }
      return { summary };
    });
  },
});

/** Every 5 minutes: more than 100 dead letters of a tenant → dlq:overflow. */
export const deadLetterMonitor = defineJob({
  ...common,
  name: MONITOR_DLQ_QUEUE,
  schedule: { cron: "*/5 * * * *", tz: BUCHAREST, data: {} },
  async handler(data, { boss }) {
    const deps = monitoringDeps();
    return recordMonitorRun(MONITOR_DLQ_QUEUE, deps.clock, async () => {
      const counts = await deadLetterCounts(boss);
      const summary = { tenants: 0, deadLetters: 0, alerts: 0 };
      for (const tenantId of await tenantsOf(data)) {
        const mine = counts.filter((c) => c.tenantId === tenantId);
        const total = mine.reduce((n, c) => n + c.count, 0);
        const r = await checkDeadLetters({ clock: deps.clock }, tenantId, total, Object.fromEntries(mine.map((c) => [c.source, c.count])));
        summary.tenants += 1;
        summary.deadLetters += total;
        if (r.alerted) summary.alerts += 1;
      }
      return { summary };
    });
  },
});

/**
 * Every minute, and at once when a worker's watcher sees the sentinel gone: Redis lost the quota data
 * → redis:lost in every tenant, rebuild from the log, and a second pass a little later.
 */
export const quotaStoreMonitor = defineJob({
  ...common,
  name: MONITOR_QUOTA_STORE_QUEUE,
  retryLimit: 5,
  retryDelaySeconds: 5,
  retryBackoff: true,
  pollingIntervalSeconds: 2,
  schedule: { cron: "* * * * *", tz: BUCHAREST, data: {} },
  async handler(_data, { boss }) {
    const deps = monitoringDeps();
    return recordMonitorRun(MONITOR_QUOTA_STORE_QUEUE, deps.clock, async () => {
      const outcome = await detectAndHeal({ store: deps.store, clock: deps.clock, tenants: deps.tenants }, { type: "JOB", name: MONITOR_QUOTA_STORE_QUEUE });
      if (outcome.kind === "HEALED") {
        await boss.sendAfter(QUOTA_RESYNC_QUEUE, { reason: "follow-up" }, { singletonKey: "follow-up" }, deps.followUpResyncSeconds);
        return { summary: { state: "HEALED", tenants: outcome.heal.tenants.length, raised: outcome.heal.raised, alerts: outcome.alerts } };
      }
      if (outcome.kind === "UNREACHABLE") return { outcome: "FAILED" as const, summary: { state: "UNREACHABLE", error: outcome.error } };
      return { outcome: outcome.kind === "OK" ? ("OK" as const) : ("SKIPPED" as const), summary: { state: outcome.kind } };
    });
  },
});

/** Every 5 minutes: the pipeline's summary per tenant, as one log line each (seeds `pipeline:outreach:health`). */
export const pipelineHealthMonitor = defineJob({
  ...common,
  name: PIPELINE_HEALTH_QUEUE,
  seedName: "pipeline:outreach:health",
  schedule: { cron: "*/5 * * * *", tz: BUCHAREST, data: {} },
  async handler(data, { boss }) {
    const deps = monitoringDeps();
    return recordMonitorRun(PIPELINE_HEALTH_QUEUE, deps.clock, async () => {
      const summary = { tenants: 0, ok: 0, degraded: 0, critical: 0 };
      for (const tenantId of await tenantsOf(data)) {
        const h = await pipelineHealth({ boss, redis: deps.store.redis, clock: deps.clock }, tenantId);
        summary.tenants += 1;
        summary[h.level === "OK" ? "ok" : h.level === "DEGRADED" ? "degraded" : "critical"] += 1;
        logEvent(h.level === "OK" ? "info" : "warn", {
          worker: PIPELINE_HEALTH_QUEUE,
          action: "pipeline.health",
          tenantId,
          metadata: { level: h.level, problems: h.problems, dispatch: h.dispatch, phones: h.phones, deadLetters: h.deadLetters, quotaStore: h.quotaStore, openAlerts: h.alerts.open, reviews: h.reviews },
        });
      }
      return { summary };
    });
  },
});

export const monitorJobs = [
  phoneHealthMonitor,
  deliverabilityMonitor,
  quotaUsageMonitor,
  deadLetterMonitor,
  quotaStoreMonitor,
  pipelineHealthMonitor,
];
