import { z } from "zod";

/**
 * Instantly API v2 wire shapes (providers.md §2). Request schemas are strict where the API is
 * (`additionalProperties: false` on campaigns); the simulator validates with them and the client takes
 * its input types from them, so both sides read the same contract. Response schemas drop unknown
 * fields and tolerate missing optional ones.
 */

const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO-8601 date");
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM");
/** Instantly's enum is closed but not published in full; a real IANA zone is the safe subset. */
const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "must be a supported timezone");

export const campaignScheduleSchema = z.strictObject({
  schedules: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        timing: z.strictObject({ from: timeOfDay, to: timeOfDay }),
        days: z.partialRecord(z.enum(["0", "1", "2", "3", "4", "5", "6"]), z.boolean()),
        timezone,
      }),
    )
    .min(1),
  start_date: isoDate.nullish(),
  end_date: isoDate.nullish(),
});

export const sequenceStepSchema = z.strictObject({
  type: z.literal("email"),
  /** Wait before the NEXT step; required on every step. */
  delay: z.number().int().min(0),
  delay_unit: z.enum(["minutes", "hours", "days"]).optional(),
  variants: z
    .array(z.strictObject({ subject: z.string(), body: z.string(), v_disabled: z.boolean().optional() }))
    .min(1),
});

export const createCampaignRequestSchema = z.strictObject({
  name: z.string().min(1),
  campaign_schedule: campaignScheduleSchema,
  sequences: z.array(z.strictObject({ steps: z.array(sequenceStepSchema).min(1) })).optional(),
  email_list: z.array(z.email()).optional(),
  daily_limit: z.number().int().min(1).optional(),
  email_gap: z.number().int().min(0).optional(),
  random_wait_max: z.number().int().min(0).optional(),
  stop_on_reply: z.boolean().optional(),
  stop_on_auto_reply: z.boolean().optional(),
  open_tracking: z.boolean().optional(),
  link_tracking: z.boolean().optional(),
  text_only: z.boolean().optional(),
  daily_max_leads: z.number().int().min(1).optional(),
});
export type CreateCampaignRequest = z.input<typeof createCampaignRequestSchema>;

const customVariables = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

export const leadInputSchema = z.object({
  email: z.email(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  company_name: z.string().optional(),
  job_title: z.string().optional(),
  website: z.string().optional(),
  phone: z.string().optional(),
  personalization: z.string().optional(),
  custom_variables: customVariables.optional(),
});
export type LeadInput = z.input<typeof leadInputSchema>;

export const createLeadRequestSchema = leadInputSchema
  .extend({
    campaign: z.uuid().optional(),
    list_id: z.uuid().optional(),
    lt_interest_status: z.number().int().optional(),
    skip_if_in_workspace: z.boolean().optional(),
    skip_if_in_campaign: z.boolean().optional(),
    skip_if_in_list: z.boolean().optional(),
  })
  .refine((v) => Boolean(v.campaign) !== Boolean(v.list_id), "exactly one of campaign or list_id is required");
export type CreateLeadRequest = z.input<typeof createLeadRequestSchema>;

export const bulkAddLeadsRequestSchema = z
  .object({
    campaign_id: z.uuid().optional(),
    list_id: z.uuid().optional(),
    leads: z.array(leadInputSchema).min(1).max(1000),
    skip_if_in_workspace: z.boolean().optional(),
    skip_if_in_campaign: z.boolean().optional(),
    skip_if_in_list: z.boolean().optional(),
    blocklist_id: z.uuid().optional(),
    verify_leads_on_import: z.boolean().optional(),
    assigned_to: z.uuid().optional(),
  })
  .refine((v) => Boolean(v.campaign_id) !== Boolean(v.list_id), "exactly one of campaign_id or list_id is required");
export type BulkAddLeadsRequest = z.input<typeof bulkAddLeadsRequestSchema>;

export const createWebhookRequestSchema = z.object({
  target_hook_url: z.string().regex(/^https?:\/\//, "must match ^https?://"),
  event_type: z.string().nullable(),
  campaign: z.uuid().nullish(),
  name: z.string().optional(),
  custom_interest_value: z.number().nullish(),
  headers: z.record(z.string(), z.string()).optional(),
});
export type CreateWebhookRequest = z.input<typeof createWebhookRequestSchema>;

// ---- responses ----

/** 0 Draft, 1 Active, 2 Paused, 3 Completed, 4 Running Subsequences, −1 Accounts Unhealthy, −2 Bounce Protect, −99 Suspended. */
export const CAMPAIGN_STATUS = { DRAFT: 0, ACTIVE: 1, PAUSED: 2, COMPLETED: 3, SUBSEQUENCES: 4, ACCOUNTS_UNHEALTHY: -1, BOUNCE_PROTECT: -2, SUSPENDED: -99 } as const;
/** 1 Active, 2 Paused, 3 Completed, −1 Bounced, −2 Unsubscribed, −3 Skipped. */
export const LEAD_STATUS = { ACTIVE: 1, PAUSED: 2, COMPLETED: 3, BOUNCED: -1, UNSUBSCRIBED: -2, SKIPPED: -3 } as const;
/** lt_interest_status values. */
export const LEAD_INTEREST = { OUT_OF_OFFICE: 0, INTERESTED: 1, MEETING_BOOKED: 2, MEETING_COMPLETED: 3, CLOSED: 4, NOT_INTERESTED: -1, WRONG_PERSON: -2, LOST: -3 } as const;

export const campaignSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  status: z.number().int(),
  not_sending_status: z.number().int().nullish(),
  timestamp_created: z.string().nullish(),
  timestamp_updated: z.string().nullish(),
  daily_limit: z.number().nullish(),
  stop_on_reply: z.boolean().nullish(),
  email_list: z.array(z.string()).nullish(),
});
export type InstantlyCampaign = z.output<typeof campaignSchema>;

