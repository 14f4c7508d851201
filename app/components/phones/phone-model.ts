/**
 * Pure rules behind the phones page: what a role may do to a phone, how the pool is summarised, how
 * forms are validated and how a failed call is explained. No React here, so every rule is unit-tested
 * (phone-model.test.ts) and the components only render what these functions decide.
 *
 * The legal status moves come from the server's own table (server/phones/status.ts), so the page never
 * offers a move the procedure would refuse; the server still checks everything again.
 */
import { TRPCClientError } from "@trpc/client";
import { roleAtLeast, type Role } from "#server/auth/roles";
import { allowedNextStatuses, checkPhoneTransition, type PhoneStatus } from "#server/phones/status";
import { toE164 } from "~/lib/format";
import type { PlainMessageKey } from "~/lib/i18n";
import { trpcErrorCode, type RouterOutputs } from "~/lib/trpc";

export type { PhoneStatus } from "#server/phones/status";
export type PhonesList = RouterOutputs["phones"]["list"];
export type PhoneItem = PhonesList["phones"][number];

// --- Permissions -------------------------------------------------------------------------------------

export interface PhonePermissions {
  /** Add phones, change status, enable/disable (MANAGER and up). */
  manage: boolean;
  /** Resync counters and adjust a phone's quota by hand (ADMIN only). */
  administer: boolean;
}

/** A signed-out render (no role) gets nothing: the page is read-only until the role is known. */
export function phonePermissions(role: Role | null | undefined): PhonePermissions {
  if (!role) return { manage: false, administer: false };
  return { manage: roleAtLeast(role, "MANAGER"), administer: roleAtLeast(role, "ADMIN") };
}

/**
 * Statuses this role may move the phone to, in the server's order. A rep gets none (the procedure is
 * MANAGER-tier); a manager does not get BANNED → QUARANTINE, which the lifecycle reserves for ADMIN.
 */
export function statusTargets(from: PhoneStatus, role: Role | null | undefined): PhoneStatus[] {
  if (!phonePermissions(role).manage || !role) return [];
  return allowedNextStatuses(from).filter((to) => {
    const check = checkPhoneTransition(from, to);
    return check.ok && (check.requiredRole === null || roleAtLeast(role, check.requiredRole));
  });
}

/**
 * The one-click action shown in the row: pause a sending phone, or bring a stopped one back to ACTIVE.
 * Null when neither is legal for this role (a banned phone; a rep).
 */
export function quickStatusAction(from: PhoneStatus, role: Role | null | undefined): "PAUSED" | "ACTIVE" | null {
  const targets = statusTargets(from, role);
  if (from === "ACTIVE") return targets.includes("PAUSED") ? "PAUSED" : null;
  return targets.includes("ACTIVE") ? "ACTIVE" : null;
}

/**
 * What the one-click action is called, by what it really does: a paused phone resumes sending; an
 * offline or reconnecting one is marked reconnected (a person confirmed WhatsApp Web is back, runbook
 * §2.1); a phone in quarantine leaves it. "Reia trimiterea" on an offline phone promised a send the
 * phone cannot make until it is reconnected.
 */
export function quickActionLabelKey(from: PhoneStatus, target: "PAUSED" | "ACTIVE"): "phones.action.pause" | "phones.action.resume" | "phones.action.markReconnected" | "phones.action.endQuarantine" {
  if (target === "PAUSED") return "phones.action.pause";
  if (from === "OFFLINE" || from === "RECONNECTING") return "phones.action.markReconnected";
  if (from === "QUARANTINE") return "phones.action.endQuarantine";
  return "phones.action.resume";
}

// --- Summary -----------------------------------------------------------------------------------------

/** Why a phone is flagged on the page; the order is the order of urgency. */
export type AttentionReason = "BANNED" | "OFFLINE" | "RECONNECTING" | "MIRROR_STALE";

/**
 * A phone needs someone when it cannot send for a reason nobody chose (runbook §2: offline, banned,
 * stuck reconnecting) or when the quota check in Redis would enforce a different status, limit or
 * enabled flag than the database shows (runbook §6.2: resync). Deliberate stops (paused, quarantine,
 * disabled) and a full quota are normal and not flagged.
 */
export function attentionReasons(phone: Pick<PhoneItem, "status" | "mirror">): AttentionReason[] {
  const reasons: AttentionReason[] = [];
  if (phone.status === "BANNED" || phone.status === "OFFLINE" || phone.status === "RECONNECTING") reasons.push(phone.status);
  if (phone.mirror !== null && !phone.mirror.inSync) reasons.push("MIRROR_STALE");
  return reasons;
}

