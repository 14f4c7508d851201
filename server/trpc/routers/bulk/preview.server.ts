/** How many leads a bulk action would cover: the count the confirmation dialog shows. */
import { resolveBulkTarget } from "../../../leads/bulk/create.server";
import { MAX_BULK_LEADS } from "../../../leads/bulk/actions";
import { repProcedure } from "../../init.server";
import { previewInput, previewOutput } from "./schemas";

export const previewBulkProcedure = repProcedure
  .input(previewInput)
  .output(previewOutput)
  .query(({ ctx, input }) =>
    ctx.db(async (tx) => {
      const selection = await resolveBulkTarget(tx, { tenantId: ctx.user.tenantId, userId: ctx.user.id, target: input.target });
      return { count: selection.overCap ? MAX_BULK_LEADS + 1 : selection.leadIds.length, overCap: selection.overCap, max: MAX_BULK_LEADS };
    }),
  );
