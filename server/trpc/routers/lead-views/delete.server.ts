/** Deletes a view (its owner or an admin). Audited. */
import { z } from "zod";
import { deleteLeadView } from "../../../leads/views/views.server";
import { repProcedure } from "../../init.server";
import { viewIdInput } from "./schemas";

export const deleteViewProcedure = repProcedure
  .input(viewIdInput)
  .output(z.object({ deleted: z.literal(true) }))
  .mutation(({ ctx, input }) => ctx.db((tx) => deleteLeadView(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, viewId: input.viewId })));
