import { describe, expect, it } from "vitest";
import {
  formatDate,
  formatDateTime,
  formatDayKey,
  formatMoney,
  formatNumber,
  formatPercent,
  formatPhone,
  formatRelativeTime,
  toE164,
} from "./format";

// vitest runs with TZ=UTC; these instants are chosen so that the Bucharest calendar differs from UTC's.
describe("dates in Europe/Bucharest", () => {
  it("formats a date as dd.mm.yyyy", () => {
    expect(formatDate("2026-11-22T12:05:00Z")).toBe("22.11.2026");
  });

  it("uses the Bucharest day, not the UTC day, around midnight", () => {
    // 23:30 UTC on 21 Nov is 01:30 on 22 Nov in Bucharest (UTC+2 in winter).
    expect(formatDate("2026-11-21T23:30:00Z")).toBe("22.11.2026");
  });

  it("formats a date-time with a 24-hour clock, summer and winter offsets", () => {
    expect(formatDateTime("2026-11-22T12:05:00Z")).toBe("22.11.2026, 14:05");
    expect(formatDateTime("2026-07-01T06:00:00Z")).toBe("01.07.2026, 09:00");
  });

  it("formats in English day-first", () => {
    expect(formatDateTime("2026-11-22T12:05:00Z", "en")).toBe("22/11/2026, 14:05");
  });

  it("formats calendar day keys without shifting them", () => {
    expect(formatDayKey("2026-03-29")).toBe("29.03.2026");
    expect(formatDayKey("2026-03-29", "ro", "short")).toBe("29.03");
    expect(formatDayKey("not-a-day")).toBe("not-a-day");
  });

  it("returns an em dash for an invalid date instead of throwing", () => {
    expect(formatDate("garbage")).toBe("—");
    expect(formatRelativeTime("garbage", "2026-11-22T12:00:00Z")).toBe("—");
  });
});

describe("relative time", () => {
  const now = "2026-11-22T12:00:00Z";

  it("says now for the last few seconds", () => {
    expect(formatRelativeTime("2026-11-22T11:59:40Z", now)).toBe("acum");
  });

  it("uses Romanian plural forms", () => {
    expect(formatRelativeTime("2026-11-22T11:59:00Z", now)).toBe("acum 1 minut");
    expect(formatRelativeTime("2026-11-22T11:55:00Z", now)).toBe("acum 5 minute");
    expect(formatRelativeTime("2026-11-22T11:40:00Z", now)).toBe("acum 20 de minute");
    expect(formatRelativeTime("2026-11-22T09:00:00Z", now)).toBe("acum 3 ore");
  });

  it("names yesterday and the future", () => {
    expect(formatRelativeTime("2026-11-21T12:00:00Z", now)).toBe("ieri");
    expect(formatRelativeTime("2026-11-22T14:00:00Z", now)).toBe("peste 2 ore");
  });

  it("speaks English when asked", () => {
    expect(formatRelativeTime("2026-11-22T11:55:00Z", now, "en")).toBe("5 minutes ago");
  });
});

describe("numbers, percentages, money", () => {
  it("groups thousands with dots", () => {
    expect(formatNumber(1234567)).toBe("1.234.567");
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(1234567, "en")).toBe("1,234,567");
  });

  it("writes percentages with a decimal comma and no space", () => {
    expect(formatPercent(0.125)).toBe("12,5%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(0.125, "en")).toBe("12.5%");
  });

  it("formats RON, with a no-break space so the amount never wraps away from its currency", () => {
    expect(formatMoney(1234.5)).toBe("1.234,50\u00a0RON");
  });
});

describe("phone numbers", () => {
  it.each([
    ["+40722123456", "+40 722 123 456"],
    ["0722 123 456", "+40 722 123 456"],
    ["0040-722-123-456", "+40 722 123 456"],
    ["40722123456", "+40 722 123 456"],
    ["(0722) 123.456", "+40 722 123 456"],
  ])("groups the Romanian mobile %s", (raw, expected) => {
    expect(formatPhone(raw)).toBe(expected);
  });

  it("groups Bucharest and other Romanian landlines", () => {
    expect(formatPhone("0212345678")).toBe("+40 21 234 5678");
    expect(formatPhone("0264123456")).toBe("+40 264 123 456");
  });

  it("keeps foreign numbers E.164, split after the country code", () => {
    expect(formatPhone("+4917012345678")).toBe("+49 17012345678");
    expect(formatPhone("+12025550123")).toBe("+1 2025550123");
    expect(formatPhone("+380501234567")).toBe("+380 501234567");
    expect(formatPhone("+373 69 123 456")).toBe("+373 69123456");
  });

  it("returns text that is not a phone number unchanged", () => {
    expect(formatPhone("  unknown ")).toBe("unknown");
    expect(formatPhone("12345")).toBe("12345");
    expect(toE164("+0123456789")).toBeNull();
  });
});
