/**
 * Who works a review item (issue 15): a rep claims it, a manager assigns it, or automatic assignment
 * hands unassigned items out oldest first to available reps below the tenant's open-item cap (items
 * wait unassigned when everyone is full; escalated items are the managers' and are not handed out).
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { DomainError, notFound } from "../errors";
import { notify } from "../notifications/notifications.server";
import { lockReview, type LockedReview } from "./lock.server";

export const OPEN_ASSIGNED_STATUSES = ["ASSIGNED", "IN_PROGRESS"] as const;

export interface AssignmentResult {
  reviewId: string;
  assignedTo: string | null;
  status: string;
  changed: boolean;
}

function assignedNotification(tx: TenantTx, r: LockedReview, userId: string, at: Date) {
  return notify(tx, {
    tenantId: r.tenantId,
    userIds: [userId],
    kind: "review.assigned",
    params: { lead: r.leadName, priority: r.priority },
    link: `/outreach/review?item=${r.id}`,
    reviewId: r.id,
    dedupeKey: `review.assigned:${r.id}:${userId}:${at.toISOString()}`,
    at,
  });
}

/** A rep takes an item: their own already, or nobody's. A manager may take anyone's. */
export async function claimReview(tx: TenantTx, input: { tenantId: string; reviewId: string; actor: Actor & { type: "USER" }; now: Date }): Promise<AssignmentResult> {
  const r = await lockReview(tx, input.reviewId);
  if (r.status === "RESOLVED") throw new DomainError("CONFLICT", "REVIEW_RESOLVED", "the review item is already resolved");
  const me = input.actor.userId;
  if (r.assignedToUser === me) return { reviewId: r.id, assignedTo: me, status: r.status, changed: false };
  if (r.assignedToUser && input.actor.role === "SALES_REP") {
    throw new DomainError("CONFLICT", "REVIEW_ASSIGNED_TO_OTHER", "the review item belongs to someone else", { assignedTo: r.assignedToUser });
  }
  const status = r.status === "ESCALATED" ? "ESCALATED" : "ASSIGNED";
  await tx.humanReviewQueue.update({ where: { id: r.id }, data: { assignedToUser: me, assignedAt: input.now, status } });
  await recordAudit(tx, { tenantId: input.tenantId, actor: input.actor, action: "review.claim", entityType: "human_review_queue", entityId: r.id, before: { assignedTo: r.assignedToUser, status: r.status }, after: { assignedTo: me, status } });
  return { reviewId: r.id, assignedTo: me, status, changed: true };
}

/** A manager gives an item to someone (or back to nobody). */
export async function assignReview(
  tx: TenantTx,
  input: { tenantId: string; reviewId: string; userId: string | null; actor: Actor & { type: "USER" }; now: Date },
): Promise<AssignmentResult> {
  const r = await lockReview(tx, input.reviewId);
  if (r.status === "RESOLVED") throw new DomainError("CONFLICT", "REVIEW_RESOLVED", "the review item is already resolved");
  if (input.userId) {
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: { isActive: true } });
    if (!user) throw notFound("user", input.userId);
    if (!user.isActive) throw new DomainError("PRECONDITION_FAILED", "USER_INACTIVE", "the user is deactivated");
  }
  if (r.assignedToUser === input.userId) return { reviewId: r.id, assignedTo: input.userId, status: r.status, changed: false };
  const status = r.status === "ESCALATED" ? "ESCALATED" : input.userId ? "ASSIGNED" : "PENDING";
  await tx.humanReviewQueue.update({ where: { id: r.id }, data: { assignedToUser: input.userId, assignedAt: input.userId ? input.now : null, status } });
  if (input.userId && input.userId !== input.actor.userId) await assignedNotification(tx, r, input.userId, input.now);
  await recordAudit(tx, { tenantId: input.tenantId, actor: input.actor, action: "review.assign", entityType: "human_review_queue", entityId: r.id, before: { assignedTo: r.assignedToUser, status: r.status }, after: { assignedTo: input.userId, status } });
  return { reviewId: r.id, assignedTo: input.userId, status, changed: true };
}

