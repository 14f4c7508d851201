/**
 * The two per-lead changes of the bulk actions that are not a state transition or an enrollment:
 * giving a lead an owner, and putting a lead on the do-not-contact list. Each takes the lead's lock
 * first (server/db/lock-order.server.ts: the journey, then its enrollments) and writes no audit row of
 * its own: the bulk operation records one for all its leads (run.server.ts).
 */
import type { Actor } from "../../audit/actor";
import type { TenantTx } from "../../db/client.server";
import { lockJourney } from "../../db/lock-order.server";
import { stopOnOptOut } from "../../sequences/sequences.server";
import { normalizeEmail, normalizeRomanianPhone } from "../contact";
import type { BulkOutcome } from "./actions";

export async function assignLeadOwner(tx: TenantTx, input: { leadId: string; userId: string | null }): Promise<BulkOutcome> {
  const locked = await lockJourney(tx, { leadId: input.leadId });
  if (!locked) return "NOT_FOUND";
  const row = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: locked.id }, select: { assignedToUser: true } });
  if (row.assignedToUser === input.userId) return "UNCHANGED";
  await tx.goldLeadJourney.update({ where: { id: locked.id }, data: { assignedToUser: input.userId }, select: { id: true } });
  return "DONE";
}

/**
 * The lead's phone and address go on the tenant's do-not-contact list (dispatch, the send paths and
 * enrollment all check it), the lead is opted out on both channels and its open enrollments stop.
 * UNCHANGED when it was already opted out on both channels and nothing new went on the list.
 */
export async function addLeadToDoNotContact(
  tx: TenantTx,
  input: { tenantId: string; leadId: string; reason: string; actor: Actor & { type: "USER" }; now: Date },
): Promise<BulkOutcome> {
  const locked = await lockJourney(tx, { leadId: input.leadId });
  if (!locked) return "NOT_FOUND";
  const lead = await tx.goldLeadJourney.findUniqueOrThrow({
    where: { id: locked.id },
    select: { whatsappOptedOut: true, emailOptedOut: true, lead: { select: { telefonPrincipal: true, emailPrincipal: true } } },
  });
  const phone = lead.lead.telefonPrincipal ? normalizeRomanianPhone(lead.lead.telefonPrincipal) : null;
  const email = lead.lead.emailPrincipal ? normalizeEmail(lead.lead.emailPrincipal) : null;
  const entries = [
    ...(phone ? [{ type: "PHONE" as const, value: phone }] : []),
    ...(email ? [{ type: "EMAIL" as const, value: email }] : []),
  ];
  const listed =
    entries.length === 0
      ? 0
      : (
          await tx.doNotContact.createMany({
            data: entries.map((e) => ({ tenantId: input.tenantId, ...e, reason: input.reason, source: "manual:bulk", createdBy: input.actor.userId })),
            skipDuplicates: true,
          })
        ).count;
  const alreadyOut = lead.whatsappOptedOut && lead.emailOptedOut;
  if (!alreadyOut) {
    await tx.goldLeadJourney.update({ where: { id: locked.id }, data: { whatsappOptedOut: true, emailOptedOut: true }, select: { id: true } });
  }
  const stopped = await stopOnOptOut(tx, locked.id, { now: input.now, reason: `Adăugat pe lista „nu contactați”: ${input.reason}` });
  return listed > 0 || !alreadyOut || stopped.length > 0 ? "DONE" : "UNCHANGED";
}
