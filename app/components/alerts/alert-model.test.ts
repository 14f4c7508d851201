import { describe, expect, it } from "vitest";
import { alertActions, isOverdue, severityVariant } from "./alert-model";

const at = (iso: string) => new Date(iso);

describe("alert model", () => {
  it("reads the two severities that need a response within the hour as danger", () => {
    expect(severityVariant("CRITICAL")).toBe("destructive");
    expect(severityVariant("HIGH")).toBe("destructive");
    expect(severityVariant("MEDIUM")).toBe("warning");
    expect(severityVariant("LOW")).toBe("secondary");
  });

  it("is overdue only while open, unacknowledged and past its response time", () => {
    const base = { status: "OPEN" as const, acknowledgedAt: null, respondBy: at("2026-03-02T08:15:00Z") };
    expect(isOverdue(base, at("2026-03-02T08:14:59Z"))).toBe(false);
    expect(isOverdue(base, at("2026-03-02T08:15:01Z"))).toBe(true);
    expect(isOverdue({ ...base, status: "ACKNOWLEDGED", acknowledgedAt: at("2026-03-02T08:10:00Z") }, at("2026-03-02T09:00:00Z"))).toBe(false);
    expect(isOverdue({ ...base, status: "RESOLVED" }, at("2026-03-02T09:00:00Z"))).toBe(false);
  });

  it("offers acknowledge once, resolve until resolved", () => {
    expect(alertActions({ status: "OPEN", acknowledgedAt: null })).toEqual({ acknowledge: true, resolve: true });
    expect(alertActions({ status: "ACKNOWLEDGED", acknowledgedAt: at("2026-03-02T08:00:00Z") })).toEqual({ acknowledge: false, resolve: true });
    expect(alertActions({ status: "RESOLVED", acknowledgedAt: null })).toEqual({ acknowledge: false, resolve: false });
  });
});
