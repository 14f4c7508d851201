import { outreachDeadLetterQueue } from "./dead-letters";
import type { JobDefinition, QueueDefinition } from "./definition";
import { purgeSessionsJob } from "./maintenance/purge-sessions";
import { leadsBulkJob } from "./leads/bulk";
import { leadsImportJob } from "./leads/import";
import { dispatchJob } from "./pipeline/dispatch";
import { emailColdJob, emailWarmJob } from "./pipeline/email-send";
import { waSendJob } from "./pipeline/wa-send";
import { slackNotifyJob } from "./notifications/slack";
import { aiSentimentJob } from "./replies/analyze";
import { reviewAssignJob } from "./review/assign";
import { reviewSlaJob, reviewSlaSweepJob } from "./review/sla";
import { quotaResyncJob } from "./quota/resync";
import { quotaRolloverJob } from "./quota/rollover";
import { statsRecomputeJob } from "./stats/recompute";
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
  leadsBulkJob,
  leadsImportJob,
  aiSentimentJob,
  reviewSlaJob,
  reviewSlaSweepJob,
  reviewAssignJob,
  slackNotifyJob,
  statsRecomputeJob,
  // Monitoring and alerts (issue 12): runbook §7 monitors, the alert outbox, §8.1 archive.
  ...monitorJobs,
  alertNotifyJob,
  logArchiveJob,
] as JobDefinition[];

/** Every queue, with or without a worker: what `ensureQueues` creates at start. */
export const queueRegistry: QueueDefinition[] = [outreachDeadLetterQueue, ...jobRegistry];

/**
 * Jobs every process enqueues when it starts its workers. A quota resync is cheap and idempotent, and
 * after a Redis restart every phone is refused until it has run (runbook §6.2), so it runs at start.
 */
export const startupJobs: Array<{ name: string; data: object; singletonKey: string }> = [
  { name: quotaResyncJob.name, data: { reason: "startup" }, singletonKey: "startup" },
];
