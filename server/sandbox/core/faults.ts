import type { Rng } from "./rng";
import type { FaultRule } from "./scenario";

export type SimProvider = "timelinesai" | "instantly" | "resend" | "llm";

/**
 * Decides whether a request gets an injected failure. Rules come from the scenario; a rule with
 * `times` is spent after N firings (its counter lives here, keyed by the rule's position, and is reset
 * when the scenario's fault list changes).
 */
export class FaultInjector {
  private fired = new Map<number, number>();
  private rules: FaultRule[] = [];

  constructor(private readonly rng: Rng) {}

  /** Replaces the rule list (a new scenario): every rule starts unspent. */
  setRules(rules: FaultRule[]): void {
    this.rules = rules;
    this.fired.clear();
  }

  /** Adds a rule; rules already there keep their firing counts. */
  append(rule: FaultRule): void {
    this.rules = [...this.rules, rule];
  }

  match(provider: SimProvider, method: string, path: string): FaultRule | undefined {
    for (const [index, rule] of this.rules.entries()) {
      if (rule.provider && rule.provider !== provider) continue;
      if (rule.method && rule.method !== method) continue;
      if (rule.path && !path.startsWith(rule.path)) continue;
      const count = this.fired.get(index) ?? 0;
      if (rule.times !== undefined && count >= rule.times) continue;
      if (rule.probability !== undefined && !this.rng.chance(rule.probability)) continue;
      this.fired.set(index, count + 1);
      return rule;
    }
    return undefined;
  }
}
