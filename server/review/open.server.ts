/**
 * Opening a review item (seeds: worker category L, `human:review:queue`): the reply worker and, later,
 * anything else that needs a person. In the caller's tenant transaction, after the journey lock:
 *
 *   - one item per reply (UNIQUE tenant_id, trigger_message_id): a retried job finds the one it made;
 *   - the journey marked (requires_human_review, reason, the highest open priority): dispatch and the
 *     send paths leave the lead alone until a person has decided;
 *   - the SLA timers queued in the same transaction (almost due at 75 %, breach at the due time);
 *   - automatic assignment queued; an URGENT item posted to the tenant's Slack webhook, if any.
 */
import { randomUUID } from "node:crypto";
import { REVIEW_ASSIGN_QUEUE, REVIEW_SLA_QUEUE, SLACK_NOTIFY_QUEUE, type ReviewSlaPayload, type SlackNotifyPayload } from "../../jobs/queues";
import type { TenantTx } from "../db/client.server";
import { prismaExecutor, type TransactionalQueue } from "../db/transactional-queue.server";
import type { Prisma } from "../generated/prisma/client";
import type { ReviewKind, ReviewReason } from "../generated/prisma/enums";
import { deterministicUuid } from "../pipeline/rules/ids.server";
import type { ReviewSettings } from "./settings.server";
import { higherPriority, slaTimes, type ReviewPriority, type SlaTimes } from "./sla";

export interface OpenReviewInput {
  tenantId: string;
  journeyId: string;
  leadId: string;
  kind: ReviewKind;
  /** Required for TRIAGE (CHECK human_review_queue_reason_required). */
  reason: ReviewReason | null;
  priority: ReviewPriority;
  triggerMessageId: string | null;
  analysis: { score: number; intent: string; details: Record<string, unknown> } | null;
  answerId: string | null;
  draftedAnswer: string | null;
  now: Date;
  settings: ReviewSettings;
  /** For the Slack text: the lead's name. */
  leadName: string;
}

export interface OpenReviewResult {
  reviewId: string;
  created: boolean;
  dueAt: Date;
}

export async function openReview(tx: TenantTx, queue: TransactionalQueue, input: OpenReviewInput): Promise<OpenReviewResult> {
  const times = slaTimes(input.now, input.priority, input.settings.sla, input.settings.calendar);
  const id = randomUUID();
  const inserted = await tx.humanReviewQueue.createMany({
    data: [
      {
        id,
        tenantId: input.tenantId,
        journeyId: input.journeyId,
        leadId: input.leadId,
        kind: input.kind,
        reason: input.reason,
        priority: input.priority,
        status: "PENDING",
        slaDueAt: times.dueAt,
        triggerMessageId: input.triggerMessageId,
        aiSentimentScore: input.analysis?.score ?? null,
        aiIntent: input.analysis?.intent ?? null,
        aiAnalysis: (input.analysis?.details ?? undefined) as Prisma.InputJsonValue | undefined,
        answerId: input.answerId,
        draftedAnswer: input.draftedAnswer,
        createdAt: input.now,
      },
    ],
    skipDuplicates: true,
  });
  if (inserted.count === 0) {
    const existing = await tx.humanReviewQueue.findFirstOrThrow({ where: { triggerMessageId: input.triggerMessageId }, select: { id: true, slaDueAt: true } });
    return { reviewId: existing.id, created: false, dueAt: existing.slaDueAt };
  }
  await markJourney(tx, input.journeyId, input.priority, input.reason);
  await scheduleSla(tx, queue, input.tenantId, id, times);
  await queueAssignment(tx, queue, input.tenantId, `open:${id}`);
  if (input.priority === "URGENT") {
    await queueSlack(tx, queue, {
      tenantId: input.tenantId,
      event: "review.urgent",
      text: `Răspuns URGENT de la ${input.leadName}: ${input.reason ?? input.kind} (termen ${formatDue(times.dueAt, input.settings.timeZone)}).`,
    }, `urgent:${id}`);
  }
  return { reviewId: id, created: true, dueAt: times.dueAt };
}

/** The journey carries the highest open priority and its reason (dispatch skips it meanwhile). */
async function markJourney(tx: TenantTx, journeyId: string, priority: ReviewPriority, reason: ReviewReason | null): Promise<void> {
  const j = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: journeyId }, select: { humanReviewPriority: true, humanReviewReason: true } });
  const top = higherPriority(j.humanReviewPriority, priority);
  await tx.goldLeadJourney.update({
    where: { id: journeyId },
    data: { requiresHumanReview: true, humanReviewPriority: top, humanReviewReason: top === priority ? (reason ?? j.humanReviewReason) : j.humanReviewReason },
    select: { id: true },
  });
}

/** Recomputes the journey's review flags from its open items (after one was resolved). */
export async function refreshJourneyReviewFlags(tx: TenantTx, journeyId: string): Promise<void> {
  const open = await tx.humanReviewQueue.findMany({ where: { journeyId, status: { in: ["PENDING", "ASSIGNED", "IN_PROGRESS", "ESCALATED"] } }, select: { priority: true, reason: true } });
  let top: { priority: ReviewPriority; reason: ReviewReason | null } | null = null;
  for (const o of open) if (!top || higherPriority(top.priority, o.priority) === o.priority) top = o;
  await tx.goldLeadJourney.update({
    where: { id: journeyId },
    data: { requiresHumanReview: top !== null, humanReviewPriority: top?.priority ?? null, humanReviewReason: top?.reason ?? null },
    select: { id: true },
  });
}

/** The two SLA timers of an item's current due time (job ids from the item and the time: re-queueing is a no-op). */
export async function scheduleSla(tx: TenantTx, queue: TransactionalQueue, tenantId: string, reviewId: string, times: SlaTimes): Promise<void> {
  const db = prismaExecutor(tx);
  const dueAt = times.dueAt.toISOString();
  for (const [check, at] of [["DUE_SOON", times.warnAt], ["BREACH", times.dueAt]] as const) {
    const payload: ReviewSlaPayload = { tenantId, reviewId, check, dueAt };
    await queue.send(db, REVIEW_SLA_QUEUE, payload, { id: deterministicUuid(`review-sla:${reviewId}:${check}:${dueAt}`), startAfter: at });
  }
}

export async function queueAssignment(tx: TenantTx, queue: TransactionalQueue, tenantId: string, why: string): Promise<void> {
  await queue.send(prismaExecutor(tx), REVIEW_ASSIGN_QUEUE, { tenantId }, { id: deterministicUuid(`review-assign:${tenantId}:${why}`) });
}

export async function queueSlack(tx: TenantTx, queue: TransactionalQueue, payload: SlackNotifyPayload, dedupe: string): Promise<void> {
  await queue.send(prismaExecutor(tx), SLACK_NOTIFY_QUEUE, payload, { id: deterministicUuid(`slack:${payload.tenantId}:${dedupe}`) });
}

export function formatDue(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("ro-RO", { timeZone, day: "2-digit", month: "2-digit", hour: "2-digit", minute: "2-digit" }).format(at);
}
