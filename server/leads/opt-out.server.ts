/**
 * A lead asked not to be contacted (issue 15: "opt-out → do-not-contact on every channel, every
 * sequence stopped, the journey marked, nothing ever sent again"). One use case for an opt-out read
 * in a reply (any channel), a complaint, and a person's decision. In the caller's tenant transaction,
 * in the lock order (server/db/lock-order.server.ts): the journey first.
 *
 *   1. the journey: opted out of WhatsApp and email, no next action;
 *   2. the lead's number and address on the do-not-contact list (which outlives the lead);
 *   3. every open enrollment stopped, whatever the step flags say;
 *   4. answers not sent yet (drafts, queued) cancelled.
 *
 * Sends already queued (a wa.send or email job, an answer's send) are not chased in pg-boss: every
 * send path re-reads the journey's opt-out flags and the do-not-contact list when it runs and stands
 * down (tests/replies/opt-out.test.ts queues an email, opts out by WhatsApp, runs the workers).
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { lockJourney } from "../db/lock-order.server";
import { notFound } from "../errors";
import type { Channel } from "../generated/prisma/enums";
import { stopOnOptOut, type EnrollmentChange } from "../sequences/sequences.server";

export interface OptOutInput {
  tenantId: string;
  journeyId: string;
  /** Where the lead asked (recorded in the reasons). */
  channel: Channel | null;
  /** Shown on the journey and in the do-not-contact list, in Romanian. */
  reason: string;
  /** e.g. reply:opt_out, reply:complaint, manual. */
  source: string;
  actor: Actor;
  at: Date;
}

export interface OptOutResult {
  leadId: string;
  stopped: EnrollmentChange[];
  doNotContact: Array<{ type: "PHONE" | "EMAIL"; value: string }>;
  cancelledAnswers: number;
  /** False when the lead was already opted out everywhere (a repeated opt-out changes nothing). */
  changed: boolean;
}

/** The form the WhatsApp send path compares numbers in: '+' and the digits. */
export const dncPhone = (phone: string): string => `+${phone.replace(/[^\d]/g, "")}`;
export const dncEmail = (email: string): string => email.trim().toLowerCase();

export async function optOutLead(tx: TenantTx, input: OptOutInput): Promise<OptOutResult> {
  const locked = await lockJourney(tx, { journeyId: input.journeyId });
  if (!locked) throw notFound("journey", input.journeyId);
  const journey = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: locked.id }, select: { emailOptedOut: true, whatsappOptedOut: true } });
  const company = await tx.goldCompany.findUniqueOrThrow({ where: { id: locked.leadId }, select: { telefonPrincipal: true, emailPrincipal: true } });

  await tx.goldLeadJourney.update({
    where: { id: locked.id },
    data: { emailOptedOut: true, whatsappOptedOut: true, nextActionAt: null, nextActionReason: `Dezabonat: ${input.reason}` },
    select: { id: true },
  });
  const entries: OptOutResult["doNotContact"] = [];
  if (company.telefonPrincipal && company.telefonPrincipal.replace(/[^\d]/g, "").length >= 6) entries.push({ type: "PHONE", value: dncPhone(company.telefonPrincipal) });
  if (company.emailPrincipal?.includes("@")) entries.push({ type: "EMAIL", value: dncEmail(company.emailPrincipal) });
  if (entries.length > 0) {
    await tx.doNotContact.createMany({
      data: entries.map((e) => ({
        tenantId: input.tenantId,
        type: e.type,
        value: e.value,
        reason: input.reason.slice(0, 500),
        source: input.source,
        createdBy: input.actor.type === "USER" ? input.actor.userId : null,
      })),
      skipDuplicates: true,
    });
  }
  const stopped = await stopOnOptOut(tx, locked.id, { channel: input.channel ?? undefined, now: input.at });
  const cancelled = await tx.replyAnswer.updateMany({
    where: { journeyId: locked.id, status: { in: ["DRAFT", "QUEUED"] } },
    data: { status: "CANCELLED", errorCode: "OPTED_OUT", errorMessage: "lead opted out before the answer went out" },
  });
  const changed = !(journey.emailOptedOut && journey.whatsappOptedOut) || stopped.length > 0 || cancelled.count > 0;
  if (input.actor.type === "USER") {
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "lead.opt_out",
      entityType: "gold_lead_journey",
      entityId: locked.id,
      before: { emailOptedOut: journey.emailOptedOut, whatsappOptedOut: journey.whatsappOptedOut },
      after: { emailOptedOut: true, whatsappOptedOut: true, reason: input.reason, stopped: stopped.length, cancelledAnswers: cancelled.count },
    });
  }
  return { leadId: locked.leadId, stopped, doNotContact: entries, cancelledAnswers: cancelled.count, changed };
}
