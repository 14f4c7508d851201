/**
 * Which other phone a lead may use when its phone was refused (seeds: allocator §4, plan F2.5.1.T002
 * "find alternative phone if quota exceeded"). Pure: the caller brings the usage snapshot.
 *
 * - A lead with a sticky phone waits for that phone: a lead keeps its number for the whole
 *   conversation, so the reply thread and the WhatsApp reputation stay on one account.
 * - A NEW lead with no phone yet goes to the ACTIVE, enabled phone with the most quota left; ties go
 *   to the better reputation, then to the lower id so every worker picks the same phone.
 *
 * The choice is advice, not a reservation: the caller still runs check-and-consume on the chosen
 * phone, which is what actually guarantees the limit when two workers pick the same phone at once.
 */
import type { PhoneUsage } from "./decision";

export interface AlternativeCandidate extends PhoneUsage {
  reputationScore: number;
}

export type AlternativeChoice =
  | { kind: "WAIT_FOR_STICKY_PHONE"; phoneId: string }
  | { kind: "ALTERNATIVE"; phoneId: string; remaining: number }
  | { kind: "NONE" };

export function chooseAlternativePhone(input: {
  stickyPhoneId: string | null;
  /** The phone that just refused (never offered back). */
  excludePhoneId: string | null;
  candidates: readonly AlternativeCandidate[];
}): AlternativeChoice {
  if (input.stickyPhoneId) return { kind: "WAIT_FOR_STICKY_PHONE", phoneId: input.stickyPhoneId };
  const usable = input.candidates.filter(
    (c) => c.phoneId !== input.excludePhoneId && c.status === "ACTIVE" && c.enabled && c.remaining > 0,
  );
  usable.sort(
    (a, b) => b.remaining - a.remaining || b.reputationScore - a.reputationScore || (a.phoneId < b.phoneId ? -1 : a.phoneId > b.phoneId ? 1 : 0),
  );
  const best = usable[0];
  return best ? { kind: "ALTERNATIVE", phoneId: best.phoneId, remaining: best.remaining } : { kind: "NONE" };
}
