/**
 * The tenant's sending calendar, indexed by local day over the simulated range. Every answer comes
 * from the real calendar (server/quota/window.ts SendingCalendar: zone, sending days, hours, Romanian
 * holidays), asked once per day; the simulation then asks the index millions of times without a
 * time-zone conversion each. Outside the indexed range it defers to the real calendar.
 */
import { DateTime } from "luxon";
import type { SendingCalendar } from "../../server/quota/window";
import type { OpeningCalendar } from "../../server/sequences/definition";

interface Day {
  date: string;
  start: number;
  end: number;
  /** Opening and closing instants; null on a closed day (weekend, holiday). */
  opens: number | null;
  closes: number | null;
}

export class CalendarIndex implements OpeningCalendar {
  private readonly days: Day[] = [];

  constructor(
    private readonly calendar: SendingCalendar,
    zone: string,
    from: number,
    to: number,
  ) {
    let midnight = DateTime.fromMillis(from, { zone }).startOf("day");
    while (midnight.toMillis() <= to) {
      const next = midnight.plus({ days: 1 });
      const date = midnight.toISODate() as string;
      const opening = calendar.nextOpening(midnight.toJSDate());
      const state = calendar.state(opening);
      const open = calendar.localDate(opening) === date && state.open;
      this.days.push({ date, start: midnight.toMillis(), end: next.toMillis(), opens: open ? opening.getTime() : null, closes: open && state.open ? state.closesAt.getTime() : null });
      midnight = next;
    }
  }

  private index(t: number): number {
    const d = this.days;
    if (d.length === 0 || t < d[0]!.start || t >= d[d.length - 1]!.end) return -1;
    let lo = 0;
    let hi = d.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (d[mid]!.start <= t) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  localDate(t: number): string {
    const i = this.index(t);
    return i < 0 ? this.calendar.localDate(new Date(t)) : this.days[i]!.date;
  }

  isOpen(t: number): boolean {
    const i = this.index(t);
    if (i < 0) return this.calendar.state(new Date(t)).open;
    const day = this.days[i]!;
    return day.opens !== null && t >= day.opens && t < day.closes!;
  }

  /** The earliest moment at or after `t` when the window is open. */
  nextOpeningMs(t: number): number {
    const i = this.index(t);
    if (i < 0) return this.calendar.nextOpening(new Date(t)).getTime();
    const day = this.days[i]!;
    if (day.opens !== null && t < day.closes!) return Math.max(t, day.opens);
    return this.openingAfter(i, t);
  }

  /** The first opening on a later local day than `t`'s (a phone's quota is spent for today). */
  nextDayOpeningMs(t: number): number {
    const i = this.index(t);
    return i < 0 ? this.calendar.nextDayOpening(new Date(t)).getTime() : this.openingAfter(i, t);
  }

  nextOpening(instant: Date): Date {
    return new Date(this.nextOpeningMs(instant.getTime()));
  }

  private openingAfter(i: number, t: number): number {
    for (let j = i + 1; j < this.days.length; j++) if (this.days[j]!.opens !== null) return this.days[j]!.opens!;
    return this.calendar.nextDayOpening(new Date(t)).getTime();
  }
}
