/**
 * Applying one internal event to our data, inside the caller's tenant transaction. Shared by the
 * webhook normalization job and the WhatsApp status sync, so a status learnt by polling and the
 * same status learnt by webhook have exactly the same effect (and, being monotonic, no double effect).
 *
 * What each event does (seeds §5.2 for replies):
 * - delivery events (SENT … FAILED): the message's status moves forward only (message-status.ts),
 *   its per-status timestamp is set once; the first open / first click of a message counts on the
 *   journey (open_count, click_count; last_open_at follows every open). Counting messages rather
 *   than raw open events keeps mail-client prefetching (Apple, Gmail proxies) from inflating
 *   engagement. A permanent bounce marks the lead's address BOUNCED so channel choice avoids it.
 * - REPLIED: the lead's reply, recorded by the use case every reply goes through
 *   (server/leads/record-reply.server.ts): logged once, sequences stopped, WARM_REPLY, analysis queued.
 * - COMPLAINED / UNSUBSCRIBED: email opt-out on the journey and the address on the do-not-contact
 *   list, open sequences stopped (server/sequences stopOnOptOut); a complaint also opts out of
 *   WhatsApp (design: complaints stop outreach on every channel).
 */
import type { TenantTx } from "../db/client.server";
import { lockJourney } from "../db/lock-order.server";
import type { TransactionalQueue } from "../db/transactional-queue.server";
import { recordReply } from "../leads/record-reply.server";
import { REPLY_REASON } from "../leads/warm-reply.server";
import { stopOnOptOut } from "../sequences/sequences.server";
import {
  bumpJourney,
  claimInstantlyPlaceholder,
  findJourney,
  findOutboundMessage,
  lockLatestOutbound,
  lockOutboundMessage,
  phoneIdByNumber,
  setMessageStatus,
  type JourneyRef,
  type MessageRow,
} from "./repository.server";
import type { DeliveryEvent, OptOutEvent, ReplyEvent } from "./types";

export interface ApplyContext {
  tenantId: string;
  queue: TransactionalQueue;
}

export type ApplyResult =
  | { outcome: "applied"; detail: string }
  /** Nothing new (a duplicate delivery, a late status): fine, and done. */
  | { outcome: "unchanged"; detail: string }
  /**
   * We cannot tell which message or lead this is. `retryable` when the answer may appear shortly
   * (the send job has not stored the provider's id yet); not when waiting cannot help.
   */
  | { outcome: "unmatched"; retryable: boolean; detail: string };

export type ApplicableEvent = DeliveryEvent | ReplyEvent | OptOutEvent;

export function applyEvent(tx: TenantTx, ctx: ApplyContext, event: ApplicableEvent): Promise<ApplyResult> {
  switch (event.type) {
    case "REPLIED":
      return applyReply(tx, ctx, event);
    case "COMPLAINED":
    case "UNSUBSCRIBED":
      return applyOptOut(tx, ctx, event);
    default:
      return applyDelivery(tx, ctx, event);
  }
}

// ─── Delivery status ─────────────────────────────────────────────────────────────────────────────

/** Events that count on the journey: its lock comes before the message's (lock order). */
const TOUCHES_JOURNEY = new Set<DeliveryEvent["type"]>(["OPENED", "CLICKED"]);

