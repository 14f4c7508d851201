/**
 * Bulk operations on leads (issue 10): how many leads an action covers, starting it as a job, and its
 * progress. One procedure per file beside this one; the use cases are in server/leads/bulk/.
 */
import { router } from "../../init.server";
import { previewBulkProcedure } from "./preview.server";
import { startBulkProcedure } from "./start.server";
import { bulkStatusProcedure } from "./status.server";

export const bulkRouter = router({
  preview: previewBulkProcedure,
  start: startBulkProcedure,
  status: bulkStatusProcedure,
});
