/** Keeps an uploaded CSV and answers its columns, a sample and a suggested mapping (server/leads/import/). */
import { IMPORT_REQUEST_TX_TIMEOUT_MS, uploadImport } from "../../../leads/import/imports.server";
import { managerProcedure } from "../../init.server";
import { uploadInput, uploadOutput } from "./schemas";

export const uploadImportProcedure = managerProcedure
  .input(uploadInput)
  .output(uploadOutput)
  .mutation(({ ctx, input }) => ctx.db((tx) => uploadImport(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, ...input }), { timeoutMs: IMPORT_REQUEST_TX_TIMEOUT_MS }));
