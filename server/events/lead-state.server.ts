/**
 * The lead-state move of the reply path (seeds §5.2 step 4): a reply makes the lead warm, through the
 * lead state machine (server/lead-state), recorded in lead_state_history as WEBHOOK/<provider>.
 *
 * Only where the machine allows COLD/CONTACTED_* → WARM_REPLY. A lead already further on
 * (WARM_REPLY, NEGOTIATION, CONVERTED) or PAUSED/DEAD by a person's decision stays where it is;
 * the reply is still logged and analysed by the caller. Asked first rather than caught, so an
 * expected "no" never looks like an error.
 */
import type { TenantTx } from "../db/client.server";
import { DomainError } from "../errors";
import type { CurrentState } from "../generated/prisma/enums";
import { transitionLead } from "../lead-state/transition.server";
import { checkTransition } from "../lead-state/transitions";
import type { Provider } from "./types";

/** Shown to reps in the lead's history (Romanian, like the seed data's "Răspuns primit"). */
export const REPLY_REASON = "Răspuns primit";

export interface WarmReplyResult {
  changed: boolean;
  from: CurrentState;
}

export async function moveToWarmReply(
  tx: TenantTx,
  input: { tenantId: string; journeyId: string; leadId: string; provider: Provider; at: Date; replyMessageId: string },
): Promise<WarmReplyResult> {
  const journey = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: input.journeyId }, select: { currentState: true, previousState: true } });
  if (checkTransition(journey.currentState, "WARM_REPLY", journey.previousState).kind !== "allowed") return { changed: false, from: journey.currentState };
  try {
    const moved = await transitionLead(tx, {
      journeyId: input.journeyId,
      to: "WARM_REPLY",
      actor: { type: "WEBHOOK", id: input.provider },
      reason: REPLY_REASON,
      metadata: { replyMessageId: input.replyMessageId },
      at: input.at,
    });
    return { changed: moved.changed, from: moved.from };
  } catch (error) {
    // Moved meanwhile by someone else (a rep, a concurrent event): the lead is where they put it.
    if (error instanceof DomainError && error.kind === "CONFLICT") return { changed: false, from: journey.currentState };
    throw error;
  }
}
