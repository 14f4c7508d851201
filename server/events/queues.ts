import { z } from "zod";

/**
 * Names and payloads of the queues the webhook path feeds, in one place for the producers (the
 * webhook routes, the normalization job) and the job definitions in jobs/webhooks/. Names are the
 * seeds' (workers overview §3.2) with ':' mapped to '.', as pg-boss requires (ADR 0005).
 */

/** seeds `webhook:normalize`: one job per stored webhook event. The three per-provider
 * `webhook:*:ingest` queues of the seeds are the HTTP routes themselves: the route stores and
 * enqueues in one transaction, so a separate ingest hop would add latency and nothing else. */
export const WEBHOOK_NORMALIZE_QUEUE = "webhook.normalize";
export const webhookNormalizePayload = z.object({ tenantId: z.uuid(), eventId: z.uuid() }).strict();
export type WebhookNormalizePayload = z.output<typeof webhookNormalizePayload>;

/** seeds `wa:status:sync`: cron, polls TimelinesAI status history (no delivered/read webhooks for ordinary numbers). */
export const WA_STATUS_SYNC_QUEUE = "wa.status.sync";
export const waStatusSyncPayload = z.object({ tenantId: z.uuid().optional() }).strict();

/**
 * seeds `ai:sentiment:analyze`: the reply-understanding queue. Its worker belongs to a later issue;
 * until then jobs wait here. The job id is the inbound message's log id, so a reply is analysed once.
 */
export const AI_SENTIMENT_QUEUE = "ai.sentiment.analyze";
export const aiSentimentPayload = z
  .object({
    tenantId: z.uuid(),
    /** gold_communication_log id of the INBOUND message. */
    messageId: z.uuid(),
    journeyId: z.uuid(),
    leadId: z.uuid(),
    channel: z.enum(["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"]),
  })
  .strict();
export type AiSentimentPayload = z.output<typeof aiSentimentPayload>;

/** seeds §6.2 `dlq:outreach`. */
export const OUTREACH_DLQ = "dlq.outreach";
