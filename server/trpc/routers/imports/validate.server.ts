/** Checks every row of an uploaded CSV with the chosen mapping: the report, before anything is written. */
import { validateImport } from "../../../leads/import/imports.server";
import { managerProcedure } from "../../init.server";
import { reportOutput, validateInput } from "./schemas";

export const validateImportProcedure = managerProcedure
  .input(validateInput)
  .output(reportOutput)
  // A 100,000-row file is checked against the tenant's leads in one transaction of a few seconds.
  .mutation(({ ctx, input }) => ctx.db((tx) => validateImport(tx, { tenantId: ctx.user.tenantId, ...input })));
