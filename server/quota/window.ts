/**
 * The sending window: when a tenant's WhatsApp phones may send at all (seeds: workers overview §2.1
 * BUSINESS_HOURS; index "Business hours 09:00-18:00, weekend sending disabled").
 *
 * Plain functions over data and an instant, no I/O and no ambient clock: the caller passes `now`.
 * All local-time arithmetic goes through luxon in the tenant's IANA zone, so the 23- and 25-hour days
 * of the DST changes come out right; Romanian public holidays (Orthodox Easter and Pentecost move
 * every year) come from date-holidays, public type only (observances such as Mother's Day are
 * ordinary working days).
 */
import Holidays from "date-holidays";
import { DateTime, IANAZone } from "luxon";
import { z } from "zod";

/** ISO weekday numbers: 1 = Monday … 7 = Sunday (luxon's `weekday`). */
export const isoWeekday = z.number().int().min(1).max(7);

export const sendingWindowSchema = z
  .object({
    timeZone: z.string().refine((zone) => IANAZone.isValidZone(zone), "must be an IANA time zone"),
    days: z.array(isoWeekday).min(1, "at least one sending day"),
    /** Local hour the window opens (inclusive), 0–23. */
    startHour: z.number().int().min(0).max(23),
    /** Local hour the window closes (exclusive), 1–24. */
    endHour: z.number().int().min(1).max(24),
    /** ISO 3166 country whose public holidays close the window; null = no holidays. */
    holidayCountry: z.string().regex(/^[A-Z]{2}$/).nullable(),
  })
  .refine((w) => w.startHour < w.endHour, { message: "startHour must be before endHour", path: ["endHour"] });

export type SendingWindow = z.infer<typeof sendingWindowSchema>;

export const DEFAULT_SENDING_WINDOW: SendingWindow = Object.freeze({
  timeZone: "Europe/Bucharest",
  days: [1, 2, 3, 4, 5],
  startHour: 9,
  endHour: 18,
  holidayCountry: "RO",
});

export type ClosedReason = "NOT_A_SENDING_DAY" | "HOLIDAY" | "BEFORE_HOURS" | "AFTER_HOURS";

export type WindowState =
  | { open: true; localDate: string; closesAt: Date }
  | { open: false; localDate: string; reason: ClosedReason; holiday: string | null; nextOpening: Date };

/** One local calendar day of the window: either its opening hours as instants, or why it is closed. */
type DayPlan =
  | { kind: "open"; opensAt: number; closesAt: number }
  | { kind: "closed"; reason: "NOT_A_SENDING_DAY" | "HOLIDAY"; holiday: string | null };

const SEARCH_DAYS = 400;

// ---------------------------------------------------------------------------------------------------
// Public holidays

const holidayCache = new Map<string, ReadonlyMap<string, string>>();

/**
 * Local dates (yyyy-mm-dd) of a country's public holidays in one year, with their names.
 * date-holidays reports multi-day holidays (1–2 January in Romania) as one entry with an end a day
 * later, so each entry is expanded to every date it covers.
 */
export function publicHolidays(country: string, year: number): ReadonlyMap<string, string> {
  const cacheKey = `${country}:${year}`;
  const cached = holidayCache.get(cacheKey);
  if (cached) return cached;
  const dates = new Map<string, string>();
  const list = new Holidays(country).getHolidays(year) || [];
  for (const h of list) {
    if (h.type !== "public") continue;
    const first = DateTime.fromISO(h.date.slice(0, 10), { zone: "UTC" });
    // Rounded because a holiday spanning a DST change lasts 23 or 25 hours.
    const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000));
    for (let i = 0; i < days; i++) {
      const date = first.plus({ days: i }).toISODate();
      if (date && !dates.has(date)) dates.set(date, h.name);
    }
  }
  holidayCache.set(cacheKey, dates);
  return dates;
}

export function holidayOn(country: string | null, localDate: string): string | null {
  if (!country) return null;
  return publicHolidays(country, Number(localDate.slice(0, 4))).get(localDate) ?? null;
}

// ---------------------------------------------------------------------------------------------------
// The calendar

/**
 * A window configuration with its per-day plans memoised. The quota check runs this on every send,
 * so the luxon and holiday work for a given date is done once per process, not once per call.
 * Instances are shared through `calendarFor`; they hold no clock and no mutable state beyond the
 * memo (per-date plans, next sending day per date, and the bounds of the last local day seen).
 */
export class SendingCalendar {
  private readonly plans = new Map<string, DayPlan>();
  private readonly nextDay = new Map<string, number>();
  private currentDay: { date: string; start: number; end: number } | undefined;

  constructor(readonly window: SendingWindow) {}

  /** The tenant-local calendar date of an instant: the date a quota counter belongs to. */
  localDate(instant: Date): string {
    const ms = instant.getTime();
    // Hot path: one time-zone conversion per local day, then a range check (~ns instead of ~15 µs).
    const day = this.currentDay;
    if (day && ms >= day.start && ms < day.end) return day.date;
    const midnight = DateTime.fromMillis(ms, { zone: this.window.timeZone }).startOf("day");
    const date = midnight.toISODate() as string;
    this.currentDay = { date, start: midnight.toMillis(), end: midnight.plus({ days: 1 }).toMillis() };
    return date;
  }

