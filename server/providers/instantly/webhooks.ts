import { z } from "zod";

/**
 * Inbound Instantly webhook payloads (providers.md §2 "Webhooks"): flat JSON, lead fields merged in as
 * extra top-level keys (kept by `looseObject`). No signature exists; the route authenticates by the
 * header we stored on the webhook when registering it (see registerWebhook in the client).
 */

/** The header our registration asks Instantly to send back on every delivery, carrying INSTANTLY_WEBHOOK_SECRET. */
export const INSTANTLY_WEBHOOK_SECRET_HEADER = "x-cerniq-webhook-secret";

export const INSTANTLY_EVENT_TYPES = [
  "email_sent",
  "email_opened",
  "email_link_clicked",
  "link_clicked",
  "reply_received",
  "auto_reply_received",
  "email_bounced",
  "lead_unsubscribed",
  "campaign_completed",
  "account_error",
  "lead_neutral",
  "lead_interested",
  "lead_not_interested",
  "lead_meeting_booked",
  "lead_meeting_completed",
  "lead_closed",
  "lead_out_of_office",
  "lead_wrong_person",
  "lead_no_show",
  "supersearch_enrichment_completed",
] as const;

export const instantlyWebhookEventSchema = z.looseObject({
  timestamp: z.string().refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO timestamp"),
  /** Known types above; custom interest labels arrive with the label name, so any string is accepted. */
  event_type: z.string().min(1),
  workspace: z.string().nullish(),
  campaign_id: z.string().nullish(),
  campaign_name: z.string().nullish(),
  lead_email: z.string().nullish(),
  email_account: z.string().nullish(),
  unibox_url: z.string().nullish(),
  step: z.number().int().nullish(),
  variant: z.number().int().nullish(),
  is_first: z.boolean().nullish(),
  email_id: z.string().nullish(),
  email_subject: z.string().nullish(),
  email_text: z.string().nullish(),
  email_html: z.string().nullish(),
  reply_text_snippet: z.string().nullish(),
  reply_subject: z.string().nullish(),
  reply_text: z.string().nullish(),
  reply_html: z.string().nullish(),
});
export type InstantlyWebhookEvent = z.output<typeof instantlyWebhookEventSchema>;
