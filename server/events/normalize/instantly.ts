/**
 * Instantly webhooks → internal events (channel EMAIL_COLD). Instantly's own lead labels
 * (lead_interested, lead_meeting_booked …) are its AI's opinion; our reply understanding forms its
 * own, so those are stored and ignored.
 */
import { instantlyWebhookEventSchema } from "../../providers/instantly/webhooks";
import type { Normalized, RawRef } from "../types";
import { emailAddress, eventTime } from "./values";

export function normalizeInstantly(payload: unknown, raw: RawRef, receivedAt: Date): Normalized {
  const parsed = instantlyWebhookEventSchema.safeParse(payload);
  if (!parsed.success) return { ignored: true, reason: `not an Instantly event: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  const event = parsed.data;
  const email = emailAddress(event.lead_email);
  const campaignId = event.campaign_id ?? undefined;
  const step = event.step ?? undefined;
  const base = { provider: "INSTANTLY" as const, channel: "EMAIL_COLD" as const, raw, occurredAt: eventTime(event.timestamp, receivedAt) };
  const lead = { email };
  // In reply events email_id is the reply's id; in the others it is the email we sent.
  const message = { externalId: event.email_id ?? undefined, instantlyCampaignId: campaignId, sequenceStep: step };

  const needsLead = (): Normalized | null => (email ? null : { ignored: true, reason: `${event.event_type} without lead_email` });

  switch (event.event_type) {
    case "email_sent":
      return needsLead() ?? { ...base, type: "SENT", message, lead, createIfMissing: true };
    case "email_opened":
      return needsLead() ?? { ...base, type: "OPENED", message, lead };
    case "email_link_clicked":
    case "link_clicked":
      return needsLead() ?? { ...base, type: "CLICKED", message, lead };
    case "email_bounced":
      // Instantly reports hard bounces only (it pauses the lead, status −1).
      return needsLead() ?? { ...base, type: "BOUNCED", message, lead, detail: { permanent: true } };
    case "lead_unsubscribed":
      return needsLead() ?? { ...base, type: "UNSUBSCRIBED", message, lead };
    case "reply_received":
    case "auto_reply_received": {
      const missing = needsLead();
      if (missing) return missing;
      // Without Instantly's id for the reply, the delivery's own id still keeps it from counting twice.
      const externalId = event.email_id ?? `webhook:${raw.source === "webhook" ? raw.webhookEventId : raw.messageUid}`;
      return {
        ...base,
        type: "REPLIED",
        lead,
        inReplyTo: { instantlyCampaignId: campaignId, sequenceStep: step },
        reply: {
          externalId,
          text: event.reply_text ?? event.reply_text_snippet ?? undefined,
          subject: event.reply_subject ?? undefined,
          automatic: event.event_type === "auto_reply_received",
        },
      };
    }
    default:
      return { ignored: true, reason: `Instantly ${event.event_type.slice(0, 60)} is not acted on` };
  }
}
