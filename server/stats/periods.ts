/**
 * Analytics periods: the presets of the date range picker and the period a range is compared with.
 * Days are calendar days (YYYY-MM-DD) of the tenant's zone, both ends included. Pure and isomorphic:
 * the picker and the procedure agree on what "last 30 days" means.
 */
import { DateTime } from "luxon";

export const PERIOD_PRESETS = ["today", "7d", "30d", "90d", "thisMonth"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** The longest range analytics answers (a year and a bit, as the daily stats keep). */
export const MAX_PERIOD_DAYS = 400;

export interface Period {
  from: string;
  to: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string): DateTime {
  if (!ISO.test(value)) throw new Error(`not a YYYY-MM-DD date: ${value}`);
  const d = DateTime.fromISO(value, { zone: "UTC" });
  if (!d.isValid) throw new Error(`not a calendar date: ${value}`);
  return d;
}

const iso = (d: DateTime) => d.toISODate() as string;

/** `today` is the tenant's current day (YYYY-MM-DD). "7d" and the like end today and include it. */
export function presetPeriod(preset: PeriodPreset, today: string): Period {
  const t = day(today);
  switch (preset) {
    case "today":
      return { from: today, to: today };
    case "7d":
      return { from: iso(t.minus({ days: 6 })), to: today };
    case "30d":
      return { from: iso(t.minus({ days: 29 })), to: today };
    case "90d":
      return { from: iso(t.minus({ days: 89 })), to: today };
    case "thisMonth":
      return { from: iso(t.startOf("month")), to: today };
  }
}

export function periodDays(p: Period): number {
  return Math.round(day(p.to).diff(day(p.from), "days").days) + 1;
}

/** The same number of days right before the period. */
export function previousPeriod(p: Period): Period {
  const n = periodDays(p);
  const from = day(p.from);
  return { from: iso(from.minus({ days: n })), to: iso(from.minus({ days: 1 })) };
}

/** Every day of the period, oldest first. */
export function periodDayList(p: Period): string[] {
  const n = periodDays(p);
  const from = day(p.from);
  return Array.from({ length: n }, (_, i) => iso(from.plus({ days: i })));
}

export function validPeriod(p: Period): boolean {
  if (!ISO.test(p.from) || !ISO.test(p.to)) return false;
  if (!DateTime.fromISO(p.from, { zone: "UTC" }).isValid || !DateTime.fromISO(p.to, { zone: "UTC" }).isValid) return false;
  const n = periodDays(p);
  return n >= 1 && n <= MAX_PERIOD_DAYS;
}

/** Which preset a period is, if any (so the picker can show it as selected). */
export function presetOf(p: Period, today: string): PeriodPreset | null {
  return PERIOD_PRESETS.find((preset) => {
    const q = presetPeriod(preset, today);
    return q.from === p.from && q.to === p.to;
  }) ?? null;
}
