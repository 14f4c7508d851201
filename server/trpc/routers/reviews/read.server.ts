/** The review page's queries: the list with its counts, one item, the people items go to. */
import { z } from "zod";
import { myAvailability } from "../../../review/preferences.server";
import { getReview, listReviews, reviewAssignees, reviewCounts } from "../../../review/queries.server";
import { repProcedure } from "../../init.server";
import { rest } from "../../rest";
import { assigneesOutput, detailOutput, listInput, listOutput, reviewRef } from "./schemas";

export const listReviewsProcedure = repProcedure
  .input(listInput)
  .output(listOutput)
  .query(({ ctx, input }) =>
    ctx.db(async (tx) => {
      const viewer = { userId: ctx.user.id, role: ctx.user.role };
      const items = await listReviews(tx, viewer, input);
      const counts = await reviewCounts(tx, viewer, input);
      return { items, counts };
    }),
  );

export const getReviewProcedure = repProcedure
  .meta(rest("GET", "/reviews/{reviewId}", "One review item with its reply, analysis and draft"))
  .input(reviewRef)
  .output(detailOutput)
  .query(({ ctx, input }) => ctx.db((tx) => getReview(tx, input.reviewId)));

export const assigneesProcedure = repProcedure.output(assigneesOutput).query(({ ctx }) => ctx.db((tx) => reviewAssignees(tx)));

export const myAvailabilityProcedure = repProcedure.output(z.object({ available: z.boolean() })).query(({ ctx }) => ctx.db(async (tx) => ({ available: await myAvailability(tx, ctx.user.id) })));
