/**
 * webhook.normalize (seeds `webhook:normalize`): one job per stored webhook event, enqueued by the
 * webhook route in the transaction that stored it, with the event id as job id (a double enqueue is
 * a no-op). The processing is server/events/process.server.ts; this file is its wiring and policy.
 *
 * Jobs are taken a batch at a time: each tenant's events of one fetch are applied in one transaction
 * (processWebhookEvents), and pg-boss completes the batch's jobs in one statement. Under a burst this
 * is what lets normalization keep pace with ingestion (docs/decisions/0007, README "Webhook throughput").
 *
 * Retries: 5, exponential from 5 s (≈ 5, 10, 20, 40, 80 s). They cover database blips and, mostly,
 * the race where a provider reports on a message before the send job stored the provider's id;
 * after the last one an unmatched event is closed as IGNORED with the reason, and an error marks
 * the event FAILED and dead-letters the job (seeds §6.2 dlq:outreach).
 */
import type { PgBoss } from "pg-boss";
import { lifecyclePhoneStatusPort } from "../../server/events/phone-status.server";
import { processWebhookEvent, processWebhookEvents, recordFailedAttempt, type ProcessDeps, type ProcessInput } from "../../server/events/process.server";
import { OUTREACH_DLQ, WEBHOOK_NORMALIZE_QUEUE, webhookNormalizePayload } from "../queues";
import { pgBossTransactionalQueue } from "../transactional-queue";
import { errorFields, logEvent } from "../../server/observability/logger.server";
import { pgBossPendingSends } from "../../server/phones/pending-sends.server";
import { getQuotaStore } from "../../server/quota/index.server";
import { systemClock } from "../../server/clock";
import { webhookEventsProcessed } from "../../server/webhooks/metrics.server";
import { defineJob, type BatchResult } from "../definition";
import type { WebhookNormalizePayload } from "../queues";

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
  // A batch is one transaction on a tenant-bound connection: two at a time keep this process and
  // Postgres busy on two cores; four drained no faster here and cost Postgres 45 % more per event
  // (batches waiting on each other's journey locks).
  localConcurrency: 2,
  batchSize: 100,
  // A reply should reach reply understanding in seconds: a lone event waits at most this long. A
  // backlog does not: after a full batch pg-boss fetches again at once (the runtime sets
  // burstWhenBatchFull whenever batchSize > 1).
  pollingIntervalSeconds: 0.5,
  async batchHandler(jobs, { boss }) {
    const deps = processDeps(boss);
    const byTenant = new Map<string, Array<{ id: string; input: ProcessInput }>>();
    for (const job of jobs) {
      const group = byTenant.get(job.data.tenantId) ?? [];
      group.push({ id: job.id, input: inputOf(job.data, job.retryCount) });
      byTenant.set(job.data.tenantId, group);
    }
    const answers: BatchResult[] = [];
    for (const [tenantId, group] of byTenant) {
      const started = Date.now();
      const results = await processWebhookEvents(deps, tenantId, group.map((g) => g.input));
      for (const { id, input } of group) {
        const result = results.get(input.eventId) ?? new Error(`no result for webhook event ${input.eventId}`);
        if (result instanceof Error) {
          // A retry asked for (RetryLaterError) was counted in the batch; anything else is counted here.
          if (result.name !== "RetryLaterError") await countFailure(input, result, id);
          answers.push({ id, error: result });
          continue;
        }
        if (result.status === "PROCESSED" || result.status === "IGNORED") webhookEventsProcessed.inc({ provider: result.provider, status: result.status });
        answers.push({ id, output: result });
      }
      logEvent("debug", { worker: WEBHOOK_NORMALIZE_QUEUE, tenantId, action: "webhook.normalized", duration: Date.now() - started, metadata: { events: group.length } });
    }
    return answers;
  },
  /** One job alone (the batch handler above is what the worker runs). */
  async handler(data, { jobId, retryCount, boss }) {
    const input = inputOf(data, retryCount);
    try {
      const outcome = await processWebhookEvent(processDeps(boss), input);
      if (outcome.status === "PROCESSED" || outcome.status === "IGNORED") webhookEventsProcessed.inc({ provider: outcome.provider, status: outcome.status });
      return outcome;
    } catch (error) {
      if (!(error instanceof Error && error.name === "RetryLaterError")) await countFailure(input, error, jobId);
      throw error;
    }
  },
});

const inputOf = (data: WebhookNormalizePayload, retryCount: number): ProcessInput => ({ ...data, finalAttempt: retryCount >= NORMALIZE_RETRY_LIMIT });

async function countFailure(input: ProcessInput, error: unknown, jobId: string): Promise<void> {
  await recordFailedAttempt(input, error).catch((recordError: unknown) =>
    logEvent("error", { worker: WEBHOOK_NORMALIZE_QUEUE, jobId, action: "webhook.record_failure_failed", error: errorFields(recordError) }),
  );
}
