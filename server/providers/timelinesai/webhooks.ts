import { z } from "zod";
import { tlChatId, tlTimestamp } from "./schemas";

/**
 * Inbound TimelinesAI webhook payloads (providers.md §1 "Webhooks"). Flat JSON, no `data` wrapper,
 * no signature: the receiving route authenticates by the secret in its own URL. These schemas are what
 * the webhook route validates with; the simulator's tests check every emitted payload against them.
 */

export const TIMELINES_MESSAGE_EVENTS = ["message:new", "message:received:new", "message:sent:new", "message:reaction"] as const;
/** The chat:new family (OpenAPI spec) and the docs overview's spellings are both accepted. */
export const TIMELINES_CHAT_EVENTS = [
  "chat:new",
  "chat:incoming:new",
  "chat:outgoing:new",
  "chat:responsible:assigned",
  "chat:responsible:unassigned",
  "chat:created",
  "chat:received:created",
  "chat:sent:created",
  "chat:assigned",
  "chat:unassigned",
] as const;
export const TIMELINES_ACCOUNT_EVENTS = [
  "whatsapp:account:connected",
  "whatsapp:account:disconnected",
  "whatsapp:account:suspended",
  "whatsapp:account:resumed",
] as const;

const party = z.object({ full_name: z.string().nullish(), phone: z.string().nullish() });

export const timelinesMessageEventSchema = z.object({
  event_type: z.enum(TIMELINES_MESSAGE_EVENTS),
  chat: z.object({
    full_name: z.string().nullish(),
    chat_url: z.string().nullish(),
    chat_id: tlChatId,
    is_group: z.boolean().nullish(),
    phone: z.string().nullish(),
    responsible_name: z.string().nullish(),
    responsible_email: z.string().nullish(),
  }),
  whatsapp_account: z.object({ full_name: z.string().nullish(), email: z.string().nullish(), phone: z.string() }),
  message: z.object({
    text: z.string().nullish(),
    direction: z.enum(["sent", "received"]),
    origin: z.string().nullish(),
    timestamp: tlTimestamp,
    message_uid: z.string().min(1),
    sender: party.nullish(),
    recipient: party.nullish(),
    reply_to_uid: z.string().nullish(),
    attachments: z
      .array(z.object({ temporary_download_url: z.string().nullish(), filename: z.string().nullish(), size: z.number().nullish(), mimetype: z.string().nullish() }))
      .nullish(),
  }),
});

const accountPayload = z.object({
  id: z.string(),
  phone: z.string(),
  connected_on: tlTimestamp.nullish(),
  disconnected_on: tlTimestamp.nullish(),
  status: z.string().nullish(),
  account_name: z.string().nullish(),
  owner_name: z.string().nullish(),
  owner_email: z.string().nullish(),
});

export const timelinesChatEventSchema = z.object({
  event_type: z.enum(TIMELINES_CHAT_EVENTS),
  chat: z.object({
    id: tlChatId,
    name: z.string().nullish(),
    phone: z.string().nullish(),
    jid: z.string().nullish(),
    is_group: z.boolean().nullish(),
    closed: z.boolean().nullish(),
    read: z.boolean().nullish(),
    labels: z.array(z.string()).nullish(),
    whatsapp_account_id: z.string().nullish(),
    chat_url: z.string().nullish(),
    created_timestamp: tlTimestamp.nullish(),
    last_message_uid: z.string().nullish(),
  }),
  whatsapp_account: accountPayload.partial({ id: true }).nullish(),
});

export const timelinesAccountEventSchema = z.object({
  event_type: z.enum(TIMELINES_ACCOUNT_EVENTS),
  whatsapp_account: accountPayload,
});

export const timelinesWebhookEventSchema = z.union([
  timelinesMessageEventSchema,
  timelinesChatEventSchema,
  timelinesAccountEventSchema,
]);
export type TimelinesWebhookEvent = z.output<typeof timelinesWebhookEventSchema>;
export type TimelinesMessageEvent = z.output<typeof timelinesMessageEventSchema>;
