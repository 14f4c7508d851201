/**
 * The operational metrics /metrics serves (seeds: workers overview §7.1 metric names), read from the
 * shared stores at scrape time rather than counted in this process: the pipeline runs in worker
 * processes on other hosts, so only Postgres, pg-boss's tables and Redis know the totals. One
 * SECURITY DEFINER function (system_ops_metrics) returns every tenant's counts in one statement;
 * queue depths come from pg-boss, quota usage from Redis. The result is cached briefly so several
 * scrapers (or a fast scrape interval) cost one collection.
 *
 * Access (`metricsAccess`): with METRICS_TOKEN set, a matching `Authorization: Bearer` is required, as
 * Prometheus' `authorization` / `bearer_token_file` sends it; without one, only loopback callers.
 */
import { timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import type { Redis } from "ioredis";
import type { PgBoss } from "pg-boss";
import { Counter, Gauge } from "prom-client";
import { z } from "zod";
import { getPrisma, withTenant } from "../db/client.server";
import { listMonitorRuns } from "../monitoring/runs.server";
import { providerHealthViews } from "../monitoring/provider-health.server";
import { deadLetterCounts, queueDepths } from "../monitoring/queue-stats.server";
import { queueFamilyOf } from "../../jobs/queues";
import { readQuotaStoreState } from "../quota/heal.server";
import { QuotaStore } from "../quota/store.server";
import { loadTenantQuotaSettings } from "../quota/settings.server";
import { calendarFor } from "../quota/window";
import { getEnv } from "../config/env.server";
import { getRedis } from "../redis.server";
import { errorFields, logEvent } from "./logger.server";
import { outreachMessagesTotal, queueJobs, registry } from "./metrics.server";

export type MetricsAccess = "allowed" | "unauthorized" | "forbidden";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export function metricsAccess(input: { token: string | undefined; authorization: string | undefined; remoteAddress: string | undefined }): MetricsAccess {
  if (!input.token) return input.remoteAddress && LOOPBACK.has(input.remoteAddress) ? "allowed" : "forbidden";
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(input.authorization ?? "")?.[1];
  if (!presented) return "unauthorized";
  const a = Buffer.from(presented);
  const b = Buffer.from(input.token);
  return a.length === b.length && timingSafeEqual(a, b) ? "allowed" : "unauthorized";
}

// ─── Metrics (names from the seeds where they exist: cerniq_outreach_*, cerniq_wa_*) ───────────

const quotaUsage = new Gauge({ name: "cerniq_wa_quota_usage", help: "WhatsApp new contacts used today per phone (Redis counter)", labelNames: ["tenant", "phone", "label"] as const, registers: [registry] });
const quotaLimit = new Gauge({ name: "cerniq_wa_quota_limit", help: "WhatsApp new-contact limit per phone and day", labelNames: ["tenant", "phone", "label"] as const, registers: [registry] });
const replyRate = new Gauge({ name: "cerniq_outreach_reply_rate", help: "Replies per outbound message over the last 7 days, by channel", labelNames: ["tenant", "channel"] as const, registers: [registry] });
const deadLetters = new Gauge({ name: "cerniq_dead_letters", help: "Jobs waiting in the dead-letter queue, by the queue they came from", labelNames: ["queue"] as const, registers: [registry] });
const webhookEvents = new Counter({ name: "cerniq_webhook_events_total", help: "Stored webhook events by provider and normalization status (RECEIVED = not normalized yet)", labelNames: ["provider", "status"] as const, registers: [registry] });
const webhookIngested = new Counter({ name: "cerniq_webhook_events_ingested_total", help: "Webhook events accepted and stored, by provider", labelNames: ["provider"] as const, registers: [registry] });
const webhookRejected = new Counter({ name: "cerniq_webhook_rejections_total", help: "Webhooks refused (bad signature, unknown tenant), by provider", labelNames: ["provider"] as const, registers: [registry] });
const classifications = new Counter({ name: "cerniq_reply_classifications_total", help: "Inbound messages classified, by intent and sentiment band", labelNames: ["tenant", "channel", "intent", "sentiment"] as const, registers: [registry] });
const alertsOpen = new Gauge({ name: "cerniq_alerts_open", help: "Open alerts by type and severity", labelNames: ["tenant", "type", "severity"] as const, registers: [registry] });
const reviewsOpen = new Gauge({ name: "cerniq_reviews_open", help: "Open review items by priority, and whether past their SLA", labelNames: ["tenant", "priority", "breached"] as const, registers: [registry] });
const quotaStoreOk = new Gauge({ name: "cerniq_quota_store_ok", help: "1 when Redis holds the quota data (sentinel present), 0 when it was lost or is being rebuilt", registers: [registry] });
const providerFailures = new Gauge({ name: "cerniq_provider_consecutive_failures", help: "Consecutive failed monitor probes per provider (3 or more = down)", labelNames: ["provider"] as const, registers: [registry] });
const monitorLastRun = new Gauge({ name: "cerniq_monitor_last_run_timestamp_seconds", help: "When each monitor last finished, by outcome", labelNames: ["monitor", "outcome"] as const, registers: [registry] });

const metricRow = z.object({ metric: z.string(), labels: z.record(z.string(), z.string()), value: z.number() });
const CACHE_MS = 15_000;

let last: { at: number; running: Promise<void> | null } = { at: 0, running: null };

/** Refreshes every operational metric; at most once per 15 s, concurrent scrapes share one run. */
export async function collectOperationalMetrics(deps: { boss: PgBoss | null; redis: Redis }): Promise<void> {
  if (Date.now() - last.at < CACHE_MS) return;
  if (last.running) return last.running;
  const running = collect(deps)
    .catch((error: unknown) => logEvent("warn", { action: "metrics.collect_failed", error: errorFields(error) }))
    .finally(() => {
      last = { at: Date.now(), running: null };
    });
  last = { ...last, running };
  return running;
}

/** Tests: forget the cache. */
export function resetMetricsCache(): void {
  last = { at: 0, running: null };
}

async function collect(deps: { boss: PgBoss | null; redis: Redis }): Promise<void> {
  const rows = (await getPrisma().$queryRaw<unknown[]>`SELECT metric, labels, value FROM system_ops_metrics()`).map((r) => metricRow.parse(r));
  for (const m of [outreachMessagesTotal, webhookEvents, webhookIngested, webhookRejected, classifications]) m.reset();
  for (const g of [replyRate, alertsOpen, reviewsOpen]) g.reset();
  const ingested = new Map<string, number>();
  for (const r of rows) {
    const l = r.labels;
    switch (r.metric) {
      case "messages_total":
        outreachMessagesTotal.inc({ tenant: l.tenant!, channel: l.channel!, direction: l.direction!, status: l.status! }, r.value);
        break;
      case "reply_rate":
        replyRate.set({ tenant: l.tenant!, channel: l.channel! }, r.value);
        break;
      case "webhook_events_total":
        webhookEvents.inc({ provider: l.provider!, status: l.status! }, r.value);
        ingested.set(l.provider!, (ingested.get(l.provider!) ?? 0) + r.value);
        break;
      case "webhook_rejections_total":
        webhookRejected.inc({ provider: l.provider! }, r.value);
        break;
      case "classifications_total":
        classifications.inc({ tenant: l.tenant!, channel: l.channel!, intent: l.intent!, sentiment: l.sentiment! }, r.value);
        break;
      case "alerts_open":
        alertsOpen.set({ tenant: l.tenant!, type: l.type!, severity: l.severity! }, r.value);
        break;
      case "reviews_open":
        reviewsOpen.set({ tenant: l.tenant!, priority: l.priority!, breached: l.breached! }, r.value);
        break;
    }
  }
  for (const [provider, n] of ingested) webhookIngested.inc({ provider }, n);

  if (deps.boss) {
    queueJobs.reset();
    // Every queue appears, idle ones at 0; the counts are read now from the job table.
    const depths = new Map((await queueDepths(deps.boss)).map((d) => [d.queue, d]));
    // A tenant's WhatsApp send queue counts under its family (`wa.send`): one series, not one per tenant.
    for (const queue of new Set((await deps.boss.getQueues()).map((q) => queueFamilyOf(q.name)))) {
      const d = depths.get(queue);
      queueJobs.set({ queue, state: "queued" }, d?.queued ?? 0);
      queueJobs.set({ queue, state: "active" }, d?.active ?? 0);
      queueJobs.set({ queue, state: "deferred" }, d?.deferred ?? 0);
    }
    deadLetters.reset();
    const bySource = new Map<string, number>();
    for (const d of await deadLetterCounts(deps.boss)) bySource.set(d.source, (bySource.get(d.source) ?? 0) + d.count);
    for (const [queue, n] of bySource) deadLetters.set({ queue }, n);
  }

  const store = await readQuotaStoreState(deps.redis);
  quotaStoreOk.set(store.state === "OK" ? 1 : 0);
  providerFailures.reset();
  for (const p of await providerHealthViews()) providerFailures.set({ provider: p.provider }, p.consecutiveFailures);
  monitorLastRun.reset();
  for (const run of await listMonitorRuns()) if (run.finishedAt) monitorLastRun.set({ monitor: run.monitor, outcome: run.outcome }, run.finishedAt.getTime() / 1000);

  // Today's quota per phone, one Redis round trip per tenant.
  quotaUsage.reset();
  quotaLimit.reset();
  if (store.state !== "UNREACHABLE") {
    const quota = new QuotaStore(deps.redis);
    const tenants = await getPrisma().$queryRaw<Array<{ id: string }>>`SELECT system_active_tenant_ids() AS id`;
    for (const { id: tenantId } of tenants) {
      const { slug, phones, settings } = await withTenant(tenantId, async (tx) => ({
        slug: (await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { slug: true } })).slug,
        phones: await tx.waPhoneNumber.findMany({ select: { id: true, label: true } }),
        settings: await loadTenantQuotaSettings(tx, tenantId),
      }));
      const usage = await quota.usage(tenantId, phones.map((p) => p.id), calendarFor(settings.window).localDate(new Date()), settings.defaultLimit);
      const labelOf = new Map(phones.map((p) => [p.id, p.label]));
      for (const u of usage) {
        const labels = { tenant: slug, phone: u.phoneId, label: labelOf.get(u.phoneId) ?? "" };
        quotaUsage.set(labels, u.used);
        quotaLimit.set(labels, u.limit);
      }
    }
  }
}

/** GET /metrics: access check, then the collection (cached) and the registry in Prometheus' text format. */
export function metricsRoute(boss: PgBoss | null, redis: () => Redis = getRedis): RequestHandler {
  return async (req, res) => {
    const access = metricsAccess({ token: getEnv().METRICS_TOKEN, authorization: req.headers.authorization, remoteAddress: req.socket.remoteAddress });
    if (access === "unauthorized") {
      res.status(401).set("WWW-Authenticate", 'Bearer realm="metrics"').type("text/plain").send("metrics need Authorization: Bearer <METRICS_TOKEN>\n");
      return;
    }
    if (access === "forbidden") {
      res.status(403).type("text/plain").send("metrics are served to this host only; set METRICS_TOKEN to scrape from elsewhere\n");
      return;
    }
    await collectOperationalMetrics({ boss, redis: redis() });
    res.set("Content-Type", registry.contentType).send(await registry.metrics());
  };
}
