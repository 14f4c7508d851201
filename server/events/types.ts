/**
 * The internal event: what every provider event (webhook or status poll) becomes before it touches
 * our data. One vocabulary for three providers, so "a message was read" or "a lead replied" is
 * applied by one piece of code whatever channel it came from.
 *
 * The list (SENT … ACCOUNT_STATUS) plus FAILED: TimelinesAI's status history ends in
 * "Failed" for numbers not on WhatsApp and Resend sends `email.failed`; the message status enum
 * already has FAILED as a terminal state, and folding it into BOUNCED would lie about the cause.
 */
import type { Channel, WebhookProvider } from "../generated/prisma/enums";

export type Provider = WebhookProvider;

/** Statuses a provider can report about one of our outbound messages. */
export const DELIVERY_EVENT_TYPES = ["SENT", "DELIVERED", "READ", "OPENED", "CLICKED", "BOUNCED", "FAILED"] as const;
export type DeliveryEventType = (typeof DELIVERY_EVENT_TYPES)[number];

/** How to find one of our outbound messages; any one that matches is enough, tried in this order. */
export interface MessageRef {
  /** Our gold_communication_log id, when the provider echoes it back (Resend tag). */
  logId?: string;
  /** The provider's id: TimelinesAI message_uid, Instantly email_id, Resend email id. */
  externalId?: string;
  /** Instantly only: lets a step-2 email that we never logged be tied to its campaign. */
  instantlyCampaignId?: string;
  sequenceStep?: number;
}

/** How to find the lead when no message names it. */
export interface LeadRef {
  email?: string;
  /** +E.164. */
  phone?: string;
  whatsappChatId?: string;
}

/** Where the event came from, for the log row's metadata and the journey's explanations. */
export type RawRef = { source: "webhook"; webhookEventId: string } | { source: "status-sync"; messageUid: string };

interface Base {
  provider: Provider;
  occurredAt: Date;
  raw: RawRef;
}

export interface DeliveryEvent extends Base {
  type: DeliveryEventType;
  channel: Channel;
  message: MessageRef;
  lead: LeadRef;
  /**
   * Instantly sends each campaign step on its own schedule: its `email_sent` is the first we hear of
   * step 2+, so a SENT that matches no log row creates one instead of waiting for it.
   */
  createIfMissing?: boolean;
  /** Bounce/failure reason, clicked link: kept on the log row. */
  detail?: { reason?: string; link?: string; permanent?: boolean };
}

export interface ReplyEvent extends Base {
  type: "REPLIED";
  channel: Channel;
  lead: LeadRef;
  /** The outbound message answered, if the provider says; else the latest one on the channel. */
  inReplyTo?: MessageRef;
  reply: {
    /** The reply's own provider id: the key that makes a reply count once however often it is delivered. */
    externalId: string;
    text?: string;
    subject?: string;
    /** Out-of-office and similar (Instantly flags them): logged, but neither a reply nor analysed. */
    automatic: boolean;
    /** Our number that received it (WhatsApp), to tie the row to the phone. */
    ourPhone?: string;
  };
}

export interface OptOutEvent extends Base {
  type: "COMPLAINED" | "UNSUBSCRIBED";
  channel: Channel;
  message?: MessageRef;
  lead: LeadRef;
}

export type AccountStatus = "CONNECTED" | "DISCONNECTED" | "SUSPENDED" | "RESUMED";

export interface AccountStatusEvent extends Base {
  type: "ACCOUNT_STATUS";
  /** Our WhatsApp number (+E.164) and its JID. */
  account: { phone: string; jid?: string };
  status: AccountStatus;
}

export type InternalEvent = DeliveryEvent | ReplyEvent | OptOutEvent | AccountStatusEvent;
export type InternalEventType = InternalEvent["type"];

/** A provider event that becomes nothing, and why (stored as the webhook event's error). */
export interface Ignored {
  ignored: true;
  reason: string;
}

export type Normalized = InternalEvent | Ignored;

export const isIgnored = (n: Normalized): n is Ignored => "ignored" in n;
