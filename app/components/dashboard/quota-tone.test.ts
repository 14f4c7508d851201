import { describe, expect, it } from "vitest";
import { quotaTone } from "./quota-tone";

const active = { status: "ACTIVE" as const, isEnabled: true, limit: 200 };

describe("quotaTone", () => {
  it.each([
    [0, "ok"],
    [179, "ok"],
    [180, "near"],
    [199, "near"],
    [200, "full"],
    [205, "full"],
  ] as const)("an active phone at %i of 200 is %s", (used, tone) => {
    expect(quotaTone({ ...active, used })).toBe(tone);
  });

  it("marks phones that cannot send as down, whatever their usage", () => {
    expect(quotaTone({ ...active, status: "OFFLINE", used: 3 })).toBe("down");
    expect(quotaTone({ ...active, status: "BANNED", used: null })).toBe("down");
  });

  it("keeps deliberately idle phones neutral", () => {
    expect(quotaTone({ ...active, status: "PAUSED", used: 10 })).toBe("idle");
    expect(quotaTone({ ...active, status: "QUARANTINE", used: 10 })).toBe("idle");
    expect(quotaTone({ ...active, isEnabled: false, used: 10 })).toBe("idle");
  });

  it("does not guess when usage is unknown", () => {
    expect(quotaTone({ ...active, used: null })).toBe("unknown");
  });

  it("treats a zero limit as full: that phone may not start new conversations", () => {
    expect(quotaTone({ ...active, limit: 0, used: 0 })).toBe("full");
  });
});
