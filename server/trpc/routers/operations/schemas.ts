/** The operations page's and the REST operations endpoints' answers (isomorphic: the UI's types). */
import { z } from "zod";
import { ALERT_SEVERITIES } from "../../../alerts/catalog";

export const MONITORS = [
  "monitor.phone.health",
  "monitor.email.deliverability",
  "monitor.quota.usage",
  "monitor.dlq",
  "monitor.quota.store",
  "pipeline.outreach.health",
] as const;

const providerState = z.enum(["UP", "DEGRADED", "DOWN"]);

export const queueStat = z.object({
  queue: z.string(),
  queued: z.number().int(),
  deferred: z.number().int(),
  active: z.number().int(),
  failed24h: z.number().int(),
  completedLastHour: z.number().int(),
  oldestWaitingSeconds: z.number().nullable(),
});

export const pipelineHealthOutput = z.object({
  tenantId: z.string(),
  at: z.date(),
  level: z.enum(["OK", "DEGRADED", "CRITICAL"]),
  problems: z.array(z.string()),
  windowOpen: z.boolean(),
  dispatch: z.object({ lastRunAt: z.date().nullable(), lastStatus: z.string().nullable(), stalled: z.boolean(), runsLastHour: z.number().int(), sentToQueuesLastHour: z.number().int() }),
  phones: z.object({ total: z.number().int(), sendable: z.number().int(), offline: z.number().int(), banned: z.number().int(), paused: z.number().int(), uncheckedRecently: z.number().int() }),
  queues: z.array(queueStat),
  deadLetters: z.number().int(),
  quotaStore: z.enum(["OK", "HEALING", "LOST", "UNREACHABLE"]),
  providers: z.array(z.object({ provider: z.string(), status: providerState })),
  alerts: z.object({
    open: z.number().int(),
    unacknowledged: z.number().int(),
    bySeverity: z.object({ LOW: z.number().int(), MEDIUM: z.number().int(), HIGH: z.number().int(), CRITICAL: z.number().int() }),
    worst: z.enum(ALERT_SEVERITIES).nullable(),
  }),
  reviews: z.object({ open: z.number().int(), breached: z.number().int() }),
});

export const overviewOutput = z.object({
  health: pipelineHealthOutput,
  quotaStore: z.object({ state: z.enum(["OK", "HEALING", "LOST", "UNREACHABLE"]), since: z.date().nullable(), reason: z.string().nullable(), error: z.string().nullable() }),
  providers: z.array(
    z.object({
      provider: z.string(),
      status: providerState,
      consecutiveFailures: z.number().int(),
      firstFailureAt: z.date().nullable(),
      lastSuccessAt: z.date().nullable(),
      lastError: z.string().nullable(),
      nextProbeAt: z.date().nullable(),
    }),
  ),
  monitors: z.array(z.object({ monitor: z.string(), startedAt: z.date(), finishedAt: z.date().nullable(), outcome: z.string(), error: z.string().nullable() })),
});

const phoneCheck = z.object({
  phoneId: z.string(),
  label: z.string(),
  phoneNumber: z.string(),
  status: z.string(),
  enabled: z.boolean(),
  mirrorStatus: z.string().nullable(),
  used: z.number().int().nullable(),
  limit: z.number().int(),
  lastHealthCheckAt: z.date().nullable(),
  lastError: z.string().nullable(),
});

export const morningCheckOutput = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  at: z.date(),
  usageDate: z.string(),
  health: pipelineHealthOutput,
  phones: z.array(phoneCheck),
  notActive: z.array(phoneCheck),
  quotaReset: z.object({ yesterday: z.string(), yesterdayRows: z.number().int(), todayUsed: z.number().int() }),
  reviews: z.object({ pending: z.number().int(), breachedOvernight: z.number().int() }),
});

export const eveningCheckOutput = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  at: z.date(),
  day: z.string(),
  today: z.object({ contacted: z.number().int(), newContacts: z.number().int(), replied: z.number().int(), converted: z.number().int(), reviewsResolved: z.number().int(), bounced: z.number().int(), failed: z.number().int() }),
  deadLetters: z.number().int(),
  failedJobsToday: z.array(z.object({ queue: z.string(), failed: z.number().int() })),
  archive: z.object({ olderThanDays: z.number().int(), rowsWaiting: z.number().int(), lastRun: z.object({ finishedAt: z.date().nullable(), outcome: z.string() }).nullable() }),
});

export const quotaReportOutput = z.object({
  usageDate: z.string(),
  phones: z.array(
    z.object({ phoneId: z.string(), label: z.string(), status: z.string(), enabled: z.boolean(), used: z.number().int().nullable(), limit: z.number().int(), logged: z.number().int(), aheadOfLog: z.number().int().nullable() }),
  ),
});

export const bounceReportOutput = z.object({
  threshold: z.number(),
  hours: z.number().int(),
  campaigns: z.array(
    z.object({ instantlyCampaignId: z.string(), name: z.string(), status: z.string(), sent: z.number().int(), bounced: z.number().int(), bounceRate: z.number(), pausedReason: z.string().nullable(), lastSyncedAt: z.date().nullable() }),
  ),
  bounced: z.array(z.object({ recipient: z.string(), reason: z.string(), count: z.number().int(), lastAt: z.date() })),
  totals: z.object({ sent: z.number().int(), bounced: z.number().int(), rate: z.number() }),
});

export const dryRunInput = z.object({ dryRun: z.boolean().default(true) });

export const archiveOutput = z.object({
  tenantId: z.string(),
  cutoff: z.date(),
  olderThanCutoff: z.number().int(),
  heldByReviews: z.number().int(),
  archived: z.number().int(),
  inArchive: z.number().int(),
});

export const reassignInput = z.object({
  /** Email or id of an active user of the tenant. */
  assignee: z.string().trim().min(1).max(200),
  priority: z.enum(["URGENT", "HIGH", "MEDIUM", "LOW"]).default("URGENT"),
  limit: z.number().int().min(1).max(100).default(10),
  dryRun: z.boolean().default(true),
});

export const reassignOutput = z.object({
  assignee: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  priority: z.string(),
  items: z.array(z.object({ id: z.string(), leadId: z.string(), slaDueAt: z.date(), overdue: z.boolean() })),
  applied: z.boolean(),
});

export const recoverOutput = z.object({
  tenantId: z.string(),
  lostLeases: z.number().int(),
  missingNextAction: z.number().int(),
  countersRaised: z.number().int(),
  phones: z.number().int(),
  applied: z.boolean(),
});

export const runMonitorInput = z.object({ monitor: z.enum(MONITORS) });
export const runMonitorOutput = z.object({ monitor: z.string(), jobId: z.string().nullable() });

export const assigneesOutput = z.array(z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.string() }));
