import { analyticsReport } from "../../../stats/analytics.server";
import { managerProcedure } from "../../init.server";
import { periodInput, reportOutput } from "./schemas";

/** The analytics page (MANAGER and ADMIN): one period and the one before it, from the daily aggregates only. */
export const reportProcedure = managerProcedure
  .input(periodInput)
  .output(reportOutput)
  .query(({ ctx, input }) => ctx.db((tx) => analyticsReport(tx, { tenantId: ctx.user.tenantId, period: input, now: ctx.clock() })));
