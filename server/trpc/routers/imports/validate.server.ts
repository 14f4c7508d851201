/** Checks every row of an uploaded CSV with the chosen mapping: the report, before anything is written. */
import { IMPORT_REQUEST_TX_TIMEOUT_MS, validateImport } from "../../../leads/import/imports.server";
import { managerProcedure } from "../../init.server";
import { reportOutput, validateInput } from "./schemas";

export const validateImportProcedure = managerProcedure
  .input(validateInput)
  .output(reportOutput)
  .mutation(({ ctx, input }) => ctx.db((tx) => validateImport(tx, { tenantId: ctx.user.tenantId, ...input }), { timeoutMs: IMPORT_REQUEST_TX_TIMEOUT_MS }));