/** The phones that need someone, most urgent first (banned, offline, reconnecting, then stale mirrors). */
export function phonesNeedingAttention<P extends Pick<PhoneItem, "status" | "mirror">>(phones: readonly P[]): Array<{ phone: P; reason: AttentionReason }> {
  const order: AttentionReason[] = ["BANNED", "OFFLINE", "RECONNECTING", "MIRROR_STALE"];
  return phones
    .map((phone) => ({ phone, reason: attentionReasons(phone)[0] }))
    .filter((entry): entry is { phone: P; reason: AttentionReason } => entry.reason !== undefined)
    .sort((a, b) => order.indexOf(a.reason) - order.indexOf(b.reason));
}

export interface PoolSummary {
  total: number;
  /** ACTIVE and enabled: the phones the quota check lets send. */
  sending: number;
  /** Today's new contacts over every phone; null when the quota store could not be read. */
  used: number | null;
  /** Sum of every phone's daily limit: the same total the dashboard grid shows. */
  limit: number;
  /** New contacts still possible today on the sending phones; null when usage is unknown. */
  remaining: number | null;
  attention: number;
}

/**
 * Today's WhatsApp capacity, one definition for the phones page and the dashboard: new contacts used
 * over every phone out of the sum of their limits, and what remains on the phones that may send (ACTIVE
 * and enabled; a paused or offline phone's unused quota cannot be spent today). Null when usage is unknown.
 */
export function poolUsage(data: {
  quotaAvailable: boolean;
  phones: ReadonlyArray<{ status: string; isEnabled: boolean; used: number | null; limit: number }>;
}): Pick<PoolSummary, "used" | "limit" | "remaining"> {
  const usageKnown = data.quotaAvailable && data.phones.every((p) => p.used !== null);
  const sendingPhones = data.phones.filter((p) => p.status === "ACTIVE" && p.isEnabled);
  return {
    used: usageKnown ? data.phones.reduce((sum, p) => sum + (p.used ?? 0), 0) : null,
    limit: data.phones.reduce((sum, p) => sum + p.limit, 0),
    remaining: usageKnown ? sendingPhones.reduce((sum, p) => sum + Math.max(0, p.limit - (p.used ?? 0)), 0) : null,
  };
}

export function summarizePool(data: Pick<PhonesList, "quotaAvailable" | "phones">): PoolSummary {
  return {
    total: data.phones.length,
    sending: data.phones.filter((p) => p.status === "ACTIVE" && p.isEnabled).length,
    ...poolUsage(data),
    attention: data.phones.filter((p) => attentionReasons(p).length > 0).length,
  };
}

export type BadgeVariant = "success" | "secondary" | "warning" | "destructive" | "outline";

/** Green only for a phone that sends; red for the two states that page someone (runbook §7.1). */
export function statusBadgeVariant(status: PhoneStatus): BadgeVariant {
  switch (status) {
    case "ACTIVE":
      return "success";
    case "OFFLINE":
    case "BANNED":
      return "destructive";
    case "RECONNECTING":
    case "QUARANTINE":
      return "warning";
    case "PAUSED":
      return "secondary";
  }
}

/** Reputation 0–100 (seeds F2.1.1.T004). Under 50 is shown as a warning; the threshold is a UI choice. */
export const LOW_REPUTATION = 50;
export const isLowReputation = (score: number) => score < LOW_REPUTATION;

// --- Forms -------------------------------------------------------------------------------------------

/** Limits shared with the procedures' zod schemas (server/phones/schemas.ts). */
export const LIMITS = {
  label: 80,
  accountMin: 3,
  account: 200,
  dailyLimitMax: 1000,
  reason: 500,
  adjustReasonMin: 10,
} as const;

/** Validation messages take no parameters, so a field error is just a key. */
export type ValidationKey = Extract<PlainMessageKey, `phones.validation.${string}`>;
export type FieldErrors<F extends string> = Partial<Record<F, ValidationKey>>;
export type Validated<V, F extends string> = { ok: true; value: V } | { ok: false; errors: FieldErrors<F> };

/**
 * A Romanian number in E.164 (`+40` and 9 digits), from whatever was typed: `0722 123 456`,
 * `+40 722 123 456`, `0040722123456`. The pool is Romanian, and a typo that happens to be a valid
 * foreign number should be caught here rather than registered.
 */
