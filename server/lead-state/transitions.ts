/**
 * The lead state machine's table (design.md "Lead states", seeds F2.1.1.T001), pure.
 *
 *   COLD → CONTACTED_WA | CONTACTED_EMAIL → WARM_REPLY → NEGOTIATION → CONVERTED; any → DEAD;
 *   any → PAUSED and back to the state it was paused from.
 *
 * Edge cases decided here (each one a question a newcomer would ask):
 * - CONTACTED_WA ⇄ CONTACTED_EMAIL: a sequence that continues on the second channel moves the lead to
 *   the channel of its latest contact; the first channel stays in first_contact_channel.
 * - COLD → WARM_REPLY: a lead who writes first (or whose reply arrives before the send job recorded
 *   the contact) is warm; leaving them COLD would let dispatch cold-message someone who just wrote.
 * - No skipping forward: WARM_REPLY → CONVERTED goes through NEGOTIATION, so the funnel counts stay
 *   honest; nothing moves backwards (NEGOTIATION → WARM_REPLY, anything → COLD).
 * - DEAD is terminal. CONVERTED is terminal except → DEAD ("any → DEAD": the company closed, the
 *   customer was lost). Neither can be PAUSED: there is no outreach left to pause.
 * - PAUSED goes back only to previous_state (the state it was paused from) or to DEAD. A paused
 *   lead's reply does not move it: a person paused it and a person resumes it.
 * - "Back to sequence": WARM_REPLY may return to the outreach state it was in before the reply
 *   (previous_state COLD / CONTACTED_*), and only to that one. A reply that opened no conversation
 *   (an out-of-office, "reveniți în februarie", a person's review decision) puts the lead back where
 *   it was, with its sequence, instead of leaving it warm with nothing planned (issue 15).
 * - X → X is not a transition: transitionLead treats it as an idempotent no-op (a retried job or a
 *   duplicate webhook asks for the state the lead is already in), and records nothing.
 */
import { DomainError } from "../errors";
import type { CurrentState } from "../generated/prisma/enums";

export const LEAD_STATES = ["COLD", "CONTACTED_WA", "CONTACTED_EMAIL", "WARM_REPLY", "NEGOTIATION", "CONVERTED", "DEAD", "PAUSED"] as const satisfies readonly CurrentState[];
export type LeadState = (typeof LEAD_STATES)[number];

/** Forward moves (PAUSED and DEAD are added by the rules below, not listed per state). */
const FORWARD: Readonly<Record<LeadState, readonly LeadState[]>> = {
  COLD: ["CONTACTED_WA", "CONTACTED_EMAIL", "WARM_REPLY"],
  CONTACTED_WA: ["CONTACTED_EMAIL", "WARM_REPLY"],
  CONTACTED_EMAIL: ["CONTACTED_WA", "WARM_REPLY"],
  WARM_REPLY: ["NEGOTIATION"],
  NEGOTIATION: ["CONVERTED"],
  CONVERTED: [],
  DEAD: [],
  PAUSED: [],
};

/** Cold outreach: the states in which a sequence may run and dispatch may act; leaving them clears the next action. */
export const OUTREACH_STATES: ReadonlySet<LeadState> = new Set(["COLD", "CONTACTED_WA", "CONTACTED_EMAIL"]);

/** States a lead can be paused from: the ones where outreach or a conversation is still going on. */
export const PAUSABLE: ReadonlySet<LeadState> = new Set(["COLD", "CONTACTED_WA", "CONTACTED_EMAIL", "WARM_REPLY", "NEGOTIATION"]);

export type TransitionCheck =
  | { kind: "allowed" }
  | { kind: "noop" }
  | { kind: "illegal"; why: string };

/**
 * Whether `from → to` is allowed. `previousState` matters only when leaving PAUSED (back only to the
 * state it was paused from) and when a warm lead goes back to its sequence (only to the state before the reply).
 */
export function checkTransition(from: LeadState, to: LeadState, previousState: LeadState | null): TransitionCheck {
  if (from === to) return { kind: "noop" };
  if (from === "DEAD") return { kind: "illegal", why: "DEAD is final" };
  if (to === "DEAD") return { kind: "allowed" };
  if (from === "PAUSED") {
    if (previousState === null || previousState === "PAUSED") return { kind: "illegal", why: "the state it was paused from is unknown" };
    return to === previousState ? { kind: "allowed" } : { kind: "illegal", why: `a paused lead resumes to ${previousState}, the state it was paused from` };
  }
  if (to === "PAUSED") return PAUSABLE.has(from) ? { kind: "allowed" } : { kind: "illegal", why: `${from} cannot be paused` };
  if (from === "WARM_REPLY" && OUTREACH_STATES.has(to)) {
    if (previousState === null || !OUTREACH_STATES.has(previousState)) return { kind: "illegal", why: "the outreach state before the reply is unknown" };
    return to === previousState ? { kind: "allowed" } : { kind: "illegal", why: `back to sequence returns to ${previousState}, the state before the reply` };
  }
  return FORWARD[from].includes(to) ? { kind: "allowed" } : { kind: "illegal", why: `${from} → ${to} is not in the transition table` };
}

/**
 * What a send records in the state machine: the lead becomes CONTACTED on the send's channel, from
 * COLD (the first contact) or from the other channel's CONTACTED (a sequence continuing there; the
 * first channel stays in first_contact_channel). Null when the lead stays where it is (already
 * CONTACTED on this channel, or further on). Both send paths use this, the WhatsApp one through
 * `statesMovedBySend` in its one-statement finalisation.
 */
export function stateAfterSend(from: LeadState, channel: "WHATSAPP" | "EMAIL"): LeadState | null {
  const to: LeadState = channel === "WHATSAPP" ? "CONTACTED_WA" : "CONTACTED_EMAIL";
  return checkTransition(from, to, null).kind === "allowed" ? to : null;
}

/** The states a send on `channel` moves a lead out of (stateAfterSend as a list, for SQL). */
export function statesMovedBySend(channel: "WHATSAPP" | "EMAIL"): LeadState[] {
  return LEAD_STATES.filter((from) => stateAfterSend(from, channel) !== null);
}

/** The states a lead in `from` may move to (for the UI's action menu). */
export function allowedTargets(from: LeadState, previousState: LeadState | null): LeadState[] {
  return LEAD_STATES.filter((to) => checkTransition(from, to, previousState).kind === "allowed");
}

export function illegalTransition(from: LeadState, to: LeadState, why: string, journeyId?: string): DomainError {
  return new DomainError("CONFLICT", "ILLEGAL_TRANSITION", `illegal lead state transition ${from} → ${to}: ${why}`, { from, to, why, journeyId });
}

/** Throws ILLEGAL_TRANSITION unless allowed; returns whether anything changes. */
export function assertTransition(from: LeadState, to: LeadState, previousState: LeadState | null, journeyId?: string): "allowed" | "noop" {
  const check = checkTransition(from, to, previousState);
  if (check.kind === "illegal") throw illegalTransition(from, to, check.why, journeyId);
  return check.kind;
}
