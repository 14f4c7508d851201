/**
 * Dispatch (seeds: orchestration §2, workers overview §5.1 steps 1–3): one run per tenant and
 * 5-minute slot. In ONE transaction, bound to the tenant (row-level security):
 *
 *  1. claim the run: INSERT dispatch_runs (tenant, slot) — UNIQUE, so a second scheduler, a retried
 *     job or a manual re-run of the same slot finds it taken and does nothing;
 *  2. lock the oldest due eligible journeys (batch size from the tenant, FOR UPDATE SKIP LOCKED so a
 *     concurrent run of another slot never waits for or double-takes a journey);
 *  3. per journey: eligibility → sequence step → channel → phone, and a send job;
 *  4. write every journey's decision (last_dispatch_outcome) and lease (next_action_at), and the run
 *     summary.
 *
 * The send jobs are inserted through pg-boss on the same transaction, so jobs, journey updates and
 * the run row commit together or not at all. A journey handed to a send job gets next_action_at =
 * now + lease: if the job is lost (dead-lettered, cancelled with its banned phone), the lead becomes
 * due again and is re-dispatched; the send's idempotency key makes a late duplicate harmless.
 */
import type { PgBoss } from "pg-boss";
import { prismaExecutor, type TransactionalQueue } from "../../db/transactional-queue.server";
import type { Prisma } from "../../generated/prisma/client";
import { withTenant, type TenantTx } from "../../db/client.server";
import { logEvent } from "../../observability/logger.server";
import type { QuotaGuardian } from "../../quota/guardian.server";
import { quotaSettingsFromTenant } from "../../quota/settings";
import { calendarFor } from "../../quota/window";
import type { Clock } from "../../clock";
import { domainOf, phoneKey } from "../../dnc/keys";
import { storedForms } from "../../dnc/keys.server";
import { allocatePhones, type Allocation, type AllocationRequest, type PhoneSnapshot } from "../rules/allocation";
import { channelForStep, selectChannel, type ChannelSelection, type StepSend } from "../rules/channel";
import { evaluateEligibility } from "../rules/eligibility";
import { isFollowUp } from "../rules/send-order";
import { queuedSendsPerPhone } from "../send/send-queue.server";
import { deterministicUuid, dispatchSlot, DISPATCH_SLOT_MS } from "../rules/ids.server";
import { countOutcome, emptySummary, type DispatchOutcome, type DispatchSummary, type OutcomeCode } from "../rules/outcome";
import type { NextSteps, SequencePort, SequenceStepRef } from "../ports";
import { EMAIL_COLD_QUEUE, EMAIL_WARM_QUEUE, WA_SEND_FAMILY, waSendQueue, type EmailSendPayload, type WaSendPayload } from "../../../jobs/queues";
import type { ChannelName, CurrentState, DncMatch, JourneyFacts, LeadContact, SendChannel } from "../rules/types";

export interface DispatchOptions {
  /** How long a dispatched journey is not due again (the send job's window to run). */
  leaseMs: number;
  /** New leads a phone's queue may hold; beyond it the lead waits for a later run. */
  maxPendingPerPhone: number;
  /** Park time for a contacted lead whose phone is not ACTIVE (re-evaluated after it). */
  stickyWaitMs: number;
  /** Park time for a COLD lead that cannot be sent anything (no channel, no sequence step). */
  parkMs: number;
  /** Channels whose send workers run in this deployment; others are reported, not queued. */
  channels: ReadonlySet<SendChannel>;
}

export const DEFAULT_DISPATCH_OPTIONS: DispatchOptions = Object.freeze({
  leaseMs: 2 * 3600_000,
  maxPendingPerPhone: 20,
  stickyWaitMs: 3600_000,
  parkMs: 24 * 3600_000,
  channels: new Set<SendChannel>(["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"]),
});

export interface DispatchDeps {
  guardian: QuotaGuardian;
  /** Enqueues the send jobs in the run's transaction. */
  queue: TransactionalQueue;
  /** Reads how many sends wait per phone (pg-boss's job table). */
  boss: Pick<PgBoss, "getDb">;
  sequences: SequencePort;
  clock: Clock;
  options?: Partial<DispatchOptions>;
}

