/**
 * A review item locked for a change, in the lock order (server/db/lock-order.server.ts): its lead's
 * journey first, then the item row (FOR UPDATE). Every person's action on an item goes through here,
 * so two clicks (or two browsers) on one item run one after the other, and the second sees what the
 * first did.
 */
import type { TenantTx } from "../db/client.server";
import { lockJourney } from "../db/lock-order.server";
import { notFound } from "../errors";
import type { ReviewKind, ReviewReason, ReviewStatus } from "../generated/prisma/enums";
import type { ReviewPriority } from "./sla";

export interface LockedReview {
  id: string;
  tenantId: string;
  journeyId: string;
  leadId: string;
  leadName: string;
  kind: ReviewKind;
  reason: ReviewReason | null;
  priority: ReviewPriority;
  status: ReviewStatus;
  assignedToUser: string | null;
  answerId: string | null;
  triggerMessageId: string | null;
  slaDueAt: Date;
  createdAt: Date;
  escalatedAt: Date | null;
}

export async function lockReview(tx: TenantTx, reviewId: string): Promise<LockedReview> {
  const ref = await tx.humanReviewQueue.findUnique({ where: { id: reviewId }, select: { journeyId: true } });
  if (!ref) throw notFound("review", reviewId);
  await lockJourney(tx, { journeyId: ref.journeyId });
  await tx.$queryRaw`SELECT id FROM human_review_queue WHERE id = ${reviewId}::uuid FOR UPDATE`;
  const r = await tx.humanReviewQueue.findUniqueOrThrow({
    where: { id: reviewId },
    select: {
      id: true,
      tenantId: true,
      journeyId: true,
      leadId: true,
      kind: true,
      reason: true,
      priority: true,
      status: true,
      assignedToUser: true,
      answerId: true,
      triggerMessageId: true,
      slaDueAt: true,
      createdAt: true,
      escalatedAt: true,
      lead: { select: { denumire: true } },
    },
  });
  const { lead, ...rest } = r;
  return { ...rest, leadName: lead.denumire };
}