async function applyDelivery(tx: TenantTx, ctx: ApplyContext, event: DeliveryEvent): Promise<ApplyResult> {
  if (TOUCHES_JOURNEY.has(event.type)) {
    const seen = await findOutboundMessage(tx, event.channel, event.message);
    if (seen) await lockJourney(tx, { journeyId: seen.journeyId });
  }
  const message = (await lockOutboundMessage(tx, event.channel, event.message)) ?? (await fallbackMessage(tx, ctx, event));
  if (!message) {
    return { outcome: "unmatched", retryable: true, detail: `no ${event.channel} message ${event.message.externalId ?? event.message.logId ?? "(no id)"} in the log yet` };
  }
  const updated = await setMessageStatus(tx, message, event.type, event.occurredAt, {
    ...(event.type === "BOUNCED" || event.type === "FAILED" ? { errorCode: event.type, errorMessage: event.detail?.reason?.slice(0, 1000) ?? null } : {}),
    // TimelinesAI's echo names the chat: remembering it lets the lead's replies be matched by chat.
    ...(event.channel === "WHATSAPP" && event.lead.whatsappChatId ? { timelinesaiChatId: event.lead.whatsappChatId } : {}),
  });

  if (event.type === "OPENED") {
    await bumpJourney(tx, message.journeyId, { opens: updated.firstOfItsKind ? 1 : 0, openAt: event.occurredAt });
  } else if (event.type === "CLICKED" && updated.firstOfItsKind) {
    await bumpJourney(tx, message.journeyId, { clicks: 1 });
  } else if (event.type === "BOUNCED" && event.detail?.permanent) {
    await tx.goldCompany.update({ where: { id: message.leadId }, data: { emailStatus: "BOUNCED" }, select: { id: true } });
  }
  return updated.changed
    ? { outcome: "applied", detail: `${message.id}: ${message.status} → ${updated.status} (${event.type})` }
    : { outcome: "unchanged", detail: `${message.id}: already ${message.status}, ${event.type} recorded no change` };
}

/**
 * When the event names no message we have: Instantly may be telling us about a step we never logged
 * (each step is sent by Instantly), or an event without its email id.
 */
async function fallbackMessage(tx: TenantTx, ctx: ApplyContext, event: DeliveryEvent): Promise<MessageRow | null> {
  if (event.provider !== "INSTANTLY") return null;
  const journey = await findJourney(tx, event.lead);
  if (!journey) return null;
  const campaignId = event.message.instantlyCampaignId;
  const emailId = event.message.externalId;
  if (event.createIfMissing && campaignId && emailId) {
    return (await claimInstantlyPlaceholder(tx, journey.journeyId, campaignId, emailId)) ?? (await logInstantlyEmail(tx, ctx.tenantId, journey, event, campaignId, emailId));
  }
  if (!emailId) return lockLatestOutbound(tx, journey.journeyId, "EMAIL_COLD", { instantlyCampaignId: campaignId, sequenceStep: event.message.sequenceStep });
  return null;
}

async function logInstantlyEmail(tx: TenantTx, tenantId: string, journey: JourneyRef, event: DeliveryEvent, campaignId: string, emailId: string): Promise<MessageRow | null> {
  // The idempotency key lets two deliveries of the same email_sent race safely: one row.
  await tx.goldCommunicationLog.createMany({
    data: [
      {
        tenantId,
        journeyId: journey.journeyId,
        leadId: journey.leadId,
        channel: "EMAIL_COLD",
        direction: "OUTBOUND",
        status: "QUEUED",
        externalMessageId: emailId,
        instantlyCampaignId: campaignId,
        sequenceStep: event.message.sequenceStep ?? null,
        recipient: event.lead.email ?? null,
        idempotencyKey: `instantly:out:${emailId}`,
        metadata: { loggedFrom: "instantly email_sent webhook" },
      },
    ],
    skipDuplicates: true,
  });
  return lockOutboundMessage(tx, "EMAIL_COLD", { externalId: emailId });
}

// ─── Replies ─────────────────────────────────────────────────────────────────────────────────────

