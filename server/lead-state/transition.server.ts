/**
 * The one function every lead state change goes through (design.md): validates against the table,
 * updates the journey with an optimistic check on the current state, and records the move in
 * lead_state_history with who (actor) and why (reason).
 *
 * Concurrency: the UPDATE carries `WHERE current_state = <state read>`. Under READ COMMITTED Postgres
 * re-checks that condition against the row a concurrent transaction just committed, so of two
 * transitions racing from the same state exactly one updates a row; the other gets
 * CONFLICT/LEAD_STATE_CHANGED and may re-read and decide again. No explicit lock is needed.
 */
import type { TenantTx } from "../db/client.server";
import { DomainError, notFound } from "../errors";
import type { ActorType, CurrentState } from "../generated/prisma/enums";
import type { Prisma } from "../generated/prisma/client";
import { assertTransition, OUTREACH_STATES } from "./transitions";

export interface TransitionActor {
  type: ActorType;
  /** A user id for USER, a queue/job name for JOB, the provider for WEBHOOK, a component for SYSTEM. */
  id: string | null;
}

export interface TransitionInput {
  journeyId: string;
  to: CurrentState;
  actor: TransitionActor;
  reason: string;
  metadata?: Record<string, unknown>;
  /**
   * The state the caller believes the lead is in (a rep's screen, a job's earlier read). If the lead
   * has moved since, the call fails with LEAD_STATE_CHANGED instead of acting on a stale view.
   */
  expectedFrom?: CurrentState;
  /** Injected clock; defaults to now. */
  at?: Date;
}

export interface TransitionResult {
  changed: boolean;
  journeyId: string;
  leadId: string;
  from: CurrentState;
  to: CurrentState;
  historyId: string | null;
}

export function stateChanged(journeyId: string, expected: CurrentState, actual: CurrentState | null): DomainError {
  return new DomainError("CONFLICT", "LEAD_STATE_CHANGED", `lead state changed concurrently: expected ${expected}, found ${actual ?? "nothing"}`, {
    journeyId,
    expected,
    actual,
  });
}

export async function transitionLead(tx: TenantTx, input: TransitionInput): Promise<TransitionResult> {
  const at = input.at ?? new Date();
  const journey = await tx.goldLeadJourney.findUnique({
    where: { id: input.journeyId },
    select: { id: true, tenantId: true, leadId: true, currentState: true, previousState: true, convertedAt: true },
  });
  if (!journey) throw notFound("journey", input.journeyId);
  const from = journey.currentState;
  if (input.expectedFrom && input.expectedFrom !== from) {
    // An explicit expectation that no longer holds is a stale view, whatever the table says.
    throw stateChanged(journey.id, input.expectedFrom, from);
  }

  const verdict = assertTransition(from, input.to, journey.previousState, journey.id);
  if (verdict === "noop") return { changed: false, journeyId: journey.id, leadId: journey.leadId, from, to: from, historyId: null };

  const data: Prisma.GoldLeadJourneyUpdateManyMutationInput = {
    currentState: input.to,
    previousState: from,
    stateChangedAt: at,
    stateChangeReason: input.reason,
  };
  if (input.to === "CONVERTED" && !journey.convertedAt) data.convertedAt = at;
  // Dispatch skips paused journeys by this flag; resuming clears it.
  if (input.to === "PAUSED") data.sequencePaused = true;
  if (from === "PAUSED") data.sequencePaused = false;
  // Outside cold outreach (replied, negotiating, converted, dead, paused) no sequence step is due:
  // the next action is a person's. Say why on the journey.
  if (!OUTREACH_STATES.has(input.to)) {
    data.nextActionAt = null;
    data.nextActionReason = `state ${input.to}: ${input.reason}`;
  }

  const updated = await tx.goldLeadJourney.updateMany({ where: { id: journey.id, currentState: from }, data });
  if (updated.count !== 1) {
    const now = await tx.goldLeadJourney.findUnique({ where: { id: journey.id }, select: { currentState: true } });
    if (now && now.currentState === input.to) {
      // The concurrent winner made the same move: for this caller the outcome is what it wanted,
      // but it did not make it, so it records nothing.
      return { changed: false, journeyId: journey.id, leadId: journey.leadId, from: input.to, to: input.to, historyId: null };
    }
    throw stateChanged(journey.id, from, now?.currentState ?? null);
  }

  const history = await tx.leadStateHistory.create({
    data: {
      tenantId: journey.tenantId,
      journeyId: journey.id,
      leadId: journey.leadId,
      fromState: from,
      toState: input.to,
      actorType: input.actor.type,
      actorId: input.actor.id,
      reason: input.reason,
      metadata: (input.metadata ?? {}) as Prisma.InputJsonValue,
      createdAt: at,
    },
    select: { id: true },
  });
  return { changed: true, journeyId: journey.id, leadId: journey.leadId, from, to: input.to, historyId: history.id };
}

