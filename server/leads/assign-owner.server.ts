/**
 * Who owns a lead (journey.assigned_to_user): the rep whose "my leads" it is. A manager or admin
 * assigns anyone of the tenant (or nobody); a rep may only take a lead for themselves.
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import { roleAtLeast } from "../auth/roles";
import type { TenantTx } from "../db/client.server";
import { DomainError, notFound } from "../errors";
import type { LeadExpectation } from "./expectations";
import { lockLead } from "./lock-lead.server";

export async function assignLeadOwner(
  tx: TenantTx,
  input: { tenantId: string; leadId: string; ownerId: string | null; actor: Actor & { type: "USER" }; expected?: LeadExpectation },
): Promise<{ leadId: string; journeyId: string; owner: { id: string; name: string } | null; changed: boolean }> {
  if (!roleAtLeast(input.actor.role, "MANAGER") && input.ownerId !== input.actor.userId) {
    throw new DomainError("FORBIDDEN", "ASSIGN_OTHERS_MANAGER_ONLY", "a sales rep may assign a lead only to themselves");
  }
  const lead = await lockLead(tx, input.leadId, input.expected);
  const owner = input.ownerId ? await tx.user.findUnique({ where: { id: input.ownerId }, select: { id: true, name: true, isActive: true } }) : null;
  if (input.ownerId && (!owner || !owner.isActive)) throw notFound("user", input.ownerId);
  const changed = lead.ownerId !== input.ownerId;
  if (changed) {
    await tx.goldLeadJourney.update({ where: { id: lead.journeyId }, data: { assignedToUser: input.ownerId }, select: { id: true } });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "lead.assign",
      entityType: "gold_lead_journey",
      entityId: lead.journeyId,
      before: { ownerId: lead.ownerId },
      after: { ownerId: input.ownerId },
    });
  }
  return { leadId: input.leadId, journeyId: lead.journeyId, owner: owner ? { id: owner.id, name: owner.name } : null, changed };
}