export type DispatchRunResult = { status: "DONE"; runId: string; slot: string; summary: DispatchSummary } | { status: "ALREADY_RAN"; slot: string };

interface Row {
  id: string;
  lead_id: string;
  current_state: CurrentState;
  next_action_at: Date | null;
  requires_human_review: boolean;
  sequence_paused: boolean;
  is_human_controlled: boolean;
  whatsapp_opted_out: boolean;
  email_opted_out: boolean;
  assigned_phone_id: string | null;
  last_channel_used: ChannelName | null;
  preferred_channel: ChannelName | null;
  is_new_contact: boolean;
  telefon_principal: string | null;
  hlr_reachable: boolean | null;
  email_principal: string | null;
  email_status: LeadContact["emailStatus"];
}

interface Decision {
  journey: JourneyFacts;
  outcome: DispatchOutcome;
  /** next_action_at to write; undefined = leave as it is. */
  nextActionAt?: Date | null;
  nextActionReason?: string;
  assignPhoneId?: string;
  step?: SequenceStepRef;
  channel?: ChannelSelection;
  /** Channel and template the step goes out with: its own, or its fallback template on the other channel. */
  send?: Extract<StepSend, { kind: "SEND" }>;
  /** Eligible with a step and a channel: a job is still to be decided. */
  pending?: boolean;
}

