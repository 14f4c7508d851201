/**
 * Closing a review item: RESOLVED with its resolution, the draft it carried closed unless it went out,
 * the journey's review flags recomputed from what is still open (dispatch may act on the lead again),
 * its SLA-breach alert resolved, and automatic assignment run again (a rep has room now).
 * The caller holds the journey and the item (lock.server.ts).
 */
import { resolveAlertByKey } from "../alerts/alerts.server";
import type { Actor } from "../audit/actor";
import type { TenantTx } from "../db/client.server";
import type { TransactionalQueue } from "../db/transactional-queue.server";
import type { ReviewResolution } from "../generated/prisma/enums";
import type { LockedReview } from "./lock.server";
import { queueAssignment, refreshJourneyReviewFlags } from "./open.server";
import { slaBreachAlertKey } from "./sla-check.server";

export async function resolveItem(
  tx: TenantTx,
  queue: TransactionalQueue,
  r: LockedReview,
  input: { resolution: ReviewResolution; note: string | null; finalAnswer?: string | null; actor: Actor; now: Date; answerOutcome?: "REJECTED" | "CANCELLED" },
): Promise<void> {
  await tx.humanReviewQueue.update({
    where: { id: r.id },
    data: {
      status: "RESOLVED",
      resolution: input.resolution,
      resolutionNote: input.note,
      resolvedAt: input.now,
      resolvedBy: input.actor.type === "USER" ? input.actor.userId : null,
      ...(input.finalAnswer !== undefined ? { finalAnswer: input.finalAnswer } : {}),
      // The person who resolves an unassigned item is the one who handled it.
      ...(r.assignedToUser === null && input.actor.type === "USER" ? { assignedToUser: input.actor.userId, assignedAt: input.now } : {}),
    },
  });
  if (r.answerId) {
    await tx.replyAnswer.updateMany({
      where: { id: r.answerId, status: "DRAFT" },
      data: { status: input.answerOutcome ?? "CANCELLED", errorCode: input.answerOutcome === "REJECTED" ? "REJECTED" : "REVIEW_RESOLVED", errorMessage: `review resolved: ${input.resolution}` },
    });
  }
  await refreshJourneyReviewFlags(tx, r.journeyId);
  await resolveAlertByKey(tx, { tenantId: r.tenantId, dedupeKey: slaBreachAlertKey(r.id), note: `elementul de revizuire a fost rezolvat (${input.resolution})` }, input.now);
  await queueAssignment(tx, queue, r.tenantId, `resolved:${r.id}`);
}
