/**
 * The daily checks of runbook §1 as reports: what the morning check (09:00) and the evening check
 * (18:00) look at, for one tenant, from the database, pg-boss's tables and Redis. Read-only; the
 * command prints them, the operations page shows them.
 */
import { withTenant } from "../db/client.server";
import { pipelineHealth, type PipelineHealth } from "../monitoring/pipeline-health.server";
import { listMonitorRuns } from "../monitoring/runs.server";
import { createQuotaGuardian } from "../quota/guardian.server";
import { loadTenantQuotaSettings } from "../quota/settings.server";
import { calendarFor, dayBounds, previousDate } from "../quota/window";
import { LOG_ARCHIVE_QUEUE } from "../../jobs/queues";
import { ARCHIVE_AFTER_DAYS } from "./archive.server";
import type { OperationsDeps } from "./context";

export interface PhoneCheck {
  phoneId: string;
  label: string;
  phoneNumber: string;
  status: string;
  enabled: boolean;
  /** What Redis says (the mirror the quota check reads); null = no mirror. */
  mirrorStatus: string | null;
  used: number | null;
  limit: number;
  lastHealthCheckAt: Date | null;
  lastError: string | null;
}

export interface MorningCheck {
  tenantId: string;
  tenantName: string;
  at: Date;
  usageDate: string;
  health: PipelineHealth;
  /** §1.1 step 1 and 6: phones not ACTIVE, and what TimelinesAI / Redis say about each. */
  phones: PhoneCheck[];
  notActive: PhoneCheck[];
  /** §1.1 step 2: yesterday's usage was rolled into history, today's counters started from zero. */
  quotaReset: { yesterday: string; yesterdayRows: number; todayUsed: number };
  /** §1.1 step 3 and 5. */
  reviews: { pending: number; breachedOvernight: number };
}

export async function morningCheck(deps: OperationsDeps, tenantId: string): Promise<MorningCheck> {
  const now = deps.clock();
  const health = await pipelineHealth({ boss: deps.boss, redis: deps.redis, clock: deps.clock }, tenantId);
  const data = await withTenant(tenantId, async (tx) => {
    const settings = await loadTenantQuotaSettings(tx, tenantId);
    const usageDate = calendarFor(settings.window).localDate(now);
    const yesterday = previousDate(usageDate);
    const tz = settings.window.timeZone;
    // "Overnight": since the end of yesterday's sending window.
    const since = new Date(dayBounds(tz, yesterday).start.getTime() + settings.window.endHour * 3600_000);
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true } });
    const phones = await tx.waPhoneNumber.findMany({
      select: { id: true, label: true, phoneNumber: true, status: true, isEnabled: true, dailyQuotaLimit: true, lastHealthCheckAt: true, lastError: true },
      orderBy: { label: "asc" },
    });
    const yesterdayRows = await tx.waQuotaUsage.count({ where: { usageDate: new Date(`${yesterday}T00:00:00Z`) } });
    const pending = await tx.humanReviewQueue.count({ where: { status: "PENDING" } });
    const breached = await tx.humanReviewQueue.count({ where: { slaDueAt: { gte: since, lt: now }, OR: [{ resolvedAt: null }, { resolvedAt: { gt: tx.humanReviewQueue.fields.slaDueAt } }] } });
    return { settings, usageDate, yesterday, tenant, phones, yesterdayRows, pending, breached };
  });
  const guardian = createQuotaGuardian({ store: deps.store, clock: deps.clock, logDecisions: false });
  const usage = new Map((await guardian.usage(tenantId, data.phones.map((p) => p.id), data.settings).catch(() => [])).map((u) => [u.phoneId, u]));
  const phones: PhoneCheck[] = data.phones.map((p) => ({
    phoneId: p.id,
    label: p.label,
    phoneNumber: p.phoneNumber,
    status: p.status,
    enabled: p.isEnabled,
    mirrorStatus: usage.get(p.id)?.status ?? null,
    used: usage.has(p.id) ? usage.get(p.id)!.used : null,
    limit: p.dailyQuotaLimit,
    lastHealthCheckAt: p.lastHealthCheckAt,
    lastError: p.lastError,
  }));
  return {
    tenantId,
    tenantName: data.tenant.name,
    at: now,
    usageDate: data.usageDate,
    health,
    phones,
    notActive: phones.filter((p) => p.status !== "ACTIVE" || !p.enabled),
    quotaReset: { yesterday: data.yesterday, yesterdayRows: data.yesterdayRows, todayUsed: phones.reduce((n, p) => n + (p.used ?? 0), 0) },
    reviews: { pending: data.pending, breachedOvernight: data.breached },
  };
}

