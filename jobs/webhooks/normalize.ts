/**
 * webhook.normalize (seeds `webhook:normalize`): one job per group of stored webhook events, queued
 * by the receiver in the transaction that stored them (one job per group commit, ADR 0017), or by a
 * retry. The processing is server/events/process.server.ts; this file is its wiring and policy.
 *
 * A fetch takes many jobs; each tenant's events among them are applied in transactions of up to
 * EVENTS_PER_TRANSACTION (processWebhookEvents), in the order they were queued. Under a burst this is
 * what lets normalization keep pace with ingestion (README "Webhook throughput").
 *
 * Retries are per event, counted on its row (server/events/retry.ts): an event not matched yet, or one
 * that failed with an error, is tried again by a job of its own after the backoff, and after the last
 * attempt closed as IGNORED (unmatched) or FAILED with a dead letter (seeds §6.2 dlq:outreach). The
 * job's own retries only cover a handler that could not finish at all (the database unreachable);
 * running a job again is safe, because an event already closed is skipped.
 */
import type { PgBoss } from "pg-boss";
import { lifecyclePhoneStatusPort } from "../../server/events/phone-status.server";
import { processWebhookEvents, recordFailedAttempt, type EventResult, type ProcessDeps } from "../../server/events/process.server";
import { OUTREACH_DLQ, WEBHOOK_NORMALIZE_QUEUE, webhookNormalizePayload } from "../queues";
import { pgBossTransactionalQueue } from "../transactional-queue";
import { errorFields, logEvent } from "../../server/observability/logger.server";
import { pgBossPendingSends } from "../../server/phones/pending-sends.server";
import { getQuotaStore } from "../../server/quota/index.server";
import { systemClock } from "../../server/clock";
import { webhookEventsProcessed } from "../../server/webhooks/metrics.server";
import { defineJob, type BatchJob, type BatchResult } from "../definition";
import type { WebhookNormalizePayload } from "../queues";

/**
 * Events applied in one transaction. It holds their journeys' locks until it commits: a hundred kept
 * the journeys' lock waits short in the benchmark while making one commit serve many events.
 */
export const EVENTS_PER_TRANSACTION = 100;

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
  retryLimit: 5,
  retryDelaySeconds: 5,
  retryBackoff: true,
  deadLetter: OUTREACH_DLQ,
  // Each handler applies one transaction at a time on a tenant-bound connection: two keep this
  // process and Postgres busy on two cores; four drained no faster here and cost Postgres 45 % more
  // per event (transactions waiting on each other's journey locks).
  localConcurrency: 2,
  // A job names 1 to 100 events (a group commit holds as many as arrived together); twenty jobs
  // make one to a few transactions' worth. After a full fetch pg-boss fetches again at once (the
  // runtime sets burstWhenBatchFull whenever batchSize > 1).
  batchSize: 20,
  // A reply should reach reply understanding in seconds: a lone event waits at most this long.
  pollingIntervalSeconds: 0.5,
  batchHandler: (jobs, { boss }) => normalizeJobs(processDeps(boss), jobs),
  /** One job alone (the batch handler above is what the worker runs). */
  async handler(data, { jobId, retryCount, boss }) {
    const [answer] = await normalizeJobs(processDeps(boss), [{ id: jobId, data, retryCount }]);
    if (!answer || "error" in answer) throw answer?.error ?? new Error(`no answer for job ${jobId}`);
    return answer.output;
  },
});

/** What a job's events came to, its output in pg-boss. */
interface Tally {
  processed: number;
  ignored: number;
  alreadyDone: number;
  /** Named by the job but not stored for its tenant (never expected: the receiver names what it stored). */
  missing: number;
  retryLater: number;
  failed: number;
}

/** Where an event's outcome is counted in its jobs' tallies. */
const TALLY_OF = { PROCESSED: "processed", IGNORED: "ignored", ALREADY_DONE: "alreadyDone", MISSING: "missing" } as const satisfies Record<string, keyof Tally>;

/**
 * The events the jobs name, per tenant, each once and in the order queued; every job answers for its
 * own events. A job fails (and pg-boss runs it again) only if an event's failed attempt could not be
 * recorded: then nothing has queued that event's next attempt.
 */
export async function normalizeJobs(deps: ProcessDeps, jobs: ReadonlyArray<BatchJob<WebhookNormalizePayload>>): Promise<BatchResult[]> {
  const byTenant = new Map<string, Map<string, string[]>>();
  for (const job of jobs) {
    const events = byTenant.get(job.data.tenantId) ?? new Map<string, string[]>();
    for (const eventId of job.data.eventIds) events.set(eventId, [...(events.get(eventId) ?? []), job.id]);
    byTenant.set(job.data.tenantId, events);
  }
  const tallies = new Map(jobs.map((j) => [j.id, { processed: 0, ignored: 0, alreadyDone: 0, missing: 0, retryLater: 0, failed: 0 } satisfies Tally]));
  const unrecorded = new Map<string, Error>();

  for (const [tenantId, events] of byTenant) {
    const eventIds = [...events.keys()];
    for (let i = 0; i < eventIds.length; i += EVENTS_PER_TRANSACTION) {
      const chunk = eventIds.slice(i, i + EVENTS_PER_TRANSACTION);
      const started = Date.now();
      const results = await processWebhookEvents(deps, tenantId, chunk.map((eventId) => ({ tenantId, eventId })));
      for (const eventId of chunk) {
        const result: EventResult = results.get(eventId) ?? new Error(`no result for webhook event ${eventId}`);
        const jobIds = events.get(eventId)!;
        const count = (key: keyof Tally) => {
          for (const id of jobIds) tallies.get(id)![key]++;
        };
        if (!(result instanceof Error)) {
          if (result.status === "PROCESSED" || result.status === "IGNORED") webhookEventsProcessed.inc({ provider: result.provider, status: result.status });
          count(TALLY_OF[result.status]);
        } else if (result.name === "RetryLaterError") {
          // Counted and queued again in the transaction that found it unmatched.
          count("retryLater");
        } else {
          count("failed");
          logEvent("error", { worker: WEBHOOK_NORMALIZE_QUEUE, tenantId, action: "webhook.event_failed", metadata: { eventId }, error: errorFields(result) });
          await recordFailedAttempt(deps.queue, { tenantId, eventId }, result).catch((recordError: unknown) => {
            logEvent("error", { worker: WEBHOOK_NORMALIZE_QUEUE, tenantId, action: "webhook.record_failure_failed", metadata: { eventId }, error: errorFields(recordError) });
            for (const id of jobIds) unrecorded.set(id, result);
          });
        }
      }
      logEvent("debug", { worker: WEBHOOK_NORMALIZE_QUEUE, tenantId, action: "webhook.normalized", duration: Date.now() - started, metadata: { events: chunk.length } });
    }
  }
  return jobs.map((job) => {
    const error = unrecorded.get(job.id);
    return error ? { id: job.id, error } : { id: job.id, output: tallies.get(job.id)! };
  });
}