export async function runDispatch(deps: DispatchDeps, input: { tenantId: string; slot?: Date; jobId?: string }): Promise<DispatchRunResult> {
  const options = { ...DEFAULT_DISPATCH_OPTIONS, ...deps.options };
  const started = Date.now();
  const now = deps.clock();
  const slot = dispatchSlot(input.slot ?? now);
  const slotIso = slot.toISOString();

  return withTenant(
    input.tenantId,
    async (tx) => {
      const claimed = await tx.$queryRaw<Array<{ id: string }>>`
        INSERT INTO dispatch_runs (tenant_id, slot_start, job_id) VALUES (${input.tenantId}::uuid, ${slot}, ${input.jobId ?? null})
        ON CONFLICT (tenant_id, slot_start) DO NOTHING RETURNING id`;
      const runId = claimed[0]?.id;
      if (!runId) return { status: "ALREADY_RAN" as const, slot: slotIso };

      const tenant = await tx.tenant.findUniqueOrThrow({
        where: { id: input.tenantId },
        select: { timezone: true, sendingDays: true, sendingStartHour: true, sendingEndHour: true, waDailyQuota: true, settings: true, dispatchBatchSize: true },
      });
      const settings = quotaSettingsFromTenant(tenant);
      const calendar = calendarFor(settings.window);
      const window = calendar.state(now);
      const summary = emptySummary();
      summary.nextDispatchAt = new Date(slot.getTime() + DISPATCH_SLOT_MS).toISOString();

      if (!window.open) {
        // Nothing may go out now: no lead is touched (they stay due), the run says why and when.
        summary.nextDispatchAt = window.nextOpening.toISOString();
        await finishRun(tx, runId, summary, started, "WINDOW_CLOSED");
        return { status: "DONE" as const, runId, slot: slotIso, summary };
      }

      const rows = await selectDueJourneys(tx, input.tenantId, now, tenant.dispatchBatchSize);
      const dnc = await doNotContactMatches(tx, input.tenantId, rows);
      const decisions: Decision[] = [];
      const base = (result: OutcomeCode, summaryText: string): DispatchOutcome => ({ v: 1, stage: "dispatch", at: now.toISOString(), runSlot: slotIso, result, summary: summaryText });
      const park = (j: JourneyFacts) => (j.state === "COLD" ? new Date(now.getTime() + options.parkMs) : null);

      // Pass 1: eligibility and "is any channel usable at all", per lead.
      const candidates: Array<{ journey: JourneyFacts; contact: LeadContact; match: DncMatch }> = [];
      for (const row of rows) {
        const journey = toFacts(row);
        const match = dnc.get(row.id) ?? { phone: false, email: false, domain: false };
        const eligibility = evaluateEligibility(journey, match, now);
        if (!eligibility.eligible) {
          const code: OutcomeCode = eligibility.reasons.includes("REQUIRES_HUMAN_REVIEW") ? "SKIPPED_HUMAN_REVIEW" : "INELIGIBLE";
          decisions.push({ journey, outcome: { ...base(code, `not eligible: ${eligibility.reasons.join(", ")}`), eligible: false, ineligibleReasons: eligibility.reasons } });
          continue;
        }
        summary.totalEligibleLeads += 1;
        // No usable channel at all: say so before the sequences domain enrolls a lead nobody can reach.
        const contact = toContact(row);
        const any = selectChannel({ journey, contact, dnc: match });
        if (!any.selected) {
          const channelInfo = { selected: null, fallback: null, scores: any.reasoning.preferenceScore, reasons: any.reasons };
          decisions.push({ journey, channel: any, outcome: { ...base("SKIPPED_NO_CHANNEL", "no usable channel"), eligible: true, channel: channelInfo }, nextActionAt: park(journey), nextActionReason: "no usable channel" });
          continue;
        }
        candidates.push({ journey, contact, match });
      }

      // Pass 2: the sequence step of every candidate in one call, then the step's channel.
      const { steps, enrolled } = await deps.sequences.nextStepsFor(tx, { tenantId: input.tenantId, journeys: candidates.map((c) => ({ journeyId: c.journey.journeyId, leadId: c.journey.leadId, state: c.journey.state })), now });
      for (const { journey, contact, match } of candidates) {
        const step = steps.get(journey.journeyId) ?? null;
        if (!step) {
          decisions.push({ journey, outcome: { ...base("NO_SEQUENCE_STEP", "no sequence step left to send"), eligible: true, sequence: null }, nextActionAt: park(journey), nextActionReason: "no sequence step to send" });
          continue;
        }
        const channel = selectChannel({ journey, contact, dnc: match, requested: step.channel });
        const channelInfo = { selected: channel.selected, fallback: channel.fallback, scores: channel.reasoning.preferenceScore, reasons: channel.reasons };
        const sequence = { sequenceId: step.sequenceId, stepNumber: step.stepNumber };
        if (!channel.selected) {
          decisions.push({ journey, step, channel, outcome: { ...base("SKIPPED_NO_CHANNEL", "no usable channel"), eligible: true, channel: channelInfo, sequence }, nextActionAt: park(journey), nextActionReason: "no usable channel" });
          continue;
        }
        // A step's template is written for its channel (WhatsApp text vs email subject + body): crossing
        // between WhatsApp and email takes the step's fallback template, or the step waits.
        const send = channelForStep(channel, step);
        channelInfo.reasons = [...channelInfo.reasons, ...send.reasons];
        if (send.kind === "UNUSABLE") {
          decisions.push({ journey, step, channel, outcome: { ...base("SKIPPED_NO_CHANNEL", send.why), eligible: true, channel: channelInfo, sequence }, nextActionAt: park(journey), nextActionReason: send.why });
          continue;
        }
        decisions.push({
          journey,
          step,
          channel,
          send,
          pending: true,
          outcome: {
            ...base("DISPATCHED_WHATSAPP", ""),
            eligible: true,
            channel: channelInfo,
            sequence,
            window: { open: true },
            ...(send.fallback ? { template: { templateId: send.templateId, templateVersionId: null } } : {}),
          },
        });
      }

      // Phones for the WhatsApp leads, all at once so a batch spreads evenly.
      const waDecisions = decisions.filter((d) => d.send?.channel === "WHATSAPP");
      const allocations = waDecisions.length > 0 ? await allocateForBatch(tx, deps, input.tenantId, settings, waDecisions, options) : new Map<string, Allocation>();
      const nextDay = calendar.nextDayOpening(now);

      const waJobs: Array<{ id: string; data: WaSendPayload; singletonKey: string }> = [];
      const emailJobs: Array<{ queue: string; id: string; data: EmailSendPayload }> = [];
      for (const d of decisions) {
        if (!d.pending || !d.step || !d.send) continue;
        const selected = d.send.channel;
        const j = d.journey;
        const fallbackNote = d.send.fallback ? ` (fallback: ${d.send.why})` : "";
        if (selected === "WHATSAPP") {
          const a = allocations.get(j.journeyId)!;
          d.outcome.phone = { phoneId: a.kind === "NONE" ? (a.phoneId ?? null) : a.phoneId, kind: a.kind, reason: a.reason, ...(a.kind === "NONE" ? { code: a.code } : {}) };
          if (a.kind === "NONE") {
            if (a.code === "STICKY_PHONE_NOT_ACTIVE") {
              Object.assign(d, { nextActionAt: new Date(now.getTime() + options.stickyWaitMs), nextActionReason: "waiting for the lead's phone to be ACTIVE" });
              d.outcome = { ...d.outcome, result: "WAITING_FOR_STICKY_PHONE", summary: a.reason };
            } else if (a.code === "ALL_PHONES_FULL") {
              Object.assign(d, { nextActionAt: nextDay, nextActionReason: "new-contact quota of every phone used today" });
              d.outcome = { ...d.outcome, result: "SKIPPED_QUOTA_EXCEEDED", summary: a.reason, quota: { allowed: false, reason: "QUOTA_EXHAUSTED", retryAt: nextDay.toISOString() } };
            } else {
              // No phone at all, or every queue is full: retried by the next run (stays due).
              d.outcome = { ...d.outcome, result: "NO_PHONE", summary: a.reason };
            }
            continue;
          }
          const id = deterministicUuid(`${WA_SEND_FAMILY}:${j.journeyId}:${d.step.stepNumber}:${slotIso}`);
          waJobs.push({
            id,
            singletonKey: a.phoneId,
            data: {
              tenantId: input.tenantId,
              journeyId: j.journeyId,
              leadId: j.leadId,
              phoneId: a.phoneId,
              sequenceId: d.step.sequenceId,
              stepNumber: d.step.stepNumber,
              templateId: d.send.templateId,
              dispatchSlot: slotIso,
              attempts: {},
              deferrals: 0,
              followUp: isFollowUp(j, d.step),
            },
          });
          if (a.kind === "NEW") d.assignPhoneId = a.phoneId;
          Object.assign(d, { nextActionAt: new Date(now.getTime() + options.leaseMs), nextActionReason: `WhatsApp send queued on phone ${a.phoneId}` });
          d.outcome = { ...d.outcome, summary: `WhatsApp via ${a.kind === "STICKY" ? "the lead's phone" : "the phone with most quota left"}${fallbackNote}`, job: { queue: waSendQueue(input.tenantId), jobId: id } };
          summary.jobsCreated.push({ jobId: id, leadId: j.leadId, channel: "WHATSAPP", queue: waSendQueue(input.tenantId), phoneId: a.phoneId });
          continue;
        }
        if (!options.channels.has(selected)) {
          d.outcome = { ...d.outcome, result: "CHANNEL_NOT_RUNNING", summary: `${selected} sending is not enabled in this deployment` };
          continue;
        }
        const queue = selected === "EMAIL_COLD" ? EMAIL_COLD_QUEUE : EMAIL_WARM_QUEUE;
        const id = deterministicUuid(`${queue}:${j.journeyId}:${d.step.stepNumber}:${slotIso}`);
        emailJobs.push({ queue, id, data: { tenantId: input.tenantId, journeyId: j.journeyId, leadId: j.leadId, sequenceId: d.step.sequenceId, stepNumber: d.step.stepNumber, templateId: d.send.templateId, dispatchSlot: slotIso, attempts: {} } });
        Object.assign(d, { nextActionAt: new Date(now.getTime() + options.leaseMs), nextActionReason: `${selected} send queued` });
        d.outcome = { ...d.outcome, result: "DISPATCHED_EMAIL", summary: `${selected}${fallbackNote}`, job: { queue, jobId: id } };
        summary.jobsCreated.push({ jobId: id, leadId: j.leadId, channel: selected, queue });
      }

      const db = prismaExecutor(tx);
      // Follow-ups first is not an insertion order: every job of this insert gets the same created_on
      // (pg-boss stamps job_now(), the transaction's start), so a phone's jobs tie and run in job-id
      // order. The payload's followUp flag carries it to wa.send, which makes a waiting initial
      // message give way (jobs/pipeline/wa-send.ts).
      if (waJobs.length > 0) await deps.queue.sendMany(db, waSendQueue(input.tenantId), waJobs);
      for (const queue of [EMAIL_COLD_QUEUE, EMAIL_WARM_QUEUE]) {
        const jobs = emailJobs.filter((e) => e.queue === queue);
        if (jobs.length > 0) await deps.queue.sendMany(db, queue, jobs.map(({ id, data }) => ({ id, data, singletonKey: data.journeyId })));
      }

      for (const d of decisions) {
        countOutcome(summary, d.outcome.result);
        if (d.nextActionAt !== undefined) d.outcome.nextActionAt = d.nextActionAt ? d.nextActionAt.toISOString() : null;
      }
      await writeDecisions(tx, decisions, enrolled, now);
      await finishRun(tx, runId, summary, started);
      logEvent("info", {
        worker: "outreach.orchestrator.dispatch",
        jobId: input.jobId ?? "manual",
        action: "dispatch.done",
        metadata: { tenantId: input.tenantId, slot: slotIso, total: rows.length, eligible: summary.totalEligibleLeads, whatsapp: summary.dispatchedToWhatsApp, email: summary.dispatchedToEmail, outcomes: summary.outcomes },
      });
      return { status: "DONE" as const, runId, slot: slotIso, summary };
    },
    { timeoutMs: 60_000 },
  );
}

