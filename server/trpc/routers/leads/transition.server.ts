/** A person moves a lead (server/leads/change-state.server.ts). `expectedFrom` is the state the screen showed. */
import { z } from "zod";
import { changeLeadState } from "../../../leads/change-state.server";
import { MANUAL_TARGETS } from "../../../leads/state-effects";
import { repProcedure } from "../../init.server";
import { state, transitionOutput } from "./schemas";

export const transitionProcedure = repProcedure
  .input(z.object({ leadId: z.uuid(), to: z.enum(MANUAL_TARGETS), reason: z.string().trim().min(1).max(1000), expectedFrom: state.optional() }))
  .output(transitionOutput)
  .mutation(({ ctx, input }) =>
    ctx.db((tx) => changeLeadState(tx, { ...input, tenantId: ctx.user.tenantId, actor: ctx.actor, now: ctx.clock(), metadata: { requestId: ctx.requestId } })),
  );
