import { z } from "zod";

/**
 * Inbound Resend webhook payloads (providers.md §3). Authenticated with the Svix scheme
 * (svix-id / svix-timestamp / svix-signature over the raw body); verify before parsing. Webhook `tags`
 * is an object here, unlike the array the send request takes.
 */
export const RESEND_EMAIL_EVENT_TYPES = [
  "email.sent",
  "email.scheduled",
  "email.delivered",
  "email.delivery_delayed",
  "email.complained",
  "email.bounced",
  "email.opened",
  "email.clicked",
  "email.received",
  "email.failed",
  "email.suppressed",
] as const;

export const resendEmailEventSchema = z.object({
  type: z.enum(RESEND_EMAIL_EVENT_TYPES),
  created_at: z.string(),
  data: z.looseObject({
    created_at: z.string(),
    email_id: z.string().min(1),
    from: z.string(),
    to: z.array(z.string()),
    subject: z.string(),
    message_id: z.string().nullish(),
    broadcast_id: z.string().nullish(),
    template_id: z.string().nullish(),
    tags: z.record(z.string(), z.string()).nullish(),
    bounce: z.object({ message: z.string(), subType: z.string().nullish(), type: z.string().nullish() }).nullish(),
    click: z.object({ ipAddress: z.string().nullish(), link: z.string(), timestamp: z.string().nullish(), userAgent: z.string().nullish() }).nullish(),
    failed: z.object({ reason: z.string() }).nullish(),
    suppressed: z.object({ message: z.string().nullish(), type: z.string().nullish() }).nullish(),
  }),
});
export type ResendEmailEvent = z.output<typeof resendEmailEventSchema>;
