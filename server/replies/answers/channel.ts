/**
 * Where an answer to a reply goes (issue 15), as a pure rule: the channel the lead wrote on.
 *
 * | the reply came on      | the answer goes                                   | blocked when                          |
 * | WHATSAPP               | WhatsApp, from the lead's sticky phone (else the phone that received it) | opted out of WhatsApp, number on do-not-contact, no number, no phone |
 * | EMAIL_COLD, EMAIL_WARM | warm email (Resend), to the lead's address         | opted out of email, address or domain on do-not-contact, no address |
 *
 * The answer never switches channel: a farmer who wrote on WhatsApp is answered there or by a person.
 */
import type { Channel } from "../../generated/prisma/enums";

export type AnswerBlock = "OPTED_OUT" | "DO_NOT_CONTACT" | "NO_PHONE_NUMBER" | "NO_SENDING_PHONE" | "NO_EMAIL_ADDRESS" | "CHANNEL_NOT_ANSWERABLE";

export type AnswerRoute = { ok: true; channel: "WHATSAPP"; phoneId: string } | { ok: true; channel: "EMAIL_WARM" } | { ok: false; block: AnswerBlock };

export interface AnswerRouteFacts {
  replyChannel: Channel;
  /** The lead's sticky phone (gold_lead_journey.assigned_phone_id). */
  assignedPhoneId: string | null;
  /** The phone that received the reply (its log row's phone_id). */
  replyPhoneId: string | null;
  leadPhone: string | null;
  leadEmail: string | null;
  whatsappOptedOut: boolean;
  emailOptedOut: boolean;
  phoneOnDoNotContact: boolean;
  emailOnDoNotContact: boolean;
}

export function answerRoute(f: AnswerRouteFacts): AnswerRoute {
  if (f.replyChannel === "WHATSAPP") {
    if (f.whatsappOptedOut) return { ok: false, block: "OPTED_OUT" };
    if (f.phoneOnDoNotContact) return { ok: false, block: "DO_NOT_CONTACT" };
    if (!f.leadPhone) return { ok: false, block: "NO_PHONE_NUMBER" };
    const phoneId = f.assignedPhoneId ?? f.replyPhoneId;
    return phoneId ? { ok: true, channel: "WHATSAPP", phoneId } : { ok: false, block: "NO_SENDING_PHONE" };
  }
  if (f.replyChannel === "EMAIL_COLD" || f.replyChannel === "EMAIL_WARM") {
    if (f.emailOptedOut) return { ok: false, block: "OPTED_OUT" };
    if (f.emailOnDoNotContact) return { ok: false, block: "DO_NOT_CONTACT" };
    return f.leadEmail ? { ok: true, channel: "EMAIL_WARM" } : { ok: false, block: "NO_EMAIL_ADDRESS" };
  }
  return { ok: false, block: "CHANNEL_NOT_ANSWERABLE" };
}
