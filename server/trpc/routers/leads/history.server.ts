/** The lead's state history, newest first, with who moved it and why. */
import { z } from "zod";
import { ActorType, CurrentState } from "../../../generated/prisma/enums";
import { leadHistory } from "../../../leads/history.server";
import { repProcedure } from "../../init.server";
import { rest } from "../../rest";

const state = z.enum(CurrentState);

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

export const historyProcedure = repProcedure
  .meta(rest("GET", "/leads/{leadId}/history", "A lead's state history: who moved it and why"))
  .input(z.object({ leadId: z.uuid(), limit: z.number().int().min(1).max(500).default(100) }))
  .output(z.object({ currentState: state, previousState: state.nullable(), allowedNext: z.array(state), items: z.array(historyItem) }))
  .query(({ ctx, input }) => ctx.db((tx) => leadHistory(tx, input.leadId, input.limit)));
