/**
 * Input and output schemas of the phones procedures (server/trpc/routers/phones.server.ts).
 * Shared with the UI, so no server-only imports here.
 */
import { z } from "zod";
import { PHONE_STATUSES } from "./status";

const uuid = z.uuid();
const reason = z.string().trim().min(1).max(500);

export const phoneStatusSchema = z.enum(PHONE_STATUSES);

export const phoneListItem = z.object({
  id: uuid,
  label: z.string(),
  phoneNumber: z.string(),
  status: phoneStatusSchema,
  statusChangedAt: z.date(),
  pausedReason: z.string().nullable(),
  isEnabled: z.boolean(),
  reputationScore: z.number().int(),
  lastHealthCheckAt: z.date().nullable(),
  lastError: z.string().nullable(),
  /** Today's new contacts from Redis; null when Redis could not be read. */
  used: z.number().int().nullable(),
  limit: z.number().int(),
  remaining: z.number().int().nullable(),
  /** What the quota check will enforce; differs from `status` only if the mirror is stale (resync). */
  mirror: z.object({ status: phoneStatusSchema.nullable(), enabled: z.boolean(), inSync: z.boolean() }).nullable(),
});

export const phoneListOutput = z.object({
  usageDate: z.string(),
  quotaAvailable: z.boolean(),
  window: z.object({
    open: z.boolean(),
    reason: z.enum(["NOT_A_SENDING_DAY", "HOLIDAY", "BEFORE_HOURS", "AFTER_HOURS"]).nullable(),
    holiday: z.string().nullable(),
    nextOpening: z.date(),
  }),
  phones: z.array(phoneListItem),
});

export const addPhoneInput = z.object({
  label: z.string().trim().min(1).max(80),
  /** E.164, e.g. +40712345678. */
  phoneNumber: z.string().trim().regex(/^\+[1-9]\d{7,14}$/, "must be an E.164 number, e.g. +40712345678"),
  timelinesaiAccountId: z.string().trim().min(3).max(200),
  dailyQuotaLimit: z.number().int().min(0).max(1000).nullable().default(null),
  status: z.enum(["ACTIVE", "PAUSED", "QUARANTINE"]).default("ACTIVE"),
  notes: z.string().trim().max(2000).nullable().default(null),
});

export const changeStatusInput = z
  .object({ phoneId: uuid, status: phoneStatusSchema, reason: reason.nullable().default(null) })
  .refine((v) => v.status !== "BANNED" || v.reason !== null, { message: "a reason is required to mark a phone BANNED", path: ["reason"] });

export const changeStatusOutput = z.object({
  phoneId: uuid,
  from: phoneStatusSchema,
  to: phoneStatusSchema,
  changed: z.boolean(),
  alertRaised: z.boolean(),
  unassignedLeads: z.number().int(),
  cancelledSends: z.number().int().nullable(),
});

export const setEnabledInput = z.object({ phoneId: uuid, enabled: z.boolean(), reason: reason.nullable().default(null) });

export const adjustQuotaInput = z.object({
  phoneId: uuid,
  used: z.number().int().min(0).max(1000),
  /** Emergency-only operation: say why, in words someone can audit later. */
  reason: z.string().trim().min(10, "explain the adjustment (at least 10 characters)").max(500),
});

export const adjustQuotaOutput = z.object({ phoneId: uuid, usageDate: z.string(), before: z.number().int(), after: z.number().int(), limit: z.number().int() });

export const resyncOutput = z.object({
  usageDate: z.string(),
  phones: z.array(
    z.object({ phoneId: uuid, status: phoneStatusSchema, enabled: z.boolean(), limit: z.number().int(), fromLog: z.number().int(), before: z.number().int(), after: z.number().int() }),
  ),
});

