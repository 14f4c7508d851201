/**
 * A simple significance hint for A/B versions: is one version's reply rate ahead of another's by more
 * than chance? Two-proportion z-test (pooled), two-sided. Pure; runs in the browser too.
 *
 * Below a minimum sample the answer is "not enough data" rather than a number: the normal
 * approximation needs at least MIN_SENT messages per version and MIN_EVENTS replies and non-replies in
 * each, and a manager should not stop a test on a handful of replies.
 */

export const MIN_SENT = 100;
export const MIN_EVENTS = 5;
/** 95 % two-sided. */
export const SIGNIFICANCE_LEVEL = 0.05;

export interface Proportion {
  successes: number;
  trials: number;
}

export interface ZTest {
  z: number;
  /** Two-sided p-value. */
  pValue: number;
}

/** Standard normal CDF (Abramowitz & Stegun 7.1.26 for erf, error < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export function twoProportionZ(a: Proportion, b: Proportion): ZTest {
  const pa = a.successes / a.trials;
  const pb = b.successes / b.trials;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  if (se === 0) return { z: 0, pValue: 1 };
  const z = (pa - pb) / se;
  return { z, pValue: 2 * (1 - normalCdf(Math.abs(z))) };
}

export function enoughData(p: Proportion): boolean {
  return p.trials >= MIN_SENT && p.successes >= MIN_EVENTS && p.trials - p.successes >= MIN_EVENTS;
}

export type SignificanceHint =
  | { kind: "SINGLE" }
  | { kind: "NOT_ENOUGH_DATA"; minSent: number; minEvents: number }
  | { kind: "NO_CLEAR_WINNER"; leaderId: string; runnerUpId: string; pValue: number }
  | { kind: "AHEAD"; leaderId: string; runnerUpId: string; pValue: number; leaderRate: number; runnerUpRate: number };

/**
 * Compares the version with the best rate against the next best (versions with data only). "AHEAD"
 * when the difference is significant at SIGNIFICANCE_LEVEL.
 */
export function significanceHint(versions: ReadonlyArray<{ id: string } & Proportion>): SignificanceHint {
  if (versions.length < 2) return { kind: "SINGLE" };
  const ranked = [...versions].sort((x, y) => y.successes / Math.max(1, y.trials) - x.successes / Math.max(1, x.trials));
  const [leader, runnerUp] = ranked as [({ id: string } & Proportion), ({ id: string } & Proportion)];
  if (!enoughData(leader) || !enoughData(runnerUp)) return { kind: "NOT_ENOUGH_DATA", minSent: MIN_SENT, minEvents: MIN_EVENTS };
  const test = twoProportionZ(leader, runnerUp);
  if (test.pValue < SIGNIFICANCE_LEVEL && test.z > 0) {
    return { kind: "AHEAD", leaderId: leader.id, runnerUpId: runnerUp.id, pValue: test.pValue, leaderRate: leader.successes / leader.trials, runnerUpRate: runnerUp.successes / runnerUp.trials };
  }
  return { kind: "NO_CLEAR_WINNER", leaderId: leader.id, runnerUpId: runnerUp.id, pValue: test.pValue };
}
