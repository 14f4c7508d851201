/**
 * Why a person's message to a lead cannot go (server/leads/send-message.server.ts checks them in this
 * order). Isomorphic: the page words each code in Romanian.
 */
import type { OutcomeCode } from "../pipeline/rules/outcome";

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

/**
 * The decision a refused request is recorded as (server/pipeline/rules/outcome.ts), so the lead page
 * words it like the automation's own: the lead must not be contacted, no usable channel, no phone.
 */
export const BLOCK_OUTCOME = {
  LEAD_ERASED: "NO_LONGER_ELIGIBLE",
  LEAD_DEAD: "NO_LONGER_ELIGIBLE",
  NO_PHONE_NUMBER: "SKIPPED_NO_CHANNEL",
  WHATSAPP_OPTED_OUT: "NO_LONGER_ELIGIBLE",
  PHONE_DO_NOT_CONTACT: "NO_LONGER_ELIGIBLE",
  NO_PHONE_AVAILABLE: "NO_PHONE",
  PHONE_NOT_ACTIVE: "REFUSED_PHONE_NOT_ACTIVE",
  NO_EMAIL: "SKIPPED_NO_CHANNEL",
  EMAIL_INVALID: "SKIPPED_NO_CHANNEL",
  EMAIL_OPTED_OUT: "NO_LONGER_ELIGIBLE",
  EMAIL_DO_NOT_CONTACT: "NO_LONGER_ELIGIBLE",
} as const satisfies Record<SendBlock, OutcomeCode>;
