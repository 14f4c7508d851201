/**
 * Sending window in Bucharest time (issue 3 tests: edges, weekend, holidays, DST, next opening).
 * The suite runs with TZ=UTC: every local time below is converted by the code under test, never by
 * the machine's zone. Instants are written in UTC with the Bucharest wall-clock time beside them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SENDING_WINDOW,
  SendingCalendar,
  localDateIn,
  nextDayOpening,
  nextOpening,
  publicHolidays,
  sendingWindowSchema,
  windowState,
  type SendingWindow,
} from "../../server/quota/window";
import { quotaSettingsFromTenant } from "../../server/quota/settings";

const W = DEFAULT_SENDING_WINDOW;
const at = (iso: string) => new Date(iso);
const state = (iso: string, w: SendingWindow = W) => windowState(w, at(iso));

describe("window edges on a summer weekday (EEST, UTC+3)", () => {
  it("08:59:59 refused, 09:00:00 allowed, 17:59:59 allowed, 18:00:00 refused", () => {
    expect(state("2026-06-10T05:59:59Z")).toMatchObject({ open: false, reason: "BEFORE_HOURS", nextOpening: at("2026-06-10T06:00:00Z") });
    expect(state("2026-06-10T06:00:00Z")).toMatchObject({ open: true, localDate: "2026-06-10", closesAt: at("2026-06-10T15:00:00Z") });
    expect(state("2026-06-10T14:59:59Z").open).toBe(true);
    expect(state("2026-06-10T15:00:00Z")).toMatchObject({ open: false, reason: "AFTER_HOURS", nextOpening: at("2026-06-11T06:00:00Z") });
  });

  it("uses the winter offset in winter (EET, UTC+2)", () => {
    expect(state("2026-01-14T06:59:59Z").open).toBe(false);
    expect(state("2026-01-14T07:00:00Z").open).toBe(true);
    expect(state("2026-01-14T15:59:59Z").open).toBe(true);
    expect(state("2026-01-14T16:00:00Z").open).toBe(false);
  });
});

describe("closed days", () => {
  it("refuses Saturday and Sunday and opens on Monday", () => {
    expect(state("2026-06-13T09:00:00Z")).toMatchObject({ open: false, reason: "NOT_A_SENDING_DAY", nextOpening: at("2026-06-15T06:00:00Z") });
    expect(state("2026-06-14T09:00:00Z")).toMatchObject({ open: false, reason: "NOT_A_SENDING_DAY" });
  });

  it("refuses Romanian public holidays, including the moving Orthodox ones", () => {
    expect(state("2026-12-01T08:00:00Z")).toMatchObject({ open: false, reason: "HOLIDAY" }); // 1 Dec, Tuesday
    expect(state("2026-11-30T08:00:00Z")).toMatchObject({ open: false, reason: "HOLIDAY" }); // St Andrew, Monday
    expect(state("2026-04-10T08:00:00Z")).toMatchObject({ open: false, reason: "HOLIDAY" }); // Orthodox Good Friday
    expect(state("2026-04-13T08:00:00Z")).toMatchObject({ open: false, reason: "HOLIDAY" }); // Orthodox Easter Monday
    expect(state("2026-06-01T08:00:00Z")).toMatchObject({ open: false, reason: "HOLIDAY" }); // Pentecost Monday + Children's Day
    expect(state("2027-05-03T08:00:00Z")).toMatchObject({ open: false, reason: "HOLIDAY" }); // Easter Monday 2027 (3 May)
  });

  it("expands multi-day holidays (2 January) and ignores observances", () => {
    expect(state("2026-01-02T08:00:00Z")).toMatchObject({ open: false, reason: "HOLIDAY" });
    expect(publicHolidays("RO", 2026).has("2026-01-02")).toBe(true);
    // 26 June (Flag Day) is an observance, not a day off: a Friday like any other.
    expect(state("2026-06-26T08:00:00Z").open).toBe(true);
    // Catholic Easter Monday 2026 (6 April) is a working day in Romania.
    expect(state("2026-04-06T08:00:00Z").open).toBe(true);
  });

  it("has no holidays when the tenant turns them off", () => {
    expect(state("2026-12-01T08:00:00Z", { ...W, holidayCountry: null }).open).toBe(true);
  });
});

describe("next opening", () => {
  it("crosses a weekend and two holidays (Fri 27 Nov → Wed 2 Dec 2026)", () => {
    // Friday 18:30 local; Sat, Sun, Mon 30 Nov (St Andrew), Tue 1 Dec (National Day) are closed.
    expect(nextOpening(W, at("2026-11-27T16:30:00Z"))).toEqual(at("2026-12-02T07:00:00Z"));
  });

  it("crosses Orthodox Easter (Thu 9 Apr → Tue 14 Apr 2026)", () => {
    expect(nextOpening(W, at("2026-04-09T16:00:00Z"))).toEqual(at("2026-04-14T06:00:00Z"));
  });

  it("is the instant itself while the window is open", () => {
    expect(nextOpening(W, at("2026-06-10T10:00:00Z"))).toEqual(at("2026-06-10T10:00:00Z"));
  });

  it("next day's opening skips today even when today is still open", () => {
    expect(nextDayOpening(W, at("2026-06-10T07:00:00Z"))).toEqual(at("2026-06-11T06:00:00Z"));
    expect(nextDayOpening(W, at("2026-06-12T07:00:00Z"))).toEqual(at("2026-06-15T06:00:00Z")); // Friday → Monday
    expect(nextDayOpening(W, at("2026-11-27T07:00:00Z"))).toEqual(at("2026-12-02T07:00:00Z"));
  });
});

describe("the two DST change days", () => {
  // 2026-03-29 (Sunday): 03:00 EET → 04:00 EEST. 2026-10-25 (Sunday): 04:00 EEST → 03:00 EET.
  it("reopens on the Monday after spring-forward at 09:00 EEST (06:00Z), not 07:00Z", () => {
    expect(nextOpening(W, at("2026-03-27T16:00:00Z"))).toEqual(at("2026-03-30T06:00:00Z"));
    expect(state("2026-03-30T05:59:59Z").open).toBe(false);
    expect(state("2026-03-30T06:00:00Z").open).toBe(true);
    expect(state("2026-03-27T06:59:59Z").open).toBe(false); // the Friday before: still EET
    expect(state("2026-03-27T07:00:00Z").open).toBe(true);
  });

  it("reopens on the Monday after fall-back at 09:00 EET (07:00Z), not 06:00Z", () => {
    expect(nextOpening(W, at("2026-10-23T15:00:00Z"))).toEqual(at("2026-10-26T07:00:00Z"));
    expect(state("2026-10-26T06:30:00Z").open).toBe(false);
    expect(state("2026-10-26T07:00:00Z").open).toBe(true);
  });

  const everyDay: SendingWindow = { ...W, days: [1, 2, 3, 4, 5, 6, 7], holidayCountry: null };

  it("gets the edges right on the 23-hour day itself", () => {
    expect(state("2026-03-29T05:59:59Z", everyDay).open).toBe(false);
    expect(state("2026-03-29T06:00:00Z", everyDay).open).toBe(true);
    expect(state("2026-03-29T14:59:59Z", everyDay).open).toBe(true);
    expect(state("2026-03-29T15:00:00Z", everyDay).open).toBe(false);
  });

  it("gets the edges right on the 25-hour day itself", () => {
    expect(state("2026-10-25T06:59:59Z", everyDay).open).toBe(false);
    expect(state("2026-10-25T07:00:00Z", everyDay).open).toBe(true);
    expect(state("2026-10-25T15:59:59Z", everyDay).open).toBe(true);
    expect(state("2026-10-25T16:00:00Z", everyDay).open).toBe(false);
  });

  it("puts the local midnight of both days on the right date (the quota key date)", () => {
    expect(localDateIn("Europe/Bucharest", at("2026-03-28T22:30:00Z"))).toBe("2026-03-29"); // 00:30 EET
    expect(localDateIn("Europe/Bucharest", at("2026-03-28T21:59:59Z"))).toBe("2026-03-28");
    expect(localDateIn("Europe/Bucharest", at("2026-10-24T21:00:00Z"))).toBe("2026-10-25"); // 00:00 EEST
    expect(localDateIn("Europe/Bucharest", at("2026-10-24T20:59:59Z"))).toBe("2026-10-24");
    expect(localDateIn("Europe/Bucharest", at("2026-10-25T21:59:59Z"))).toBe("2026-10-25"); // 23:59:59 EET
  });
});

describe("configuration", () => {
  it("rejects impossible windows", () => {
    expect(sendingWindowSchema.safeParse({ ...W, startHour: 18, endHour: 9 }).success).toBe(false);
    expect(sendingWindowSchema.safeParse({ ...W, timeZone: "Europe/Bucuresti" }).success).toBe(false);
    expect(sendingWindowSchema.safeParse({ ...W, days: [] }).success).toBe(false);
    expect(sendingWindowSchema.safeParse({ ...W, days: [0] }).success).toBe(false);
  });

  it("honours another tenant's zone and hours", () => {
    const london: SendingWindow = { timeZone: "Europe/London", days: [1, 2, 3, 4, 5, 6], startHour: 8, endHour: 24, holidayCountry: null };
    expect(state("2026-06-13T06:59:59Z", london).open).toBe(false); // Saturday 07:59:59 BST
    expect(state("2026-06-13T07:00:00Z", london).open).toBe(true);
    expect(state("2026-06-13T22:59:59Z", london).open).toBe(true); // 23:59:59 BST, end hour 24
    expect(state("2026-06-13T23:00:00Z", london)).toMatchObject({ open: false, reason: "NOT_A_SENDING_DAY" }); // Sunday 00:00
  });

  it("reads the tenant row, holidays on by default", () => {
    const row = { timezone: "Europe/Bucharest", sendingDays: [1, 2, 3, 4, 5], sendingStartHour: 9, sendingEndHour: 18, waDailyQuota: 200, settings: {} };
    expect(quotaSettingsFromTenant(row)).toEqual({ window: W, defaultLimit: 200 });
    expect(quotaSettingsFromTenant({ ...row, settings: { holidayCountry: null } }).window.holidayCountry).toBeNull();
    expect(() => quotaSettingsFromTenant({ ...row, sendingStartHour: 19 })).toThrow(/TENANT_WINDOW_INVALID|sending window/);
  });
});

describe("next opening, for any instant (property)", () => {
  const calendar = new SendingCalendar(W);
  const instants = fc.date({ min: at("2025-01-01T00:00:00Z"), max: at("2028-12-31T00:00:00Z"), noInvalidDate: true });

  it("is open, not earlier than the instant, and nothing opens in between", () => {
    fc.assert(
      fc.property(instants, (t) => {
        const next = calendar.nextOpening(t);
        expect(next.getTime()).toBeGreaterThanOrEqual(t.getTime());
        expect(calendar.state(next).open).toBe(true);
        if (next.getTime() > t.getTime()) {
          // Closed just before the opening, and it opens on the hour in local time.
          expect(calendar.state(new Date(next.getTime() - 1000)).open).toBe(false);
          expect(calendar.state(t).open).toBe(false);
        }
      }),
      { numRuns: 500, seed: 20260610 },
    );
  });

  it("an open instant is a sending day, not a holiday, between 09:00 and 18:00 local", () => {
    fc.assert(
      fc.property(instants, (t) => {
        const local = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Bucharest", weekday: "short", hour: "2-digit", hourCycle: "h23" }).formatToParts(t);
        const hour = Number(local.find((p) => p.type === "hour")?.value);
        const weekday = local.find((p) => p.type === "weekday")?.value ?? "";
        const date = localDateIn("Europe/Bucharest", t);
        const expected = hour >= 9 && hour < 18 && !["Sat", "Sun"].includes(weekday) && !publicHolidays("RO", Number(date.slice(0, 4))).has(date);
        expect(calendar.state(t).open).toBe(expected);
      }),
      { numRuns: 2000, seed: 42 },
    );
  });
});
