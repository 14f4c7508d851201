/** Renames, shares / unshares, or overwrites the filters of a view (its owner or an admin). Audited. */
import { updateLeadView } from "../../../leads/views/views.server";
import { updateViewInput } from "../../../leads/views/views";
import { repProcedure } from "../../init.server";
import { viewOutput } from "./schemas";

export const updateViewProcedure = repProcedure
  .input(updateViewInput)
  .output(viewOutput)
  .mutation(({ ctx, input }) => ctx.db((tx) => updateLeadView(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, change: input })));
