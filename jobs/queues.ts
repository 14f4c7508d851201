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
 * seeds `q:wa:phone_{XX}` and `…:followup`: a queue per tenant (`wa.send.<tenantId>`, the family
 * `wa.send`), singletonKey = phoneId, policy key_strict_fifo, so at most one send per phone is active
 * anywhere. Per tenant because pg-boss's key_strict_fifo fetch reads every queued job of its queue to
 * find each phone's head: one queue for all tenants would cost keys × depth per fetch (ADR 0014).
 * Every job carries its tenantId, so every re-enqueue finds its queue from the payload.
 */
export const WA_SEND_FAMILY = "wa.send";
const WA_SEND_PREFIX = `${WA_SEND_FAMILY}.`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The tenant's WhatsApp send queue. */
export const waSendQueue = (tenantId: string): string => `${WA_SEND_PREFIX}${tenantId}`;
/** The tenant whose WhatsApp send queue this is, or undefined for any other queue. */
export function tenantOfWaSendQueue(queue: string): string | undefined {
  if (!queue.startsWith(WA_SEND_PREFIX)) return undefined;
  const tenantId = queue.slice(WA_SEND_PREFIX.length);
  return UUID.test(tenantId) ? tenantId : undefined;
}
export const isWaSendQueue = (queue: string): boolean => tenantOfWaSendQueue(queue) !== undefined;
/** The name figures are reported under: a tenant's send queue counts as its family (metrics, dead letters). */
export const queueFamilyOf = (queue: string): string => (isWaSendQueue(queue) ? WA_SEND_FAMILY : queue);
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

/**
 * A message a person sends from the lead page (server/leads/send-message.server.ts) goes through the
 * same queue and key (the lead's phone) as the sequence's sends, so it is paced, quota-checked,
 * window-checked and sent exactly once by the same rules. Its text waits in its log row (`messageId`,
 * QUEUED), never in the job: a GDPR erasure has one place less to look.
 */
export const waManualSendPayload = z
  .object({
    tenantId: z.uuid(),
    journeyId: z.uuid(),
    leadId: z.uuid(),
    phoneId: z.uuid(),
    manual: z.object({ messageId: z.uuid() }).strict(),
    attempts: attemptsSchema.default({}),
    deferrals: z.number().int().min(0).default(0),
    /** A follow-up to a contacted lead goes before initial messages waiting on the phone. */
    followUp: z.boolean().default(false),
  })
  .strict();
export type WaManualSendPayload = z.output<typeof waManualSendPayload>;

/**
 * An answer to a lead's reply on the same wa.send queue (the tenant's) (issue 15: "through the per-phone follow-up
 * path"): keyed by the lead's sticky phone, so it is serialised with the phone's other sends and
 * spaced like them; a follow-up (no quota unit, ahead of initial messages waiting on the phone). The
 * text is not in the payload: the send reads the answer row (reply_answers), whose id makes the log
 * row's idempotency key `answer:<id>`.
 */
export const waAnswerPayload = z
  .object({
    kind: z.literal("answer"),
    tenantId: z.uuid(),
    journeyId: z.uuid(),
    leadId: z.uuid(),
    phoneId: z.uuid(),
    answerId: z.uuid(),
    followUp: z.literal(true).default(true),
    attempts: attemptsSchema.default({}),
    deferrals: z.number().int().min(0).default(0),
  })
  .strict();
export type WaAnswerPayload = z.output<typeof waAnswerPayload>;
/** What a wa.send job carries: a sequence step's send, a person's message, or an answer to a reply. */
export const waSendJobPayload = z.union([waSendPayload, waManualSendPayload, waAnswerPayload]);
export type WaSendJobPayload = z.output<typeof waSendJobPayload>;
export const isManualWaSend = (p: WaSendJobPayload): p is WaManualSendPayload => "manual" in p;

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

/** A person's email from the lead page, on q.email.warm (Resend): its text waits in its log row. */
export const emailManualSendPayload = z
  .object({
    tenantId: z.uuid(),
    journeyId: z.uuid(),
    leadId: z.uuid(),
    manual: z.object({ messageId: z.uuid() }).strict(),
    attempts: attemptsSchema.default({}),
  })
  .strict();
export type EmailManualSendPayload = z.output<typeof emailManualSendPayload>;

/** An answer to an email reply, sent as a warm email through Resend (q.email.warm, singletonKey journeyId). */
export const emailAnswerPayload = z
  .object({
    kind: z.literal("answer"),
    tenantId: z.uuid(),
    journeyId: z.uuid(),
    leadId: z.uuid(),
    answerId: z.uuid(),
    attempts: attemptsSchema.default({}),
  })
  .strict();
export type EmailAnswerPayload = z.output<typeof emailAnswerPayload>;
/** A cold email is a sequence step or a person's message; a warm one may also be an answer to a reply. */
export const emailSendJobPayload = z.union([emailSendPayload, emailManualSendPayload]);
export type EmailSendJobPayload = z.output<typeof emailSendJobPayload>;
export const emailWarmJobPayload = z.union([emailSendPayload, emailManualSendPayload, emailAnswerPayload]);
export type EmailWarmJobPayload = z.output<typeof emailWarmJobPayload>;
export const isManualEmailSend = (p: EmailWarmJobPayload): p is EmailManualSendPayload => "manual" in p;

