/**
 * monitor.stats.daily: the daily statistics recomputed from the log (server/stats/recompute.server.ts).
 *
 * Schedules (Europe/Bucharest):
 *   - nightly, 00:15: yesterday and today for every active tenant. Yesterday is final by then but for
 *     late facts (a read receipt, a late bounce); recomputing it once more after midnight catches the
 *     facts of its last minutes and any webhook that arrived late in the evening.
 *   - every 5 minutes: today, so the dashboard and analytics are never more than a few minutes behind
 *     the log. A recompute, not an incremental counter: it is the same idempotent statement as the
 *     nightly one (a few grouped queries on the log's (tenant_id, created_at) index), so there is no
 *     second way of counting that could drift from the first, and a missed or failed run is repaired
 *     by the next one. bench/ui-analytics.ts measures what a run of "today" costs on the big seed.
 *
 * A tick fans out one job per tenant with a deterministic id (tenant, scope, tick), so two schedulers
 * firing the same tick insert one job; the tenant job takes the tenant's stats lock, so overlapping
 * runs take turns instead of replacing each other's rows at the same time.
 */
import type { PgBoss } from "pg-boss";
import { systemClock } from "../../server/clock";
import { activeTenantIds } from "../../server/db/client.server";
import { logEvent } from "../../server/observability/logger.server";
import { deterministicUuid } from "../../server/pipeline/rules/ids.server";
import { recomputeTenantStatistics, type RecomputeScope } from "../../server/stats/recompute.server";
import { defineJob } from "../definition";
import { OUTREACH_DLQ, STATS_RECOMPUTE_QUEUE, statsRecomputePayload, type StatsRecomputePayload } from "../queues";

const ZONE = "Europe/Bucharest";
export const NIGHTLY_CRON = "15 0 * * *";
export const TODAY_CRON = "*/5 * * * *";

export async function fanOutStatistics(boss: Pick<PgBoss, "send">, tenantIds: readonly string[], data: StatsRecomputePayload, tick: Date): Promise<number> {
  let queued = 0;
  for (const tenantId of tenantIds) {
    const key = `stats:${tenantId}:${data.scope}:${tick.toISOString()}`;
    const id = await boss.send(STATS_RECOMPUTE_QUEUE, { ...data, tenantId, tick: tick.toISOString() }, { id: deterministicUuid(key), singletonKey: key });
    if (id) queued += 1;
  }
  return queued;
}

function scopeOf(data: StatsRecomputePayload): RecomputeScope {
  if (data.scope === "range") return { kind: "range", from: data.from!, to: data.to! };
  return { kind: data.scope };
}

export const statsRecomputeJob = defineJob({
  name: STATS_RECOMPUTE_QUEUE,
  payload: statsRecomputePayload,
  policy: "standard",
  retryLimit: 3,
  retryDelaySeconds: 60,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
  deadLetter: OUTREACH_DLQ,
  localConcurrency: 1,
  schedules: [
    { key: "nightly", cron: NIGHTLY_CRON, tz: ZONE, data: { scope: "nightly" } },
    { key: "today", cron: TODAY_CRON, tz: ZONE, data: { scope: "today" } },
  ],
  async handler(data, { jobId, boss }) {
    if (!data.tenantId) {
      // A tick of the schedule: the minute it fired for, so a retried fan-out makes the same ids.
      const tick = new Date(Math.floor(systemClock().getTime() / 60_000) * 60_000);
      const queued = await fanOutStatistics(boss, await activeTenantIds(), data, data.tick ? new Date(data.tick) : tick);
      return { fannedOut: queued, scope: data.scope };
    }
    const result = await recomputeTenantStatistics(data.tenantId, scopeOf(data), { clock: systemClock });
    logEvent("info", {
      worker: STATS_RECOMPUTE_QUEUE,
      jobId,
      action: "stats.recomputed",
      duration: result.durationMs,
      metadata: { tenantId: data.tenantId, scope: data.scope, from: result.from, to: result.to, sent: result.sent, replies: result.replies },
    });
    return result;
  },
});
