/**
 * Every queue the system has: its name and the zod schema of its payload, in one place. Producers
 * (dispatch, the webhook receiver, normalization, the UI's actions) and the job definitions beside
 * them (jobs/<area>/*.ts, collected in jobs/registry.ts) import from here; nothing else names a queue.
 *
 * Names are the seeds' (workers overview §3) with ':' mapped to '.', because pg-boss accepts only
 * [A-Za-z0-9_.-/] (docs/decisions/0005-pg-boss.md). Plain data and zod: no pg-boss here, so domain
 * code may import it.
 */
import { z } from "zod";

// ─── Pipeline ──────────────────────────────────────────────────────────────────────────────────

/** seeds `outreach:orchestrator:dispatch`: cron every 5 minutes, fanned out per tenant. */
export const DISPATCH_QUEUE = "outreach.orchestrator.dispatch";
export const dispatchPayload = z
  .object({
    /** Absent on the cron tick: the tick fans out one job per active tenant. */
    tenantId: z.uuid().optional(),
    /** ISO start of the 5-minute slot; absent = the slot of "now". */
    slot: z.iso.datetime().optional(),
  })
  .strict();

/** Job-level retries already made, per budget of seeds §6.1 (server/pipeline/rules/failure.ts). */
const attemptsSchema = z.object({ network: z.number().int().min(0), server: z.number().int().min(0), rateLimit: z.number().int().min(0) }).partial();

/**
 * seeds `q:wa:phone_{XX}` and `…:followup`: one queue for every phone, singletonKey = phoneId,
 * policy key_strict_fifo, so at most one send per phone is active anywhere.
 */
export const WA_SEND_QUEUE = "wa.send";
export const waSendPayload = z
  .object({
    tenantId: z.uuid(),
    journeyId: z.uuid(),
    leadId: z.uuid(),
    phoneId: z.uuid(),
    sequenceId: z.uuid(),
    stepNumber: z.number().int().min(1),
    templateId: z.uuid(),
    /** Slot of the dispatch run that queued it (explainability). */
    dispatchSlot: z.string().optional(),
    attempts: attemptsSchema.default({}),
    /** How often the job deferred itself for spacing (diagnostics only). */
    deferrals: z.number().int().min(0).default(0),
    /**
     * A follow-up goes before initial messages waiting on the same phone (server/pipeline/rules/send-order.ts).
     * Part of the payload so every re-enqueue (spacing, retries) keeps it; absent on jobs queued before
     * it existed, which then count as initial messages.
     */
    followUp: z.boolean().default(false),
  })
  .strict();
export type WaSendPayload = z.output<typeof waSendPayload>;

/** seeds `q:email:cold` / `q:email:warm`: one job per lead and step, singletonKey = journeyId. */
export const EMAIL_COLD_QUEUE = "q.email.cold";
export const EMAIL_WARM_QUEUE = "q.email.warm";
export const emailSendPayload = z
  .object({
    tenantId: z.uuid(),
    journeyId: z.uuid(),
    leadId: z.uuid(),
    sequenceId: z.uuid(),
    stepNumber: z.number().int().min(1),
    templateId: z.uuid(),
    dispatchSlot: z.string().optional(),
    attempts: attemptsSchema.default({}),
  })
  .strict();
export type EmailSendPayload = z.output<typeof emailSendPayload>;

// ─── Webhooks and replies ──────────────────────────────────────────────────────────────────────

/**
 * seeds `webhook:normalize`: one job per stored webhook event. The three per-provider
 * `webhook:*:ingest` queues of the seeds are the HTTP routes themselves: the route stores and
 * enqueues in one transaction, so a separate ingest hop would add latency and nothing else.
 */
export const WEBHOOK_NORMALIZE_QUEUE = "webhook.normalize";
export const webhookNormalizePayload = z.object({ tenantId: z.uuid(), eventId: z.uuid() }).strict();
export type WebhookNormalizePayload = z.output<typeof webhookNormalizePayload>;

/** seeds `wa:status:sync`: cron, polls TimelinesAI status history (no delivered/read webhooks for ordinary numbers). */
export const WA_STATUS_SYNC_QUEUE = "wa.status.sync";
export const waStatusSyncPayload = z.object({ tenantId: z.uuid().optional() }).strict();

/**
 * seeds `ai:sentiment:analyze`: reply understanding. The job id is the inbound message's log id, so a
 * reply is analysed once.
 */
