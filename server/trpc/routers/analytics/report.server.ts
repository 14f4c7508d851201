import { analyticsReport } from "../../../stats/analytics.server";
import { managerProcedure } from "../../init.server";
import { rest } from "../../rest";
import { periodInput, reportOutput } from "./schemas";

/** The analytics page (MANAGER and ADMIN): one period and the one before it, from the daily aggregates only. */
export const reportProcedure = managerProcedure
  .meta(rest("GET", "/analytics/report", "Sends, deliveries, replies and conversions for a period (from, to: YYYY-MM-DD), with the previous period"))
  .input(periodInput)
  .output(reportOutput)
  .query(({ ctx, input }) => ctx.db((tx) => analyticsReport(tx, { tenantId: ctx.user.tenantId, period: input, now: ctx.clock() })));