async function applyReply(tx: TenantTx, ctx: ApplyContext, event: ReplyEvent): Promise<ApplyResult> {
  // Found, not locked: the journey is locked before any message (recordReply).
  const answered = event.inReplyTo?.externalId ? await findOutboundMessage(tx, event.channel, event.inReplyTo) : null;
  const journey: JourneyRef | null = answered ? { journeyId: answered.journeyId, leadId: answered.leadId } : await findJourney(tx, event.lead);
  // An unknown contact writing in is not a race that waiting fixes.
  if (!journey) return { outcome: "unmatched", retryable: false, detail: "reply from a contact that is not a lead of this tenant" };

  const text = event.reply.text ?? event.reply.subject ?? "";
  const r = await recordReply(tx, ctx.queue, {
    tenantId: ctx.tenantId,
    journeyId: journey.journeyId,
    channel: event.channel,
    at: event.occurredAt,
    actor: { type: "WEBHOOK", name: event.provider },
    reason: REPLY_REASON,
    answered: answered ? { logId: answered.id } : { instantlyCampaignId: event.inReplyTo?.instantlyCampaignId },
    message: {
      idempotencyKey: `${event.provider.toLowerCase()}:in:${event.reply.externalId}`,
      externalId: event.reply.externalId,
      text,
      subject: event.reply.subject ?? null,
      automatic: event.reply.automatic,
      phoneId: event.channel === "WHATSAPP" ? await phoneIdByNumber(tx, event.reply.ourPhone) : null,
      recipient: event.reply.ourPhone ?? null,
      columns:
        event.channel === "WHATSAPP"
          ? { timelinesaiMessageUid: event.reply.externalId, timelinesaiChatId: event.lead.whatsappChatId ?? null }
          : event.channel === "EMAIL_WARM"
            ? { resendEmailId: event.reply.externalId }
            : { instantlyCampaignId: event.inReplyTo?.instantlyCampaignId ?? null },
      metadata: { provider: event.provider, automatic: event.reply.automatic, source: event.raw },
    },
  });
  switch (r.outcome) {
    case "duplicate":
      return { outcome: "unchanged", detail: `reply ${event.reply.externalId} already logged` };
    case "automatic":
      return { outcome: "applied", detail: `automatic reply ${r.messageId} logged, not treated as a reply` };
    case "recorded":
      return {
        outcome: "applied",
        detail: `reply ${r.messageId} logged; ${r.state.changed ? `${r.state.from} → WARM_REPLY` : `state stays ${r.state.from}`}; ${r.stopped.length} sequence(s) stopped`,
      };
  }
}

// ─── Opt-outs ────────────────────────────────────────────────────────────────────────────────────

async function applyOptOut(tx: TenantTx, ctx: ApplyContext, event: OptOutEvent): Promise<ApplyResult> {
  const message = event.message ? await findOutboundMessage(tx, event.channel, event.message) : null;
  const journey: JourneyRef | null = message ? { journeyId: message.journeyId, leadId: message.leadId } : await findJourney(tx, event.lead);
  if (!journey) return { outcome: "unmatched", retryable: Boolean(event.message?.externalId), detail: `${event.type} for a lead we cannot find` };
  await lockJourney(tx, { journeyId: journey.journeyId });

  const complaint = event.type === "COMPLAINED";
  await stopOnOptOut(tx, journey.journeyId, { channel: event.channel, now: event.occurredAt });
  await tx.goldLeadJourney.update({
    where: { id: journey.journeyId },
    data: { emailOptedOut: true, ...(complaint ? { whatsappOptedOut: true } : {}) },
    select: { id: true },
  });
  const company = await tx.goldCompany.findUnique({ where: { id: journey.leadId }, select: { emailPrincipal: true } });
  const address = (event.lead.email ?? company?.emailPrincipal ?? "").trim().toLowerCase();
  if (address) {
    await tx.doNotContact.createMany({
      data: [
        {
          tenantId: ctx.tenantId,
          type: "EMAIL",
          value: address,
          reason: complaint ? "Plângere de spam raportată de furnizorul de email" : "Dezabonare prin link",
          source: complaint ? "webhook:complaint" : "webhook:unsubscribe",
        },
      ],
      skipDuplicates: true,
    });
  }
  return { outcome: "applied", detail: `${event.type}: lead ${journey.leadId} opted out of email${complaint ? " and WhatsApp" : ""}` };
}
