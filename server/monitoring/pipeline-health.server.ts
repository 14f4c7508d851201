/**
 * The pipeline's health in one object per tenant (seeds `pipeline:outreach:health`): is dispatch
 * running, are the phones connected and checked, do the queues move, is anything waiting in the
 * dead-letter queue, does Redis hold the quota data, does TimelinesAI answer, which alerts are open.
 * The operations page, the morning/evening checks (`npm run ops`) and the `pipeline.outreach.health`
 * job (which logs it every 5 minutes) all read this one function.
 */
import type { Redis } from "ioredis";
import { alertCounts } from "../alerts/alerts.server";
import type { AlertCounts } from "../alerts/schemas";
import { withTenant } from "../db/client.server";
import { readQuotaStoreState } from "../quota/heal.server";
import { loadTenantQuotaSettings } from "../quota/settings.server";
import { calendarFor } from "../quota/window";
import type { Clock } from "../clock";
import { providerHealthViews } from "./provider-health.server";
import { queueStatsForTenant, type BossDb, type QueueStat } from "./queue-stats.server";
import { dispatchStalled, type ProviderState } from "./rules";

/** A phone whose health was last checked longer ago than this is "not watched" (monitor runs every minute). */
export const PHONE_CHECK_STALE_MS = 10 * 60_000;

export type HealthLevel = "OK" | "DEGRADED" | "CRITICAL";

export interface PipelineHealth {
  tenantId: string;
  at: Date;
  level: HealthLevel;
  /** Human-readable reasons for the level, most severe first (English codes the UI translates). */
  problems: string[];
  windowOpen: boolean;
  dispatch: { lastRunAt: Date | null; lastStatus: string | null; stalled: boolean; runsLastHour: number; sentToQueuesLastHour: number };
  phones: { total: number; sendable: number; offline: number; banned: number; paused: number; uncheckedRecently: number };
  queues: QueueStat[];
  deadLetters: number;
  quotaStore: "OK" | "HEALING" | "LOST" | "UNREACHABLE";
  providers: Array<{ provider: string; status: ProviderState }>;
  alerts: AlertCounts;
  reviews: { open: number; breached: number };
}

export interface PipelineHealthDeps {
  boss: BossDb;
  redis: Redis;
  clock: Clock;
}

export async function pipelineHealth(deps: PipelineHealthDeps, tenantId: string): Promise<PipelineHealth> {
  const now = deps.clock();
  const [db, queues, store, providers] = await Promise.all([
    withTenant(tenantId, async (tx) => {
      const settings = await loadTenantQuotaSettings(tx, tenantId);
      const hourAgo = new Date(now.getTime() - 3600_000);
      const lastRun = await tx.dispatchRun.findFirst({ orderBy: { startedAt: "desc" }, select: { startedAt: true, status: true } });
      const runs = await tx.dispatchRun.aggregate({ where: { startedAt: { gt: hourAgo } }, _count: { _all: true }, _sum: { dispatchedToWhatsApp: true, dispatchedToEmail: true } });
      const phones = await tx.waPhoneNumber.findMany({ select: { status: true, isEnabled: true, lastHealthCheckAt: true } });
      const alerts = await alertCounts(tx);
      const reviews = await tx.$queryRaw<Array<{ open: number; breached: number }>>`
        SELECT count(*)::int AS open, (count(*) FILTER (WHERE sla_due_at < ${now}))::int AS breached
        FROM human_review_queue WHERE status IN ('PENDING', 'ASSIGNED', 'IN_PROGRESS', 'ESCALATED')`;
      return { settings, lastRun, runs, phones, alerts, reviews: reviews[0] ?? { open: 0, breached: 0 } };
    }),
    queueStatsForTenant(deps.boss, tenantId),
    readQuotaStoreState(deps.redis),
    providerHealthViews(),
  ]);
  const windowOpen = calendarFor(db.settings.window).state(now).open;
  const stalled = dispatchStalled(db.lastRun?.startedAt ?? null, now, windowOpen);
  const phones = {
    total: db.phones.length,
    sendable: db.phones.filter((p) => p.status === "ACTIVE" && p.isEnabled).length,
    offline: db.phones.filter((p) => p.status === "OFFLINE" || p.status === "RECONNECTING").length,
    banned: db.phones.filter((p) => p.status === "BANNED").length,
    paused: db.phones.filter((p) => p.status === "PAUSED" || p.status === "QUARANTINE" || !p.isEnabled).length,
    uncheckedRecently: db.phones.filter((p) => p.status !== "BANNED" && (!p.lastHealthCheckAt || now.getTime() - p.lastHealthCheckAt.getTime() > PHONE_CHECK_STALE_MS)).length,
  };
  const deadLetters = queues.filter((q) => q.queue.startsWith("dlq.")).reduce((n, q) => n + q.queued + q.deferred, 0);

  const critical: string[] = [];
  const degraded: string[] = [];
  if (store.state === "LOST" || store.state === "UNREACHABLE") critical.push(`QUOTA_STORE_${store.state}`);
  if (providers.some((p) => p.provider === "timelinesai" && p.status === "DOWN")) critical.push("TIMELINESAI_DOWN");
  if (phones.total > 0 && phones.sendable === 0) critical.push("NO_SENDABLE_PHONE");
  if (db.alerts.bySeverity.CRITICAL > 0) critical.push("CRITICAL_ALERTS_OPEN");
  if (stalled) degraded.push("DISPATCH_STALLED");
  if (store.state === "HEALING") degraded.push("QUOTA_STORE_HEALING");
  if (phones.offline > 0) degraded.push("PHONES_OFFLINE");
  if (phones.uncheckedRecently > 0) degraded.push("PHONES_NOT_CHECKED");
  if (deadLetters > 0) degraded.push("DEAD_LETTERS_WAITING");
  if (db.reviews.breached > 0) degraded.push("REVIEWS_PAST_SLA");
  if (db.alerts.bySeverity.HIGH > 0) degraded.push("HIGH_ALERTS_OPEN");

  return {
    tenantId,
    at: now,
    level: critical.length > 0 ? "CRITICAL" : degraded.length > 0 ? "DEGRADED" : "OK",
    problems: [...critical, ...degraded],
    windowOpen,
    dispatch: {
      lastRunAt: db.lastRun?.startedAt ?? null,
      lastStatus: db.lastRun?.status ?? null,
      stalled,
      runsLastHour: db.runs._count._all,
      sentToQueuesLastHour: (db.runs._sum.dispatchedToWhatsApp ?? 0) + (db.runs._sum.dispatchedToEmail ?? 0),
    },
    phones,
    queues,
    deadLetters,
    quotaStore: store.state,
    providers: providers.map((p) => ({ provider: p.provider, status: p.status })),
    alerts: db.alerts,
    reviews: db.reviews,
  };
}
