/**
 * The review page's read model (issue 15): the list with counts per priority, one item in full (the
 * reply in its conversation, the analysis and why it is here, the draft, notes, history), and the
 * people items can go to. Reps see their items and the unassigned ones; managers see all, filtered
 * by rep and by breach.
 */
import type { Role } from "../auth/roles";
import { roleAtLeast } from "../auth/roles";
import type { TenantTx } from "../db/client.server";
import { notFound } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import type { ReviewKind, ReviewReason, ReviewResolution, ReviewStatus } from "../generated/prisma/enums";
import { PRIORITY_ORDER, type ReviewPriority } from "./sla";

export const OPEN_STATUSES: ReviewStatus[] = ["PENDING", "ASSIGNED", "IN_PROGRESS", "ESCALATED"];

export interface Viewer {
  userId: string;
  role: Role;
}

export interface ListFilter {
  priority?: ReviewPriority;
  state: "OPEN" | "RESOLVED";
  /** Managers: a rep's id, "UNASSIGNED" or "MINE"; reps always see theirs and the unassigned. */
  assignee?: string;
  breached?: boolean;
  limit: number;
}

export interface ReviewListItem {
  id: string;
  kind: ReviewKind;
  reason: ReviewReason | null;
  priority: ReviewPriority;
  status: ReviewStatus;
  resolution: ReviewResolution | null;
  slaDueAt: Date;
  slaBreached: boolean;
  createdAt: Date;
  resolvedAt: Date | null;
  assignee: { id: string; name: string } | null;
  mine: boolean;
  lead: { id: string; name: string; county: string | null };
  channel: string | null;
  replyPreview: string | null;
  intent: string | null;
  score: number | null;
  hasDraft: boolean;
}

function scope(viewer: Viewer, f: Pick<ListFilter, "assignee" | "breached" | "state">): Prisma.HumanReviewQueueWhereInput {
  const where: Prisma.HumanReviewQueueWhereInput = f.state === "OPEN" ? { status: { in: OPEN_STATUSES } } : { status: "RESOLVED" };
  if (!roleAtLeast(viewer.role, "MANAGER")) {
    where.OR = [{ assignedToUser: viewer.userId }, ...(f.state === "OPEN" ? [{ assignedToUser: null }] : [])];
  } else if (f.assignee === "UNASSIGNED") where.assignedToUser = null;
  else if (f.assignee === "MINE") where.assignedToUser = viewer.userId;
  else if (f.assignee) where.assignedToUser = f.assignee;
  if (f.breached !== undefined) where.slaBreached = f.breached;
  return where;
}

export async function reviewCounts(tx: TenantTx, viewer: Viewer, f: Pick<ListFilter, "assignee" | "breached">): Promise<{ byPriority: Record<ReviewPriority, number>; total: number; breached: number; mine: number; unassigned: number }> {
  const where = scope(viewer, { ...f, state: "OPEN" });
  const groups = await tx.humanReviewQueue.groupBy({ by: ["priority"], where, _count: { _all: true } });
  const breached = await tx.humanReviewQueue.count({ where: { AND: [where, { slaBreached: true }] } });
  const mine = await tx.humanReviewQueue.count({ where: { status: { in: OPEN_STATUSES }, assignedToUser: viewer.userId } });
  const unassigned = await tx.humanReviewQueue.count({ where: { status: { in: OPEN_STATUSES }, assignedToUser: null } });
  const byPriority = Object.fromEntries(PRIORITY_ORDER.map((p) => [p, 0])) as Record<ReviewPriority, number>;
  for (const g of groups) byPriority[g.priority] = g._count._all;
  return { byPriority, total: Object.values(byPriority).reduce((a, b) => a + b, 0), breached, mine, unassigned };
}

export async function listReviews(tx: TenantTx, viewer: Viewer, f: ListFilter): Promise<ReviewListItem[]> {
  const where: Prisma.HumanReviewQueueWhereInput = { AND: [scope(viewer, f), ...(f.priority ? [{ priority: f.priority }] : [])] };
  const rows = await tx.humanReviewQueue.findMany({
    where,
    orderBy: f.state === "OPEN" ? [{ slaDueAt: "asc" }, { createdAt: "asc" }, { id: "asc" }] : [{ resolvedAt: "desc" }, { id: "asc" }],
    take: f.limit,
    select: {
      id: true,
      kind: true,
      reason: true,
      priority: true,
      status: true,
      resolution: true,
      slaDueAt: true,
      slaBreached: true,
      createdAt: true,
      resolvedAt: true,
      aiIntent: true,
      aiSentimentScore: true,
      answerId: true,
      draftedAnswer: true,
      assignedUser: { select: { id: true, name: true } },
      lead: { select: { id: true, denumire: true, judet: true } },
      triggerMessage: { select: { channel: true, contentPreview: true } },
    },
  });
  const items = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    reason: r.reason,
    priority: r.priority,
    status: r.status,
    resolution: r.resolution,
    slaDueAt: r.slaDueAt,
    slaBreached: r.slaBreached,
    createdAt: r.createdAt,
    resolvedAt: r.resolvedAt,
    assignee: r.assignedUser,
    mine: r.assignedUser?.id === viewer.userId,
    lead: { id: r.lead.id, name: r.lead.denumire, county: r.lead.judet },
    channel: r.triggerMessage?.channel ?? null,
    replyPreview: r.triggerMessage?.contentPreview ?? null,
    intent: r.aiIntent,
    score: r.aiSentimentScore,
    hasDraft: Boolean(r.answerId || r.draftedAnswer),
  }));
  // Reps: theirs first, then the unassigned (each by due time, the order above).
  if (!roleAtLeast(viewer.role, "MANAGER")) items.sort((a, b) => Number(b.mine) - Number(a.mine));
  return items;
}