function toFacts(r: Row): JourneyFacts {
  return {
    journeyId: r.id,
    leadId: r.lead_id,
    state: r.current_state,
    nextActionAt: r.next_action_at,
    requiresHumanReview: r.requires_human_review,
    sequencePaused: r.sequence_paused,
    isHumanControlled: r.is_human_controlled,
    whatsappOptedOut: r.whatsapp_opted_out,
    emailOptedOut: r.email_opted_out,
    assignedPhoneId: r.assigned_phone_id,
    lastChannelUsed: r.last_channel_used,
    preferredChannel: r.preferred_channel,
    isNewContact: r.is_new_contact,
  };
}

function toContact(r: Row): LeadContact {
  return { phone: r.telefon_principal, hlrReachable: r.hlr_reachable, email: r.email_principal, emailStatus: r.email_status };
}

/**
 * The seeds' filter in SQL (the pure rules run again on the rows, as a guard and for the reasons).
 * Oldest due first; COLD leads never scheduled (NULL) after every dated one. Ordering by
 * next_action_at alone lets the scan stop at the batch size on (tenant_id, next_action_at, id); a
 * tie-breaker (created_at, id) made Postgres sort every lead sharing a due time — with a whole import
 * due at once that was 4.8 s per run at 1M leads instead of ~2 ms. Ties go in index order.
 */
