/**
 * A person's note on a lead (lead_notes; why not a MANUAL row of the communication log: see the model's
 * comment in schema.prisma). The audit row records that a note was added and its length, not its text,
 * so erasing the lead's data does not have to chase copies of it.
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { lockLead } from "./lock-lead.server";

export async function addLeadNote(
  tx: TenantTx,
  input: { tenantId: string; leadId: string; body: string; actor: Actor & { type: "USER" }; now: Date },
): Promise<{ id: string; createdAt: Date }> {
  const lead = await lockLead(tx, input.leadId);
  const note = await tx.leadNote.create({
    data: { tenantId: input.tenantId, journeyId: lead.journeyId, authorId: input.actor.userId, body: input.body, createdAt: input.now, updatedAt: input.now },
    select: { id: true, createdAt: true },
  });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "lead.note",
    entityType: "gold_lead_journey",
    entityId: lead.journeyId,
    after: { noteId: note.id, length: input.body.length },
  });
  return note;
}
