/** Pure parts of the statistics: periods, the significance hint, the recompute chunks. */
import { describe, expect, it } from "vitest";
import { chunks } from "../../app/components/settings/system-panels";
import { periodDayList, presetOf, presetPeriod, previousPeriod, validPeriod } from "../../server/stats/periods";
import { enoughData, normalCdf, significanceHint, twoProportionZ } from "../../server/stats/significance";
import { scopeDays } from "../../server/stats/recompute.server";

describe("periods", () => {
  it("presets end today and include it; the previous period has the same length right before", () => {
    expect(presetPeriod("7d", "2026-12-04")).toEqual({ from: "2026-11-28", to: "2026-12-04" });
    expect(presetPeriod("thisMonth", "2026-12-04")).toEqual({ from: "2026-12-01", to: "2026-12-04" });
    expect(presetPeriod("90d", "2026-03-01")).toEqual({ from: "2025-12-02", to: "2026-03-01" });
    expect(previousPeriod({ from: "2026-11-28", to: "2026-12-04" })).toEqual({ from: "2026-11-21", to: "2026-11-27" });
    expect(periodDayList({ from: "2026-03-28", to: "2026-03-30" })).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(presetOf({ from: "2026-11-05", to: "2026-12-04" }, "2026-12-04")).toBe("30d");
    expect(presetOf({ from: "2026-11-06", to: "2026-12-04" }, "2026-12-04")).toBeNull();
    expect(validPeriod({ from: "2025-01-01", to: "2026-12-04" })).toBe(false);
    expect(validPeriod({ from: "2026-02-30", to: "2026-03-01" })).toBe(false);
  });

  it("the job's scopes are the tenant's days", () => {
    const late = new Date("2026-12-03T22:30:00Z"); // 00:30 on 4 December in Bucharest
    expect(scopeDays({ kind: "today" }, "Europe/Bucharest", late)).toEqual({ from: "2026-12-04", to: "2026-12-04" });
    expect(scopeDays({ kind: "nightly" }, "Europe/Bucharest", late)).toEqual({ from: "2026-12-03", to: "2026-12-04" });
    expect(scopeDays({ kind: "today" }, "UTC", late)).toEqual({ from: "2026-12-03", to: "2026-12-03" });
  });

  it("a long recompute goes in chunks of at most a month", () => {
    expect(chunks("2026-01-01", "2026-03-05", 31)).toEqual([
      { from: "2026-01-01", to: "2026-01-31" },
      { from: "2026-02-01", to: "2026-03-03" },
      { from: "2026-03-04", to: "2026-03-05" },
    ]);
    expect(chunks("2026-12-04", "2026-12-04", 31)).toEqual([{ from: "2026-12-04", to: "2026-12-04" }]);
  });
});

describe("significance", () => {
  it("the normal CDF and the two-proportion z-test agree with the textbook values", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    // 10/200 against 40/200: pooled 0.125, se = √(0.125 · 0.875 · 2/200) ≈ 0.03307, z ≈ −4.536.
    const t = twoProportionZ({ successes: 10, trials: 200 }, { successes: 40, trials: 200 });
    expect(t.z).toBeCloseTo(-4.536, 2);
    expect(t.pValue).toBeLessThan(0.001);
    expect(twoProportionZ({ successes: 0, trials: 100 }, { successes: 0, trials: 100 })).toEqual({ z: 0, pValue: 1 });
  });

  it("says 'not enough data' below the minimum, 'no clear winner' for chance differences, 'ahead' otherwise", () => {
    expect(significanceHint([{ id: "a", successes: 3, trials: 50 }])).toEqual({ kind: "SINGLE" });
    expect(significanceHint([{ id: "a", successes: 3, trials: 50 }, { id: "b", successes: 9, trials: 50 }]).kind).toBe("NOT_ENOUGH_DATA");
    expect(enoughData({ successes: 4, trials: 500 })).toBe(false);
    expect(significanceHint([{ id: "a", successes: 20, trials: 200 }, { id: "b", successes: 24, trials: 200 }])).toMatchObject({ kind: "NO_CLEAR_WINNER", leaderId: "b" });
    // A new variant with no sends yet ranks last: the leader is still compared with the runner-up.
    expect(significanceHint([{ id: "a", successes: 10, trials: 200 }, { id: "b", successes: 40, trials: 200 }, { id: "c", successes: 0, trials: 0 }])).toMatchObject({ kind: "AHEAD", leaderId: "b", runnerUpId: "a" });
    expect(significanceHint([{ id: "a", successes: 10, trials: 200 }, { id: "b", successes: 40, trials: 200 }])).toMatchObject({ kind: "AHEAD", leaderId: "b", runnerUpId: "a" });
  });
});
