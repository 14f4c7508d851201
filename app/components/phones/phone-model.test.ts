import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { PHONE_STATUSES } from "#server/phones/status";
import { addPhoneInput, adjustQuotaInput, changeStatusInput } from "#server/phones/schemas";
import { en } from "~/lib/messages/en";
import { ro } from "~/lib/messages/ro";
import {
  attentionReasons,
  mutationErrorKey,
  mutationErrorMessageKey,
  phonePermissions,
  phonesNeedingAttention,
  quickActionLabelKey,
  quickStatusAction,
  recheckShownErrors,
  romanianE164,
  statusBadgeVariant,
  statusTargets,
  summarizePool,
  trpcDomainCode,
  validateAddPhone,
  validateAdjustQuota,
  validateOptionalReason,
  validateStatusChange,
  type AddPhoneForm,
  type PhoneItem,
} from "./phone-model";

const PHONE_ID = "0b7f1c2e-5d1a-4c3e-9f00-000000000001";

function phone(overrides: Partial<PhoneItem> = {}): PhoneItem {
  return {
    id: PHONE_ID,
    label: "Vânzări 01",
    phoneNumber: "+40733033798",
    status: "ACTIVE",
    statusChangedAt: new Date("2026-11-20T08:00:00Z"),
    pausedReason: null,
    isEnabled: true,
    reputationScore: 90,
    lastHealthCheckAt: null,
    lastError: null,
    used: 0,
    limit: 200,
    remaining: 200,
    mirror: { status: "ACTIVE", enabled: true, inSync: true },
    ...overrides,
  };
}

describe("permissions and legal status moves", () => {
  it("follows the procedures' tiers: reps read, managers manage, admins also resync and adjust", () => {
    expect(phonePermissions("SALES_REP")).toEqual({ manage: false, administer: false });
    expect(phonePermissions("MANAGER")).toEqual({ manage: true, administer: false });
    expect(phonePermissions("ADMIN")).toEqual({ manage: true, administer: true });
    expect(phonePermissions(null)).toEqual({ manage: false, administer: false });
  });

  it("offers a rep no status change at all", () => {
    for (const status of PHONE_STATUSES) expect(statusTargets(status, "SALES_REP")).toEqual([]);
  });

  it("offers a manager every working state and BANNED, never the current one", () => {
    expect(statusTargets("ACTIVE", "MANAGER")).toEqual(["PAUSED", "OFFLINE", "RECONNECTING", "QUARANTINE", "BANNED"]);
    expect(statusTargets("OFFLINE", "MANAGER")).not.toContain("OFFLINE");
  });

  it("lets only an admin lift a ban, and only into quarantine", () => {
    expect(statusTargets("BANNED", "MANAGER")).toEqual([]);
    expect(statusTargets("BANNED", "ADMIN")).toEqual(["QUARANTINE"]);
  });

  it("names the one-click action by what it does: resume a paused phone, mark an offline one reconnected, end a quarantine", () => {
    expect(quickActionLabelKey("ACTIVE", "PAUSED")).toBe("phones.action.pause");
    expect(quickActionLabelKey("PAUSED", "ACTIVE")).toBe("phones.action.resume");
    expect(quickActionLabelKey("OFFLINE", "ACTIVE")).toBe("phones.action.markReconnected");
    expect(quickActionLabelKey("RECONNECTING", "ACTIVE")).toBe("phones.action.markReconnected");
    expect(quickActionLabelKey("QUARANTINE", "ACTIVE")).toBe("phones.action.endQuarantine");
  });

  it("clears a shown field error once the field is corrected, and shows none for untouched fields", () => {
    const form = { label: "", phoneNumber: "0722", timelinesaiAccountId: "", dailyQuotaLimit: "", status: "ACTIVE" as const };
    const shown = { label: "phones.validation.labelRequired", phoneNumber: "phones.validation.phoneInvalid" } as const;
    expect(recheckShownErrors(shown, { ...form, label: "Vânzări 21" })).toEqual({ phoneNumber: "phones.validation.phoneInvalid" });
    expect(recheckShownErrors(shown, { ...form, label: "Vânzări 21", phoneNumber: "0722 123 456" })).toEqual({});
    // The account id is wrong too, but its message was not shown: it waits for the next submit.
    expect(recheckShownErrors({}, form)).toEqual({});
  });

  it("picks the one-click action: pause a sending phone, resume a stopped one, nothing for a ban", () => {
    expect(quickStatusAction("ACTIVE", "MANAGER")).toBe("PAUSED");
    expect(quickStatusAction("PAUSED", "MANAGER")).toBe("ACTIVE");
    expect(quickStatusAction("OFFLINE", "MANAGER")).toBe("ACTIVE");
    expect(quickStatusAction("QUARANTINE", "ADMIN")).toBe("ACTIVE");
    expect(quickStatusAction("BANNED", "ADMIN")).toBeNull();
    expect(quickStatusAction("ACTIVE", "SALES_REP")).toBeNull();
  });

  it("colours only a sending phone green and the two alerting states red", () => {
    expect(statusBadgeVariant("ACTIVE")).toBe("success");
    expect(statusBadgeVariant("OFFLINE")).toBe("destructive");
    expect(statusBadgeVariant("BANNED")).toBe("destructive");
    expect(statusBadgeVariant("PAUSED")).toBe("secondary");
  });
});

