/**
 * A lead answered (seeds: workers overview §5.2 steps 3–6). One use case for every way a reply reaches
 * us: a provider's webhook or status poll (WhatsApp, cold or warm email) and a rep who logs a reply
 * that came by phone. In the caller's tenant transaction, in the lock order
 * (server/db/lock-order.server.ts), journey first:
 *
 *   1. lock the journey: the reply, a person's change of the lead and a send serialise on it;
 *   2. log the inbound message once (its idempotency key makes a redelivered reply a no-op);
 *      automatic replies (out-of-office) stop here: logged, not a reply; analysed only for a return date;
 *   3. stop the lead's open sequences (every channel: it is the lead who answered);
 *   4. the answered outbound message → REPLIED, the journey's reply count and time;
 *   5. the lead → WARM_REPLY through the state machine, where the table allows it;
 *   6. reply understanding queued in the same transaction, the inbound row's id as the job id.
 */
import { createHash, randomUUID } from "node:crypto";
import { AI_SENTIMENT_QUEUE, type AiSentimentPayload } from "../../jobs/queues";
import { historyActor, type Actor } from "../audit/actor";
import type { TenantTx } from "../db/client.server";
import { lockJourney } from "../db/lock-order.server";
import { prismaExecutor, type TransactionalQueue } from "../db/transactional-queue.server";
import { notFound } from "../errors";
import { bumpJourney, lockLatestOutbound, lockOutboundMessage, setMessageStatus } from "../events/repository.server";
import type { Channel } from "../generated/prisma/enums";
import type { Prisma } from "../generated/prisma/client";
import { stopOnReply, type EnrollmentChange } from "../sequences/sequences.server";
import { moveToWarmReply, type WarmReplyResult } from "./warm-reply.server";

/** The inbound message as the provider delivered it (absent for a reply a person reports). */
export interface InboundMessage {
  /** Makes the reply count once however often it is delivered (`<provider>:in:<id>`). */
  idempotencyKey: string;
  externalId: string | null;
  text: string;
  subject?: string | null;
  /** Out-of-office and the like: logged only. */
  automatic: boolean;
  /** Our WhatsApp number that received it. */
  phoneId?: string | null;
  recipient?: string | null;
  /** Provider-specific columns (timelinesai_chat_id, resend_email_id, instantly_campaign_id …). */
  columns?: Pick<Prisma.GoldCommunicationLogCreateManyInput, "timelinesaiMessageUid" | "timelinesaiChatId" | "resendEmailId" | "instantlyCampaignId">;
  metadata?: Record<string, unknown>;
}

export interface ReplyInput {
  tenantId: string;
  journeyId: string;
  channel: Channel;
  at: Date;
  /** WEBHOOK/<provider> for a provider's report, the rep for a reply logged by hand. */
  actor: Actor;
  /** Shown in the lead's history. */
  reason: string;
  message?: InboundMessage;
  /** A note a person wrote about a reply that has no message (a phone call), logged as its content. */
  note?: string;
  /** The outbound message answered, when the provider names it; else the latest on the channel. */
  answered?: { logId?: string; externalId?: string; instantlyCampaignId?: string };
}

export type ReplyResult =
  | { outcome: "duplicate" }
  | { outcome: "automatic"; messageId: string }
  | {
      outcome: "recorded";
      messageId: string;
      leadId: string;
      state: WarmReplyResult;
      stopped: EnrollmentChange[];
      analysisQueued: boolean;
    };

const ANALYSED_CHANNELS = new Set<Channel>(["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"]);

export async function recordReply(tx: TenantTx, queue: TransactionalQueue | null, input: ReplyInput): Promise<ReplyResult> {
  const journey = await lockJourney(tx, { journeyId: input.journeyId });
  if (!journey) throw notFound("journey", input.journeyId);

  const messageId = randomUUID();
  const text = input.message?.text ?? input.note ?? "";
  const inserted = await tx.goldCommunicationLog.createMany({
    data: [
      {
        ...(input.message?.columns ?? {}),
        id: messageId,
        tenantId: input.tenantId,
        journeyId: journey.id,
        leadId: journey.leadId,
        channel: input.channel,
        direction: "INBOUND",
        // The seeds' convention for inbound rows.
        status: "REPLIED",
        externalMessageId: input.message?.externalId ?? null,
        idempotencyKey: input.message?.idempotencyKey ?? `manual:in:${messageId}`,
        recipient: input.message?.recipient ?? null,
        subject: input.message?.subject?.slice(0, 998) ?? null,
        contentPreview: text.slice(0, 500),
        contentHash: createHash("sha256").update(text).digest("hex"),
        phoneId: input.message?.phoneId ?? null,
        repliedAt: input.at,
        createdAt: input.at,
        metadata: { ...(input.message?.metadata ?? {}), ...(input.message ? {} : { loggedBy: historyActor(input.actor) }) } as Prisma.InputJsonValue,
      },
    ],
    skipDuplicates: true,
  });
  if (inserted.count === 0) return { outcome: "duplicate" };
  if (input.message?.automatic) {
    // Not a reply, but its return date ("înapoi pe 15") still postpones the next step (issue 15):
    // the analysis job reads it and touches nothing else (server/replies/plan.ts).
    await queueAnalysis(tx, queue, input, journey, messageId, text);
    return { outcome: "automatic", messageId };
  }

  const stopped = await stopOnReply(tx, journey.id, input.channel, { now: input.at });

  if (input.channel !== "PHONE" && input.channel !== "MANUAL") {
    const answered =
      (input.answered && (input.answered.logId || input.answered.externalId) ? await lockOutboundMessage(tx, input.channel, input.answered) : null) ??
      (await lockLatestOutbound(tx, journey.id, input.channel, { instantlyCampaignId: input.answered?.instantlyCampaignId }));
    if (answered) await setMessageStatus(tx, answered, "REPLIED", input.at, {});
  }
  await bumpJourney(tx, journey.id, { replies: 1, replyAt: input.at });

  const state = await moveToWarmReply(tx, { journeyId: journey.id, actor: input.actor, reason: input.reason, at: input.at, replyMessageId: messageId });

  const analysisQueued = await queueAnalysis(tx, queue, input, journey, messageId, text);
  return { outcome: "recorded", messageId, leadId: journey.leadId, state, stopped, analysisQueued };
}

async function queueAnalysis(tx: TenantTx, queue: TransactionalQueue | null, input: ReplyInput, journey: { id: string; leadId: string }, messageId: string, text: string): Promise<boolean> {
  if (!queue || !ANALYSED_CHANNELS.has(input.channel) || text.trim().length === 0) return false;
  const analysis: AiSentimentPayload = {
    tenantId: input.tenantId,
    messageId,
    journeyId: journey.id,
    leadId: journey.leadId,
    channel: input.channel as AiSentimentPayload["channel"],
  };
  return queue.send(prismaExecutor(tx), AI_SENTIMENT_QUEUE, analysis, { id: messageId });
}
