import { z } from "zod";

/**
 * TimelinesAI Public API wire shapes (providers.md §1). Field names stay as on the wire; timestamps,
 * which TimelinesAI writes as "2024-01-08 10:35:18 +0200", are parsed into Date. Unknown fields are
 * dropped, missing optional ones tolerated: the docs mark several as uncertain.
 */

const TL_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? ?([+-])(\d{2}):?(\d{2})$/;

/** Parses TimelinesAI's "YYYY-MM-DD HH:MM:SS +ZZZZ"; ISO-8601 is accepted too. Undefined if neither. */
export function parseTimelinesTimestamp(value: string): Date | undefined {
  const m = TL_TIMESTAMP.exec(value.trim());
  if (m) {
    const [, y, mo, d, h, mi, s, sign, oh, om] = m;
    const offsetMin = (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
    return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMin * 60_000);
  }
  const iso = Date.parse(value);
  return Number.isNaN(iso) ? undefined : new Date(iso);
}

export const tlTimestamp = z.string().transform((value, ctx) => {
  const date = parseTimelinesTimestamp(value);
  if (!date) {
    ctx.addIssue({ code: "custom", message: `not a TimelinesAI timestamp: ${value}` });
    return z.NEVER;
  }
  return date;
});

/** Chat ids are integers; some examples show them as strings. */
export const tlChatId = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

export const errorEnvelopeSchema = z.object({
  status: z.literal("error"),
  message: z.string().optional(),
  data: z.unknown().optional(),
});

export const okEnvelopeSchema = z.object({ status: z.literal("ok"), data: z.unknown() });

export const chatSchema = z.object({
  id: tlChatId,
  name: z.string().nullish(),
  jid: z.string().nullish(),
  phone: z.string().nullish(),
  is_group: z.boolean().default(false),
  closed: z.boolean().nullish(),
  read: z.boolean().nullish(),
  labels: z.array(z.string()).default([]),
  whatsapp_account_id: z.string().nullish(),
  chat_url: z.string().nullish(),
  created_timestamp: tlTimestamp.nullish(),
  unattended: z.boolean().nullish(),
  responsible_email: z.string().nullish(),
  responsible_name: z.string().nullish(),
  last_message_uid: z.string().nullish(),
  last_message_timestamp: tlTimestamp.nullish(),
  is_allowed_to_message: z.boolean().nullish(),
});
export type TimelinesChat = z.output<typeof chatSchema>;

export const messageSchema = z.object({
  uid: z.string(),
  chat_id: tlChatId,
  timestamp: tlTimestamp,
  sender_phone: z.string().nullish(),
  sender_name: z.string().nullish(),
  recipient_phone: z.string().nullish(),
  recipient_name: z.string().nullish(),
  from_me: z.boolean(),
  /** Values seen: Queued, Sent, Delivered, Read, Failed; the full list is undocumented, see normalizeMessageStatus. */
  status: z.string().nullish(),
  origin: z.string().nullish(),
  has_attachment: z.boolean().nullish(),
  message_type: z.string().nullish(),
  text: z.string().nullish(),
  attachment_url: z.string().nullish(),
  attachment_filename: z.string().nullish(),
});
export type TimelinesMessage = z.output<typeof messageSchema>;

export const statusHistoryEntrySchema = z.object({ status: z.string(), timestamp: tlTimestamp });
export const statusHistorySchema = z.array(statusHistoryEntrySchema);
export type TimelinesStatusEntry = z.output<typeof statusHistoryEntrySchema>;

export const accountSchema = z.object({
  id: z.string(),
  phone: z.string(),
  connected_on: tlTimestamp.nullish(),
  status: z.string(),
  owner_name: z.string().nullish(),
  owner_email: z.string().nullish(),
  account_name: z.string().nullish(),
  is_visible: z.boolean().nullish(),
});
export type TimelinesAccount = z.output<typeof accountSchema>;

export const sendResultSchema = z.object({ message_uid: z.string().min(1) });
export const chatListSchema = z.object({ has_more_pages: z.boolean(), chats: z.array(chatSchema) });
export const messageListSchema = z.object({ has_more_pages: z.boolean(), messages: z.array(messageSchema) });
export const accountListSchema = z.object({ whatsapp_accounts: z.array(accountSchema) });

export const webhookSubscriptionSchema = z.object({
  id: z.number().int(),
  event_type: z.string(),
  url: z.string(),
  enabled: z.boolean(),
  errors_counter: z.number().int().nullish(),
});
export type TimelinesWebhookSubscription = z.output<typeof webhookSubscriptionSchema>;

export type NormalizedMessageStatus = "QUEUED" | "SENT" | "DELIVERED" | "READ" | "FAILED" | "UNKNOWN";

/** Maps TimelinesAI's free-text status onto our message states; unknown values are kept visible as UNKNOWN. */
export function normalizeMessageStatus(status: string | null | undefined): NormalizedMessageStatus {
  switch ((status ?? "").trim().toLowerCase()) {
    case "queued":
    case "pending":
    case "scheduled":
      return "QUEUED";
    case "sent":
      return "SENT";
    case "delivered":
      return "DELIVERED";
    case "read":
    case "played":
      return "READ";
    case "failed":
    case "error":
      return "FAILED";
    default:
      return "UNKNOWN";
  }
}

/** Account status → "can this number send right now"; anything but an explicit active state is not. */
export function isAccountActive(status: string): boolean {
  return ["active", "connected"].includes(status.trim().toLowerCase());
}
