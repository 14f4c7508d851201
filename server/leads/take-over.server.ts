/**
 * A person takes a lead over, or hands it back to the automation (design: "take over (automation stops
 * for that lead)"). While journey.is_human_controlled is set, dispatch does not select the lead (its
 * SQL filter and the eligibility rule HUMAN_CONTROLLED) and a send job queued before the take-over
 * stands down when it runs (the send paths' run-time re-check): nothing automatic reaches the lead.
 * Automatic answers to replies not sent yet are cancelled (a person's own approved answers still go).
 * The person who takes it over becomes its owner. The person may still write to the lead by hand.
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import type { LeadExpectation } from "./expectations";
import { lockLead } from "./lock-lead.server";
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

export async function takeOverLead(tx: TenantTx, input: { tenantId: string; leadId: string; actor: Actor & { type: "USER" }; now: Date; expected?: LeadExpectation }): Promise<HoldResult> {
  const lead = await lockLead(tx, input.leadId, input.expected);
  const changed = !lead.humanControlled || lead.ownerId !== input.actor.userId;
  const cancelledAnswers = await cancelPendingAnswers(tx, lead.journeyId, { code: "HUMAN_CONTROLLED", message: "a person took the lead over" }, { modes: ["AUTO"] });
  if (changed) {
    await tx.goldLeadJourney.update({
      where: { id: lead.journeyId },
      data: { isHumanControlled: true, assignedToUser: input.actor.userId },
      select: { id: true },
    });
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

export async function releaseLead(tx: TenantTx, input: { tenantId: string; leadId: string; actor: Actor; now: Date; expected?: LeadExpectation }): Promise<HoldResult> {
  const lead = await lockLead(tx, input.leadId, input.expected);
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
