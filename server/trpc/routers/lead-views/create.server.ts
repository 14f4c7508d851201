/** Saves the list's current filters under a name (the caller's, shared or not). Audited. */
import { createLeadView } from "../../../leads/views/views.server";
import { createViewInput } from "../../../leads/views/views";
import { repProcedure } from "../../init.server";
import { viewOutput } from "./schemas";

export const createViewProcedure = repProcedure
  .input(createViewInput)
  .output(viewOutput)
  .mutation(({ ctx, input }) => ctx.db((tx) => createLeadView(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, view: input })));
