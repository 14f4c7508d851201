/**
 * What a person's change of a lead's state does to its sequences, as a table beside the use case that
 * applies it (change-state.server.ts). The state machine itself (which moves are legal) is
 * server/lead-state/transitions.ts.
 *
 * | move                                   | enrollments                                   |
 * | → PAUSED                               | the ACTIVE one pauses                         |
 * | PAUSED → back into cold outreach       | the PAUSED one resumes, due per its delay     |
 * | → WARM_REPLY (a reply logged by hand)  | stopped as any reply stops them (recordReply) |
 * | WARM_REPLY → back to its outreach state| the one the reply stopped goes on (backToSequence) |
 * | → DEAD, → CONVERTED                    | every open one stops                          |
 * | anything else                          | nothing                                       |
 */
import type { CurrentState } from "../generated/prisma/enums";
import { OUTREACH_STATES } from "../lead-state/transitions";

/** Targets a person may choose (the rest are reached through them, e.g. resuming from PAUSED). */
export const MANUAL_TARGETS = ["WARM_REPLY", "NEGOTIATION", "CONVERTED", "DEAD", "PAUSED", "COLD", "CONTACTED_WA", "CONTACTED_EMAIL"] as const satisfies readonly CurrentState[];

/** Set only by the pipeline (they record sends), except as the state a paused lead resumes to. */
export const SYSTEM_ONLY: ReadonlySet<CurrentState> = new Set(["COLD", "CONTACTED_WA", "CONTACTED_EMAIL"]);

export type EnrollmentEffect = "PAUSE_ACTIVE" | "RESUME_PAUSED" | "STOP_AS_REPLY" | "RETURN_TO_SEQUENCE" | "STOP_ALL" | "NONE";

export function enrollmentEffect(from: CurrentState, to: CurrentState): EnrollmentEffect {
  if (from === to) return "NONE";
  if (to === "PAUSED") return "PAUSE_ACTIVE";
  if (from === "PAUSED" && OUTREACH_STATES.has(to)) return "RESUME_PAUSED";
  if (from === "WARM_REPLY" && OUTREACH_STATES.has(to)) return "RETURN_TO_SEQUENCE";
  if (to === "WARM_REPLY") return "STOP_AS_REPLY";
  if (to === "DEAD" || to === "CONVERTED") return "STOP_ALL";
  return "NONE";
}

/** The reason a stopped enrollment shows (Romanian, as reps read it). */
export function stopReason(to: "DEAD" | "CONVERTED", reason: string): string {
  return `Lead ${to === "DEAD" ? "marcat ca pierdut" : "convertit"}: ${reason}`;
}
