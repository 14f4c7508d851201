/**
 * Analytics (issue 11, MANAGER and ADMIN) and the statistics behind it. One procedure per file beside
 * this one, schemas in schemas.ts; this file only wires them.
 */
import { router } from "../../init.server";
import { reportProcedure } from "./report.server";
import { recomputeProcedure, statusProcedure } from "./stats.server";

export const analyticsRouter = router({
  report: reportProcedure,
  statsStatus: statusProcedure,
  recompute: recomputeProcedure,
});
