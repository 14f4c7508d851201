/**
 * Leads: a person's change of a lead's state and the lead's state history. Thin: the use cases are
 * server/leads/change-state.server.ts and server/leads/history.server.ts.
 */
import { z } from "zod";
import { ActorType, CurrentState } from "../../generated/prisma/enums";
import { changeLeadState } from "../../leads/change-state.server";
import { leadHistory } from "../../leads/history.server";
import { MANUAL_TARGETS } from "../../leads/state-effects";
import { repProcedure, router } from "../init.server";
import { rest } from "../rest";

const state = z.enum(CurrentState);

const transitionOutput = z.object({
  changed: z.boolean(),
  journeyId: z.uuid(),
  leadId: z.uuid(),
  from: state,
  to: state,
  historyId: z.uuid().nullable(),
  allowedNext: z.array(state),
  enrollments: z.object({ paused: z.number().int(), resumed: z.number().int(), stopped: z.array(z.uuid()) }),
});

const historyItem = z.object({
  id: z.uuid(),
  fromState: state.nullable(),
  toState: state,
  actorType: z.enum(ActorType),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  reason: z.string().nullable(),
  metadata: z.unknown(),
  createdAt: z.date(),
});

export const leadsRouter = router({
  /** Moves a lead by a person's decision. `expectedFrom` is the state the rep's screen showed. */
  transition: repProcedure
    .meta(rest("POST", "/leads/{leadId}/transition", "Move a lead to another state by a person's decision"))
    .input(z.object({ leadId: z.uuid(), to: z.enum(MANUAL_TARGETS), reason: z.string().trim().min(1).max(1000), expectedFrom: state.optional() }))
    .output(transitionOutput)
    .mutation(({ ctx, input }) =>
      ctx.db((tx) => changeLeadState(tx, { ...input, tenantId: ctx.user.tenantId, actor: ctx.actor, now: ctx.clock(), metadata: { requestId: ctx.requestId } })),
    ),

  /** The lead's state history, newest first, with who moved it and why. */
  history: repProcedure
    .meta(rest("GET", "/leads/{leadId}/history", "A lead's state history: who moved it and why"))
    .input(z.object({ leadId: z.uuid(), limit: z.number().int().min(1).max(500).default(100) }))
    .output(z.object({ currentState: state, previousState: state.nullable(), allowedNext: z.array(state), items: z.array(historyItem) }))
    .query(({ ctx, input }) => ctx.db((tx) => leadHistory(tx, input.leadId, input.limit))),
});