export function romanianE164(raw: string): string | null {
  const e164 = toE164(raw);
  return e164 !== null && /^\+40\d{9}$/.test(e164) ? e164 : null;
}

export const INITIAL_STATUSES = ["ACTIVE", "PAUSED", "QUARANTINE"] as const;
export type InitialStatus = (typeof INITIAL_STATUSES)[number];

export interface AddPhoneForm {
  label: string;
  phoneNumber: string;
  timelinesaiAccountId: string;
  /** As typed; empty means the organisation's default limit. */
  dailyQuotaLimit: string;
  status: InitialStatus;
}
export type AddPhoneField = "label" | "phoneNumber" | "timelinesaiAccountId" | "dailyQuotaLimit";
export interface AddPhoneValue {
  label: string;
  phoneNumber: string;
  timelinesaiAccountId: string;
  dailyQuotaLimit: number | null;
  status: InitialStatus;
}

/** Whole numbers only: `Number("1e2")` and `"12.0"` are not what an operator meant to type. */
function parseCount(raw: string): number | null {
  const text = raw.trim();
  return /^\d{1,7}$/.test(text) ? Number(text) : null;
}

/**
 * The field errors still true of the form as it is now typed: a message shown after a failed submit
 * goes (or changes) as the person corrects that field, instead of staying until the next submit.
 * Fields without a message shown stay quiet until then.
 */
export function recheckShownErrors(shown: FieldErrors<AddPhoneField>, form: AddPhoneForm): FieldErrors<AddPhoneField> {
  const checked = validateAddPhone(form);
  const now = checked.ok ? {} : checked.errors;
  const next: FieldErrors<AddPhoneField> = {};
  for (const field of Object.keys(shown) as AddPhoneField[]) {
    if (now[field]) next[field] = now[field];
  }
  return next;
}

export function validateAddPhone(form: AddPhoneForm): Validated<AddPhoneValue, AddPhoneField> {
  const errors: FieldErrors<AddPhoneField> = {};
  const label = form.label.trim();
  if (label.length === 0) errors.label = "phones.validation.labelRequired";
  else if (label.length > LIMITS.label) errors.label = "phones.validation.labelTooLong";

  const typed = form.phoneNumber.trim();
  const phoneNumber = romanianE164(typed);
  if (typed.length === 0) errors.phoneNumber = "phones.validation.phoneRequired";
  else if (phoneNumber === null) errors.phoneNumber = toE164(typed) === null ? "phones.validation.phoneInvalid" : "phones.validation.phoneNotRomanian";

  const account = form.timelinesaiAccountId.trim();
  if (account.length < LIMITS.accountMin) errors.timelinesaiAccountId = "phones.validation.accountRequired";
  else if (account.length > LIMITS.account) errors.timelinesaiAccountId = "phones.validation.accountTooLong";

  let dailyQuotaLimit: number | null = null;
  if (form.dailyQuotaLimit.trim() !== "") {
    dailyQuotaLimit = parseCount(form.dailyQuotaLimit);
    if (dailyQuotaLimit === null || dailyQuotaLimit > LIMITS.dailyLimitMax) errors.dailyQuotaLimit = "phones.validation.limitInvalid";
  }

  if (Object.keys(errors).length > 0 || phoneNumber === null) return { ok: false, errors };
  return { ok: true, value: { label, phoneNumber, timelinesaiAccountId: account, dailyQuotaLimit, status: form.status } };
}

/** A reason is stored with the status (and shown in the list); only BANNED requires one (the procedure's rule). */
export const statusReasonRequired = (to: PhoneStatus) => to === "BANNED";

export function validateStatusChange(input: { to: PhoneStatus; reason: string }): Validated<{ status: PhoneStatus; reason: string | null }, "reason"> {
  const reason = input.reason.trim();
  if (reason.length === 0 && statusReasonRequired(input.to)) return { ok: false, errors: { reason: "phones.validation.reasonRequired" } };
  if (reason.length > LIMITS.reason) return { ok: false, errors: { reason: "phones.validation.reasonTooLong" } };
  return { ok: true, value: { status: input.to, reason: reason.length > 0 ? reason : null } };
}

export function validateOptionalReason(raw: string): Validated<string | null, "reason"> {
  const reason = raw.trim();
  if (reason.length > LIMITS.reason) return { ok: false, errors: { reason: "phones.validation.reasonTooLong" } };
  return { ok: true, value: reason.length > 0 ? reason : null };
}

