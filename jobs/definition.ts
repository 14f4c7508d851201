import type { z } from "zod";
import type { PgBoss } from "pg-boss";

/**
 * A queue in one place: its name, payload schema, retry policy, dead letter and handler.
 * Queue names follow the seeds' `category:worker` names with ':' mapped to '.', because pg-boss
 * accepts only [A-Za-z0-9_.-/] (docs/decisions/0005-pg-boss.md).
 */
export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  /** The seeds' queue name this one implements, for readers cross-checking the spec. */
  seedName?: string;
  payload: Schema;
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
  /** Cron (5 fields) with time zone, for scheduled jobs; the payload is sent with each tick. */
  schedule?: { cron: string; tz: string; data: z.input<Schema> };
  handler: (data: z.output<Schema>, context: JobContext) => Promise<unknown>;
}

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

export const seedQueueName = (seedName: string) => seedName.replaceAll(":", ".");
