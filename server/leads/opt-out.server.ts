/**
 * A lead asks not to be contacted (the lead page's "opt out", and the replies path when a farmer
 * writes "nu mă mai contactați"): one use case, so both stop everything the same way, in the caller's
 * transaction, journey first (lock order):
 *
 *   1. both channel flags set (whatsapp_opted_out, email_opted_out): dispatch, the channel selector
 *      and every send job's run-time re-check refuse the lead from now on;
 *   2. do-not-contact entries for the lead's phone and address (not the address's domain: one
 *      person's wish does not silence a whole company or gmail.com), so the person stays suppressed
 *      even if the lead is imported again as a new row;
 *   3. every open sequence enrollment stopped, whatever its steps say;
 *   4. answers to replies not sent yet (drafts, queued) cancelled;
 *   5. nothing left due (next_action_at cleared) and the audit row (without the phone or address).
 *
 * Send jobs already queued are not hunted down: each re-checks the flags and the list when it runs
 * and stands down with a recorded reason (tests/pipeline/wa-send.test.ts: "re-checks the do-not-contact
 * list at run time").
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { addDoNotContact } from "../dnc/dnc.server";
import { dncKey } from "../dnc/keys";
import { cancelPendingAnswers } from "../replies/answers/answers.server";
import { stopOnOptOut } from "../sequences/sequences.server";
import type { LeadExpectation } from "./expectations";
import { lockLead } from "./lock-lead.server";

export interface OptOutInput {
  tenantId: string;
  /** A lead id (the lead page) or the journey (the replies path, which knows the inbound message's journey). */
  lead: { leadId: string } | { journeyId: string };
  actor: Actor;
  now: Date;
  /** Shown on the do-not-contact entries and the stopped enrollments. */
  reason: string;
  /** Where the wish came from: lead_page, reply:opt_out, … (do_not_contact.source). */
  source: string;
  expected?: LeadExpectation;
}

export interface OptOutResult {
  leadId: string;
  journeyId: string;
  /** Both flags were already set before. */
  alreadyOptedOut: boolean;
  doNotContact: Array<{ id: string; type: "PHONE" | "EMAIL"; created: boolean }>;
  /** Reply answers (drafts, queued) that will now never go out. */
  cancelledAnswers: number;
  stoppedEnrollments: number;
}

export async function optOutLead(tx: TenantTx, input: OptOutInput): Promise<OptOutResult> {
  const lead = await lockLead(tx, "leadId" in input.lead ? input.lead.leadId : { journeyId: input.lead.journeyId }, input.expected, { allowErased: true });
  const alreadyOptedOut = lead.whatsappOptedOut && lead.emailOptedOut;
  await tx.goldLeadJourney.update({
    where: { id: lead.journeyId },
    data: { whatsappOptedOut: true, emailOptedOut: true },
    select: { id: true },
  });

  const entries: OptOutResult["doNotContact"] = [];
  const reason = input.reason.slice(0, 500);
  for (const [type, value] of [["PHONE", lead.phone], ["EMAIL", lead.email]] as const) {
    if (!value || !dncKey(type, value)) continue;
    const entry = await addDoNotContact(tx, { tenantId: input.tenantId, actor: input.actor, type, value, reason, source: input.source, now: input.now }, { audit: false });
    entries.push({ id: entry.id, type, created: entry.created });
  }

  const stopped = await stopOnOptOut(tx, lead.journeyId, { now: input.now, reason: `Opt-out: ${reason}` });
  const cancelledAnswers = await cancelPendingAnswers(tx, lead.journeyId, { code: "OPTED_OUT", message: "lead opted out before the answer went out" });
  await tx.goldLeadJourney.update({
    where: { id: lead.journeyId },
    data: { nextActionAt: null, nextActionReason: "opted out of every channel" },
    select: { id: true },
  });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "lead.opt_out",
    entityType: "gold_lead_journey",
    entityId: lead.journeyId,
    before: { whatsappOptedOut: lead.whatsappOptedOut, emailOptedOut: lead.emailOptedOut },
    after: { whatsappOptedOut: true, emailOptedOut: true, source: input.source, doNotContact: entries, stoppedEnrollments: stopped.length, cancelledAnswers },
  });
  return { leadId: lead.leadId, journeyId: lead.journeyId, alreadyOptedOut, doNotContact: entries, stoppedEnrollments: stopped.length, cancelledAnswers };
}
