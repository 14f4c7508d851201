/** A person's actions on review items: thin, one use case each (server/review/actions.server.ts). */
import { z } from "zod";
import { pgBossTransactionalQueue } from "../../../../jobs/transactional-queue";
import { DomainError } from "../../../errors";
import { acceptContactSuggestion, dismissContactSuggestion } from "../../../leads/contact-suggestions.server";
import { releaseLead, takeOverLead } from "../../../leads/take-over.server";
import { addNote, approveReview, escalateReview, rejectReview, replyManually, saveDraft, setOutcome, takeOverFromReview } from "../../../review/actions.server";
import { assignReview, claimReview } from "../../../review/assignment.server";
import { setReviewAvailability } from "../../../review/preferences.server";
import { managerProcedure, repProcedure, type AuthedContext } from "../../init.server";
import { approveInput, assignInput, assignmentOutput, draftInput, manualReplyInput, noteInput, optionalNoteInput, outcomeInput, reviewRef, sendOutput } from "./schemas";

/** Actions that send or schedule enqueue in their transaction: they need the process's pg-boss. */
function queueOf(ctx: AuthedContext) {
  if (!ctx.boss) throw new DomainError("UNAVAILABLE", "QUEUE_UNAVAILABLE", "the job queue is not running in this process");
  return pgBossTransactionalQueue(ctx.boss);
}

const base = (ctx: AuthedContext, reviewId: string) => ({ tenantId: ctx.user.tenantId, reviewId, actor: ctx.actor, now: ctx.clock() });

export const claimProcedure = repProcedure.input(reviewRef).output(assignmentOutput).mutation(({ ctx, input }) => ctx.db((tx) => claimReview(tx, base(ctx, input.reviewId))));

export const assignProcedure = managerProcedure
  .input(assignInput)
  .output(assignmentOutput)
  .mutation(({ ctx, input }) => ctx.db((tx) => assignReview(tx, { ...base(ctx, input.reviewId), userId: input.userId })));

export const approveProcedure = repProcedure
  .input(approveInput)
  .output(sendOutput)
  .mutation(({ ctx, input }) => {
    const queue = queueOf(ctx);
    return ctx.db((tx) => approveReview(tx, queue, { ...base(ctx, input.reviewId), ...(input.body !== undefined ? { body: input.body } : {}), ...(input.subject !== undefined ? { subject: input.subject } : {}) }));
  });

export const replyManuallyProcedure = repProcedure
  .input(manualReplyInput)
  .output(sendOutput)
  .mutation(({ ctx, input }) => {
    const queue = queueOf(ctx);
    return ctx.db((tx) => replyManually(tx, queue, { ...base(ctx, input.reviewId), body: input.body, requestId: input.requestId }));
  });

export const rejectProcedure = repProcedure
  .input(optionalNoteInput)
  .output(z.object({ reviewId: z.uuid() }))
  .mutation(({ ctx, input }) => {
    const queue = queueOf(ctx);
    return ctx.db((tx) => rejectReview(tx, queue, { ...base(ctx, input.reviewId), note: input.note }));
  });

export const saveDraftProcedure = repProcedure
  .input(draftInput)
  .output(z.object({ reviewId: z.uuid(), answerId: z.uuid() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => saveDraft(tx, { ...base(ctx, input.reviewId), body: input.body })));

export const addNoteProcedure = repProcedure
  .input(noteInput)
  .output(z.object({ noteId: z.uuid() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => addNote(tx, { ...base(ctx, input.reviewId), body: input.body })));

export const escalateProcedure = repProcedure
  .input(optionalNoteInput)
  .output(z.object({ reviewId: z.uuid(), priority: z.string(), slaDueAt: z.date() }))
  .mutation(({ ctx, input }) => {
    const queue = queueOf(ctx);
    return ctx.db((tx) => escalateReview(tx, queue, { ...base(ctx, input.reviewId), note: input.note }));
  });

export const setOutcomeProcedure = repProcedure
  .input(outcomeInput)
  .output(z.object({ reviewId: z.uuid(), state: z.string() }))
  .mutation(({ ctx, input }) => {
    const queue = queueOf(ctx);
    return ctx.db((tx) => setOutcome(tx, queue, { ...base(ctx, input.reviewId), outcome: input.outcome, reason: input.reason }));
  });

/** From a review item (the item is resolved, automatic answers cancelled), or a lead alone. */
export const takeOverProcedure = repProcedure
  .input(z.object({ reviewId: z.uuid().optional(), leadId: z.uuid() }))
  .output(z.object({ leadId: z.uuid(), changed: z.boolean() }))
  .mutation(({ ctx, input }) => {
    if (input.reviewId) {
      const queue = queueOf(ctx);
      return ctx.db((tx) => takeOverFromReview(tx, queue, base(ctx, input.reviewId!)));
    }
    return ctx.db(async (tx) => {
      const r = await takeOverLead(tx, { tenantId: ctx.user.tenantId, leadId: input.leadId, actor: ctx.actor, now: ctx.clock() });
      return { leadId: r.leadId, changed: r.changed };
    });
  });

export const releaseProcedure = repProcedure
  .input(z.object({ leadId: z.uuid() }))
  .output(z.object({ leadId: z.uuid(), changed: z.boolean() }))
  .mutation(({ ctx, input }) =>
    ctx.db(async (tx) => {
      const r = await releaseLead(tx, { tenantId: ctx.user.tenantId, leadId: input.leadId, actor: ctx.actor, now: ctx.clock() });
      return { leadId: r.leadId, changed: r.changed };
    }),
  );

const suggestionRef = z.object({ suggestionId: z.uuid() });

export const acceptSuggestionProcedure = repProcedure
  .input(suggestionRef)
  .output(z.object({ leadId: z.uuid(), replaced: z.array(z.string()) }))
  .mutation(({ ctx, input }) => ctx.db((tx) => acceptContactSuggestion(tx, { tenantId: ctx.user.tenantId, suggestionId: input.suggestionId, actor: ctx.actor, now: ctx.clock() })));

export const dismissSuggestionProcedure = repProcedure
  .input(suggestionRef)
  .output(z.object({ leadId: z.uuid() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => dismissContactSuggestion(tx, { tenantId: ctx.user.tenantId, suggestionId: input.suggestionId, actor: ctx.actor, now: ctx.clock() })));

export const setAvailabilityProcedure = repProcedure
  .input(z.object({ available: z.boolean() }))
  .output(z.object({ available: z.boolean() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => setReviewAvailability(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, available: input.available })));
