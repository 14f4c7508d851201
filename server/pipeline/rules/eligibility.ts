/**
 * Is a journey eligible for dispatch now? (seeds: orchestration §2.4 step 1, design "The pipeline" 1).
 * Every failing rule is reported, not just the first, so the lead page can say all of why.
 *
 * Channel-specific blocks (opt-out of one channel, a do-not-contact entry for the phone only) are the
 * channel selector's business; here only "no channel at all" makes a lead ineligible.
 */
import type { DncMatch, JourneyFacts } from "./types";

export const DISPATCHABLE_STATES = new Set(["COLD", "CONTACTED_WA", "CONTACTED_EMAIL"]);

export type IneligibleReason =
  | "STATE_NOT_DISPATCHABLE"
  | "NOT_DUE"
  | "REQUIRES_HUMAN_REVIEW"
  | "SEQUENCE_PAUSED"
  | "HUMAN_CONTROLLED"
  | "OPTED_OUT_ALL_CHANNELS"
  | "DO_NOT_CONTACT";

/**
 * The seeds select `next_action_at IS NULL OR next_action_at <= now`. NULL means "never scheduled" only
 * for a COLD lead (imported, waiting for its first message); for a contacted lead it means nothing is
 * left to send (sequence finished), and treating it as due would re-contact every finished lead.
 */
export function isDue(j: Pick<JourneyFacts, "state" | "nextActionAt">, now: Date): boolean {
  if (j.nextActionAt === null) return j.state === "COLD";
  return j.nextActionAt.getTime() <= now.getTime();
}

export type Eligibility = { eligible: true } | { eligible: false; reasons: IneligibleReason[] };

export function evaluateEligibility(j: JourneyFacts, dnc: DncMatch, now: Date): Eligibility {
  const reasons: IneligibleReason[] = [];
  if (!DISPATCHABLE_STATES.has(j.state)) reasons.push("STATE_NOT_DISPATCHABLE");
  if (!isDue(j, now)) reasons.push("NOT_DUE");
  if (j.requiresHumanReview) reasons.push("REQUIRES_HUMAN_REVIEW");
  if (j.sequencePaused) reasons.push("SEQUENCE_PAUSED");
  if (j.isHumanControlled) reasons.push("HUMAN_CONTROLLED");
  if (j.whatsappOptedOut && j.emailOptedOut) reasons.push("OPTED_OUT_ALL_CHANNELS");
  if (dnc.phone && (dnc.email || dnc.domain)) reasons.push("DO_NOT_CONTACT");
  return reasons.length === 0 ? { eligible: true } : { eligible: false, reasons };
}