async function selectDueJourneys(tx: TenantTx, tenantId: string, now: Date, limit: number): Promise<Row[]> {
  return tx.$queryRaw<Row[]>`
    SELECT j.id, j.lead_id, j.current_state, j.next_action_at, j.requires_human_review, j.sequence_paused,
           j.is_human_controlled, j.whatsapp_opted_out, j.email_opted_out, j.assigned_phone_id,
           j.last_channel_used, j.preferred_channel, j.is_new_contact,
           c.telefon_principal, c.hlr_reachable, c.email_principal, c.email_status
      FROM gold_lead_journey j
      JOIN gold_companies c ON c.tenant_id = j.tenant_id AND c.id = j.lead_id
     WHERE j.tenant_id = ${tenantId}::uuid
       AND j.current_state IN ('COLD', 'CONTACTED_WA', 'CONTACTED_EMAIL')
       AND (j.next_action_at <= ${now} OR (j.next_action_at IS NULL AND j.current_state = 'COLD'))
       AND NOT j.requires_human_review
       AND NOT j.sequence_paused
       AND NOT j.is_human_controlled
       AND NOT (j.whatsapp_opted_out AND j.email_opted_out)
     ORDER BY j.next_action_at ASC NULLS LAST
     LIMIT ${limit}
       FOR UPDATE OF j SKIP LOCKED`;
}