/** Runbook §3.1 "emergency only": a count within the phone's limit, and a reason someone can audit. */
export function validateAdjustQuota(input: { used: string; reason: string }, limit: number): Validated<{ used: number; reason: string }, "used" | "reason"> {
  const errors: FieldErrors<"used" | "reason"> = {};
  const used = parseCount(input.used);
  if (used === null || used > limit) errors.used = "phones.validation.usedInvalid";
  const reason = input.reason.trim();
  if (reason.length === 0) errors.reason = "phones.validation.reasonRequired";
  else if (reason.length < LIMITS.adjustReasonMin) errors.reason = "phones.validation.reasonTooShort";
  else if (reason.length > LIMITS.reason) errors.reason = "phones.validation.reasonTooLong";
  if (used === null || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { used, reason } };
}

// --- Errors ------------------------------------------------------------------------------------------

/** Domain codes the phone procedures raise (server/phones/lifecycle.server.ts, server/quota/*). */
const DOMAIN_MESSAGES = {
  PHONE_ALREADY_EXISTS: "phones.error.PHONE_ALREADY_EXISTS",
  PHONE_NOT_FOUND: "phones.error.PHONE_NOT_FOUND",
  ILLEGAL_PHONE_TRANSITION: "phones.error.ILLEGAL_PHONE_TRANSITION",
  PHONE_TRANSITION_FORBIDDEN: "phones.error.PHONE_TRANSITION_FORBIDDEN",
  PHONE_MIRROR_STALE: "phones.error.PHONE_MIRROR_STALE",
  QUOTA_ADJUST_FORBIDDEN: "phones.error.QUOTA_ADJUST_FORBIDDEN",
  QUOTA_ADJUST_OUT_OF_RANGE: "phones.error.QUOTA_ADJUST_OUT_OF_RANGE",
  QUOTA_ADJUST_REASON_REQUIRED: "phones.validation.reasonRequired",
  QUOTA_STORE_UNAVAILABLE: "phones.error.QUOTA_STORE_UNAVAILABLE",
  TENANT_WINDOW_INVALID: "phones.error.TENANT_WINDOW_INVALID",
} as const satisfies Record<string, PlainMessageKey>;

/** tRPC codes, for failures without a domain code (role checks, input validation, outages). */
const CODE_MESSAGES = {
  UNAUTHORIZED: "phones.error.UNAUTHORIZED",
  FORBIDDEN: "phones.error.FORBIDDEN",
  BAD_REQUEST: "phones.error.BAD_REQUEST",
  NOT_FOUND: "phones.error.PHONE_NOT_FOUND",
  CONFLICT: "phones.error.CONFLICT",
  SERVICE_UNAVAILABLE: "phones.error.SERVICE_UNAVAILABLE",
  TOO_MANY_REQUESTS: "phones.error.TOO_MANY_REQUESTS",
} as const satisfies Record<string, PlainMessageKey>;

const hasKey = <T extends object>(map: T, key: string): key is Extract<keyof T, string> => Object.hasOwn(map, key);

/** The error formatter (server/trpc/init.server.ts) puts the domain code in `data.domainCode`. */
export function trpcDomainCode(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  if (typeof data === "object" && data !== null && "domainCode" in data && typeof data.domainCode === "string") return data.domainCode;
  return null;
}

/**
 * The sentence for a failed mutation: the domain code when the server gave one (it says what went
 * wrong), else the tRPC code (who may do it, whether the service is up), else a network failure
 * (no response at all) or the generic message. Never the server's English text.
 */
export function mutationErrorKey(failure: { code: string | null; domainCode: string | null; isNetwork: boolean }): PlainMessageKey {
  if (failure.domainCode && hasKey(DOMAIN_MESSAGES, failure.domainCode)) return DOMAIN_MESSAGES[failure.domainCode];
  if (failure.code && hasKey(CODE_MESSAGES, failure.code)) return CODE_MESSAGES[failure.code];
  if (failure.isNetwork) return "phones.error.NETWORK";
  return "phones.error.UNKNOWN";
}

/** `mutationErrorKey` for whatever a mutation threw. A client error with no code never reached the server. */
export function mutationErrorMessageKey(error: unknown): PlainMessageKey {
  const code = trpcErrorCode(error);
  return mutationErrorKey({ code, domainCode: trpcDomainCode(error), isNetwork: error instanceof TRPCClientError && code === null });
}
