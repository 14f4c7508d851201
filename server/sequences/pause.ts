/**
 * What pausing, resuming and archiving a whole sequence does to its enrollments, as rules beside the
 * use cases that apply them (lifecycle.server.ts). Pure; the builder's confirm dialog shows the same
 * counts these rules produce.
 *
 * | action            | enrollment                                  | becomes                                              |
 * | pause             | ACTIVE                                      | PAUSED, marked "paused by the sequence"               |
 * | pause             | PAUSED by a person, COMPLETED, STOPPED       | unchanged                                             |
 * | resume            | PAUSED by the sequence, lead in cold outreach | ACTIVE, next step due per its delay (at once if past), moved into the sending window |
 * | resume            | PAUSED by the sequence, every step sent      | COMPLETED                                             |
 * | resume            | PAUSED by the sequence, the lead is PAUSED   | stays PAUSED, now the lead's pause (resuming the lead resumes it) |
 * | resume            | PAUSED by the sequence, lead replied/converted/dead | STOPPED ("no longer in cold outreach")          |
 * | resume            | PAUSED by a person                           | unchanged (the person resumes it)                     |
 * | archive           | ACTIVE or PAUSED                             | STOPPED ("sequence archived")                         |
 *
 * Sends already queued are not cancelled: the send path re-checks that the enrollment is ACTIVE at the
 * same step when the job runs, so a paused enrollment's job sends nothing.
 */
import type { CurrentState } from "../generated/prisma/enums";
import { OUTREACH_STATES } from "../lead-state/transitions";
import { nextStepFor, type OpeningCalendar, type StepTiming } from "./definition";

export const SEQUENCE_STOP_REASONS = {
  archived: "Secvența a fost arhivată",
  leftOutreach: "Lead-ul nu mai este în prospectare la reluarea secvenței",
} as const;

export interface PausedEnrollment {
  currentStep: number;
  enrolledAt: Date;
  lastStepAt: Date | null;
  leadState: CurrentState;
}

export type ResumeDecision =
  | { kind: "RESUME"; at: Date; reason: string; dueNow: boolean }
  | { kind: "COMPLETE" }
  | { kind: "LEAD_PAUSED" }
  | { kind: "STOP"; reason: string };

/** What resuming the sequence does with one enrollment it had paused. */
export function resumeDecision(e: PausedEnrollment, steps: readonly StepTiming[], now: Date, calendar: OpeningCalendar): ResumeDecision {
  if (e.leadState === "PAUSED") return { kind: "LEAD_PAUSED" };
  if (!OUTREACH_STATES.has(e.leadState)) return { kind: "STOP", reason: SEQUENCE_STOP_REASONS.leftOutreach };
  const next = nextStepFor({ currentStep: e.currentStep, enrolledAt: e.enrolledAt, lastStepAt: e.lastStepAt, steps }, now, calendar);
  if (!next) return { kind: "COMPLETE" };
  // Due at once when its delay ran out while the sequence was paused (then only the window holds it).
  const base = e.currentStep === 0 ? e.enrolledAt : (e.lastStepAt ?? e.enrolledAt);
  const dueNow = base.getTime() + (next.step.delayHours * 60 + next.step.delayMinutes) * 60_000 <= now.getTime();
  return { kind: "RESUME", at: next.at, reason: next.reason, dueNow };
}

/** The counts a confirm dialog lists before the action, and the use case returns after it. */
export interface SequenceImpact {
  /** ACTIVE enrollments: a pause pauses them, an archive stops them. */
  active: number;
  /** Paused one by one by a person: a pause or resume of the sequence leaves them as they are. */
  pausedByPerson: number;
  /** Paused with the sequence: a resume resumes (or completes, or stops) them. */
  pausedBySequence: number;
  /** Of pausedBySequence: whose next step is already due, so it goes out at the next dispatch in the window. */
  dueOnResume: number;
  /** Of pausedBySequence: whose lead is itself PAUSED (stay paused until the lead is resumed). */
  leadPaused: number;
  completed: number;
  stopped: number;
}

export function emptyImpact(): SequenceImpact {
  return { active: 0, pausedByPerson: 0, pausedBySequence: 0, dueOnResume: 0, leadPaused: 0, completed: 0, stopped: 0 };
}