/**
 * Do-not-contact hits for the batch in one query: phone, address, domain, by their list keys
 * (server/dnc/keys.ts), each also in the hashed form kept after a GDPR erasure.
 */
async function doNotContactMatches(tx: TenantTx, tenantId: string, rows: readonly Row[]): Promise<Map<string, DncMatch>> {
  const phones = new Map<string, string>();
  const emails = new Map<string, string>();
  for (const r of rows) {
    const phone = r.telefon_principal ? phoneKey(r.telefon_principal) : null;
    if (phone) phones.set(r.id, phone);
    if (r.email_principal) emails.set(r.id, r.email_principal.trim().toLowerCase());
  }
  const result = new Map<string, DncMatch>();
  if (phones.size === 0 && emails.size === 0) return result;
  const domains = [...emails.values()].map(domainOf);
  const forms = (keys: Iterable<string>) => [...keys].flatMap(storedForms);
  const hits = await tx.$queryRaw<Array<{ type: "PHONE" | "EMAIL" | "DOMAIN"; value: string }>>`
    SELECT type::text AS type, value FROM do_not_contact
     WHERE tenant_id = ${tenantId}::uuid
       AND ((type = 'PHONE' AND value = ANY(${forms(phones.values())}::text[]))
         OR (type = 'EMAIL' AND value = ANY(${forms(emails.values())}::text[]))
         OR (type = 'DOMAIN' AND value = ANY(${forms(domains)}::text[])))`;
  if (hits.length === 0) return result;
  const set = new Set(hits.map((h) => `${h.type}:${h.value}`));
  const listed = (type: string, key: string | undefined) => key !== undefined && storedForms(key).some((v) => set.has(`${type}:${v}`));
  for (const r of rows) {
    const email = emails.get(r.id);
    result.set(r.id, {
      phone: listed("PHONE", phones.get(r.id)),
      email: listed("EMAIL", email),
      domain: listed("DOMAIN", email === undefined ? undefined : domainOf(email)),
    });
  }
  return result;
}

async function allocateForBatch(
  tx: TenantTx,
  deps: DispatchDeps,
  tenantId: string,
  settings: ReturnType<typeof quotaSettingsFromTenant>,
  decisions: readonly Decision[],
  options: DispatchOptions,
): Promise<Map<string, Allocation>> {
  const phones = await tx.waPhoneNumber.findMany({ select: { id: true, status: true, isEnabled: true, reputationScore: true }, orderBy: { id: "asc" } });
  const ids = phones.map((p) => p.id);
  const [usage, pending] = await Promise.all([
    deps.guardian.usage(tenantId, ids, settings),
    queuedSendsPerPhone(deps.boss, tenantId, ids),
  ]);
  const remaining = new Map(usage.map((u) => [u.phoneId, u.remaining]));
  const snapshots: PhoneSnapshot[] = phones.map((p) => ({
    phoneId: p.id,
    // The database is the authority on status; Redis on today's count.
    status: p.status,
    enabled: p.isEnabled,
    remaining: remaining.get(p.id) ?? 0,
    reputationScore: p.reputationScore,
    pending: pending.get(p.id) ?? 0,
  }));
  const requests: AllocationRequest[] = decisions.map((d) => ({ journeyId: d.journey.journeyId, assignedPhoneId: d.journey.assignedPhoneId, isNewContact: d.journey.isNewContact }));
  return allocatePhones(requests, snapshots, { maxPendingPerPhone: options.maxPendingPerPhone });
}

/**
 * One statement for the whole batch: each journey's decision, lease and (new) phone, the enrolment of
 * the journeys this run enrolled (current sequence, step 0, and the first step's time where the
 * decision sets no next action), and the decision appended to the lead's explain trail
 * (lead_decisions) in the same statement. One update per journey: each costs an entry in every index
 * of the journey (issue #14).
 */
