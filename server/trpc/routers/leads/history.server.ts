/** The lead's state history, newest first, with who moved it and why (server/leads/history.server.ts). */
import { z } from "zod";
import { leadHistory } from "../../../leads/history.server";
import { repProcedure } from "../../init.server";
import { historyItem, state } from "./schemas";

export const historyProcedure = repProcedure
  .input(z.object({ leadId: z.uuid(), limit: z.number().int().min(1).max(500).default(100) }))
  .output(z.object({ currentState: state, previousState: state.nullable(), allowedNext: z.array(state), items: z.array(historyItem) }))
  .query(({ ctx, input }) => ctx.db((tx) => leadHistory(tx, input.leadId, input.limit)));
