/**
 * The one function every lead state change goes through (design.md): validates against the table,
 * updates the journey with an optimistic check on the current state, and records the move in
 * lead_state_history with who (actor) and why (reason).
 *
 * Concurrency: the UPDATE carries `WHERE current_state = <state read>`. Under READ COMMITTED Postgres
 * re-checks that condition against the row a concurrent transaction just committed, so of two
 * transitions racing from the same state exactly one updates a row; the other gets
 * CONFLICT/LEAD_STATE_CHANGED and may re-read and decide again. No explicit lock is needed.
 *
 * Two statements on either kind of tenant transaction (server/db/executor.server.ts), so the reply a
 * webhook records and the move a person makes go through this same code: the read, then the guarded
 * update and its history row together.
 */
import { query, type Db } from "../db/executor.server";
import { DomainError, notFound } from "../errors";
import type { ActorType, CurrentState } from "../generated/prisma/enums";
import { assertTransition, checkTransition, OUTREACH_STATES } from "./transitions";

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
  /**
   * A move the table does not allow leaves the lead where it is (changed: false) instead of throwing:
   * for automatic moves that apply only where the table says so (a reply makes a lead warm).
   */
  onlyIfAllowed?: boolean;
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

const MOVE_SQL = `WITH moved AS (
    UPDATE gold_lead_journey SET
           current_state = $3::current_state_enum, previous_state = $2::current_state_enum,
           state_changed_at = $4::timestamptz, state_change_reason = $5::text,
           converted_at = CASE WHEN $6::boolean AND converted_at IS NULL THEN $4::timestamptz ELSE converted_at END,
           sequence_paused = CASE WHEN $7::boolean THEN true WHEN $8::boolean THEN false ELSE sequence_paused END,
           next_action_at = CASE WHEN $9::boolean THEN NULL ELSE next_action_at END,
           next_action_reason = CASE WHEN $9::boolean THEN $10::text ELSE next_action_reason END,
           updated_at = now()
     WHERE id = $1::uuid AND current_state = $2::current_state_enum
     RETURNING tenant_id, lead_id)
  INSERT INTO lead_state_history (tenant_id, journey_id, lead_id, from_state, to_state, actor_type, actor_id, reason, metadata, created_at)
  SELECT tenant_id, $1::uuid, lead_id, $2::current_state_enum, $3::current_state_enum, $11::actor_type_enum, $12::text, $5::text, $13::jsonb, $4::timestamptz FROM moved
  RETURNING id::text`;

export async function transitionLead(db: Db, input: TransitionInput): Promise<TransitionResult> {
  const at = input.at ?? new Date();
  const [journey] = await query<{ id: string; lead_id: string; current_state: CurrentState; previous_state: CurrentState | null }>(
    db,
    `SELECT id::text, lead_id::text, current_state::text, previous_state::text FROM gold_lead_journey WHERE id = $1::uuid`,
    [input.journeyId],
  );
  if (!journey) throw notFound("journey", input.journeyId);
  const from = journey.current_state;
  if (input.expectedFrom && input.expectedFrom !== from) {
    // An explicit expectation that no longer holds is a stale view, whatever the table says.
    throw stateChanged(journey.id, input.expectedFrom, from);
  }
  const unchanged: TransitionResult = { changed: false, journeyId: journey.id, leadId: journey.lead_id, from, to: from, historyId: null };
  if (input.onlyIfAllowed && checkTransition(from, input.to, journey.previous_state).kind !== "allowed") return unchanged;
  if (assertTransition(from, input.to, journey.previous_state, journey.id) === "noop") return unchanged;

  // Dispatch skips paused journeys by sequence_paused; resuming clears it. Outside cold outreach
  // (replied, negotiating, converted, dead, paused) no sequence step is due: the next action is a
  // person's, and the journey says why.
  const leavesOutreach = !OUTREACH_STATES.has(input.to);
  const moved = await query<{ id: string }>(db, MOVE_SQL, [
    journey.id,
    from,
    input.to,
    at,
    input.reason,
    input.to === "CONVERTED",
    input.to === "PAUSED",
    from === "PAUSED",
    leavesOutreach,
    `state ${input.to}: ${input.reason}`,
    input.actor.type,
    input.actor.id,
    JSON.stringify(input.metadata ?? {}),
  ]);
  const history = moved[0];
  if (!history) {
    const [now] = await query<{ current_state: CurrentState }>(db, `SELECT current_state::text FROM gold_lead_journey WHERE id = $1::uuid`, [journey.id]);
    if (now && now.current_state === input.to) {
      // The concurrent winner made the same move: for this caller the outcome is what it wanted,
      // but it did not make it, so it records nothing.
      return { changed: false, journeyId: journey.id, leadId: journey.lead_id, from: input.to, to: input.to, historyId: null };
    }
    throw stateChanged(journey.id, from, now?.current_state ?? null);
  }
  return { changed: true, journeyId: journey.id, leadId: journey.lead_id, from, to: input.to, historyId: history.id };
}