describe("attention and the pool summary", () => {
  it("flags phones that stopped on their own or whose Redis mirror disagrees, not deliberate stops", () => {
    expect(attentionReasons(phone({ status: "OFFLINE" }))).toEqual(["OFFLINE"]);
    expect(attentionReasons(phone({ status: "BANNED" }))).toEqual(["BANNED"]);
    expect(attentionReasons(phone({ status: "RECONNECTING" }))).toEqual(["RECONNECTING"]);
    expect(attentionReasons(phone({ mirror: { status: null, enabled: false, inSync: false } }))).toEqual(["MIRROR_STALE"]);
    expect(attentionReasons(phone({ status: "PAUSED" }))).toEqual([]);
    expect(attentionReasons(phone({ status: "QUARANTINE" }))).toEqual([]);
    expect(attentionReasons(phone({ isEnabled: false }))).toEqual([]);
    expect(attentionReasons(phone({ used: 200 }))).toEqual([]);
    // Redis down: the page says so once; every phone is not "stale" on its own.
    expect(attentionReasons(phone({ mirror: null, used: null }))).toEqual([]);
  });

  it("lists the most urgent first", () => {
    const phones = [
      phone({ label: "A", mirror: { status: "PAUSED", enabled: true, inSync: false } }),
      phone({ label: "B", status: "OFFLINE" }),
      phone({ label: "C" }),
      phone({ label: "D", status: "BANNED" }),
    ];
    expect(phonesNeedingAttention(phones).map(({ phone: p, reason }) => `${p.label}:${reason}`)).toEqual(["D:BANNED", "B:OFFLINE", "A:MIRROR_STALE"]);
  });

  it("adds up usage over every phone and what is left on the phones that can send", () => {
    const summary = summarizePool({
      quotaAvailable: true,
      phones: [
        phone({ used: 150 }),
        phone({ used: 200 }),
        phone({ used: 40, status: "PAUSED" }),
        phone({ used: 10, isEnabled: false }),
        phone({ used: 0, status: "OFFLINE" }),
        phone({ used: 0, limit: 100 }),
      ],
    });
    expect(summary).toEqual({ total: 6, sending: 3, used: 400, limit: 1100, remaining: 50 + 0 + 100, attention: 1 });
  });

  it("does not present unknown usage as zero", () => {
    const summary = summarizePool({ quotaAvailable: false, phones: [phone({ used: null, mirror: null })] });
    expect(summary.used).toBeNull();
    expect(summary.remaining).toBeNull();
    expect(summary.limit).toBe(200);
  });
});

