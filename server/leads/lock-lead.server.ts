/**
 * The first step of every person's action on a lead: lock its journey (the lead's lock, in the lock
 * order of server/db/lock-order.server.ts) and read what the action decides on. A lead of another
 * tenant is invisible (row-level security) and answers NOT_FOUND like one that does not exist; an
 * erased lead (GDPR) refuses every action but reading.
 */
import type { TenantTx } from "../db/client.server";
import { lockJourney } from "../db/lock-order.server";
import { DomainError, notFound } from "../errors";
import type { CurrentState } from "../generated/prisma/enums";
import { assertExpected, type LeadExpectation } from "./expectations";

export interface LockedLead {
  journeyId: string;
  leadId: string;
  state: CurrentState;
  previousState: CurrentState | null;
  ownerId: string | null;
  humanControlled: boolean;
  whatsappOptedOut: boolean;
  emailOptedOut: boolean;
  isNewContact: boolean;
  assignedPhoneId: string | null;
  phone: string | null;
  email: string | null;
  erasedAt: Date | null;
}

export async function lockLead(tx: TenantTx, ref: string | { journeyId: string }, expected?: LeadExpectation, options: { allowErased?: boolean } = {}): Promise<LockedLead> {
  const locked = await lockJourney(tx, typeof ref === "string" ? { leadId: ref } : ref);
  if (!locked) throw notFound(typeof ref === "string" ? "lead" : "journey", typeof ref === "string" ? ref : ref.journeyId);
  const leadId = locked.leadId;
  const j = await tx.goldLeadJourney.findUniqueOrThrow({
    where: { id: locked.id },
    select: {
      currentState: true,
      previousState: true,
      assignedToUser: true,
      isHumanControlled: true,
      whatsappOptedOut: true,
      emailOptedOut: true,
      isNewContact: true,
      assignedPhoneId: true,
      lead: { select: { telefonPrincipal: true, emailPrincipal: true, gdprErasedAt: true } },
    },
  });
  const lead: LockedLead = {
    journeyId: locked.id,
    leadId,
    state: j.currentState,
    previousState: j.previousState,
    ownerId: j.assignedToUser,
    humanControlled: j.isHumanControlled,
    whatsappOptedOut: j.whatsappOptedOut,
    emailOptedOut: j.emailOptedOut,
    isNewContact: j.isNewContact,
    assignedPhoneId: j.assignedPhoneId,
    phone: j.lead.telefonPrincipal,
    email: j.lead.emailPrincipal,
    erasedAt: j.lead.gdprErasedAt,
  };
  if (lead.erasedAt && !options.allowErased) throw new DomainError("PRECONDITION_FAILED", "LEAD_ERASED", "the lead's personal data was erased; nothing can be done with it");
  assertExpected(lead.journeyId, { state: lead.state, ownerId: lead.ownerId, humanControlled: lead.humanControlled }, expected);
  return lead;
}
