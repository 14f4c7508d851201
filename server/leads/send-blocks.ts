/**
 * Why a person's message to a lead cannot go (server/leads/send-message.server.ts checks them in this
 * order). Isomorphic: the page words each code in Romanian.
 */
export const SEND_BLOCKS = [
  "LEAD_ERASED",
  "LEAD_DEAD",
  "NO_PHONE_NUMBER",
  "WHATSAPP_OPTED_OUT",
  "PHONE_DO_NOT_CONTACT",
  "NO_PHONE_AVAILABLE",
  "PHONE_NOT_ACTIVE",
  "NO_EMAIL",
  "EMAIL_INVALID",
  "EMAIL_OPTED_OUT",
  "EMAIL_DO_NOT_CONTACT",
] as const;
export type SendBlock = (typeof SEND_BLOCKS)[number];
