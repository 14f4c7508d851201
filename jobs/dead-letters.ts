/**
 * Queues without a worker: dead letters. Jobs that failed for good land here with their payload, and
 * people inspect, retry or discard them (server/pipeline/dead-letters.server.ts, the operations page).
 */
import type { QueueDefinition } from "./definition";
import { DEAD_LETTER_RETENTION_SECONDS, OUTREACH_DLQ } from "./queues";

export const outreachDeadLetterQueue: QueueDefinition = {
  name: OUTREACH_DLQ,
  seedName: "dlq:outreach",
  policy: "standard",
  // Nothing works this queue, so a job here is never retried by pg-boss.
  retryLimit: 0,
  retryDelaySeconds: 0,
  retryBackoff: false,
  retentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
};

export const DEAD_LETTER_QUEUES: readonly QueueDefinition[] = [outreachDeadLetterQueue];
