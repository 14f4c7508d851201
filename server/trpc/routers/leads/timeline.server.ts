/** The lead's conversation across channels with its state changes, reviews, notes, actions and decisions, newest first, windowed. */
import { leadTimeline } from "../../../leads/timeline.server";
import { repProcedure } from "../../init.server";
import { timelineInput, timelineOutput } from "./detail-schemas";

export const timelineProcedure = repProcedure
  .input(timelineInput)
  .output(timelineOutput)
  .query(({ ctx, input }) => ctx.db((tx) => leadTimeline(tx, { leadId: input.leadId, limit: input.limit, ...(input.cursor ? { before: input.cursor } : {}) })));
