import { randomUUID } from "node:crypto";
import { DEFAULT_QUOTA_SETTINGS, type TenantQuotaSettings } from "../../../server/quota/settings";
import type { Clock } from "../../../server/clock";

/** A clock the test moves by hand. */
export function manualClock(start: string | Date): Clock & { set: (at: string | Date) => void } {
  let now = new Date(start);
  const clock = (() => new Date(now)) as Clock & { set: (at: string | Date) => void };
  clock.set = (at) => {
    now = new Date(at);
  };
  return clock;
}

export const ids = (n: number): string[] => Array.from({ length: n }, () => randomUUID());

export const settings = (overrides: Partial<TenantQuotaSettings> = {}): TenantQuotaSettings => ({ ...DEFAULT_QUOTA_SETTINGS, ...overrides });

/** Wednesday 10 June 2026, 10:00 in Bucharest (EEST, UTC+3): inside the default window. */
export const WEDNESDAY_10_00 = "2026-06-10T07:00:00Z";
