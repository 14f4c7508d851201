/**
 * Why a lead was (or was not) contacted (issue 5 item 11): its last dispatch/send decision as stored
 * (last_dispatch_outcome), the explain trail of every decision before it (lead_decisions), its next
 * action and why, and the sends made for it with their template version and outcome.
 */
import { z } from "zod";
import type { TenantTx } from "../../db/client.server";
import { notFound } from "../../errors";

export const leadExplanation = z.object({
  leadId: z.string(),
  journeyId: z.string(),
  state: z.string(),
  assignedPhoneId: z.string().nullable(),
  nextActionAt: z.date().nullable(),
  nextActionReason: z.string().nullable(),
  lastDispatchAt: z.date().nullable(),
  /** The stored DispatchOutcome (server/pipeline/rules/outcome.ts) of the automation or of a person's message; null before the first. */
  lastDecision: z.record(z.string(), z.unknown()).nullable(),
  /** The explain trail (lead_decisions), newest first: every dispatch decision, send outcome and refusal. */
  trail: z.array(z.object({ at: z.date(), stage: z.string(), result: z.string(), outcome: z.record(z.string(), z.unknown()) })),
  sends: z.array(
    z.object({
      id: z.string(),
      channel: z.string(),
      status: z.string(),
      sequenceStep: z.number().nullable(),
      phoneId: z.string().nullable(),
      templateId: z.string().nullable(),
      templateVersionId: z.string().nullable(),
      quotaCost: z.number(),
      errorCode: z.string().nullable(),
      createdAt: z.date(),
      sentAt: z.date().nullable(),
    }),
  ),
});
export type LeadExplanation = z.output<typeof leadExplanation>;

export async function explainLead(tx: TenantTx, leadId: string, sendsLimit = 20, trailLimit = 20): Promise<LeadExplanation> {
  const journey = await tx.goldLeadJourney.findFirst({
    where: { leadId },
    select: { id: true, currentState: true, assignedPhoneId: true, nextActionAt: true, nextActionReason: true, lastDispatchAt: true, lastDispatchOutcome: true },
  });
  if (!journey) throw notFound("lead", leadId);
  const sends = await tx.goldCommunicationLog.findMany({
    where: { journeyId: journey.id, direction: "OUTBOUND" },
    orderBy: { createdAt: "desc" },
    take: sendsLimit,
    select: { id: true, channel: true, status: true, sequenceStep: true, phoneId: true, templateId: true, templateVersionId: true, quotaCost: true, errorCode: true, createdAt: true, sentAt: true },
  });
  const trail = await tx.leadDecision.findMany({
    where: { journeyId: journey.id },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: trailLimit,
    select: { at: true, stage: true, result: true, outcome: true },
  });
  return leadExplanation.parse({
    leadId,
    journeyId: journey.id,
    state: journey.currentState,
    assignedPhoneId: journey.assignedPhoneId,
    nextActionAt: journey.nextActionAt,
    nextActionReason: journey.nextActionReason,
    lastDispatchAt: journey.lastDispatchAt,
    lastDecision: (journey.lastDispatchOutcome as Record<string, unknown> | null) ?? null,
    trail,
    sends,
  });
}

/** The tenant's recent dispatch runs (seeds' DispatchResult per run), newest first. */
export async function recentDispatchRuns(tx: TenantTx, limit = 50) {
  return tx.dispatchRun.findMany({
    orderBy: { startedAt: "desc" },
    take: limit,
    select: {
      id: true,
      slotStart: true,
      status: true,
      startedAt: true,
      finishedAt: true,
      totalEligibleLeads: true,
      dispatchedToWhatsApp: true,
      dispatchedToEmail: true,
      skippedQuotaExceeded: true,
      skippedOutsideHours: true,
      skippedNoChannel: true,
      skippedHumanReview: true,
      outcomes: true,
      processingTimeMs: true,
      nextDispatchAt: true,
    },
  });
}
