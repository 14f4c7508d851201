/**
 * Resend `email.*` webhooks → internal events (channel EMAIL_WARM). The message is found by our own
 * log id when the send tagged it (attribution.ts), else by Resend's email id.
 */
import { z } from "zod";
import { resendEmailEventSchema, type ResendEmailEvent } from "../../providers/resend/webhooks";
import { RESEND_TAG_MESSAGE } from "../../webhooks/attribution";
import type { MessageRef, Normalized, RawRef } from "../types";
import { emailAddress, eventTime } from "./values";

const uuid = z.uuid();

export function normalizeResend(payload: unknown, raw: RawRef, receivedAt: Date): Normalized {
  const parsed = resendEmailEventSchema.safeParse(payload);
  if (!parsed.success) return { ignored: true, reason: `not a Resend email event: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  const event = parsed.data;
  const data = event.data;
  const base = { provider: "RESEND" as const, channel: "EMAIL_WARM" as const, raw, occurredAt: eventTime(event.created_at, receivedAt) };
  const message = messageRef(event);
  const lead = { email: emailAddress(data.to[0]) };

  switch (event.type) {
    case "email.sent":
      return { ...base, type: "SENT", message, lead };
    case "email.delivered":
      return { ...base, type: "DELIVERED", message, lead };
    case "email.opened":
      return { ...base, type: "OPENED", message, lead };
    case "email.clicked":
      return { ...base, type: "CLICKED", message, lead, occurredAt: eventTime(data.click?.timestamp, base.occurredAt), detail: { link: data.click?.link } };
    case "email.bounced":
      // SES-style types: only a Permanent bounce says the address is dead.
      return { ...base, type: "BOUNCED", message, lead, detail: { reason: data.bounce?.message, permanent: data.bounce?.type === "Permanent" } };
    case "email.failed":
      return { ...base, type: "FAILED", message, lead, detail: { reason: data.failed?.reason } };
    case "email.suppressed":
      // Resend refused to send to an address on its suppression list: the send failed, nothing bounced.
      return { ...base, type: "FAILED", message, lead, detail: { reason: `suppressed: ${data.suppressed?.message ?? data.suppressed?.type ?? "on Resend's suppression list"}` } };
    case "email.complained":
      return { ...base, type: "COMPLAINED", message, lead };
    case "email.received": {
      // Inbound mail to our Resend domain: the lead wrote to us. Resend's webhook carries no body.
      const from = emailAddress(data.from);
      if (!from) return { ignored: true, reason: "email.received without a sender address" };
      return { ...base, type: "REPLIED", lead: { email: from }, reply: { externalId: data.email_id, subject: data.subject, automatic: false } };
    }
    case "email.scheduled":
    case "email.delivery_delayed":
      return { ignored: true, reason: `${event.type} changes nothing we track` };
  }
}

function messageRef(event: ResendEmailEvent): MessageRef {
  const tagged = event.data.tags?.[RESEND_TAG_MESSAGE];
  return { externalId: event.data.email_id, ...(tagged && uuid.safeParse(tagged).success ? { logId: tagged } : {}) };
}