describe("add-phone form", () => {
  const valid: AddPhoneForm = { label: "  Vânzări 21 ", phoneNumber: "0722 123 456", timelinesaiAccountId: " acc_21 ", dailyQuotaLimit: "", status: "ACTIVE" };

  it("normalises what operators type to E.164 and only accepts Romanian numbers", () => {
    expect(romanianE164("0722 123 456")).toBe("+40722123456");
    expect(romanianE164("+40 722-123-456")).toBe("+40722123456");
    expect(romanianE164("0040722123456")).toBe("+40722123456");
    expect(romanianE164("+49 170 1234567")).toBeNull();
    expect(romanianE164("0722 12")).toBeNull();
  });

  it("produces exactly what the procedure's schema accepts", () => {
    const result = validateAddPhone(valid);
    expect(result).toEqual({
      ok: true,
      value: { label: "Vânzări 21", phoneNumber: "+40722123456", timelinesaiAccountId: "acc_21", dailyQuotaLimit: null, status: "ACTIVE" },
    });
    if (result.ok) expect(addPhoneInput.safeParse({ ...result.value, notes: null }).success).toBe(true);
    const withLimit = validateAddPhone({ ...valid, dailyQuotaLimit: "150", status: "QUARANTINE" });
    expect(withLimit.ok && withLimit.value.dailyQuotaLimit).toBe(150);
  });

  it("explains every invalid field at once", () => {
    expect(validateAddPhone({ label: " ", phoneNumber: "", timelinesaiAccountId: "ab", dailyQuotaLimit: "1e2", status: "ACTIVE" })).toEqual({
      ok: false,
      errors: {
        label: "phones.validation.labelRequired",
        phoneNumber: "phones.validation.phoneRequired",
        timelinesaiAccountId: "phones.validation.accountRequired",
        dailyQuotaLimit: "phones.validation.limitInvalid",
      },
    });
  });

  it("tells a malformed number from a foreign one", () => {
    const errorOf = (phoneNumber: string) => {
      const r = validateAddPhone({ ...valid, phoneNumber });
      return r.ok ? null : r.errors.phoneNumber;
    };
    expect(errorOf("07221")).toBe("phones.validation.phoneInvalid");
    expect(errorOf("+4917012345678")).toBe("phones.validation.phoneNotRomanian");
  });

  it("keeps the limit within the schema's range", () => {
    const limitError = (dailyQuotaLimit: string) => {
      const r = validateAddPhone({ ...valid, dailyQuotaLimit });
      return r.ok ? null : r.errors.dailyQuotaLimit;
    };
    expect(limitError("0")).toBeNull();
    expect(limitError("1000")).toBeNull();
    expect(limitError("1001")).toBe("phones.validation.limitInvalid");
    expect(limitError("-5")).toBe("phones.validation.limitInvalid");
    expect(limitError("12.5")).toBe("phones.validation.limitInvalid");
  });
});

