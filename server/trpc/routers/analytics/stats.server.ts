/**
 * The statistics themselves: when they were last computed (MANAGER), and an admin's recompute of any
 * range (at most MAX_RECOMPUTE_DAYS per call: the page sends a long range in chunks and shows the
 * progress). The same use case as the statistics job (server/stats/recompute.server.ts), audited.
 */
import { DomainError } from "../../../errors";
import { statisticsStatus } from "../../../stats/analytics.server";
import { MAX_RECOMPUTE_DAYS, recomputeTenantStatistics } from "../../../stats/recompute.server";
import { adminProcedure, managerProcedure } from "../../init.server";
import { periodInput, recomputeOutput, statusOutput } from "./schemas";

export const statusProcedure = managerProcedure.output(statusOutput).query(({ ctx }) => ctx.db((tx) => statisticsStatus(tx, { tenantId: ctx.user.tenantId, now: ctx.clock() })));

export const recomputeProcedure = adminProcedure
  .input(periodInput.refine((p) => p.from <= p.to, { message: "from must not be after to" }))
  .output(recomputeOutput)
  .mutation(async ({ ctx, input }) => {
    const days = (Date.parse(`${input.to}T00:00:00Z`) - Date.parse(`${input.from}T00:00:00Z`)) / 86_400_000 + 1;
    if (days > MAX_RECOMPUTE_DAYS) throw new DomainError("BAD_INPUT", "STATS_RANGE_TOO_LONG", `at most ${MAX_RECOMPUTE_DAYS} days per call`);
    return recomputeTenantStatistics(ctx.user.tenantId, { kind: "range", ...input }, { clock: ctx.clock, actor: ctx.actor });
  });

