/**
 * Calendar days of the daily statistics: a day is a date in the tenant's time zone (Europe/Bucharest
 * by default), the same day the WhatsApp quota and the dashboard use, so its bounds are local
 * midnights: 23 hours long on the last Sunday of March, 25 on the last Sunday of October. Pure.
 */
import { DateTime, IANAZone } from "luxon";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** At most this many days in one recompute: a year and a bit, so a typo cannot scan a decade. */
export const MAX_RANGE_DAYS = 400;

export interface DayRange {
  /** The days, oldest first, as YYYY-MM-DD. */
  days: string[];
  /** Local midnight starting the first day. */
  start: Date;
  /** Local midnight after the last day (exclusive). */
  end: Date;
}

function localMidnight(day: string, timeZone: string): DateTime {
  if (!ISO_DATE.test(day)) throw new Error(`not a YYYY-MM-DD date: ${day}`);
  const midnight = DateTime.fromISO(day, { zone: timeZone }).startOf("day");
  if (!midnight.isValid || midnight.toISODate() !== day) throw new Error(`not a calendar date: ${day}`);
  return midnight;
}

/** The days from `first` to `last` (inclusive) and the instants that bound them in `timeZone`. */
export function dayRange(timeZone: string, first: string, last: string): DayRange {
  if (!IANAZone.isValidZone(timeZone)) throw new Error(`not an IANA time zone: ${timeZone}`);
  const start = localMidnight(first, timeZone);
  const lastMidnight = localMidnight(last, timeZone);
  if (lastMidnight < start) throw new Error(`range ends before it starts: ${first} … ${last}`);
  const days: string[] = [];
  // Stepping by calendar days (not by 24 h) keeps every step on a local midnight across DST changes.
  for (let d = start; d <= lastMidnight; d = d.plus({ days: 1 })) {
    if (days.length >= MAX_RANGE_DAYS) throw new Error(`at most ${MAX_RANGE_DAYS} days at once (${first} … ${last})`);
    days.push(d.toISODate() as string);
  }
  return { days, start: start.toJSDate(), end: lastMidnight.plus({ days: 1 }).toJSDate() };
}

/** The calendar date of an instant in `timeZone`. */
export function localDay(timeZone: string, instant: Date): string {
  return DateTime.fromMillis(instant.getTime(), { zone: timeZone }).toISODate() as string;
}

/** The date `n` days after (negative: before) `day`. */
export function addDays(day: string, n: number): string {
  return DateTime.fromISO(day, { zone: "UTC" }).plus({ days: n }).toISODate() as string;
}
