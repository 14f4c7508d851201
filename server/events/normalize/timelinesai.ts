/**
 * TimelinesAI webhooks → internal events (channel WHATSAPP).
 *
 * Messages fire for both directions. `direction: "sent"` (from_me) is our own outbound message coming
 * back, from the API or typed on the phone: it proves the message left (SENT) and is never a reply.
 * `message:new` and `message:received:new` both fire for one incoming message; the reply is keyed by
 * its message_uid downstream, so it counts once.
 */
import {
  TIMELINES_ACCOUNT_EVENTS,
  TIMELINES_MESSAGE_EVENTS,
  timelinesAccountEventSchema,
  timelinesMessageEventSchema,
} from "../../providers/timelinesai/webhooks";
import type { AccountStatus, Normalized, RawRef } from "../types";
import { e164 } from "./values";

const MESSAGE_TYPES: ReadonlySet<string> = new Set(TIMELINES_MESSAGE_EVENTS);
const ACCOUNT_TYPES: ReadonlySet<string> = new Set(TIMELINES_ACCOUNT_EVENTS);

const ACCOUNT_STATUS: Record<(typeof TIMELINES_ACCOUNT_EVENTS)[number], AccountStatus> = {
  "whatsapp:account:connected": "CONNECTED",
  "whatsapp:account:disconnected": "DISCONNECTED",
  "whatsapp:account:suspended": "SUSPENDED",
  "whatsapp:account:resumed": "RESUMED",
};

export function normalizeTimelines(payload: unknown, raw: RawRef, receivedAt: Date): Normalized {
  const type = typeof payload === "object" && payload !== null && "event_type" in payload ? String(payload.event_type) : "";
  if (type === "message:reaction") return { ignored: true, reason: "reactions are not tracked" };
  if (MESSAGE_TYPES.has(type)) return message(payload, raw);
  if (ACCOUNT_TYPES.has(type)) return account(payload, raw, receivedAt);
  if (type.startsWith("chat:")) return { ignored: true, reason: `${type} carries nothing the outreach acts on` };
  return { ignored: true, reason: `TimelinesAI ${type.slice(0, 60) || "event without event_type"} is not acted on` };
}

function message(payload: unknown, raw: RawRef): Normalized {
  const parsed = timelinesMessageEventSchema.safeParse(payload);
  if (!parsed.success) return { ignored: true, reason: `not a TimelinesAI message event: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  const { chat, message: m, whatsapp_account: account } = parsed.data;
  if (chat.is_group) return { ignored: true, reason: "group chats are not part of the outreach" };
  const chatId = String(chat.chat_id);
  const base = { provider: "TIMELINESAI" as const, channel: "WHATSAPP" as const, raw, occurredAt: m.timestamp };

  if (m.direction === "sent") {
    return { ...base, type: "SENT", message: { externalId: m.message_uid }, lead: { phone: e164(m.recipient?.phone ?? chat.phone), whatsappChatId: chatId } };
  }
  return {
    ...base,
    type: "REPLIED",
    lead: { phone: e164(m.sender?.phone ?? chat.phone), whatsappChatId: chatId },
    ...(m.reply_to_uid ? { inReplyTo: { externalId: m.reply_to_uid } } : {}),
    reply: { externalId: m.message_uid, text: m.text ?? undefined, automatic: false, ourPhone: e164(account.phone) },
  };
}

function account(payload: unknown, raw: RawRef, receivedAt: Date): Normalized {
  const parsed = timelinesAccountEventSchema.safeParse(payload);
  if (!parsed.success) return { ignored: true, reason: `not a TimelinesAI account event: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  const { event_type, whatsapp_account: a } = parsed.data;
  const phone = e164(a.phone) ?? e164(a.id);
  if (!phone) return { ignored: true, reason: "account event without a phone number" };
  const status = ACCOUNT_STATUS[event_type];
  const occurredAt = (status === "DISCONNECTED" || status === "SUSPENDED" ? a.disconnected_on : a.connected_on) ?? receivedAt;
  return { type: "ACCOUNT_STATUS", provider: "TIMELINESAI", raw, occurredAt, account: { phone, jid: a.id }, status };
}