async function writeDecisions(tx: TenantTx, decisions: readonly Decision[], enrolled: NextSteps["enrolled"], now: Date): Promise<void> {
  const enrolledIds = new Set(enrolled?.journeyIds ?? []);
  const decided = new Set(decisions.map((d) => d.journey.journeyId));
  // Every enrolled journey was a candidate, and every candidate has a decision: else its enrolment would be lost.
  const orphan = [...enrolledIds].find((id) => !decided.has(id));
  if (orphan) throw new Error(`dispatch: journey ${orphan} was enrolled but has no decision to write`);
  if (decisions.length === 0) return;
  const ids = decisions.map((d) => d.journey.journeyId);
  const enrolledFlags = ids.map((id) => enrolledIds.has(id));
  const touchNext = decisions.map((d) => d.nextActionAt !== undefined);
  const next = decisions.map((d) => (d.nextActionAt ? d.nextActionAt.toISOString() : null));
  const reasons = decisions.map((d) => d.nextActionReason ?? null);
  const phones = decisions.map((d) => d.assignPhoneId ?? null);
  const outcomes = decisions.map((d) => JSON.stringify(d.outcome));
  await tx.$executeRaw`
    WITH u AS (
      SELECT * FROM unnest(${ids}::uuid[], ${touchNext}::boolean[], ${next}::timestamptz[], ${reasons}::text[], ${phones}::uuid[], ${outcomes}::jsonb[], ${enrolledFlags}::boolean[])
          AS u(id, touch, next, reason, phone, outcome, enrolled)
    ), written AS (
      UPDATE gold_lead_journey j SET
        next_action_at        = CASE WHEN u.touch THEN u.next WHEN u.enrolled THEN ${enrolled?.nextActionAt ?? null}::timestamptz ELSE j.next_action_at END,
        next_action_reason    = CASE WHEN u.touch THEN u.reason WHEN u.enrolled THEN ${enrolled?.nextActionReason ?? null}::text ELSE j.next_action_reason END,
        current_sequence_id   = CASE WHEN u.enrolled THEN ${enrolled?.sequenceId ?? null}::uuid ELSE j.current_sequence_id END,
        sequence_step         = CASE WHEN u.enrolled THEN 0 ELSE j.sequence_step END,
        sequence_started_at   = CASE WHEN u.enrolled THEN ${enrolled?.startedAt ?? null}::timestamptz ELSE j.sequence_started_at END,
        sequence_paused       = CASE WHEN u.enrolled THEN false ELSE j.sequence_paused END,
        assigned_phone_id     = COALESCE(u.phone, j.assigned_phone_id),
        assigned_at           = CASE WHEN u.phone IS NOT NULL THEN ${now} ELSE j.assigned_at END,
        last_dispatch_outcome = u.outcome,
        last_dispatch_at      = ${now},
        updated_at            = now()
      FROM u
      WHERE j.id = u.id
      RETURNING j.tenant_id, j.id, u.outcome
    )
    INSERT INTO lead_decisions (tenant_id, journey_id, stage, result, outcome, at)
    SELECT tenant_id, id, 'dispatch', outcome->>'result', outcome, ${now} FROM written`;
}

async function finishRun(tx: TenantTx, runId: string, s: DispatchSummary, started: number, status: "DONE" | "WINDOW_CLOSED" = "DONE"): Promise<void> {
  s.processingTimeMs = Date.now() - started;
  await tx.dispatchRun.update({
    where: { id: runId },
    data: {
      status,
      finishedAt: new Date(),
      totalEligibleLeads: s.totalEligibleLeads,
      dispatchedToWhatsApp: s.dispatchedToWhatsApp,
      dispatchedToEmail: s.dispatchedToEmail,
      skippedQuotaExceeded: s.skippedQuotaExceeded,
      skippedOutsideHours: s.skippedOutsideHours,
      skippedNoChannel: s.skippedNoChannel,
      skippedHumanReview: s.skippedHumanReview,
      outcomes: s.outcomes as Prisma.InputJsonValue,
      jobsCreated: s.jobsCreated as unknown as Prisma.InputJsonValue,
      processingTimeMs: s.processingTimeMs,
      nextDispatchAt: s.nextDispatchAt ? new Date(s.nextDispatchAt) : null,
    },
  });
}
