/**
 * webhook.normalize (seeds `webhook:normalize`): one job per stored webhook event, enqueued by the
 * webhook route in the transaction that stored it, with the event id as job id (a double enqueue is
 * a no-op). The handler is server/events/process.server.ts; this file is its wiring and policy.
 *
 * Retries: 5, exponential from 5 s (≈ 5, 10, 20, 40, 80 s). They cover database blips and, mostly,
 * the race where a provider reports on a message before the send job stored the provider's id;
 * after the last one an unmatched event is closed as IGNORED with the reason, and an error marks
 * the event FAILED and dead-letters the job (seeds §6.2 dlq:outreach).
 */
import type { PgBoss } from "pg-boss";
import { lifecyclePhoneStatusPort } from "../../server/events/phone-status.server";
import { processWebhookEvent, recordFailedAttempt, type ProcessDeps } from "../../server/events/process.server";
import { OUTREACH_DLQ, WEBHOOK_NORMALIZE_QUEUE, webhookNormalizePayload } from "../queues";
import { pgBossTransactionalQueue } from "../transactional-queue";
import { errorFields, logEvent } from "../../server/observability/logger.server";
import { pgBossPendingSends } from "../../server/phones/pending-sends.server";
import { getQuotaStore } from "../../server/quota/index.server";
import { systemClock } from "../../server/clock";
import { webhookEventsProcessed } from "../../server/webhooks/metrics.server";
import { defineJob } from "../definition";

export const NORMALIZE_RETRY_LIMIT = 5;

function processDeps(boss: PgBoss): ProcessDeps {
  return {
    queue: pgBossTransactionalQueue(boss),
    // Built per job (cheap): the quota store's Redis connection is only opened by an account event.
    phones: lifecyclePhoneStatusPort({ store: getQuotaStore(), pendingSends: pgBossPendingSends(boss), clock: systemClock }),
  };
}

export const webhookNormalizeJob = defineJob({
  name: WEBHOOK_NORMALIZE_QUEUE,
  seedName: "webhook:normalize",
  payload: webhookNormalizePayload,
  policy: "standard",
  retryLimit: NORMALIZE_RETRY_LIMIT,
  retryDelaySeconds: 5,
  retryBackoff: true,
  deadLetter: OUTREACH_DLQ,
  // Each job holds one Prisma pool connection (DATABASE_POOL_SIZE, default 10, shared with tRPC)
  // for its transaction. Processing is CPU-bound in this process beyond ~4 in flight (measured), so
  // more would only take connections from the UI and add lock waits on busy leads.
  localConcurrency: 4,
  batchSize: 10,
  // A reply should reach reply understanding in seconds: a lone event waits at most this long. A
  // backlog does not: after a full batch pg-boss fetches again at once (the runtime sets
  // burstWhenBatchFull whenever batchSize > 1).
  pollingIntervalSeconds: 0.5,
  async handler(data, { jobId, retryCount, boss }) {
    const input = { ...data, finalAttempt: retryCount >= NORMALIZE_RETRY_LIMIT };
    const started = Date.now();
    try {
      const outcome = await processWebhookEvent(processDeps(boss), input);
      if (outcome.status === "PROCESSED" || outcome.status === "IGNORED") webhookEventsProcessed.inc({ provider: outcome.provider, status: outcome.status });
      logEvent("debug", { worker: WEBHOOK_NORMALIZE_QUEUE, jobId, tenantId: data.tenantId, action: "webhook.normalized", duration: Date.now() - started, metadata: { eventId: data.eventId, ...outcome } });
      return outcome;
    } catch (error) {
      await recordFailedAttempt(input, error).catch((recordError: unknown) =>
        logEvent("error", { worker: WEBHOOK_NORMALIZE_QUEUE, jobId, action: "webhook.record_failure_failed", error: errorFields(recordError) }),
      );
      throw error;
    }
  },
});
