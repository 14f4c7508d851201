/**
 * CSV imports of companies (issue 10): upload, validate with a column mapping, import as a job.
 * Managers only. One procedure per file beside this one; the use cases are in server/leads/import/.
 */
import { router } from "../../init.server";
import { startImportProcedure } from "./start.server";
import { uploadImportProcedure } from "./upload.server";
import { validateImportProcedure } from "./validate.server";

export const importsRouter = router({
  upload: uploadImportProcedure,
  validate: validateImportProcedure,
  start: startImportProcedure,
});
