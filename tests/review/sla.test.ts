/** The SLA rules (server/review/sla.ts), pure: wall clock and business hours, warning, tone, escalation. */
import { describe, expect, it } from "vitest";
import { addSlaMinutes, escalatedPriority, higherPriority, slaTimes, slaTone, DEFAULT_SLA_MINUTES } from "../../server/review/sla";
import { calendarFor, DEFAULT_SENDING_WINDOW } from "../../server/quota/window";

const settings = (businessHours: boolean) => ({ minutes: { ...DEFAULT_SLA_MINUTES }, businessHours });
const bucharest = calendarFor(DEFAULT_SENDING_WINDOW);

describe("due times", () => {
  it("around the clock: URGENT 1 h, HIGH 4 h, MEDIUM 24 h, LOW 3 days; almost due at 75 %", () => {
    const t0 = new Date("2026-06-12T15:30:00Z"); // Friday 18:30 in Bucharest
    for (const [p, min] of [["URGENT", 60], ["HIGH", 240], ["MEDIUM", 1440], ["LOW", 4320]] as const) {
      const t = slaTimes(t0, p, settings(false), bucharest);
      expect(t.dueAt.getTime() - t0.getTime()).toBe(min * 60_000);
      expect(t.warnAt.getTime() - t0.getTime()).toBe(min * 0.75 * 60_000);
    }
  });

  it("in business hours: an URGENT reply on Friday 17:30 is due Monday 09:30, one at 20:00 on Monday 10:00", () => {
    expect(slaTimes(new Date("2026-06-12T14:30:00Z"), "URGENT", settings(true), bucharest).dueAt).toEqual(new Date("2026-06-15T06:30:00Z"));
    expect(slaTimes(new Date("2026-06-12T17:00:00Z"), "URGENT", settings(true), bucharest).dueAt).toEqual(new Date("2026-06-15T07:00:00Z"));
  });

  it("in business hours: MEDIUM (24 h) is 2 working days and 6 hours, skipping a public holiday", () => {
    // Thursday 28 May 2026 10:00; Monday 1 June 2026 is Whit Monday (Rusalii), a public holiday in Romania.
    const due = slaTimes(new Date("2026-05-28T07:00:00Z"), "MEDIUM", settings(true), bucharest).dueAt;
    // 8 h Thu + 9 h Fri = 17 h; 7 h on Tuesday 2 June → 16:00.
    expect(due).toEqual(new Date("2026-06-02T13:00:00Z"));
  });

  it("addSlaMinutes without a calendar is plain addition", () => {
    expect(addSlaMinutes(new Date(0), 90, null)).toEqual(new Date(90 * 60_000));
  });
});

describe("tone of the countdown", () => {
  const created = new Date("2026-06-10T08:00:00Z");
  const due = new Date("2026-06-10T09:00:00Z");
  it("ok, then amber for the last quarter, red when due, done when resolved", () => {
    expect(slaTone(created, due, new Date("2026-06-10T08:44:00Z"))).toBe("ok");
    expect(slaTone(created, due, new Date("2026-06-10T08:45:00Z"))).toBe("soon");
    expect(slaTone(created, due, new Date("2026-06-10T09:00:00Z"))).toBe("overdue");
    expect(slaTone(created, due, new Date("2026-06-10T09:00:00Z"), true)).toBe("done");
  });
});

describe("priorities", () => {
  it("escalation goes one level up and stops at URGENT; the higher of two wins", () => {
    expect(["LOW", "MEDIUM", "HIGH", "URGENT"].map((p) => escalatedPriority(p as "LOW"))).toEqual(["MEDIUM", "HIGH", "URGENT", "URGENT"]);
    expect(higherPriority("MEDIUM", "URGENT")).toBe("URGENT");
    expect(higherPriority("HIGH", "LOW")).toBe("HIGH");
    expect(higherPriority(null, "LOW")).toBe("LOW");
  });
});
