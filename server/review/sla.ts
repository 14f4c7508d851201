/**
 * Review SLAs as pure rules (seeds: index "SLA Urgent 1 hour, High 4 hours, Medium 24 hours"; LOW is
 * a tenant setting). Isomorphic: the review page computes its countdown with the same functions.
 *
 * | priority | default  | tenants column        |
 * | URGENT   | 60 min   | sla_urgent_minutes    |
 * | HIGH     | 240 min  | sla_high_minutes      |
 * | MEDIUM   | 1440 min | sla_medium_minutes    |
 * | LOW      | 4320 min | sla_low_minutes       |
 *
 * With `sla_business_hours` the minutes run only while the tenant's sending window is open (its days,
 * hours and public holidays): an URGENT reply at 17:30 on a Friday is due at 09:30 on Monday.
 * "Almost due" is at 75 % of the SLA, counted the same way.
 */
export type ReviewPriority = "LOW" | "MEDIUM" | "HIGH" | "URGENT";
export const PRIORITY_ORDER: readonly ReviewPriority[] = ["URGENT", "HIGH", "MEDIUM", "LOW"];
export const DEFAULT_SLA_MINUTES: Readonly<Record<ReviewPriority, number>> = { URGENT: 60, HIGH: 240, MEDIUM: 1440, LOW: 4320 };
export const SLA_WARN_FRACTION = 0.75;

export interface SlaSettings {
  minutes: Record<ReviewPriority, number>;
  businessHours: boolean;
}

/** The part of the sending calendar (server/quota/window.ts SendingCalendar) the SLA needs. */
export interface OpenHours {
  nextOpening(instant: Date): Date;
  state(instant: Date): { open: true; closesAt: Date } | { open: false };
}

export function slaSettingsFromTenant(t: { slaUrgentMinutes: number; slaHighMinutes: number; slaMediumMinutes: number; slaLowMinutes: number; slaBusinessHours: boolean }): SlaSettings {
  return { minutes: { URGENT: t.slaUrgentMinutes, HIGH: t.slaHighMinutes, MEDIUM: t.slaMediumMinutes, LOW: t.slaLowMinutes }, businessHours: t.slaBusinessHours };
}

/** `minutes` of SLA time after `start`: wall-clock minutes, or minutes inside the open hours. */
export function addSlaMinutes(start: Date, minutes: number, hours: OpenHours | null): Date {
  const ms = Math.round(minutes * 60_000);
  if (!hours) return new Date(start.getTime() + ms);
  let remaining = ms;
  let t = start;
  // Each pass consumes one open stretch; a year of closed days would be a broken calendar.
  for (let guard = 0; guard < 2_000; guard++) {
    t = hours.nextOpening(t);
    const state = hours.state(t);
    if (!state.open) throw new Error(`addSlaMinutes: the calendar says ${t.toISOString()} opens but is closed`);
    const available = state.closesAt.getTime() - t.getTime();
    if (remaining <= available) return new Date(t.getTime() + remaining);
    remaining -= available;
    t = state.closesAt;
  }
  throw new Error("addSlaMinutes: no opening found");
}

export interface SlaTimes {
  dueAt: Date;
  /** When "almost due" is raised. */
  warnAt: Date;
  minutes: number;
}

export function slaTimes(start: Date, priority: ReviewPriority, settings: SlaSettings, hours: OpenHours | null): SlaTimes {
  const minutes = settings.minutes[priority];
  const calendar = settings.businessHours ? hours : null;
  return { minutes, dueAt: addSlaMinutes(start, minutes, calendar), warnAt: addSlaMinutes(start, minutes * SLA_WARN_FRACTION, calendar) };
}

/** One level up (an escalation); URGENT stays URGENT. */
export function escalatedPriority(p: ReviewPriority): ReviewPriority {
  return p === "LOW" ? "MEDIUM" : p === "MEDIUM" ? "HIGH" : "URGENT";
}

export function higherPriority(a: ReviewPriority | null, b: ReviewPriority): ReviewPriority {
  if (!a) return b;
  return PRIORITY_ORDER.indexOf(a) <= PRIORITY_ORDER.indexOf(b) ? a : b;
}

export type SlaTone = "ok" | "soon" | "overdue" | "done";

/**
 * How the countdown looks: amber from 75 % of the time between creation and the due time, red once
 * it is due. Wall-clock fraction (the page does not know the tenant's calendar; the server's breach
 * and warning jobs do).
 */
export function slaTone(createdAt: Date, dueAt: Date, now: Date, resolved = false): SlaTone {
  if (resolved) return "done";
  const left = dueAt.getTime() - now.getTime();
  if (left <= 0) return "overdue";
  const total = Math.max(1, dueAt.getTime() - createdAt.getTime());
  return left <= total * (1 - SLA_WARN_FRACTION) ? "soon" : "ok";
}
