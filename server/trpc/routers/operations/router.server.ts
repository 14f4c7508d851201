/**
 * The operations page and the runbook's buttons (issue 12 items 3, 6, 7), ADMIN only. Each procedure
 * calls the same use case `npm run ops -- …` runs (server/operations/, server/monitoring/); the ones that
 * change something take `dryRun` (default true: the page shows what would happen, then applies it).
 */
import { z } from "zod";
import { recordAudit } from "../../../audit/audit.server";
import { DomainError } from "../../../errors";
import { listMonitorRuns } from "../../../monitoring/runs.server";
import { pipelineHealth } from "../../../monitoring/pipeline-health.server";
import { providerHealthViews } from "../../../monitoring/provider-health.server";
import { archiveCommunicationLog } from "../../../operations/archive.server";
import { bounceReport } from "../../../operations/bounce-report.server";
import type { OperationsDeps } from "../../../operations/context";
import { quotaReport } from "../../../operations/quota-report.server";
import { recoverTenant } from "../../../operations/recovery.server";
import { eveningCheck, morningCheck } from "../../../operations/reports.server";
import { reassignReviews } from "../../../operations/review-reassign.server";
import { pgBossPendingSends } from "../../../phones/pending-sends.server";
import { readQuotaStoreState } from "../../../quota/heal.server";
import { getQuotaStore } from "../../../quota/index.server";
import { adminProcedure, router, type AuthedContext } from "../../init.server";
import { rest } from "../../rest";
import {
  archiveOutput,
  assigneesOutput,
  bounceReportOutput,
  dryRunInput,
  eveningCheckOutput,
  morningCheckOutput,
  overviewOutput,
  quotaReportOutput,
  reassignInput,
  reassignOutput,
  recoverOutput,
  runMonitorInput,
  runMonitorOutput,
} from "./schemas";

function deps(ctx: AuthedContext): OperationsDeps & { boss: NonNullable<AuthedContext["boss"]> } {
  if (!ctx.boss) throw new DomainError("UNAVAILABLE", "QUEUE_UNAVAILABLE", "the job queue is not running in this process");
  const store = getQuotaStore();
  return { clock: ctx.clock, boss: ctx.boss, redis: store.redis, store, pendingSends: pgBossPendingSends(ctx.boss) };
}

export const operationsRouter = router({
  overview: adminProcedure
    .meta(rest("GET", "/operations/health", "The pipeline's health: dispatch, phones, queues, dead letters, quota store, providers, monitors"))
    .output(overviewOutput)
    .query(async ({ ctx }) => {
      const d = deps(ctx);
      const [health, store, providers, monitors] = await Promise.all([
        pipelineHealth({ boss: d.boss, redis: d.redis, clock: d.clock }, ctx.user.tenantId),
        readQuotaStoreState(d.redis),
        providerHealthViews(),
        listMonitorRuns(),
      ]);
      return {
        health,
        quotaStore: {
          state: store.state,
          since: store.state === "OK" ? store.healedAt : store.state === "HEALING" ? store.startedAt : null,
          reason: store.state === "OK" ? store.reason : null,
          error: store.state === "UNREACHABLE" ? store.error : null,
        },
        providers,
        monitors,
      };
    }),

  morningCheck: adminProcedure
    .meta(rest("GET", "/operations/morning-check", "Runbook §1.1: the 09:00 check"))
    .output(morningCheckOutput)
    .query(({ ctx }) => morningCheck(deps(ctx), ctx.user.tenantId)),

  eveningCheck: adminProcedure
    .meta(rest("GET", "/operations/evening-check", "Runbook §1.2: the 18:00 check"))
    .output(eveningCheckOutput)
    .query(({ ctx }) => eveningCheck(deps(ctx), ctx.user.tenantId)),

  quota: adminProcedure
    .meta(rest("GET", "/operations/quota", "Runbook §3.1: today's counters next to the log, per phone"))
    .output(quotaReportOutput)
    .query(({ ctx }) => quotaReport(deps(ctx), ctx.user.tenantId)),

  bounces: adminProcedure
    .meta(rest("GET", "/operations/bounces", "Runbook §4.1: campaigns' bounce rates and the addresses that bounced"))
    .input(z.object({ hours: z.number().int().min(1).max(24 * 30).default(24) }).default({ hours: 24 }))
    .output(bounceReportOutput)
    .query(({ ctx, input }) => bounceReport({ clock: ctx.clock }, ctx.user.tenantId, { hours: input.hours })),

  runMonitor: adminProcedure
    .meta(rest("POST", "/operations/monitors/{monitor}/run", "Run a monitor now for this tenant"))
    .input(runMonitorInput)
    .output(runMonitorOutput)
    .mutation(async ({ ctx, input }) => {
      const d = deps(ctx);
      const jobId = await d.boss.send(input.monitor, { tenantId: ctx.user.tenantId }, { singletonKey: `manual:${ctx.user.tenantId}`, singletonSeconds: 30 });
      await ctx.db((tx) => recordAudit(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, action: "monitor.run", entityType: "monitor", entityId: input.monitor, after: { jobId } }));
      return { monitor: input.monitor, jobId };
    }),

  archive: adminProcedure
    .meta(rest("POST", "/operations/archive", "Runbook §8.1: move communication log rows older than 90 days to the archive (dryRun default true)"))
    .input(dryRunInput)
    .output(archiveOutput)
    .mutation(({ ctx, input }) => archiveCommunicationLog(ctx.user.tenantId, { now: ctx.clock(), dryRun: input.dryRun, actor: ctx.actor })),

  assignees: adminProcedure
    .output(assigneesOutput)
    .query(({ ctx }) => ctx.db((tx) => tx.user.findMany({ where: { isActive: true }, select: { id: true, name: true, email: true, role: true }, orderBy: { name: "asc" } }))),

  reassignReviews: adminProcedure
    .meta(rest("POST", "/operations/reviews/reassign", "Runbook §5.1: give pending review items of a priority to one person (dryRun default true)"))
    .input(reassignInput)
    .output(reassignOutput)
    .mutation(({ ctx, input }) => reassignReviews({ clock: ctx.clock }, ctx.user.tenantId, { ...input, actor: ctx.actor })),

  recover: adminProcedure
    .meta(rest("POST", "/operations/recover", "Runbook §6: rebuild Redis from the log and re-create pending follow-ups (dryRun default true)"))
    .input(dryRunInput)
    .output(recoverOutput)
    .mutation(({ ctx, input }) => recoverTenant({ store: getQuotaStore(), clock: ctx.clock }, ctx.user.tenantId, { dryRun: input.dryRun, actor: ctx.actor })),
});