export async function getReview(tx: TenantTx, reviewId: string) {
  const r = await tx.humanReviewQueue.findUnique({
    where: { id: reviewId },
    select: {
      id: true,
      kind: true,
      reason: true,
      priority: true,
      status: true,
      resolution: true,
      resolutionNote: true,
      slaDueAt: true,
      slaBreached: true,
      slaBreachedAt: true,
      createdAt: true,
      resolvedAt: true,
      escalatedAt: true,
      aiIntent: true,
      aiSentimentScore: true,
      aiAnalysis: true,
      draftedAnswer: true,
      finalAnswer: true,
      journeyId: true,
      triggerMessageId: true,
      assignedUser: { select: { id: true, name: true } },
      resolvedByUser: { select: { id: true, name: true } },
      answer: { select: { id: true, body: true, subject: true, status: true, source: true, channel: true, mode: true, errorCode: true } },
      lead: { select: { id: true, denumire: true, judet: true, localitate: true, contactPrincipalNume: true, contactPrincipalFunctie: true, telefonPrincipal: true, emailPrincipal: true } },
      journey: {
        select: {
          currentState: true,
          previousState: true,
          isHumanControlled: true,
          whatsappOptedOut: true,
          emailOptedOut: true,
          nextActionAt: true,
          nextActionReason: true,
          sentimentScore: true,
          lastIntent: true,
          assignedUser: { select: { id: true, name: true } },
        },
      },
      notes: { orderBy: { createdAt: "asc" }, select: { id: true, body: true, createdAt: true, author: { select: { id: true, name: true } } } },
    },
  });
  if (!r) throw notFound("review", reviewId);
  const conversation = await tx.goldCommunicationLog.findMany({
    where: { journeyId: r.journeyId, contentPreview: { not: null } },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: { id: true, direction: true, channel: true, status: true, contentPreview: true, subject: true, createdAt: true, sentAt: true, intent: true, sentimentScore: true },
  });
  const suggestions = await tx.contactSuggestion.findMany({
    where: { leadId: r.lead.id, status: "PENDING" },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, role: true, phone: true, email: true, createdAt: true },
  });
  const history = await tx.auditLog.findMany({
    where: { entityType: "human_review_queue", entityId: reviewId },
    orderBy: { createdAt: "asc" },
    take: 50,
    select: { id: true, action: true, createdAt: true, actorUser: { select: { name: true } }, after: true },
  });
  const { journey, notes, ...item } = r;
  return {
    ...item,
    analysis: (r.aiAnalysis ?? null) as Record<string, unknown> | null,
    journey: { ...journey, holder: journey.isHumanControlled ? journey.assignedUser : null, owner: journey.assignedUser },
    conversation: conversation.reverse().map((m) => ({ ...m, isTrigger: m.id === r.triggerMessageId })),
    suggestions,
    notes: notes.map((n) => ({ id: n.id, body: n.body, createdAt: n.createdAt, author: n.author })),
    history: history.map((h) => ({ id: h.id, action: h.action, at: h.createdAt, actor: h.actorUser?.name ?? null })),
  };
}

export type ReviewDetail = Awaited<ReturnType<typeof getReview>>;

/** People an item can go to, with their open items (manager's assign menu and filter). */
export async function reviewAssignees(tx: TenantTx) {
  const users = await tx.user.findMany({ where: { isActive: true }, orderBy: [{ role: "desc" }, { name: "asc" }], select: { id: true, name: true, role: true, reviewAvailable: true } });
  const open = await tx.humanReviewQueue.groupBy({ by: ["assignedToUser"], where: { status: { in: OPEN_STATUSES }, assignedToUser: { not: null } }, _count: { _all: true } });
  const counts = new Map(open.map((o) => [o.assignedToUser!, o._count._all]));
  return users.map((u) => ({ ...u, openItems: counts.get(u.id) ?? 0 }));
}
