/**
 * A person moves a lead (seeds F2.1.1: the state machine; issue 5 item 9): → WARM_REPLY for a reply
 * that came by phone, → NEGOTIATION, → CONVERTED, → DEAD, pause and resume. CONTACTED_* record a send
 * the system made, so only the pipeline sets them (except as the state a paused lead resumes to).
 *
 * One transaction, in the lock order (server/db/lock-order.server.ts): the journey first, then its
 * enrollments. What the move does to sequences is the table in state-effects.ts; a reply logged by
 * hand is recorded by the same use case as a provider's reply (record-reply.server.ts), so it stops
 * sequences, counts and shows on the timeline exactly as any reply. Audited.
 */
import type { Actor } from "../audit/actor";
import { historyActor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { lockJourney } from "../db/lock-order.server";
import { DomainError, notFound } from "../errors";
import type { CurrentState } from "../generated/prisma/enums";
import { stateChanged, transitionLead, type TransitionResult } from "../lead-state/transition.server";
import { allowedTargets, assertTransition } from "../lead-state/transitions";
import { loadTenantCalendar } from "../quota/settings.server";
import { openEnrollmentIds, pauseEnrollment, resumeEnrollment, stopAllForJourney } from "../sequences/sequences.server";
import { recordReply } from "./record-reply.server";
import { enrollmentEffect, SYSTEM_ONLY, stopReason, type MANUAL_TARGETS } from "./state-effects";

export interface ChangeStateInput {
  tenantId: string;
  leadId: string;
  to: (typeof MANUAL_TARGETS)[number];
  reason: string;
  /** The state the person's screen showed: a lead that moved since is refused (LEAD_STATE_CHANGED). */
  expectedFrom?: CurrentState;
  actor: Actor;
  now: Date;
  /** Request id and the like, kept in the history row. */
  metadata?: Record<string, unknown>;
}

export interface ChangeStateResult extends TransitionResult {
  allowedNext: CurrentState[];
  enrollments: { paused: number; resumed: number; stopped: string[] };
}

export async function changeLeadState(tx: TenantTx, input: ChangeStateInput): Promise<ChangeStateResult> {
  const locked = await lockJourney(tx, { leadId: input.leadId });
  if (!locked) throw notFound("lead", input.leadId);
  const journey = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: locked.id }, select: { id: true, currentState: true, previousState: true } });
  const resuming = journey.currentState === "PAUSED" && input.to === journey.previousState;
  if (SYSTEM_ONLY.has(input.to) && !resuming) {
    throw new DomainError("BAD_INPUT", "TRANSITION_NOT_MANUAL", `${input.to} records a send the system made; it is not set by hand`, { to: input.to });
  }

  const enrollments = { paused: 0, resumed: 0, stopped: [] as string[] };
  let result: Pick<ChangeStateResult, "changed" | "from" | "to" | "historyId">;
  const effect = enrollmentEffect(journey.currentState, input.to);

  if (effect === "STOP_AS_REPLY") {
    // A reply that came by phone: the reply use case moves the lead and stops its sequences.
    if (input.expectedFrom && input.expectedFrom !== journey.currentState) throw stateChanged(journey.id, input.expectedFrom, journey.currentState);
    assertTransition(journey.currentState, "WARM_REPLY", journey.previousState, journey.id);
    const reply = await recordReply(tx, null, { tenantId: input.tenantId, journeyId: journey.id, channel: "PHONE", at: input.now, actor: input.actor, reason: input.reason, note: input.reason });
    if (reply.outcome !== "recorded") throw new Error(`recordReply: unexpected ${reply.outcome} for a reply logged by hand`);
    enrollments.stopped = reply.stopped.map((e) => e.enrollmentId);
    result = { changed: reply.state.changed, from: journey.currentState, to: "WARM_REPLY", historyId: reply.state.historyId };
  } else {
    const moved = await transitionLead(tx, {
      journeyId: journey.id,
      to: input.to,
      actor: historyActor(input.actor),
      reason: input.reason,
      metadata: input.metadata,
      expectedFrom: input.expectedFrom,
      at: input.now,
    });
    result = moved;
    if (moved.changed) {
      if (effect === "PAUSE_ACTIVE") {
        for (const id of await openEnrollmentIds(tx, journey.id, ["ACTIVE"])) {
          await pauseEnrollment(tx, id, input.now);
          enrollments.paused += 1;
        }
      } else if (effect === "RESUME_PAUSED") {
        const calendar = await loadTenantCalendar(tx, input.tenantId);
        for (const id of await openEnrollmentIds(tx, journey.id, ["PAUSED"])) {
          await resumeEnrollment(tx, id, input.now, calendar);
          enrollments.resumed += 1;
        }
      } else if (effect === "STOP_ALL") {
        const stopped = await stopAllForJourney(tx, journey.id, stopReason(input.to as "DEAD" | "CONVERTED", input.reason), input.now);
        enrollments.stopped = stopped.map((e) => e.enrollmentId);
      }
    }
  }

  if (result.changed) {
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "lead.transition",
      entityType: "gold_lead_journey",
      entityId: journey.id,
      before: { state: result.from },
      after: { state: result.to, reason: input.reason, enrollments },
    });
  }
  const after = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: journey.id }, select: { currentState: true, previousState: true } });
  return { ...result, journeyId: journey.id, leadId: input.leadId, allowedNext: allowedTargets(after.currentState, after.previousState), enrollments };
}
