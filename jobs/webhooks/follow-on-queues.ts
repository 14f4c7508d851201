/**
 * Queues the webhook path sends to but does not work: `ai.sentiment.analyze` (reply understanding,
 * seeds §5.2 step 6) has its worker in a later issue. Until that definition joins jobs/registry.ts,
 * nothing creates the queue, and pg-boss refuses to send to a queue that does not exist; so the
 * normalization job creates it on first use, with the seeds' LLM retry policy (§6.1: 3, exponential)
 * and the outreach dead-letter queue. Jobs then wait in it for their worker. Creating an existing
 * queue is a no-op in pg-boss, and a registered definition later updates its options.
 */
import type { PgBoss } from "pg-boss";
import { AI_SENTIMENT_QUEUE, OUTREACH_DLQ } from "../../server/events/queues";

const ensured = new WeakMap<PgBoss, Promise<void>>();

export function ensureFollowOnQueues(boss: PgBoss): Promise<void> {
  let pending = ensured.get(boss);
  if (!pending) {
    pending = (async () => {
      if (!(await boss.getQueue(OUTREACH_DLQ))) await boss.createQueue(OUTREACH_DLQ, { retentionSeconds: 7 * 24 * 3600 });
      if (!(await boss.getQueue(AI_SENTIMENT_QUEUE))) {
        await boss.createQueue(AI_SENTIMENT_QUEUE, { retryLimit: 3, retryDelay: 30, retryBackoff: true, deadLetter: OUTREACH_DLQ });
      }
    })();
    // A failure (database blip) must not be remembered: the next job tries again.
    pending.catch(() => ensured.delete(boss));
    ensured.set(boss, pending);
  }
  return pending;
}
