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
 *
 * Runs on either kind of tenant transaction (server/db/executor.server.ts): Prisma's for the status
 * sync and the tests, a `pg` client for the normalization job, which applies a batch of events in one
 * transaction. For that, `locate` finds (without a lock) the journey an event will lock, so the batch
 * can lock all of its journeys at once, in id order, before it applies anything; `applyEvent` then
 * takes the located rows instead of looking them up again.
 */
import { query, type Db } from "../db/executor.server";
import { lockJourney } from "../db/lock-order.server";
import type { TransactionalQueue } from "../db/transactional-queue.server";
import { recordReply } from "../leads/record-reply.server";
import { REPLY_REASON } from "../leads/warm-reply.server";
import { stopOnOptOut } from "../sequences/sequences.server";
import {
  bumpJourney,
  claimInstantlyPlaceholder,
  findJourney,
  findJourneys,
  findOutboundMessage,
  findOutboundMessages,
  lockLatestOutbound,
  lockOutboundMessage,
  phoneIdByNumber,
  setMessageStatus,
  type JourneyRef,
  type MessageRow,
  type NamedMessage,
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

/**
 * What an event is about, found without a lock: the outbound message it names and the journey it
 * will lock. `journey` is undefined for events that lock no journey (a delivery status that does not
 * count on it), null when the lead cannot be found.
 */
export interface Located {
  message: MessageRow | null;
  journey: JourneyRef | null | undefined;
}

/** Events that count on the journey: its lock comes before the message's (lock order). */
const TOUCHES_JOURNEY = new Set<DeliveryEvent["type"]>(["OPENED", "CLICKED"]);

/** Events whose lead is looked for when they name no message we know. */
const namesLead = (e: ApplicableEvent): e is ReplyEvent | OptOutEvent => e.type === "REPLIED" || e.type === "COMPLAINED" || e.type === "UNSUBSCRIBED";

/** The message an event names, if it has one to find. */
function namedMessage(event: ApplicableEvent): NamedMessage | null {
  switch (event.type) {
    case "REPLIED":
      return event.inReplyTo?.externalId ? { channel: event.channel, ref: event.inReplyTo } : null;
    case "COMPLAINED":
    case "UNSUBSCRIBED":
      return event.message ? { channel: event.channel, ref: event.message } : null;
    default:
      return { channel: event.channel, ref: event.message };
  }
}

/** What an event is about, from the message it names (if found) or else its lead's journey. */
function locatedFrom(event: ApplicableEvent, message: MessageRow | null, leadJourney: () => JourneyRef | null): Located {
  const viaMessage = message ? { journeyId: message.journeyId, leadId: message.leadId } : undefined;
  if (namesLead(event)) return { message, journey: viaMessage ?? leadJourney() };
  if (!TOUCHES_JOURNEY.has(event.type)) return { message: null, journey: undefined };
  return { message, journey: viaMessage };
}

export async function locate(db: Db, event: ApplicableEvent): Promise<Located> {
  if (!namesLead(event) && !TOUCHES_JOURNEY.has(event.type)) return { message: null, journey: undefined };
  const named = namedMessage(event);
  const message = named ? await findOutboundMessage(db, named.channel, named.ref) : null;
  const journey = !message && namesLead(event) ? await findJourney(db, event.lead) : null;
  return locatedFrom(event, message, () => journey);
}

/**
 * `locate` for a batch: the messages the events name in two statements and the leads of those that
 * name none in at most three, instead of one to three per event. Also returns the ids of every message
 * found (delivery reports included), which the batch locks together once it holds their journeys
 * (`lockOutboundMessages`).
 */
export async function locateAll(db: Db, events: readonly ApplicableEvent[]): Promise<{ located: Located[]; messageIds: string[] }> {
  const named = events.map(namedMessage);
  const message = await findOutboundMessages(db, named.filter((m): m is NamedMessage => m !== null));
  const found = named.map((m) => (m ? message(m) : null));
  const journeyOf = await findJourneys(db, events.flatMap((e, i) => (namesLead(e) && !found[i] ? [e.lead] : [])));
  const located = events.map((event, i) => locatedFrom(event, found[i] ?? null, () => (namesLead(event) ? journeyOf(event.lead) : null)));
  return { located, messageIds: found.flatMap((m) => (m ? [m.id] : [])) };
}

export async function applyEvent(db: Db, ctx: ApplyContext, event: ApplicableEvent, located?: Located): Promise<ApplyResult> {
  const where = located ?? (await locate(db, event));
  switch (event.type) {
    case "REPLIED":
      return applyReply(db, ctx, event, where);
    case "COMPLAINED":
    case "UNSUBSCRIBED":
      return applyOptOut(db, ctx, event, where);
    default:
      return applyDelivery(db, ctx, event, where);
  }
}

// ─── Delivery status ─────────────────────────────────────────────────────────────────────────────

async function applyDelivery(db: Db, ctx: ApplyContext, event: DeliveryEvent, located: Located): Promise<ApplyResult> {
  if (located.journey) await lockJourney(db, { journeyId: located.journey.journeyId });
  const message = (await lockOutboundMessage(db, event.channel, event.message)) ?? (await fallbackMessage(db, ctx, event));
  if (!message) {
    return { outcome: "unmatched", retryable: true, detail: `no ${event.channel} message ${event.message.externalId ?? event.message.logId ?? "(no id)"} in the log yet` };
  }
  const updated = await setMessageStatus(db, message, event.type, event.occurredAt, {
    ...(event.type === "BOUNCED" || event.type === "FAILED" ? { errorCode: event.type, errorMessage: event.detail?.reason?.slice(0, 1000) ?? null } : {}),
    // TimelinesAI's echo names the chat: remembering it lets the lead's replies be matched by chat.
    ...(event.channel === "WHATSAPP" && event.lead.whatsappChatId ? { timelinesaiChatId: event.lead.whatsappChatId } : {}),
  });

  if (event.type === "OPENED") {
    await bumpJourney(db, message.journeyId, { opens: updated.firstOfItsKind ? 1 : 0, openAt: event.occurredAt });
  } else if (event.type === "CLICKED" && updated.firstOfItsKind) {
    await bumpJourney(db, message.journeyId, { clicks: 1 });
  } else if (event.type === "BOUNCED" && event.detail?.permanent) {
    await query(db, `UPDATE gold_companies SET email_status = 'BOUNCED', updated_at = now() WHERE id = $1::uuid`, [message.leadId]);
  }
  return updated.changed
    ? { outcome: "applied", detail: `${message.id}: ${message.status} → ${updated.status} (${event.type})` }
    : { outcome: "unchanged", detail: `${message.id}: already ${message.status}, ${event.type} recorded no change` };
}

/**
 * When the event names no message we have: Instantly may be telling us about a step we never logged
 * (each step is sent by Instantly), or an event without its email id.
 */
async function fallbackMessage(db: Db, ctx: ApplyContext, event: DeliveryEvent): Promise<MessageRow | null> {
  if (event.provider !== "INSTANTLY") return null;
  const journey = await findJourney(db, event.lead);
  if (!journey) return null;
  const campaignId = event.message.instantlyCampaignId;
  const emailId = event.message.externalId;
  if (event.createIfMissing && campaignId && emailId) {
    return (await claimInstantlyPlaceholder(db, journey.journeyId, campaignId, emailId)) ?? (await logInstantlyEmail(db, ctx.tenantId, journey, event, campaignId, emailId));
  }
  if (!emailId) return lockLatestOutbound(db, journey.journeyId, "EMAIL_COLD", { instantlyCampaignId: campaignId, sequenceStep: event.message.sequenceStep });
  return null;
}

async function logInstantlyEmail(db: Db, tenantId: string, journey: JourneyRef, event: DeliveryEvent, campaignId: string, emailId: string): Promise<MessageRow | null> {
  // The idempotency key lets two deliveries of the same email_sent race safely: one row.
  await query(
    db,
    `INSERT INTO gold_communication_log
       (tenant_id, journey_id, lead_id, channel, direction, status, external_message_id, instantly_campaign_id, sequence_step, recipient, idempotency_key, metadata)
     VALUES ($1::uuid, $2::uuid, $3::uuid, 'EMAIL_COLD', 'OUTBOUND', 'QUEUED', $4::text, $5::text, $6::int, $7::text, $8::text, $9::jsonb)
     ON CONFLICT DO NOTHING`,
    [tenantId, journey.journeyId, journey.leadId, emailId, campaignId, event.message.sequenceStep ?? null, event.lead.email ?? null, `instantly:out:${emailId}`, JSON.stringify({ loggedFrom: "instantly email_sent webhook" })],
  );
  return lockOutboundMessage(db, "EMAIL_COLD", { externalId: emailId });
}

// ─── Replies ─────────────────────────────────────────────────────────────────────────────────────

async function applyReply(db: Db, ctx: ApplyContext, event: ReplyEvent, located: Located): Promise<ApplyResult> {
  // Found, not locked: the journey is locked before any message (recordReply).
  const answered = located.message;
  const journey = located.journey;
  // An unknown contact writing in is not a race that waiting fixes.
  if (!journey) return { outcome: "unmatched", retryable: false, detail: "reply from a contact that is not a lead of this tenant" };

  const text = event.reply.text ?? event.reply.subject ?? "";
  const r = await recordReply(db, ctx.queue, {
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
      phoneId: event.channel === "WHATSAPP" ? await phoneIdByNumber(db, event.reply.ourPhone) : null,
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

async function applyOptOut(db: Db, ctx: ApplyContext, event: OptOutEvent, located: Located): Promise<ApplyResult> {
  const journey = located.journey;
  if (!journey) return { outcome: "unmatched", retryable: Boolean(event.message?.externalId), detail: `${event.type} for a lead we cannot find` };
  await lockJourney(db, { journeyId: journey.journeyId });

  const complaint = event.type === "COMPLAINED";
  await stopOnOptOut(db, journey.journeyId, { channel: event.channel, now: event.occurredAt });
  const [company] = await query<{ email_principal: string | null }>(
    db,
    `WITH opted AS (
       UPDATE gold_lead_journey SET email_opted_out = true, whatsapp_opted_out = whatsapp_opted_out OR $2::boolean, updated_at = now()
        WHERE id = $1::uuid)
     SELECT email_principal FROM gold_companies WHERE id = $3::uuid`,
    [journey.journeyId, complaint, journey.leadId],
  );
  const address = (event.lead.email ?? company?.email_principal ?? "").trim().toLowerCase();
  if (address) {
    await query(
      db,
      `INSERT INTO do_not_contact (tenant_id, type, value, reason, source) VALUES ($1::uuid, 'EMAIL', $2::text, $3::text, $4::text) ON CONFLICT DO NOTHING`,
      [
        ctx.tenantId,
        address,
        complaint ? "Plângere de spam raportată de furnizorul de email" : "Dezabonare prin link",
        complaint ? "webhook:complaint" : "webhook:unsubscribe",
      ],
    );
  }
  return { outcome: "applied", detail: `${event.type}: lead ${journey.leadId} opted out of email${complaint ? " and WhatsApp" : ""}` };
}