export interface AutoAssignResult {
  assigned: Array<{ reviewId: string; userId: string }>;
  /** Unassigned items left because every available rep is at the cap (or none is available). */
  waiting: number;
}

/**
 * Unassigned PENDING items, oldest first, to available reps (active SALES_REP with review_available)
 * below `review_rep_open_cap` open items: the lead's own rep when they have room, else the rep with
 * the fewest open items. One run per tenant at a time (advisory lock); items another transaction
 * holds are skipped, never waited for, so this cannot take part in a deadlock.
 */
export async function autoAssignReviews(tx: TenantTx, input: { tenantId: string; now: Date; limit?: number }): Promise<AutoAssignResult> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`review-assign:${input.tenantId}`}))`;
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: input.tenantId }, select: { reviewAutoAssign: true, reviewRepOpenCap: true } });
  if (!tenant.reviewAutoAssign || tenant.reviewRepOpenCap <= 0) return { assigned: [], waiting: 0 };
  const reps = await tx.user.findMany({ where: { isActive: true, role: "SALES_REP", reviewAvailable: true }, orderBy: { id: "asc" }, select: { id: true } });
  const counts = new Map(reps.map((r) => [r.id, 0]));
  const open = await tx.humanReviewQueue.groupBy({ by: ["assignedToUser"], where: { status: { in: [...OPEN_ASSIGNED_STATUSES] }, assignedToUser: { in: reps.map((r) => r.id) } }, _count: { _all: true } });
  for (const o of open) if (o.assignedToUser) counts.set(o.assignedToUser, o._count._all);
  const cap = tenant.reviewRepOpenCap;
  const limit = input.limit ?? 500;
  // Nobody has room (or no rep is available): nothing can be handed out, so no item is locked. A reply
  // burst queues one run per opened item, and locking up to `limit` rows each time only to let them go
  // cost every one of those runs a write per row.
  if (![...counts.values()].some((n) => n < cap)) {
    const [row] = await tx.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM (SELECT 1 FROM human_review_queue WHERE status = 'PENDING' AND assigned_to_user IS NULL LIMIT ${limit}) w`;
    return { assigned: [], waiting: row?.n ?? 0 };
  }
  const items = await tx.$queryRaw<Array<{ id: string; owner: string | null; priority: string; lead: string }>>`
    SELECT r.id::text, j.assigned_to_user::text AS owner, r.priority::text, c.denumire AS lead
      FROM human_review_queue r
      JOIN gold_lead_journey j ON j.id = r.journey_id
      JOIN gold_companies c ON c.id = r.lead_id
     WHERE r.status = 'PENDING' AND r.assigned_to_user IS NULL
     ORDER BY r.created_at, r.id
     LIMIT ${limit}
       FOR UPDATE OF r SKIP LOCKED`;
  const assigned: AutoAssignResult["assigned"] = [];
  let i = 0;
  for (; i < items.length; i++) {
    const item = items[i]!;
    let pick: string | null = item.owner && counts.has(item.owner) && counts.get(item.owner)! < cap ? item.owner : null;
    if (!pick) {
      for (const [id, n] of counts) if (n < cap && (pick === null || n < counts.get(pick)!)) pick = id;
    }
    if (!pick) break;
    await tx.humanReviewQueue.update({ where: { id: item.id }, data: { assignedToUser: pick, assignedAt: input.now, status: "ASSIGNED" } });
    counts.set(pick, counts.get(pick)! + 1);
    assigned.push({ reviewId: item.id, userId: pick });
    await notify(tx, {
      tenantId: input.tenantId,
      userIds: [pick],
      kind: "review.assigned",
      params: { lead: item.lead, priority: item.priority },
      link: `/outreach/review?item=${item.id}`,
      reviewId: item.id,
      dedupeKey: `review.assigned:${item.id}:${pick}:${input.now.toISOString()}`,
      at: input.now,
    });
  }
  return { assigned, waiting: items.length - i };
}
