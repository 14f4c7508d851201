/** Input and output schemas of the settings procedures (one file per area beside this one). */
import { z } from "zod";
import { ROLES } from "../../../auth/roles";
import { AUTO_ANSWER_MODES, HOLIDAY_COUNTRIES } from "../../../settings/tenant-settings";

export const settingsOutput = z.object({
  timezone: z.string(),
  sendingDays: z.array(z.number().int()),
  sendingStartHour: z.number().int(),
  sendingEndHour: z.number().int(),
  holidayCountry: z.enum(HOLIDAY_COUNTRIES).nullable(),
  waDailyQuota: z.number().int(),
  jitterMinSeconds: z.number().int(),
  jitterMaxSeconds: z.number().int(),
  bounceThreshold: z.number(),
  sentimentAutoThreshold: z.number().int(),
  slaUrgentMinutes: z.number().int(),
  slaHighMinutes: z.number().int(),
  slaMediumMinutes: z.number().int(),
  slaLowMinutes: z.number().int(),
  autoAnswerMode: z.enum(AUTO_ANSWER_MODES),
  autoAnswerCaps: z.object({ perLeadPerDay: z.number().int(), perTenantPerDay: z.number().int() }),
  dispatchBatchSize: z.number().int(),
  updatedAt: z.date(),
});

export const updateOutput = z.object({ settings: settingsOutput, changed: z.array(z.string()), phonesFollowingQuota: z.number().int() });

const role = z.enum(ROLES);

export const userOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string(),
  role,
  locale: z.string(),
  isActive: z.boolean(),
  lastLoginAt: z.date().nullable(),
  lockedUntil: z.date().nullable(),
  createdAt: z.date(),
});

export const userListOutput = z.array(userOutput.extend({ assignedLeads: z.number().int(), openReviews: z.number().int() }));

export const inviteInput = z.object({
  name: z.string().trim().min(2).max(200),
  email: z.email().max(254),
  role,
  locale: z.enum(["ro", "en"]).default("ro"),
});

export const inviteOutput = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), name: z.string(), role }),
  /** Shown once to the admin; only its hash is stored. */
  oneTimePassword: z.string(),
});

export const providerOutput = z.array(
  z.object({
    provider: z.enum(["timelinesai", "instantly", "resend", "llm"]),
    mode: z.enum(["live", "simulator"]),
    keyPresent: z.boolean(),
    webhookSecretPresent: z.boolean().nullable(),
    host: z.string(),
    receivesWebhooks: z.boolean(),
    lastWebhookAt: z.date().nullable(),
  }),
);