export const leadSchema = z.object({
  id: z.string().min(1),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  company_name: z.string().nullish(),
  phone: z.string().nullish(),
  campaign: z.string().nullish(),
  list_id: z.string().nullish(),
  status: z.number().int().nullish(),
  lt_interest_status: z.number().int().nullish(),
  payload: z.record(z.string(), z.unknown()).nullish(),
  timestamp_created: z.string().nullish(),
  timestamp_updated: z.string().nullish(),
  timestamp_last_contact: z.string().nullish(),
  timestamp_last_open: z.string().nullish(),
  timestamp_last_reply: z.string().nullish(),
  timestamp_last_click: z.string().nullish(),
});
export type InstantlyLead = z.output<typeof leadSchema>;

export const leadListSchema = z.object({ items: z.array(leadSchema), next_starting_after: z.string().nullish() });

const count = z.number().int().nullish();
export const bulkAddLeadsResultSchema = z.object({
  status: z.string().nullish(),
  total_sent: count,
  leads_uploaded: count,
  in_blocklist: count,
  duplicated_leads: count,
  skipped_count: count,
  invalid_email_count: count,
  incomplete_count: count,
  duplicate_email_count: count,
  remaining_in_plan: count,
  created_leads: z
    .array(z.object({ index: z.number().int(), id: z.string(), email: z.string().nullish() }))
    .default([]),
});
export type BulkAddLeadsResult = z.output<typeof bulkAddLeadsResultSchema>;

const metric = z.number().nullish().transform((v) => v ?? 0);
export const campaignAnalyticsSchema = z.object({
  campaign_id: z.string(),
  campaign_name: z.string().nullish(),
  campaign_status: z.number().int().nullish(),
  leads_count: metric,
  contacted_count: metric,
  emails_sent_count: metric,
  new_leads_contacted_count: metric,
  open_count: metric,
  open_count_unique: metric,
  reply_count: metric,
  reply_count_unique: metric,
  reply_count_automatic: metric,
  link_click_count: metric,
  link_click_count_unique: metric,
  bounced_count: metric,
  unsubscribed_count: metric,
  completed_count: metric,
  total_opportunities: metric,
  total_opportunity_value: metric,
});
export type InstantlyCampaignAnalytics = z.output<typeof campaignAnalyticsSchema>;

export const webhookSchema = z.object({
  id: z.string().min(1),
  target_hook_url: z.string(),
  event_type: z.string().nullable(),
  campaign: z.string().nullish(),
  name: z.string().nullish(),
  headers: z.record(z.string(), z.string()).nullish(),
  status: z.number().int().nullish(),
});
export type InstantlyWebhook = z.output<typeof webhookSchema>;

/** Fastify-style `{statusCode, error, message}`, but some 400s carry only one of the two strings. */
export const instantlyErrorSchema = z.object({
  statusCode: z.number().optional(),
  error: z.string().optional(),
  message: z.string().optional(),
});
