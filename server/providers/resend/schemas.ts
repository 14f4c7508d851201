import { z } from "zod";

/** Resend wire shapes (providers.md §3) for what the SDK hands back; the SDK types are not trusted as proof. */

export const sendResultSchema = z.object({ id: z.string().min(1) });

export const batchResultSchema = z.object({
  data: z.array(z.object({ id: z.string().min(1) })),
  errors: z.array(z.object({ index: z.number().int(), message: z.string() })).optional(),
});

export const EMAIL_LAST_EVENTS = [
  "queued",
  "scheduled",
  "sent",
  "delivered",
  "delivery_delayed",
  "opened",
  "clicked",
  "bounced",
  "complained",
  "failed",
  "canceled",
  "suppressed",
] as const;

export const emailSchema = z.object({
  object: z.literal("email").optional(),
  id: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  created_at: z.string(),
  last_event: z.enum(EMAIL_LAST_EVENTS).nullish(),
  tags: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
});
export type ResendEmail = z.output<typeof emailSchema>;

/** The SDK's error object: `{statusCode, message, name}` (statusCode null when nothing came back). */
export const sdkErrorSchema = z.object({
  name: z.string().default("application_error"),
  message: z.string().default(""),
  statusCode: z.number().nullable().optional(),
});
