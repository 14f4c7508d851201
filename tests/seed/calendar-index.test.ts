/**
 * The seed's per-day index of the sending calendar answers exactly as the real calendar does
 * (server/quota/window.ts), across weekends, Romanian holidays and both DST changes.
 */
import { describe, expect, it } from "vitest";
import { CalendarIndex } from "../../prisma/seed/calendar-index";
import { Rng } from "../../prisma/seed/random";
import { DEFAULT_SENDING_WINDOW, SendingCalendar } from "../../server/quota/window";

describe("CalendarIndex", () => {
  it("gives the real calendar's answers for any instant of the indexed range and beyond it", () => {
    const calendar = new SendingCalendar(DEFAULT_SENDING_WINDOW);
    const from = Date.parse("2026-03-01T00:00:00Z");
    const to = Date.parse("2026-12-31T00:00:00Z");
    const index = new CalendarIndex(calendar, DEFAULT_SENDING_WINDOW.timeZone, from, to);
    const rng = new Rng(5);
    // Random instants, the edges of the window on DST days and holidays, and some outside the range.
    const instants = [
      ...Array.from({ length: 4000 }, () => from - 5 * 86_400_000 + Math.floor(rng.next() * (to - from + 10 * 86_400_000))),
      ...["2026-03-27T06:59:59.999Z", "2026-03-27T07:00:00Z", "2026-03-30T05:59:59.999Z", "2026-03-30T06:00:00Z", "2026-10-23T14:59:59.999Z", "2026-10-23T15:00:00Z",
        "2026-10-26T07:00:00Z", "2026-11-30T08:00:00Z", "2026-12-01T08:00:00Z", "2026-12-02T07:00:00Z", "2026-12-24T15:59:00Z", "2026-12-25T09:00:00Z"].map(Date.parse),
    ];
    for (const t of instants) {
      const real = calendar.state(new Date(t));
      expect({ t, open: index.isOpen(t) }).toEqual({ t, open: real.open });
      expect({ t, date: index.localDate(t) }).toEqual({ t, date: real.localDate });
      expect({ t, next: index.nextOpeningMs(t) }).toEqual({ t, next: calendar.nextOpening(new Date(t)).getTime() });
      expect({ t, nextDay: index.nextDayOpeningMs(t) }).toEqual({ t, nextDay: calendar.nextDayOpening(new Date(t)).getTime() });
    }
  });
});
