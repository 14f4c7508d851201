/**
 * A lead asked not to be contacted (issue 15: "opt-out → do-not-contact on every channel, every
 * sequence stopped, the journey marked, nothing ever sent again"), from a reply (any channel), a
 * complaint or a person. In the caller's tenant transaction, journey first (lock order):
 *
 *   1. both channel flags set, no next action;
 *   2. the lead's number and address on the do-not-contact list (which outlives the lead);
 *   3. every open enrollment stopped, whatever the step flags say;
 *   4. answers not sent yet (drafts, queued) cancelled;
 *   5. the audit row (without the number or the address).
 *
 * Sends already queued are not chased in pg-boss: every send path re-reads the flags and the list
 * when it runs and stands down (tests/replies/acting.test.ts queues an email, opts out by WhatsApp,
 * runs the workers).
 *
 * Same name, input and result as the lead page's version of this use case (branch h-leadpage, which
 * also normalises do-not-contact keys in server/dnc/): when both land, keep that one.
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { lockJourney } from "../db/lock-order.server";
import { notFound } from "../errors";
import { cancelPendingAnswers } from "../replies/answers/answers.server";
import { stopOnOptOut } from "../sequences/sequences.server";

export interface OptOutInput {
  tenantId: string;
  /** A lead id (the lead page) or the journey (the replies path, which knows the inbound message's journey). */
  lead: { leadId: string } | { journeyId: string };
  actor: Actor;
  now: Date;
  /** Shown on the do-not-contact entries and the stopped enrollments. */
  reason: string;
  /** Where the wish came from: lead_page, reply:opt_out, reply:complaint … (do_not_contact.source). */
  source: string;
}

export interface OptOutResult {
  leadId: string;
  journeyId: string;
  /** Both flags were already set before. */
  alreadyOptedOut: boolean;
  doNotContact: Array<{ type: "PHONE" | "EMAIL"; created: boolean }>;
  stoppedEnrollments: number;
  /** Reply answers (drafts, queued) that will now never go out. */
  cancelledAnswers: number;
}

/** The forms the send paths compare numbers and addresses in: '+' and the digits; lower case. */
export const dncPhone = (phone: string): string => `+${phone.replace(/[^\d]/g, "")}`;
export const dncEmail = (email: string): string => email.trim().toLowerCase();

export async function optOutLead(tx: TenantTx, input: OptOutInput): Promise<OptOutResult> {
  const locked = await lockJourney(tx, input.lead);
  if (!locked) throw notFound("leadId" in input.lead ? "lead" : "journey", "leadId" in input.lead ? input.lead.leadId : input.lead.journeyId);
  const journey = await tx.goldLeadJourney.findUniqueOrThrow({
    where: { id: locked.id },
    select: { emailOptedOut: true, whatsappOptedOut: true, lead: { select: { telefonPrincipal: true, emailPrincipal: true } } },
  });
  const alreadyOptedOut = journey.emailOptedOut && journey.whatsappOptedOut;
  await tx.goldLeadJourney.update({
    where: { id: locked.id },
    data: { emailOptedOut: true, whatsappOptedOut: true, nextActionAt: null, nextActionReason: "opted out of every channel" },
    select: { id: true },
  });
  const reason = input.reason.slice(0, 500);
  const entries: OptOutResult["doNotContact"] = [];
  const { telefonPrincipal: phone, emailPrincipal: email } = journey.lead;
  for (const [type, value] of [["PHONE", phone && phone.replace(/[^\d]/g, "").length >= 6 ? dncPhone(phone) : null], ["EMAIL", email?.includes("@") ? dncEmail(email) : null]] as const) {
    if (!value) continue;
    const created = await tx.doNotContact.createMany({
      data: [{ tenantId: input.tenantId, type, value, reason, source: input.source, createdBy: input.actor.type === "USER" ? input.actor.userId : null, createdAt: input.now }],
      skipDuplicates: true,
    });
    entries.push({ type, created: created.count === 1 });
  }
  const stopped = await stopOnOptOut(tx, locked.id, { now: input.now, reason: `Opt-out: ${reason}` });
  const cancelledAnswers = await cancelPendingAnswers(tx, locked.id, { code: "OPTED_OUT", message: "lead opted out before the answer went out" });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "lead.opt_out",
    entityType: "gold_lead_journey",
    entityId: locked.id,
    before: { whatsappOptedOut: journey.whatsappOptedOut, emailOptedOut: journey.emailOptedOut },
    after: { whatsappOptedOut: true, emailOptedOut: true, source: input.source, doNotContact: entries, stoppedEnrollments: stopped.length, cancelledAnswers },
  });
  return { leadId: locked.leadId, journeyId: locked.id, alreadyOptedOut, doNotContact: entries, stoppedEnrollments: stopped.length, cancelledAnswers };
}
