import { describe, expect, it } from "vitest";
import { dayWindow } from "./summary.server";

describe("dayWindow", () => {
  it("uses the tenant's calendar day, not UTC's", () => {
    // 22:30 UTC on 21 Nov is already 22 Nov in Bucharest (UTC+2).
    const w = dayWindow("Europe/Bucharest", new Date("2026-11-21T22:30:00Z"));
    expect(w.today).toBe("2026-11-22");
    expect(w.todayStart.toISOString()).toBe("2026-11-21T22:00:00.000Z");
  });

  it("spans 14 calendar days ending today, oldest first", () => {
    const w = dayWindow("Europe/Bucharest", new Date("2026-11-22T12:00:00Z"));
    expect(w.historyDays).toHaveLength(14);
    expect(w.historyDays[0]).toBe("2026-11-09");
    expect(w.historyDays.at(-1)).toBe("2026-11-22");
    expect(w.historyStart.toISOString()).toBe("2026-11-08T22:00:00.000Z");
  });

  it("counts calendar days across the spring DST change (a 23-hour day)", () => {
    // Romania moves to UTC+3 on 29 March 2026.
    const w = dayWindow("Europe/Bucharest", new Date("2026-04-02T10:00:00Z"));
    expect(w.historyDays).toContain("2026-03-29");
    expect(w.historyDays[0]).toBe("2026-03-20");
    expect(w.historyStart.toISOString()).toBe("2026-03-19T22:00:00.000Z");
    expect(w.todayStart.toISOString()).toBe("2026-04-01T21:00:00.000Z");
  });

  it("rejects an unknown time zone instead of silently using UTC", () => {
    expect(() => dayWindow("Mars/Olympus_Mons", new Date())).toThrow(/time zone/);
  });
});
