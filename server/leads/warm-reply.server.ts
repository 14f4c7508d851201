/**
 * The lead-state move of the reply path (seeds §5.2 step 4): a reply makes the lead warm, through the
 * lead state machine (server/lead-state), recorded in lead_state_history with its actor
 * (WEBHOOK/<provider>, or the rep who logged a reply by hand). Called by recordReply.
 *
 * Only where the machine allows COLD/CONTACTED_* → WARM_REPLY. A lead already further on
 * (WARM_REPLY, NEGOTIATION, CONVERTED) or PAUSED/DEAD by a person's decision stays where it is;
 * the reply is still logged and analysed by the caller. Asked of the table rather than caught
 * (transitionLead's onlyIfAllowed), so an expected "no" never looks like an error.
 */
import type { Db } from "../db/executor.server";
import { DomainError } from "../errors";
import type { CurrentState } from "../generated/prisma/enums";
import { transitionLead } from "../lead-state/transition.server";
import { historyActor, type Actor } from "../audit/actor";

/** Shown to reps in the lead's history (Romanian, like the seed data's "Răspuns primit"). */
export const REPLY_REASON = "Răspuns primit";

export interface WarmReplyResult {
  changed: boolean;
  from: CurrentState;
  /** The lead_state_history row of the move, when there was one. */
  historyId: string | null;
}

export async function moveToWarmReply(
  db: Db,
  input: { journeyId: string; actor: Actor; reason?: string; at: Date; replyMessageId: string },
): Promise<WarmReplyResult> {
  try {
    const moved = await transitionLead(db, {
      journeyId: input.journeyId,
      to: "WARM_REPLY",
      actor: historyActor(input.actor),
      reason: input.reason ?? REPLY_REASON,
      metadata: { replyMessageId: input.replyMessageId },
      at: input.at,
      onlyIfAllowed: true,
    });
    return { changed: moved.changed, from: moved.from, historyId: moved.historyId };
  } catch (error) {
    // Moved meanwhile by someone else (a rep, a concurrent event): the lead is where they put it.
    if (error instanceof DomainError && error.kind === "CONFLICT") return { changed: false, from: error.details?.expected as CurrentState, historyId: null };
    throw error;
  }
}
