/**
 * Preloaded (`node --import`) into the benchmark's server:
 *
 * 1. Appends the webhook queues to the registry array server/http/main.ts reads, so they run before
 *    jobs/registry.ts lists them (once it does, nothing is added).
 * 2. Gives webhook.normalize the worker options jobs/runtime.ts cannot pass yet. pg-boss 12 waits
 *    `pollingIntervalSeconds` after every fetch, even one that found work, unless a burst trigger is
 *    set; with the runtime's fixed `batchSize: 1` each handler runs at most one job per interval
 *    (4 handlers at 0.5 s: 8 jobs/s, against bursts of hundreds per second).
 *    `batchSize: 10, burstWhenBatchFull: true` fetches again at once while batches come back full.
 *    This is the runtime change the report proposes; the benchmark prints that it applied it.
 */
import { PgBoss } from "pg-boss";
import { jobRegistry } from "../../jobs/registry";
import type { JobDefinition } from "../../jobs/definition";
import { webhookNormalizeJob } from "../../jobs/webhooks/normalize";
import { waStatusSyncJob } from "../../jobs/webhooks/status-sync";
import { NORMALIZE_WORK_OPTIONS } from "./normalize-work-options";

for (const job of [webhookNormalizeJob, waStatusSyncJob] as JobDefinition[]) {
  if (!jobRegistry.some((registered) => registered.name === job.name)) jobRegistry.push(job);
}


const work = PgBoss.prototype.work as (this: PgBoss, name: string, ...args: unknown[]) => Promise<string>;
PgBoss.prototype.work = function (this: PgBoss, name: string, ...args: unknown[]) {
  if (name === webhookNormalizeJob.name && typeof args[0] === "object" && args[0] !== null) {
    args[0] = { ...args[0], ...NORMALIZE_WORK_OPTIONS };
  }
  return work.call(this, name, ...args);
} as PgBoss["work"];
