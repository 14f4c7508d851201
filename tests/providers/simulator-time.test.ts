import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { timelinesAt } from "../../server/sandbox/core/context";

// The simulator formats TimelinesAI timestamps from a per-hour offset memo; luxon is the reference.
const reference = (ms: number) => DateTime.fromMillis(ms, { zone: "Europe/Bucharest" }).toFormat("yyyy-MM-dd HH:mm:ss ZZZ");

describe("the TimelinesAI simulator's timestamps", () => {
  it("match luxon's Europe/Bucharest format across eight years", () => {
    const mismatches: string[] = [];
    for (let ms = Date.UTC(2020, 0, 1); ms < Date.UTC(2028, 0, 1); ms += 997_331) {
      if (timelinesAt(ms) !== reference(ms)) mismatches.push(new Date(ms).toISOString());
    }
    expect(mismatches).toEqual([]);
  });

  it("change offset exactly at the DST switches (01:00 UTC)", () => {
    expect(timelinesAt(Date.parse("2026-03-29T00:59:59.999Z"))).toBe("2026-03-29 02:59:59 +0200");
    expect(timelinesAt(Date.parse("2026-03-29T01:00:00Z"))).toBe("2026-03-29 04:00:00 +0300");
    expect(timelinesAt(Date.parse("2026-10-25T00:59:59Z"))).toBe("2026-10-25 03:59:59 +0300");
    expect(timelinesAt(Date.parse("2026-10-25T01:00:00Z"))).toBe("2026-10-25 03:00:00 +0200");
  });
});
