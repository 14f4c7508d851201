import type { WorkOptions } from "pg-boss";

/** The worker options the benchmark gives webhook.normalize (with-webhook-jobs.ts explains why). */
export const NORMALIZE_WORK_OPTIONS: WorkOptions = { batchSize: 10, burstWhenBatchFull: true };