  state(instant: Date): WindowState {
    const ms = instant.getTime();
    const localDate = this.localDate(instant);
    const plan = this.plan(localDate);
    if (plan.kind === "open" && ms >= plan.opensAt && ms < plan.closesAt) {
      return { open: true, localDate, closesAt: new Date(plan.closesAt) };
    }
    const reason: ClosedReason = plan.kind === "closed" ? plan.reason : ms < plan.opensAt ? "BEFORE_HOURS" : "AFTER_HOURS";
    return {
      open: false,
      localDate,
      reason,
      holiday: plan.kind === "closed" ? plan.holiday : null,
      nextOpening: this.nextOpening(instant),
    };
  }

  /** The earliest moment at or after `instant` when the window is open (`instant` itself if open now). */
  nextOpening(instant: Date): Date {
    const ms = instant.getTime();
    const date = this.localDate(instant);
    const plan = this.plan(date);
    if (plan.kind === "open" && ms < plan.closesAt) return new Date(Math.max(ms, plan.opensAt));
    return new Date(this.openingAfterDate(date));
  }

  /**
   * The first opening on a later local date than `instant`'s: when a phone whose daily quota is
   * spent may send a new contact again.
   */
  nextDayOpening(instant: Date): Date {
    return new Date(this.openingAfterDate(this.localDate(instant)));
  }

  /**
   * What the quota check needs, from one time-zone conversion: the window state and the next
   * sending day's opening (memoised per date, so the hot path is a map lookup).
   */
  snapshot(instant: Date): { state: WindowState; nextDayOpening: Date } {
    const state = this.state(instant);
    return { state, nextDayOpening: new Date(this.openingAfterDate(state.localDate)) };
  }

  private openingAfterDate(localDate: string): number {
    const cached = this.nextDay.get(localDate);
    if (cached !== undefined) return cached;
    let date = nextDate(localDate);
    for (let i = 0; i < SEARCH_DAYS; i++) {
      const plan = this.plan(date);
      if (plan.kind === "open") {
        this.nextDay.set(localDate, plan.opensAt);
        return plan.opensAt;
      }
      date = nextDate(date);
    }
    throw new Error(`no sending day within ${SEARCH_DAYS} days after ${localDate}`);
  }

  private plan(localDate: string): DayPlan {
    let plan = this.plans.get(localDate);
    if (!plan) {
      plan = this.computePlan(localDate);
      this.plans.set(localDate, plan);
    }
    return plan;
  }

  private computePlan(localDate: string): DayPlan {
    const { timeZone, days, startHour, endHour, holidayCountry } = this.window;
    const midnight = DateTime.fromISO(localDate, { zone: timeZone }).startOf("day");
    if (!days.includes(midnight.weekday)) return { kind: "closed", reason: "NOT_A_SENDING_DAY", holiday: null };
    const holiday = holidayOn(holidayCountry, localDate);
    if (holiday) return { kind: "closed", reason: "HOLIDAY", holiday };
    // Wall-clock hours, resolved in the zone: 09:00 is 06:00Z in summer and 07:00Z in winter.
    // `plus({ days: 1 })` for hour 24 is the next local midnight, whatever the day's length.
    const opensAt = midnight.set({ hour: startHour });
    const closesAt = endHour === 24 ? midnight.plus({ days: 1 }) : midnight.set({ hour: endHour });
    return { kind: "open", opensAt: opensAt.toMillis(), closesAt: closesAt.toMillis() };
  }
}

function nextDate(localDate: string): string {
  return DateTime.fromISO(localDate, { zone: "UTC" }).plus({ days: 1 }).toISODate() as string;
}

const calendars = new Map<string, SendingCalendar>();
const byObject = new WeakMap<SendingWindow, SendingCalendar>();

/**
 * A shared calendar per distinct configuration (tenants with equal settings share the memo). The
 * object lookup first: the send path passes the same settings object call after call.
 */
export function calendarFor(window: SendingWindow): SendingCalendar {
  const known = byObject.get(window);
  if (known) return known;
  const key = `${window.timeZone}|${[...window.days].sort().join(",")}|${window.startHour}|${window.endHour}|${window.holidayCountry ?? ""}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = new SendingCalendar(window);
    calendars.set(key, calendar);
  }
  byObject.set(window, calendar);
  return calendar;
}

// Convenience wrappers for callers that do not keep a calendar around.
export const windowState = (window: SendingWindow, instant: Date): WindowState => calendarFor(window).state(instant);
export const nextOpening = (window: SendingWindow, instant: Date): Date => calendarFor(window).nextOpening(instant);
export const nextDayOpening = (window: SendingWindow, instant: Date): Date => calendarFor(window).nextDayOpening(instant);
export const localDateIn = (timeZone: string, instant: Date): string =>
  DateTime.fromMillis(instant.getTime(), { zone: timeZone }).toISODate() as string;

/** [start, end) instants of a local calendar day: 23 or 25 hours long on the DST change days. */
export function dayBounds(timeZone: string, localDate: string): { start: Date; end: Date } {
  const start = DateTime.fromISO(localDate, { zone: timeZone }).startOf("day");
  return { start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() };
}

/** The local date before `localDate` (the roll-over job's "yesterday"). */
export function previousDate(localDate: string): string {
  return DateTime.fromISO(localDate, { zone: "UTC" }).minus({ days: 1 }).toISODate() as string;
}
