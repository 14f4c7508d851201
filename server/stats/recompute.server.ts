/**
 * Recomputing a tenant's statistics for a range of days: the daily totals (daily-stats.server.ts,
 * outreach_daily_stats) and the breakdowns analytics reads (breakdowns.server.ts), in one transaction
 * so readers see a day's old figures or its new ones. The statistics job (jobs/stats/recompute.ts:
 * nightly for yesterday and today, every five minutes for today) and an admin's recompute of any range
 * (the settings page, stats.recompute) call this same use case.
 *
 * Recomputes of one tenant take turns (a transaction-scoped advisory lock): the five-minute run, the
 * nightly run and a manual one may overlap, and each replaces rows the other is replacing.
 */
import { recordAudit } from "../audit/audit.server";
import type { Actor } from "../audit/actor";
import type { Clock } from "../clock";
import { withTenant, type TenantTx } from "../db/client.server";
import { DomainError, notFound } from "../errors";
import { recomputeBreakdowns } from "./breakdowns.server";
import { recomputeDailyStatsRange } from "./daily-stats.server";
import { addDays, dayRange, localDay } from "./day";

/** Days one call may recompute: a month, so one transaction stays short; longer ranges are done in chunks. */
export const MAX_RECOMPUTE_DAYS = 31;
/** A long range on a big tenant takes seconds, not the default 15 s transaction budget. */
const RECOMPUTE_TIMEOUT_MS = 10 * 60_000;

export interface RecomputeRange {
  from: string;
  to: string;
}

export interface RecomputeResult {
  tenantId: string;
  from: string;
  to: string;
  days: number;
  /** Totals of the range as recomputed (what the dashboard and analytics now read). */
  sent: number;
  replies: number;
  durationMs: number;
}

/** Inside the caller's tenant transaction: both recomputes, after the tenant's stats lock. */
export async function recomputeStatistics(tx: TenantTx, input: { tenantId: string; timeZone: string } & RecomputeRange): Promise<Omit<RecomputeResult, "durationMs">> {
  const days = dayRange(input.timeZone, input.from, input.to).days.length;
  if (days > MAX_RECOMPUTE_DAYS) throw new DomainError("BAD_INPUT", "STATS_RANGE_TOO_LONG", `at most ${MAX_RECOMPUTE_DAYS} days per recompute (${input.from} … ${input.to})`);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`outreach_stats:${input.tenantId}`}, 0))`;
  const rows = await recomputeDailyStatsRange(tx, { tenantId: input.tenantId, from: input.from, to: input.to, timeZone: input.timeZone });
  await recomputeBreakdowns(tx, { tenantId: input.tenantId, from: input.from, to: input.to, timeZone: input.timeZone });
  return {
    tenantId: input.tenantId,
    from: input.from,
    to: input.to,
    days,
    sent: rows.reduce((n, r) => n + r.waSent + r.emailColdSent + r.emailWarmSent, 0),
    replies: rows.reduce((n, r) => n + r.repliesTotal, 0),
  };
}

export type RecomputeScope = { kind: "today" } | { kind: "nightly" } | ({ kind: "range" } & RecomputeRange);

/**
 * The days a scope means in the tenant's zone: "today" (kept current during the day), "nightly"
 * (yesterday, now final but for late facts, and today, which has just begun), or an explicit range.
 */
export function scopeDays(scope: RecomputeScope, timeZone: string, now: Date): RecomputeRange {
  const today = localDay(timeZone, now);
  if (scope.kind === "today") return { from: today, to: today };
  if (scope.kind === "nightly") return { from: addDays(today, -1), to: today };
  return { from: scope.from, to: scope.to };
}

/**
 * One tenant: reads its time zone, recomputes the scope's days in one transaction, and records who
 * asked when a person did (the job's runs are in its own log).
 */
export async function recomputeTenantStatistics(tenantId: string, scope: RecomputeScope, options: { clock: Clock; actor?: Actor }): Promise<RecomputeResult> {
  const started = Date.now();
  const result = await withTenant(
    tenantId,
    async (tx) => {
      const tenant = await tx.tenant.findUnique({ where: { id: tenantId }, select: { timezone: true } });
      if (!tenant) throw notFound("tenant", tenantId);
      const range = scopeDays(scope, tenant.timezone, options.clock());
      const r = await recomputeStatistics(tx, { tenantId, timeZone: tenant.timezone, ...range });
      if (options.actor) {
        await recordAudit(tx, { tenantId, actor: options.actor, action: "stats.recompute", entityType: "outreach_daily_stats", entityId: null, after: { from: r.from, to: r.to, days: r.days } });
      }
      return r;
    },
    { timeoutMs: RECOMPUTE_TIMEOUT_MS },
  );
  return { ...result, durationMs: Date.now() - started };
}
