/**
 * Stale screens: an action on the lead page carries what the person's screen showed about the thing
 * the action changes (the state, the owner, whether a person holds the lead, the open enrollment). If
 * the lead moved since, the action is refused with CONFLICT / LEAD_CHANGED, which the page turns into
 * "this lead changed meanwhile" and a refresh, instead of acting on an old view. Only the fields an
 * action depends on are compared, so the automation's routine writes (a dispatch decision, an opened
 * email) never make a person's action fail.
 */
import { DomainError } from "../errors";
import type { CurrentState } from "../generated/prisma/enums";

export interface LeadExpectation {
  state?: CurrentState;
  /** The owner the screen showed (null = nobody). */
  ownerId?: string | null;
  humanControlled?: boolean;
}

export interface LeadFacts {
  state: CurrentState;
  ownerId: string | null;
  humanControlled: boolean;
}

export function leadChanged(journeyId: string, field: keyof LeadExpectation, expected: unknown, actual: unknown): DomainError {
  return new DomainError("CONFLICT", "LEAD_CHANGED", `the lead changed since it was shown: ${field} is ${String(actual)}, not ${String(expected)}`, { journeyId, field, expected, actual });
}

export function assertExpected(journeyId: string, actual: LeadFacts, expected: LeadExpectation | undefined): void {
  if (!expected) return;
  if (expected.state !== undefined && expected.state !== actual.state) throw leadChanged(journeyId, "state", expected.state, actual.state);
  if (expected.ownerId !== undefined && expected.ownerId !== actual.ownerId) throw leadChanged(journeyId, "ownerId", expected.ownerId, actual.ownerId);
  if (expected.humanControlled !== undefined && expected.humanControlled !== actual.humanControlled) {
    throw leadChanged(journeyId, "humanControlled", expected.humanControlled, actual.humanControlled);
  }
}
