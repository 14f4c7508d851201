import type { z } from "zod";
import type { PgBoss } from "pg-boss";

/**
 * A queue's policy: what pg-boss is told when the queue is created. Names and payload schemas are in
 * jobs/queues.ts; every queue has one definition, collected in jobs/registry.ts, and only
 * `ensureQueues` (jobs/runtime.ts) creates queues.
 */
export interface QueueDefinition {
  name: string;
  /** The seeds' queue name this one implements, for readers cross-checking the spec. */
  seedName?: string;
  policy?: "standard" | "short" | "singleton" | "stately" | "exclusive" | "key_strict_fifo";
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  expireInSeconds?: number;
  /**
   * Running jobs refresh a heartbeat this often (÷2); a job whose process died is failed (and retried)
   * once it misses one, instead of staying active until expireInSeconds. pg-boss minimum 10.
   */
  heartbeatSeconds?: number;
  /** Name of the dead-letter queue; failed-for-good jobs land there with their payload. */
  deadLetter?: string;
  /** How long pg-boss keeps a job of this queue (its default is 14 days). */
  retentionSeconds?: number;
  /**
   * A queue family: one queue per tenant with these settings instead of one queue named `name`
   * (`name` is then the family, used in logs). `ensureQueues` creates the queues of the tenants it is
   * given; the worker works every one of them and picks up new ones (jobs/runtime.ts). ADR 0014.
   */
  perTenant?: {
    queueFor: (tenantId: string) => string;
    tenantOf: (queue: string) => string | undefined;
  };
}

/** A queue and the worker that takes it: payload schema, concurrency, schedule and handler. */
export interface JobDefinition<Schema extends z.ZodType = z.ZodType> extends QueueDefinition {
  payload: Schema;
  /** Parallel handlers per process. */
  localConcurrency?: number;
  /**
   * Jobs fetched at once (default 1). Above 1 the worker fetches again immediately while batches come
   * back full, so a backlog drains at handler speed; each job completes or fails on its own, as soon
   * as it is done (a slow job does not hold the others active: on a key_strict_fifo queue that would
   * stall their keys).
   */
  batchSize?: number;
  /**
   * Fetch again as soon as a fetch found work, instead of after the polling interval (pg-boss bursts
   * only on full batches, which a key_strict_fifo queue rarely returns: one job per free key). An empty
   * fetch still waits the polling interval, so an idle or fully deferred queue costs no more queries.
   */
  fetchAgainWhileBusy?: boolean;
  /** How often an idle handler polls (pg-boss default 2 s, minimum 0.5 s); latency-sensitive queues lower it. */
  pollingIntervalSeconds?: number;
  /**
   * Work that gives way to another queue's backlog: before running what it fetched, the worker waits
   * while `queue` has a job due for longer than `backlogSeconds` (it is behind, not merely busy),
   * looking again every second, for at most `maxWaitSeconds` (keep it well under expireInSeconds).
   * Reply understanding gives way to webhook normalization this way (ADR 0015).
   */
  yieldsTo?: { queue: string; backlogSeconds: number; maxWaitSeconds: number };
  /** Cron (5 fields) with time zone, for scheduled jobs; the payload is sent with each tick. */
  schedule?: { cron: string; tz: string; data: z.input<Schema> };
  /** More than one schedule on the queue (pg-boss keys them), each with its own payload. */
  schedules?: Array<{ key: string; cron: string; tz: string; data: z.input<Schema> }>;
  handler: (data: z.output<Schema>, context: JobContext) => Promise<unknown>;
  /**
   * When set, the worker hands it every fetched batch at once instead of calling `handler` per job
   * (work that is cheaper together: one transaction for many jobs). It answers per job; pg-boss then
   * completes the done ones in one statement and fails the others in one (its perJobResults).
   */
  batchHandler?: (jobs: Array<BatchJob<z.output<Schema>>>, context: BatchContext) => Promise<BatchResult[]>;
}

export interface BatchJob<Data> {
  id: string;
  data: Data;
  retryCount: number;
}

export interface BatchContext {
  boss: PgBoss;
}

/** A job of the batch: done (with what it returned), or failed with this error (retried per the queue's policy). */
export type BatchResult = { id: string; output?: unknown } | { id: string; error: Error };

export interface JobContext {
  jobId: string;
  retryCount: number;
  boss: PgBoss;
  signal: AbortSignal;
}

/** Keeps the payload type attached to the handler while collecting definitions in one array. */
export function defineJob<Schema extends z.ZodType>(definition: JobDefinition<Schema>): JobDefinition<Schema> {
  return definition;
}
