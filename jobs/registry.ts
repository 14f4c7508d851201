import { outreachDeadLetterQueue } from "./dead-letters";
import type { JobDefinition, QueueDefinition } from "./definition";
import { purgeSessionsJob } from "./maintenance/purge-sessions";
import { dispatchJob } from "./pipeline/dispatch";
import { emailColdJob, emailWarmJob } from "./pipeline/email-send";
import { waSendJob } from "./pipeline/wa-send";
import { aiSentimentQueue } from "./replies/analyze";
import { quotaResyncJob } from "./quota/resync";
import { quotaRolloverJob } from "./quota/rollover";
import { webhookNormalizeJob } from "./webhooks/normalize";
import { waStatusSyncJob } from "./webhooks/status-sync";
import { logArchiveJob } from "./maintenance/archive-log";
import { alertNotifyJob } from "./monitoring/alerts";
import { monitorJobs } from "./monitoring/monitors";

/** Every queue the system runs. Adding a queue = adding its definition here. */
export const jobRegistry: JobDefinition[] = [
  purgeSessionsJob,
  quotaRolloverJob,
  quotaResyncJob,
  dispatchJob,
  waSendJob,
  emailColdJob,
  emailWarmJob,
  webhookNormalizeJob,
  waStatusSyncJob,
  // Monitoring and alerts (issue 12): runbook §7 monitors, the alert outbox, §8.1 archive.
  ...monitorJobs,
  alertNotifyJob,
  logArchiveJob,
] as JobDefinition[];

/**
 * Every queue, with or without a worker: what `ensureQueues` creates at start. Reply understanding's
 * queue is filled by normalization; its worker is registered above once it exists.
 */
export const queueRegistry: QueueDefinition[] = [outreachDeadLetterQueue, aiSentimentQueue, ...jobRegistry];

/**
 * Jobs every process enqueues when it starts its workers. A quota resync is cheap and idempotent, and
 * after a Redis restart every phone is refused until it has run (runbook §6.2), so it runs at start.
 */
export const startupJobs: Array<{ name: string; data: object; singletonKey: string }> = [
  { name: quotaResyncJob.name, data: { reason: "startup" }, singletonKey: "startup" },
];