export interface EveningCheck {
  tenantId: string;
  tenantName: string;
  at: Date;
  day: string;
  /** §1.2 step 1: the day's figures. */
  today: { contacted: number; newContacts: number; replied: number; converted: number; reviewsResolved: number; bounced: number; failed: number };
  /** §1.2 step 2. */
  deadLetters: number;
  failedJobsToday: Array<{ queue: string; failed: number }>;
  /** §1.2 step 3: what the weekly archive has left to do, and when it last ran. */
  archive: { olderThanDays: number; rowsWaiting: number; lastRun: { finishedAt: Date | null; outcome: string } | null };
}

export async function eveningCheck(deps: OperationsDeps, tenantId: string): Promise<EveningCheck> {
  const now = deps.clock();
  const health = await pipelineHealth({ boss: deps.boss, redis: deps.redis, clock: deps.clock }, tenantId);
  const data = await withTenant(tenantId, async (tx) => {
    const settings = await loadTenantQuotaSettings(tx, tenantId);
    const day = calendarFor(settings.window).localDate(now);
    const { start, end } = dayBounds(settings.window.timeZone, day);
    const cutoff = new Date(now.getTime() - ARCHIVE_AFTER_DAYS * 86_400_000);
    const rows = await tx.$queryRaw<Array<{ contacted: number; new_contacts: number; replied: number; bounced: number; failed: number }>>`
      SELECT (count(DISTINCT lead_id) FILTER (WHERE direction = 'OUTBOUND' AND status NOT IN ('QUEUED', 'FAILED')))::int AS contacted,
             (count(*) FILTER (WHERE direction = 'OUTBOUND' AND quota_cost = 1 AND status <> 'FAILED'))::int AS new_contacts,
             (count(*) FILTER (WHERE direction = 'INBOUND'))::int AS replied,
             (count(*) FILTER (WHERE status = 'BOUNCED'))::int AS bounced,
             (count(*) FILTER (WHERE direction = 'OUTBOUND' AND status = 'FAILED'))::int AS failed
        FROM gold_communication_log WHERE created_at >= ${start} AND created_at < ${end}`;
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { name: true } });
    const converted = await tx.leadStateHistory.count({ where: { toState: "CONVERTED", createdAt: { gte: start, lt: end } } });
    const reviewsResolved = await tx.humanReviewQueue.count({ where: { resolvedAt: { gte: start, lt: end } } });
    const waiting = await tx.goldCommunicationLog.count({ where: { createdAt: { lt: cutoff } } });
    return { day, tenant, figures: rows[0]!, converted, reviewsResolved, waiting };
  });
  const archiveRun = (await listMonitorRuns()).find((r) => r.monitor === LOG_ARCHIVE_QUEUE) ?? null;
  return {
    tenantId,
    tenantName: data.tenant.name,
    at: now,
    day: data.day,
    today: {
      contacted: data.figures.contacted,
      newContacts: data.figures.new_contacts,
      replied: data.figures.replied,
      converted: data.converted,
      reviewsResolved: data.reviewsResolved,
      bounced: data.figures.bounced,
      failed: data.figures.failed,
    },
    deadLetters: health.deadLetters,
    failedJobsToday: health.queues.filter((q) => q.failed24h > 0).map((q) => ({ queue: q.queue, failed: q.failed24h })),
    archive: { olderThanDays: ARCHIVE_AFTER_DAYS, rowsWaiting: data.waiting, lastRun: archiveRun ? { finishedAt: archiveRun.finishedAt, outcome: archiveRun.outcome } : null },
  };
}
