/** A bulk operation's progress and result, polled by the page while it runs. */
import { z } from "zod";
import { bulkOperationStatus } from "../../../leads/bulk/status.server";
import { repProcedure } from "../../init.server";
import { operationOutput } from "./schemas";

export const bulkStatusProcedure = repProcedure
  .input(z.object({ operationId: z.uuid() }))
  .output(operationOutput)
  .query(({ ctx, input }) => ctx.db((tx) => bulkOperationStatus(tx, input.operationId)));
