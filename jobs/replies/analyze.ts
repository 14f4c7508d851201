/**
 * ai.sentiment.analyze (seeds `ai:sentiment:analyze`): reply understanding. Normalization enqueues one
 * job per inbound reply, in the transaction that logs it, with the log row's id as job id. Retries per
 * seeds §6.1 for LLM calls: 3, exponential.
 */
import type { QueueDefinition } from "../definition";
import { AI_SENTIMENT_QUEUE, OUTREACH_DLQ } from "../queues";

export const aiSentimentQueue: QueueDefinition = {
  name: AI_SENTIMENT_QUEUE,
  seedName: "ai:sentiment:analyze",
  policy: "standard",
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryBackoff: true,
  deadLetter: OUTREACH_DLQ,
};
