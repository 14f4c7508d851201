/**
 * Back to sequence (issue 15): a warm lead returns to the outreach state it replied from, and the
 * enrollment its reply stopped goes on. Used when the reply opened no conversation: an out-of-office
 * (resume after the return date), a LATER reply naming a time ("reveniți în februarie" → the step is
 * due then), or a person's review decision. The state machine allows WARM_REPLY → previous_state only
 * (server/lead-state/transitions.ts). In the caller's transaction, the journey locked first.
 */
import { historyActor, type Actor } from "../audit/actor";
import type { TenantTx } from "../db/client.server";
import { lockJourney } from "../db/lock-order.server";
import { notFound } from "../errors";
import type { CurrentState } from "../generated/prisma/enums";
import { transitionLead } from "../lead-state/transition.server";
import { checkTransition } from "../lead-state/transitions";
import { loadTenantCalendar } from "../quota/settings.server";
import { reopenAfterReply, type EnrollmentChange } from "../sequences/sequences.server";

export interface BackToSequenceInput {
  tenantId: string;
  journeyId: string;
  actor: Actor;
  /** The history row's reason and the journey's next-action reason (Romanian). */
  reason: string;
  /** The step is not due before this instant (null: per its own delay). */
  notBefore: Date | null;
  now: Date;
  metadata?: Record<string, unknown>;
}

export type BackToSequenceResult =
  | { outcome: "returned"; from: CurrentState; to: CurrentState; historyId: string | null; resumed: EnrollmentChange | null }
  | { outcome: "not_possible"; state: CurrentState; why: string };

export async function backToSequence(tx: TenantTx, input: BackToSequenceInput): Promise<BackToSequenceResult> {
  const locked = await lockJourney(tx, { journeyId: input.journeyId });
  if (!locked) throw notFound("journey", input.journeyId);
  const journey = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: locked.id }, select: { currentState: true, previousState: true } });
  const to = journey.previousState;
  const check = to ? checkTransition(journey.currentState, to, journey.previousState) : null;
  if (!to || !check || check.kind !== "allowed" || journey.currentState !== "WARM_REPLY") {
    return { outcome: "not_possible", state: journey.currentState, why: check && check.kind === "illegal" ? check.why : `the lead is ${journey.currentState}` };
  }
  const moved = await transitionLead(tx, { journeyId: locked.id, to, actor: historyActor(input.actor), reason: input.reason, metadata: input.metadata, expectedFrom: "WARM_REPLY", at: input.now });
  const calendar = await loadTenantCalendar(tx, input.tenantId);
  const resumed = await reopenAfterReply(tx, locked.id, { now: input.now, notBefore: input.notBefore, calendar, reason: input.reason });
  if (!resumed) {
    // Nothing left to send (the sequence had finished): say so instead of a silent empty next action.
    await tx.goldLeadJourney.update({ where: { id: locked.id }, data: { nextActionAt: null, nextActionReason: `${input.reason} (secvența nu mai are pași)` }, select: { id: true } });
  }
  return { outcome: "returned", from: journey.currentState, to, historyId: moved.historyId, resumed };
}
