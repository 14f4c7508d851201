import { describe, expect, it } from "vitest";
import { queueWaitMinutes } from "./lead-model";

describe("queueWaitMinutes", () => {
  it("spans the phone's spacing for the sends ahead, in whole minutes", () => {
    // The seeds' spacing: 30 s + up to 120 s.
    expect(queueWaitMinutes({ ahead: 3, spacingSeconds: { min: 30, max: 150 } })).toBe("2–8");
    expect(queueWaitMinutes({ ahead: 20, spacingSeconds: { min: 30, max: 150 } })).toBe("10–50");
  });

  it("says one minute, not zero, for a single short wait, and one figure when the spacing is fixed", () => {
    expect(queueWaitMinutes({ ahead: 1, spacingSeconds: { min: 30, max: 30 } })).toBe("1");
    expect(queueWaitMinutes({ ahead: 4, spacingSeconds: { min: 60, max: 60 } })).toBe("4");
  });
});
