/**
 * Runbook §5.1 step 3, emergency assignment: when urgent review items pile up unassigned, give up to
 * N of them (oldest due first) to a person who is available. Only PENDING items move (an item someone
 * already holds is theirs), so running it twice never takes work away from anyone. Dry run: which items
 * would move. Audited per run, with the items' ids.
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import { withTenant } from "../db/client.server";
import { DomainError } from "../errors";
import type { ReviewPriority } from "../generated/prisma/enums";
import type { Clock } from "../clock";

export interface ReassignPlan {
  assignee: { id: string; name: string; email: string };
  priority: ReviewPriority;
  items: Array<{ id: string; leadId: string; slaDueAt: Date; overdue: boolean }>;
  applied: boolean;
}

export async function reassignReviews(
  deps: { clock: Clock },
  tenantId: string,
  input: { assignee: string; priority: ReviewPriority; limit: number; dryRun: boolean; actor: Actor },
): Promise<ReassignPlan> {
  const now = deps.clock();
  return withTenant(tenantId, async (tx) => {
    const user = await tx.user.findFirst({
      where: { isActive: true, OR: [{ email: input.assignee.toLowerCase() }, ...(/^[0-9a-f-]{36}$/i.test(input.assignee) ? [{ id: input.assignee }] : [])] },
      select: { id: true, name: true, email: true },
    });
    if (!user) throw new DomainError("NOT_FOUND", "ASSIGNEE_NOT_FOUND", `no active user ${input.assignee} in this tenant`);
    // Locked so two runs at once cannot hand the same item to two people.
    const items = await tx.$queryRaw<Array<{ id: string; lead_id: string; sla_due_at: Date }>>`
      SELECT id, lead_id, sla_due_at FROM human_review_queue
       WHERE status = 'PENDING' AND priority = ${input.priority}::review_priority_enum
       ORDER BY sla_due_at ASC, created_at ASC
       LIMIT ${input.limit}
       FOR UPDATE SKIP LOCKED`;
    const plan: ReassignPlan = {
      assignee: user,
      priority: input.priority,
      items: items.map((i) => ({ id: i.id, leadId: i.lead_id, slaDueAt: i.sla_due_at, overdue: i.sla_due_at.getTime() < now.getTime() })),
      applied: false,
    };
    if (input.dryRun || items.length === 0) return plan;
    await tx.humanReviewQueue.updateMany({ where: { id: { in: items.map((i) => i.id) }, status: "PENDING" }, data: { assignedToUser: user.id, assignedAt: now, status: "ASSIGNED" } });
    await recordAudit(tx, {
      tenantId,
      actor: input.actor,
      action: "review.emergency_assign",
      entityType: "human_review_queue",
      entityId: null,
      after: { assignee: user.id, priority: input.priority, items: items.map((i) => i.id) },
    });
    return { ...plan, applied: true };
  });
}