describe("status, enable and adjustment forms", () => {
  it("requires a reason only to ban, and sends none when left empty", () => {
    expect(validateStatusChange({ to: "BANNED", reason: "  " })).toEqual({ ok: false, errors: { reason: "phones.validation.reasonRequired" } });
    expect(validateStatusChange({ to: "PAUSED", reason: "" })).toEqual({ ok: true, value: { status: "PAUSED", reason: null } });
    const banned = validateStatusChange({ to: "BANNED", reason: " blocat de WhatsApp " });
    expect(banned).toEqual({ ok: true, value: { status: "BANNED", reason: "blocat de WhatsApp" } });
    if (banned.ok) expect(changeStatusInput.safeParse({ phoneId: PHONE_ID, ...banned.value }).success).toBe(true);
    expect(validateStatusChange({ to: "PAUSED", reason: "x".repeat(501) }).ok).toBe(false);
  });

  it("treats the enable/disable reason as optional text", () => {
    expect(validateOptionalReason("  ")).toEqual({ ok: true, value: null });
    expect(validateOptionalReason(" schimbat SIM ")).toEqual({ ok: true, value: "schimbat SIM" });
  });

  it("accepts an adjustment within the phone's limit with a reason of 10 characters or more", () => {
    const ok = validateAdjustQuota({ used: "150", reason: "scurgere de cotă dovedită în jurnal" }, 200);
    expect(ok).toEqual({ ok: true, value: { used: 150, reason: "scurgere de cotă dovedită în jurnal" } });
    if (ok.ok) expect(adjustQuotaInput.safeParse({ phoneId: PHONE_ID, ...ok.value }).success).toBe(true);
    expect(validateAdjustQuota({ used: "201", reason: "motiv suficient de lung" }, 200)).toEqual({ ok: false, errors: { used: "phones.validation.usedInvalid" } });
    expect(validateAdjustQuota({ used: "", reason: "scurt" }, 200)).toEqual({
      ok: false,
      errors: { used: "phones.validation.usedInvalid", reason: "phones.validation.reasonTooShort" },
    });
    expect(validateAdjustQuota({ used: "0", reason: "" }, 200)).toEqual({ ok: false, errors: { reason: "phones.validation.reasonRequired" } });
  });
});

describe("error messages", () => {
  const failure = (code: string | null, domainCode: string | null, isNetwork = false) => mutationErrorKey({ code, domainCode, isNetwork });

  it("prefers the domain code, which says what went wrong", () => {
    expect(failure("CONFLICT", "PHONE_ALREADY_EXISTS")).toBe("phones.error.PHONE_ALREADY_EXISTS");
    expect(failure("CONFLICT", "ILLEGAL_PHONE_TRANSITION")).toBe("phones.error.ILLEGAL_PHONE_TRANSITION");
    expect(failure("SERVICE_UNAVAILABLE", "PHONE_MIRROR_STALE")).toBe("phones.error.PHONE_MIRROR_STALE");
    expect(failure("BAD_REQUEST", "QUOTA_ADJUST_OUT_OF_RANGE")).toBe("phones.error.QUOTA_ADJUST_OUT_OF_RANGE");
  });

  it("falls back to the tRPC code, then to network and generic messages", () => {
    expect(failure("FORBIDDEN", null)).toBe("phones.error.FORBIDDEN");
    expect(failure("CONFLICT", "SOMETHING_NEW")).toBe("phones.error.CONFLICT");
    expect(failure("INTERNAL_SERVER_ERROR", null)).toBe("phones.error.UNKNOWN");
    expect(failure(null, null, true)).toBe("phones.error.NETWORK");
    // An own property only: a code named like an Object.prototype member is not a message.
    expect(failure("toString", "constructor")).toBe("phones.error.UNKNOWN");
  });

  it("reads the codes from a tRPC client error as the server's formatter shapes it", () => {
    const error = new TRPCClientError("exists", {
      result: { error: { code: -32009, message: "exists", data: { code: "CONFLICT", httpStatus: 409, domainCode: "PHONE_ALREADY_EXISTS", zodError: null } } },
    });
    expect(trpcDomainCode(error)).toBe("PHONE_ALREADY_EXISTS");
    expect(mutationErrorMessageKey(error)).toBe("phones.error.PHONE_ALREADY_EXISTS");
    expect(mutationErrorMessageKey(new TRPCClientError("Failed to fetch"))).toBe("phones.error.NETWORK");
    expect(mutationErrorMessageKey(new Error("boom"))).toBe("phones.error.UNKNOWN");
  });

  it("has a Romanian and an English sentence for every phone status shown in the dialog", () => {
    for (const status of PHONE_STATUSES) {
      expect(ro[`phones.status.hint.${status}`]).toBeTruthy();
      expect(en[`phones.status.hint.${status}`]).toBeTruthy();
    }
  });
});