// ─── Webhooks and replies ──────────────────────────────────────────────────────────────────────

/**
 * seeds `webhook:normalize`: one job per group of webhook events stored together (one group commit
 * of the receiver, or the events of one retry), ADR 0017. The three per-provider `webhook:*:ingest`
 * queues of the seeds are the HTTP routes themselves: the route stores and enqueues in one
 * transaction, so a separate ingest hop would add latency and nothing else.
 */
export const WEBHOOK_NORMALIZE_QUEUE = "webhook.normalize";
/** The most events one normalization job names (the receiver's largest group commit). */
export const WEBHOOK_EVENTS_PER_JOB = 100;
export const webhookNormalizePayload = z.union([
  z.object({ tenantId: z.uuid(), eventIds: z.array(z.uuid()).min(1).max(WEBHOOK_EVENTS_PER_JOB) }).strict(),
  // A job of one event, as queued before ADR 0017: still in the queue after an upgrade.
  z
    .object({ tenantId: z.uuid(), eventId: z.uuid() })
    .strict()
    .transform(({ tenantId, eventId }) => ({ tenantId, eventIds: [eventId] })),
]);
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

// ─── Human review (seeds: worker category L) ───────────────────────────────────────────────────

/**
 * seeds `human:review:queue` SLA timers: a delayed job at 75 % of an item's SLA ("almost due") and
 * one at its due time (breach). `dueAt` is the due time the job was made for: an item whose due time
 * moved since (escalated) ignores the old job; its new jobs carry the new time.
 */
export const REVIEW_SLA_QUEUE = "human.review.sla";
export const reviewSlaPayload = z
  .object({
    tenantId: z.uuid(),
    reviewId: z.uuid(),
    check: z.enum(["DUE_SOON", "BREACH"]),
    dueAt: z.iso.datetime(),
  })
  .strict();
export type ReviewSlaPayload = z.output<typeof reviewSlaPayload>;

/** Safety net for the SLA timers (a lost delayed job): cron, every tenant's overdue items marked. */
export const REVIEW_SLA_SWEEP_QUEUE = "human.review.sla.sweep";
export const reviewSlaSweepPayload = z.object({ tenantId: z.uuid().optional() }).strict();

/** Automatic assignment, oldest item first, to available reps under their open-item cap. */
export const REVIEW_ASSIGN_QUEUE = "human.review.assign";
export const reviewAssignPayload = z.object({ tenantId: z.uuid().optional() }).strict();

/** A message for the tenant's Slack-compatible incoming webhook (no-op when none is configured). */
export const SLACK_NOTIFY_QUEUE = "notify.slack";
export const slackNotifyPayload = z
  .object({
    tenantId: z.uuid(),
    /** review.urgent | review.breached | review.escalated | test */
    event: z.string(),
    text: z.string().min(1).max(3000),
  })
  .strict();
export type SlackNotifyPayload = z.output<typeof slackNotifyPayload>;

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

// ─── Leads: bulk operations and CSV imports ────────────────────────────────────────────────────

/**
 * A bulk action on many leads from the leads list (server/leads/bulk/): one job per operation, job id
 * = the bulk_operations row's id, run in one transaction.
 */
export const LEADS_BULK_QUEUE = "leads.bulk";
export const leadsBulkPayload = z.object({ tenantId: z.uuid(), operationId: z.uuid() }).strict();
export type LeadsBulkPayload = z.output<typeof leadsBulkPayload>;

/** A validated CSV import (server/leads/import/): one job per import, job id = its bulk_operations row's id. */
export const LEADS_IMPORT_QUEUE = "leads.import";
export const leadsImportPayload = z.object({ tenantId: z.uuid(), operationId: z.uuid(), importId: z.uuid() }).strict();
export type LeadsImportPayload = z.output<typeof leadsImportPayload>;

// ─── Statistics ────────────────────────────────────────────────────────────────────────────────

/**
 * The daily statistics (outreach_daily_stats and the analytics breakdowns), recomputed from the log
 * (server/stats/recompute.server.ts). Two schedules: nightly at 00:15 Bucharest for yesterday and
 * today, every five minutes for today. A tick (no tenantId) fans out one job per active tenant; an
 * admin's recompute of a range runs the same use case directly (stats.recompute).
 */
export const STATS_RECOMPUTE_QUEUE = "monitor.stats.daily";
export const statsRecomputePayload = z
  .object({
    tenantId: z.uuid().optional(),
    scope: z.enum(["today", "nightly", "range"]),
    /** For scope "range": YYYY-MM-DD in the tenant's zone, inclusive. */
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    /** The tick's instant (ISO), so a retried fan-out yields the same job ids. */
    tick: z.iso.datetime().optional(),
  })
  .strict()
  .refine((p) => p.scope !== "range" || (p.from !== undefined && p.to !== undefined), { message: "a range needs from and to" });
export type StatsRecomputePayload = z.output<typeof statsRecomputePayload>;

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
