/**
 * The typed result of a quota check, parsed with zod from the Lua script's reply
 * (lua/check_and_consume.lua). A malformed reply (script and code out of step after a deploy) fails
 * loudly here instead of being read as "allowed".
 */
import { z } from "zod";
import { PHONE_STATUSES, type PhoneStatus } from "../phones/status";

export const REFUSAL_REASONS = ["PHONE_NOT_ACTIVE", "OUTSIDE_WINDOW", "QUOTA_EXHAUSTED", "PHONE_UNKNOWN"] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** 1 = a new contact (counts against the daily limit), 0 = a follow-up (never counted). */
export type QuotaCost = 0 | 1;

interface DecisionBase {
  phoneId: string;
  cost: QuotaCost;
  /** Tenant-local date of the counter this check read: pass it back to `release`. */
  usageDate: string;
  used: number;
  limit: number;
  /** Status the Redis mirror held at the moment of the check; null when the phone is not mirrored. */
  phoneStatus: PhoneStatus | null;
}

export interface QuotaAllowed extends DecisionBase {
  allowed: true;
}

export interface QuotaRefused extends DecisionBase {
  allowed: false;
  reason: RefusalReason;
  /**
   * When to try again: the next window opening (OUTSIDE_WINDOW) or the next sending day's opening
   * (QUOTA_EXHAUSTED). Null for phone problems, which no amount of waiting fixes by itself: the
   * caller parks the lead until the phone is ACTIVE again (or moves a new lead elsewhere).
   */
  retryAt: Date | null;
}

export type QuotaDecision = QuotaAllowed | QuotaRefused;

const count = z.number().int().min(0);
const statusField = z.union([z.literal(""), z.enum(PHONE_STATUSES)]);

/**
 * Raw reply: { allowed, reason, used, limit, status } (see the script header).
 * One flat tuple rather than a union of two (4× cheaper to parse on the hot path); the pairing of
 * `allowed` with `reason` is checked right after.
 */
export const checkReplySchema = z.tuple([z.union([z.literal(0), z.literal(1)]), z.enum(["ALLOWED", ...REFUSAL_REASONS]), count, count, statusField]);

/** What the caller of the script knows and the reply does not carry. */
export interface CheckContext {
  phoneId: string;
  cost: QuotaCost;
  usageDate: string;
  /** Given back with OUTSIDE_WINDOW: the next window opening (null if the caller saw it open). */
  retryAtClosed: Date | null;
  /** Given back with QUOTA_EXHAUSTED: the first opening on a later sending day. */
  retryAtNextDay: Date;
}

function retryAtFor(reason: RefusalReason, context: CheckContext): Date | null {
  // A fresh Date per decision: callers may hold or change theirs.
  const at = reason === "OUTSIDE_WINDOW" ? context.retryAtClosed : reason === "QUOTA_EXHAUSTED" ? context.retryAtNextDay : null;
  return at ? new Date(at.getTime()) : null;
}

export function parseCheckReply(raw: unknown, context: CheckContext): QuotaDecision {
  const [allowed, reason, used, limit, status] = checkReplySchema.parse(raw);
  const { phoneId, cost, usageDate } = context;
  // Object literals, not spreads: on Node 20 `{ ...context, used }` costs ~3 µs per call, a quarter of
  // the client's whole budget for a check (bench:quota).
  if (allowed === 1 && reason === "ALLOWED" && status !== "") return { allowed: true, phoneId, cost, usageDate, used, limit, phoneStatus: status };
  if (allowed === 0 && reason !== "ALLOWED") {
    const phoneStatus = status === "" ? null : status;
    return { allowed: false, phoneId, cost, usageDate, used, limit, phoneStatus, reason, retryAt: retryAtFor(reason, context) };
  }
  throw new Error(`inconsistent quota check reply: ${JSON.stringify(raw)}`);
}

/** Raw reply of lua/release.lua: { released, usedAfter }. */
export const releaseReplySchema = z.tuple([z.union([z.literal(0), z.literal(1)]), count]);

/** Raw reply of lua/set_usage.lua: { before, after }. */
export const setUsageReplySchema = z.tuple([count, count]);

export interface PhoneUsage {
  phoneId: string;
  /** null when Redis has no mirror for the phone (never synced, or Redis lost it: resync). */
  status: PhoneStatus | null;
  enabled: boolean;
  used: number;
  limit: number;
  remaining: number;
}

/** Raw reply of lua/usage.lua: 4 entries per phone. */
export function parseUsageReply(raw: unknown, phoneIds: readonly string[]): PhoneUsage[] {
  const flat = z.array(z.union([z.string(), z.number()])).length(phoneIds.length * 4).parse(raw);
  return phoneIds.map((phoneId, i) => {
    const [status, enabled, limit, used] = z
      .tuple([statusField, z.enum(["0", "1"]), count, count])
      .parse(flat.slice(i * 4, i * 4 + 4));
    return {
      phoneId,
      status: status === "" ? null : status,
      enabled: enabled === "1",
      used,
      limit,
      remaining: Math.max(0, limit - used),
    };
  });
}
