/** A person moves a lead (pause, resume, DEAD, NEGOTIATION …). `expectedFrom` is the state the screen showed. */
import { z } from "zod";
import { CurrentState } from "../../../generated/prisma/enums";
import { changeLeadState } from "../../../leads/change-state.server";
import { MANUAL_TARGETS } from "../../../leads/state-effects";
import { repProcedure } from "../../init.server";
import { rest } from "../../rest";

const state = z.enum(CurrentState);

export const transitionOutput = z.object({
  changed: z.boolean(),
  journeyId: z.uuid(),
  leadId: z.uuid(),
  from: state,
  to: state,
  historyId: z.uuid().nullable(),
  allowedNext: z.array(state),
  enrollments: z.object({ paused: z.number().int(), resumed: z.number().int(), stopped: z.array(z.uuid()) }),
});

export const transitionProcedure = repProcedure
  .meta(rest("POST", "/leads/{leadId}/transition", "Move a lead to another state by a person's decision"))
  .input(z.object({ leadId: z.uuid(), to: z.enum(MANUAL_TARGETS), reason: z.string().trim().min(1).max(1000), expectedFrom: state.optional() }))
  .output(transitionOutput)
  .mutation(({ ctx, input }) =>
    ctx.db((tx) => changeLeadState(tx, { ...input, tenantId: ctx.user.tenantId, actor: ctx.actor, now: ctx.clock(), metadata: { requestId: ctx.requestId } })),
  );
