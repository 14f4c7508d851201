/**
 * Pure pieces: the script-reply contract, the alternative-phone rule, the phone transition table.
 */
import { describe, expect, it } from "vitest";
import { checkPhoneTransition, allowedNextStatuses, PHONE_STATUSES, canSend } from "../../server/phones/status";
import { chooseAlternativePhone, type AlternativeCandidate } from "../../server/quota/alternative";
import { parseCheckReply, parseUsageReply } from "../../server/quota/decision";

const closedUntil = new Date(Date.UTC(2026, 5, 10, 6));
const nextDay = new Date(Date.UTC(2026, 5, 11, 6));
const ctx = { phoneId: "p1", cost: 1 as const, usageDate: "2026-06-10", retryAtClosed: closedUntil, retryAtNextDay: nextDay };
const decided = { phoneId: "p1", cost: 1, usageDate: "2026-06-10" };

describe("check reply", () => {
  it("parses an allowance and each refusal into the typed union, with the retry moment the refusal calls for", () => {
    expect(parseCheckReply([1, "ALLOWED", 5, 200, "ACTIVE"], ctx)).toEqual({ ...decided, allowed: true, used: 5, limit: 200, phoneStatus: "ACTIVE" });
    expect(parseCheckReply([0, "QUOTA_EXHAUSTED", 200, 200, "ACTIVE"], ctx)).toEqual({
      ...decided, allowed: false, reason: "QUOTA_EXHAUSTED", used: 200, limit: 200, retryAt: nextDay, phoneStatus: "ACTIVE",
    });
    expect(parseCheckReply([0, "OUTSIDE_WINDOW", 3, 200, "ACTIVE"], ctx)).toMatchObject({ allowed: false, reason: "OUTSIDE_WINDOW", retryAt: closedUntil });
    expect(parseCheckReply([0, "PHONE_NOT_ACTIVE", 3, 200, "PAUSED"], ctx)).toMatchObject({ allowed: false, reason: "PHONE_NOT_ACTIVE", retryAt: null, phoneStatus: "PAUSED" });
    expect(parseCheckReply([0, "PHONE_UNKNOWN", 0, 200, ""], ctx)).toMatchObject({ allowed: false, reason: "PHONE_UNKNOWN", retryAt: null, phoneStatus: null });
  });

  it("gives each refusal its own Date, never the caller's", () => {
    const refused = parseCheckReply([0, "QUOTA_EXHAUSTED", 200, 200, "ACTIVE"], ctx);
    expect(!refused.allowed && refused.retryAt).not.toBe(nextDay);
  });

  it("rejects replies that do not fit the contract instead of guessing", () => {
    expect(() => parseCheckReply([1, "QUOTA_EXHAUSTED", 1, 200, "ACTIVE"], ctx)).toThrow(); // allowed with a refusal reason
    expect(() => parseCheckReply([0, "ALLOWED", 1, 200, "ACTIVE"], ctx)).toThrow();
    expect(() => parseCheckReply([1, "ALLOWED", 1, 200, "SUSPENDED"], ctx)).toThrow(); // unknown status
    expect(() => parseCheckReply([1, "ALLOWED", -1, 200, "ACTIVE"], ctx)).toThrow();
    expect(() => parseCheckReply([1, "ALLOWED", 1, 200, 0, "ACTIVE"], ctx)).toThrow(); // the old 6-field reply
    expect(() => parseCheckReply("OK", ctx)).toThrow();
  });

  it("parses the usage reply, 4 fields per phone", () => {
    expect(parseUsageReply(["ACTIVE", "1", 200, 12, "", "1", 200, 0], ["a", "b"])).toEqual([
      { phoneId: "a", status: "ACTIVE", enabled: true, used: 12, limit: 200, remaining: 188 },
      { phoneId: "b", status: null, enabled: true, used: 0, limit: 200, remaining: 200 },
    ]);
    expect(() => parseUsageReply(["ACTIVE", "1", 200], ["a"])).toThrow();
  });
});

describe("alternative phone", () => {
  const c = (phoneId: string, o: Partial<AlternativeCandidate> = {}): AlternativeCandidate => ({
    phoneId, status: "ACTIVE", enabled: true, used: 0, limit: 200, remaining: 200, reputationScore: 80, ...o,
  });

  it("keeps a sticky lead on its own phone", () => {
    expect(chooseAlternativePhone({ stickyPhoneId: "a", excludePhoneId: "a", candidates: [c("b")] })).toEqual({ kind: "WAIT_FOR_STICKY_PHONE", phoneId: "a" });
  });

  it("picks the usable phone with most quota left, then reputation, then id", () => {
    const candidates = [
      c("refused", { remaining: 200 }),
      c("paused", { status: "PAUSED", remaining: 200 }),
      c("disabled", { enabled: false, remaining: 200 }),
      c("unmirrored", { status: null, remaining: 200 }),
      c("full", { remaining: 0 }),
      c("z", { remaining: 150, reputationScore: 90 }),
      c("y", { remaining: 150, reputationScore: 90 }),
      c("x", { remaining: 150, reputationScore: 70 }),
    ];
    expect(chooseAlternativePhone({ stickyPhoneId: null, excludePhoneId: "refused", candidates })).toEqual({ kind: "ALTERNATIVE", phoneId: "y", remaining: 150 });
    expect(chooseAlternativePhone({ stickyPhoneId: null, excludePhoneId: "refused", candidates: candidates.slice(0, 5) })).toEqual({ kind: "NONE" });
  });
});

describe("phone transitions", () => {
  it("lets working states move freely, BANNED only to QUARANTINE by an ADMIN", () => {
    expect(checkPhoneTransition("ACTIVE", "PAUSED")).toEqual({ ok: true, noop: false, requiredRole: "MANAGER" });
    expect(checkPhoneTransition("OFFLINE", "BANNED")).toEqual({ ok: true, noop: false, requiredRole: "MANAGER" });
    expect(checkPhoneTransition("PAUSED", "PAUSED")).toEqual({ ok: true, noop: true, requiredRole: null });
    expect(checkPhoneTransition("BANNED", "ACTIVE")).toMatchObject({ ok: false, code: "ILLEGAL_PHONE_TRANSITION" });
    expect(checkPhoneTransition("BANNED", "QUARANTINE")).toEqual({ ok: true, noop: false, requiredRole: "ADMIN" });
    expect(allowedNextStatuses("BANNED")).toEqual(["QUARANTINE"]);
    for (const from of PHONE_STATUSES.filter((s) => s !== "BANNED")) expect(allowedNextStatuses(from)).toHaveLength(5);
  });

  it("sends only when ACTIVE and enabled", () => {
    expect(canSend({ status: "ACTIVE", isEnabled: true })).toBe(true);
    expect(canSend({ status: "ACTIVE", isEnabled: false })).toBe(false);
    expect(canSend({ status: "QUARANTINE", isEnabled: true })).toBe(false);
  });
});
