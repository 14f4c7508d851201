import { z } from "zod";
import { DomainError } from "../../errors";
import { discardDeadLetter, deadLetterView, listDeadLetters, retryDeadLetter } from "../../pipeline/dead-letters.server";
import { explainLead, leadExplanation, recentDispatchRuns } from "../../pipeline/dispatch/explain.server";
import { adminProcedure, managerProcedure, repProcedure, router, type AuthedContext } from "../init.server";
import { rest } from "../rest";

/** Dead-letter actions talk to pg-boss; a web process started without it cannot serve them. */
function bossOf(ctx: AuthedContext) {
  if (!ctx.boss) throw new DomainError("UNAVAILABLE", "QUEUE_UNAVAILABLE", "the job queue is not running in this process");
  return ctx.boss;
}

const dispatchRunOutput = z.object({
  id: z.string(),
  slotStart: z.date(),
  status: z.string(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  totalEligibleLeads: z.number().int(),
  dispatchedToWhatsApp: z.number().int(),
  dispatchedToEmail: z.number().int(),
}).loose();

/**
 * The pipeline's explainability and error-handling views (issue 5 items 10–11): why a lead was or was
 * not contacted, what each dispatch run did, and the outreach dead-letter queue with retry/discard.
 */
export const pipelineRouter = router({
  explainLead: repProcedure
    .meta(rest("GET", "/leads/{leadId}/explanation", "Why a lead was or was not contacted"))
    .input(z.object({ leadId: z.uuid() }))
    .output(leadExplanation)
    .query(({ ctx, input }) => ctx.db((tx) => explainLead(tx, input.leadId))),

  dispatchRuns: managerProcedure
    .meta(rest("GET", "/analytics/dispatch-runs", "What each dispatch run did"))
    .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
    .output(z.array(dispatchRunOutput))
    .query(({ ctx, input }) => ctx.db((tx) => recentDispatchRuns(tx, input.limit))),

  deadLetters: adminProcedure
    .meta(rest("GET", "/operations/dead-letters", "The dead-letter queue with reason and payload"))
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
    .output(z.array(deadLetterView))
    .query(({ ctx, input }) => listDeadLetters(bossOf(ctx), ctx.user.tenantId, input.limit)),

  retryDeadLetter: adminProcedure
    .meta(rest("POST", "/operations/dead-letters/{id}/retry", "Send a dead letter back to its queue"))
    .input(z.object({ id: z.string().min(1) }))
    .output(z.object({ jobId: z.string() }))
    .mutation(({ ctx, input }) => {
      const boss = bossOf(ctx);
      return ctx.db((tx) => retryDeadLetter(boss, tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, id: input.id }));
    }),

  discardDeadLetter: adminProcedure
    .meta(rest("DELETE", "/operations/dead-letters/{id}", "Discard a dead letter"))
    .input(z.object({ id: z.string().min(1) }))
    .output(z.object({ discarded: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const boss = bossOf(ctx);
      await ctx.db((tx) => discardDeadLetter(boss, tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, id: input.id }));
      return { discarded: true as const };
    }),
});
