/**
 * A person takes a lead over, or hands it back to the automation (issue 15: "take over: automation
 * stops for the lead until released"). While journey.is_human_controlled is set, dispatch does not
 * select the lead (eligibility HUMAN_CONTROLLED), a send job queued before the take-over stands down
 * when it runs (the send paths' run-time re-check), and no answer is sent automatically (automatic
 * answers not sent yet are cancelled here; a person's own approved answers still go). The person
 * who takes it over becomes its owner; they may still write to the lead by hand. Audited.
 *
 * Same names, input and result as the lead page's version (branch h-leadpage): when both land, keep
 * that one (it also checks what the person's screen showed).
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { lockJourney } from "../db/lock-order.server";
import { notFound } from "../errors";
import { cancelPendingAnswers } from "../replies/answers/answers.server";

export interface HoldResult {
  leadId: string;
  journeyId: string;
  changed: boolean;
  humanControlled: boolean;
  ownerId: string | null;
  /** Automatic answers (and open drafts) cancelled by a take-over. */
  cancelledAnswers: number;
}

async function lock(tx: TenantTx, leadId: string) {
  const locked = await lockJourney(tx, { leadId });
  if (!locked) throw notFound("lead", leadId);
  const j = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: locked.id }, select: { isHumanControlled: true, assignedToUser: true } });
  return { journeyId: locked.id, humanControlled: j.isHumanControlled, ownerId: j.assignedToUser };
}

export async function takeOverLead(tx: TenantTx, input: { tenantId: string; leadId: string; actor: Actor & { type: "USER" }; now: Date }): Promise<HoldResult> {
  const lead = await lock(tx, input.leadId);
  const changed = !lead.humanControlled || lead.ownerId !== input.actor.userId;
  const cancelledAnswers = await cancelPendingAnswers(tx, lead.journeyId, { code: "HUMAN_CONTROLLED", message: "a person took the lead over" }, { modes: ["AUTO"] });
  if (changed) {
    await tx.goldLeadJourney.update({ where: { id: lead.journeyId }, data: { isHumanControlled: true, assignedToUser: input.actor.userId }, select: { id: true } });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "lead.take_over",
      entityType: "gold_lead_journey",
      entityId: lead.journeyId,
      before: { humanControlled: lead.humanControlled, ownerId: lead.ownerId },
      after: { humanControlled: true, ownerId: input.actor.userId, cancelledAnswers },
    });
  }
  return { leadId: input.leadId, journeyId: lead.journeyId, changed, humanControlled: true, ownerId: input.actor.userId, cancelledAnswers };
}

export async function releaseLead(tx: TenantTx, input: { tenantId: string; leadId: string; actor: Actor; now: Date }): Promise<HoldResult> {
  const lead = await lock(tx, input.leadId);
  if (lead.humanControlled) {
    await tx.goldLeadJourney.update({ where: { id: lead.journeyId }, data: { isHumanControlled: false }, select: { id: true } });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "lead.release",
      entityType: "gold_lead_journey",
      entityId: lead.journeyId,
      before: { humanControlled: true },
      after: { humanControlled: false },
    });
  }
  return { leadId: input.leadId, journeyId: lead.journeyId, changed: lead.humanControlled, humanControlled: false, ownerId: lead.ownerId, cancelledAnswers: 0 };
}