export const AI_SENTIMENT_QUEUE = "ai.sentiment.analyze";
export const aiSentimentPayload = z
  .object({
    tenantId: z.uuid(),
    /** gold_communication_log id of the INBOUND message. */
    messageId: z.uuid(),
    journeyId: z.uuid(),
    leadId: z.uuid(),
    channel: z.enum(["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"]),
  })
  .strict();
export type AiSentimentPayload = z.output<typeof aiSentimentPayload>;

// ─── Quota and maintenance ─────────────────────────────────────────────────────────────────────

/** seeds `quota:guardian:reset`: at 00:00 Bucharest, the finished day into wa_quota_usage. */
export const QUOTA_ROLLOVER_QUEUE = "quota.guardian.reset";
export const quotaRolloverPayload = z
  .object({
    tenantId: z.uuid().optional(),
    /** The local date to write; default: yesterday in each tenant's zone. */
    usageDate: z.iso.date().optional(),
  })
  .strict();

/** Rebuild Redis (phone mirrors, today's counters) from the database (runbook §6.2). */
export const QUOTA_RESYNC_QUEUE = "quota.resync";
export const quotaResyncPayload = z
  .object({
    tenantId: z.uuid().optional(),
    /**
     * Why it runs (logs and audit). Without a tenant the run rebuilds every tenant and rewrites the
     * quota store's sentinel (server/quota/heal.server.ts): the proof that Redis holds what the log says.
     */
    reason: z.enum(["startup", "redis-lost", "follow-up", "operator"]).optional(),
  })
  .strict();

/** Hourly removal of expired sessions. */
export const SESSIONS_PURGE_QUEUE = "maintenance.sessions.purge";
export const sessionsPurgePayload = z.object({}).strict();

// ─── Dead letters ──────────────────────────────────────────────────────────────────────────────

/**
 * seeds §6.2 `dlq:outreach`. Two shapes arrive: what our handlers write on purpose (below), and
 * pg-boss's own copies of jobs that failed for good (their payload as it was, source in `sourceName`).
 * No worker takes this queue: people inspect, retry or discard its jobs (server/pipeline/dead-letters.server.ts).
 */
export const OUTREACH_DLQ = "dlq.outreach";
export const deadLetterPayload = z.object({
  queue: z.string(),
  jobId: z.string().optional(),
  code: z.string(),
  reason: z.string(),
  payload: z.record(z.string(), z.unknown()),
});
export type DeadLetterPayload = z.output<typeof deadLetterPayload>;
/** Dead letters are kept this long for people to look at. */
export const DEAD_LETTER_RETENTION_SECONDS = 7 * 24 * 3600;

// ─── Monitoring and alerts (seeds: worker category K, runbook §7; issue 12) ─────────────────────

/** Every monitor's cron tick carries an empty payload; `tenantId` narrows a manual run to one tenant. */
export const monitorPayload = z.object({ tenantId: z.uuid().optional() }).strict();

/** seeds `monitor:phone:health`: TimelinesAI account status → phone status (runbook §2.1–2.2). */
export const MONITOR_PHONE_HEALTH_QUEUE = "monitor.phone.health";
/** seeds `monitor:email:deliverability`: bounce rate per campaign and tenant (runbook §4.1). */
export const MONITOR_DELIVERABILITY_QUEUE = "monitor.email.deliverability";
/** seeds `monitor:quota:usage`: the pool ran out before the afternoon (runbook §3.1). */
export const MONITOR_QUOTA_USAGE_QUEUE = "monitor.quota.usage";
/** Dead letters over the seeds' threshold (workers overview §6.2 alertThreshold 100). */
export const MONITOR_DLQ_QUEUE = "monitor.dlq";
/** Review items past their SLA (runbook §5.1). */
export const MONITOR_REVIEW_SLA_QUEUE = "monitor.review.sla";
/** Redis lost the quota data (sentinel gone): rebuild it from the log (runbook §6.2). */
export const MONITOR_QUOTA_STORE_QUEUE = "monitor.quota.store";
/** seeds `pipeline:outreach:health`: the pipeline's summary per tenant, logged. */
export const PIPELINE_HEALTH_QUEUE = "pipeline.outreach.health";

/** Sends new alerts to Slack / by email (server/alerts/notify.server.ts outbox). */
export const ALERT_NOTIFY_QUEUE = "alert.notify";
export const alertNotifyPayload = z.object({}).strict();

/** Runbook §8.1: communication log rows older than 90 days → the archive table, weekly. */
export const LOG_ARCHIVE_QUEUE = "maintenance.communication-log.archive";
export const logArchivePayload = z.object({ olderThanDays: z.number().int().min(30).max(3650).default(90) }).strict();
