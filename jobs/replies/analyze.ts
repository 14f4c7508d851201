/**
 * ai.sentiment.analyze (seeds `ai:sentiment:analyze`, worker category J): reply understanding and
 * what follows from it (server/replies/handle-reply.server.ts). Normalization enqueues one job per
 * inbound reply, in the transaction that logs it, with the log row's id as job id; the use case is
 * idempotent on that row (its stored analysis), so a retry never makes a second review item or sends
 * a second answer. Retries per seeds §6.1 for LLM calls: 3, exponential, then the dead-letter queue
 * (the LLM client retries inside an attempt and the engine falls back to the built-in rules, so
 * what reaches the job's retries is the database or a bug).
 */
import { defineJob } from "../definition";
import { AI_SENTIMENT_QUEUE, aiSentimentPayload, OUTREACH_DLQ, WEBHOOK_NORMALIZE_QUEUE } from "../queues";
import { understandAndRoute } from "../../server/replies/handle-reply.server";
import { logEvent } from "../../server/observability/logger.server";
import { replyDeps } from "./deps";

export const aiSentimentJob = defineJob({
  name: AI_SENTIMENT_QUEUE,
  seedName: "ai:sentiment:analyze",
  payload: aiSentimentPayload,
  policy: "standard",
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryBackoff: true,
  // An LLM call (30 s deadline) and one transaction.
  expireInSeconds: 300,
  deadLetter: OUTREACH_DLQ,
  // seeds: ai:sentiment:analyze concurrency 20 (the LLM's pacing is shared through Redis).
  localConcurrency: 4,
  batchSize: 5,
  // A burst of webhooks is normalized first: that is what logs the replies and stops their sequences;
  // understanding them can wait its turn for a minute or two (ADR 0015). 120 s leaves the LLM call
  // and the transaction well inside the 300 s expiry.
  yieldsTo: { queue: WEBHOOK_NORMALIZE_QUEUE, backlogSeconds: 2, maxWaitSeconds: 120 },
  async handler(data, { jobId, boss }) {
    const started = Date.now();
    const result = await understandAndRoute(replyDeps(boss), { tenantId: data.tenantId, messageId: data.messageId, jobId });
    logEvent("info", {
      worker: AI_SENTIMENT_QUEUE,
      jobId,
      leadId: data.leadId,
      channel: data.channel,
      action: `reply.${result.outcome}`,
      duration: Date.now() - started,
      ...(result.outcome === "handled"
        ? { metadata: { intent: result.intent, score: result.score, route: result.route, reviewId: result.reviewId, answerId: result.answerId, answerSent: result.answerSent } }
        : {}),
    });
    return result;
  },
});

/** The queue's definition (kept under its old name for callers that only create queues). */
export const aiSentimentQueue = aiSentimentJob;
