/**
 * The WhatsApp send's reads and writes on its happy path: three statements on a tenant-bound pool
 * (server/db/sql.server.ts `tenantSql`, ADR 0007), one round trip each: everything the send decides on;
 * the intent (unless the same text reached the lead recently); the finalisation. Through Prisma these
 * were ~30 statements in 4 interactive transactions, 16 ms of CPU per message.
 *
 * The rules stay where they live: the lead state table (server/lead-state/transitions.ts) authorises
 * the move to CONTACTED_WA written here, the sequences domain computes when the next step is due
 * (nextStepFor, in JS, before the write), the quota history keeps its own upsert. Rare paths
 * (refusals, failures) use Prisma. tests/pipeline/wa-send.test.ts holds the finalisation to what
 * transitionLead and advanceAfterSend write for the same send.
 */
import { stateAfterSend, statesMovedBySend } from "../../lead-state/transitions";
import type { CurrentState } from "../../generated/prisma/enums";
import { lockedStatement, type Sql } from "../../db/sql.server";
import type { LiteralValue } from "../../db/literal.server";
import { nextStepFor, type OpeningCalendar, type StepTiming } from "../../sequences/definition";
import type { TenantQuotaRow } from "../../quota/settings";
import { USAGE_ON_CONFLICT } from "../../quota/history.server";
import { waSendQueue, type WaSendPayload } from "../../../jobs/queues";
import { phoneListedSql } from "../../dnc/sql.server";
import { holdsStepSql, otherChannelKeys, stepTaken } from "./step-claim.server";
import { leaseFence, type AttemptLease } from "../rules/lease";
import { leaseUnchangedSql } from "./send-lease.server";
import { dueFollowUpWaitingSql } from "./send-queue.server";

export interface SendIntent {
  id: string;
  status: string;
  externalMessageId: string | null;
  quotaCost: number;
  contentHash: string | null;
  metadata: { attemptAt?: string | null; attemptId?: string; leaseUntil?: string | null; usageDate?: string; text?: string } & Record<string, unknown>;
}

export interface SendEnrollment {
  status: string;
  currentStep: number;
  enrolledAt: Date;
  steps: StepTiming[];
}

export interface SendContextRow {
  journey: {
    state: CurrentState;
    isNewContact: boolean;
    assignedPhoneId: string | null;
    requiresHumanReview: boolean;
    sequencePaused: boolean;
    isHumanControlled: boolean;
    whatsappOptedOut: boolean;
  };
  lead: { id: string; phone: string | null; denumire: string; contactPrincipalNume: string | null; judet: string | null; localitate: string | null };
  phoneDnc: boolean;
  phone: { phoneNumber: string; lastMessageSentAt: Date | null };
  tenant: TenantQuotaRow & { jitterMinSeconds: number; jitterMaxSeconds: number };
  intent: SendIntent | null;
  /** The lead's enrollment in the payload's sequence, with the sequence's steps; null if none. */
  enrollment: SendEnrollment | null;
  /** A follow-up waits due on this phone (send-order.ts); read only for an initial message, else false. */
  followUpWaiting: boolean;
}

interface ContextSqlRow {
  current_state: CurrentState;
  is_new_contact: boolean;
  assigned_phone_id: string | null;
  requires_human_review: boolean;
  sequence_paused: boolean;
  is_human_controlled: boolean;
  whatsapp_opted_out: boolean;
  lead_id: string;
  telefon_principal: string | null;
  denumire: string;
  contact_principal_nume: string | null;
  judet: string | null;
  localitate: string | null;
  phone_dnc: boolean;
  phone_number: string;
  last_message_sent_at: Date | null;
  timezone: string;
  sending_days: number[];
  sending_start_hour: number;
  sending_end_hour: number;
  wa_daily_quota: number;
  settings: unknown;
  jitter_min_seconds: number;
  jitter_max_seconds: number;
  intent_id: string | null;
  intent_status: string | null;
  external_message_id: string | null;
  quota_cost: number | null;
  content_hash: string | null;
  intent_metadata: Record<string, unknown> | null;
  enrollment_status: string | null;
  enrollment_step: number | null;
  enrolled_at: Date | null;
  steps: StepTiming[] | null;
  follow_up_waiting: boolean;
}

const PHONE_DNC = phoneListedSql("c.telefon_principal");

/** The context statement's text, built once: it names pg-boss's schema, known only once the environment is read. */
let contextText: string | undefined;
function contextSql(): string {
  return (contextText ??= `SELECT j.current_state, j.is_new_contact, j.assigned_phone_id, j.requires_human_review, j.sequence_paused,
            j.is_human_controlled, j.whatsapp_opted_out,
            c.id AS lead_id, c.telefon_principal, c.denumire, c.contact_principal_nume, c.judet, c.localitate,
            -- The list's key of the number (E.164, national forms made international) or its GDPR hash:
            -- two probes of the unique index (server/dnc/keys.ts, written out by server/dnc/sql.server.ts).
            ${PHONE_DNC} AS phone_dnc,
            ph.phone_number, ph.last_message_sent_at,
            t.timezone, t.sending_days, t.sending_start_hour, t.sending_end_hour, t.wa_daily_quota, t.settings,
            t.jitter_min_seconds, t.jitter_max_seconds,
            l.id AS intent_id, l.status AS intent_status, l.external_message_id, l.quota_cost::int AS quota_cost,
            l.content_hash, l.metadata AS intent_metadata,
            e.status AS enrollment_status, e.current_step AS enrollment_step, e.enrolled_at,
            (SELECT json_agg(json_build_object('stepNumber', s.step_number, 'channel', s.channel, 'templateId', s.template_id,
                     'delayHours', s.delay_hours, 'delayMinutes', s.delay_minutes, 'stopOnReply', s.stop_on_reply,
                     'respectBusinessHours', s.respect_business_hours) ORDER BY s.step_number)
               FROM outreach_sequence_steps s WHERE s.sequence_id = e.sequence_id) AS steps,
            ($6::boolean AND ${dueFollowUpWaitingSql("$7::text", "$8::text")}) AS follow_up_waiting
       FROM gold_lead_journey j
       JOIN gold_companies c ON c.id = $2 AND c.id = j.lead_id
       JOIN wa_phone_numbers ph ON ph.id = $3
       JOIN tenants t ON t.id = j.tenant_id
       LEFT JOIN gold_communication_log l ON l.idempotency_key = $4
       LEFT JOIN sequence_enrollments e ON e.journey_id = j.id AND e.sequence_id = $5
      WHERE j.id = $1`);
}

/**
 * Journey, lead (and whether its number is on the do-not-contact list), phone, tenant settings, any
 * earlier intent of this send, the sequence enrollment and, for an initial message, whether a
 * follow-up waits due on the phone (pg-boss's job table, send-queue.server.ts): one statement.
 */
export async function loadSendContext(sql: Sql, p: WaSendPayload, idempotencyKey: string): Promise<SendContextRow | null> {
  const { rows } = await sql.query<ContextSqlRow>({
    name: "wa-send.context",
    text: contextSql(),
    values: [p.journeyId, p.leadId, p.phoneId, idempotencyKey, p.sequenceId, !p.followUp, waSendQueue(p.tenantId), p.phoneId],
  });
  const r = rows[0];
  if (!r) return null;
  return {
    journey: {
      state: r.current_state,
      isNewContact: r.is_new_contact,
      assignedPhoneId: r.assigned_phone_id,
      requiresHumanReview: r.requires_human_review,
      sequencePaused: r.sequence_paused,
      isHumanControlled: r.is_human_controlled,
      whatsappOptedOut: r.whatsapp_opted_out,
    },
    lead: { id: r.lead_id, phone: r.telefon_principal, denumire: r.denumire, contactPrincipalNume: r.contact_principal_nume, judet: r.judet, localitate: r.localitate },
    phoneDnc: r.phone_dnc,
    phone: { phoneNumber: r.phone_number, lastMessageSentAt: r.last_message_sent_at },
    tenant: {
      timezone: r.timezone,
      sendingDays: r.sending_days,
      sendingStartHour: r.sending_start_hour,
      sendingEndHour: r.sending_end_hour,
      waDailyQuota: r.wa_daily_quota,
      settings: r.settings,
      jitterMinSeconds: r.jitter_min_seconds,
      jitterMaxSeconds: r.jitter_max_seconds,
    },
    intent: r.intent_id
      ? { id: r.intent_id, status: r.intent_status!, externalMessageId: r.external_message_id, quotaCost: r.quota_cost ?? 0, contentHash: r.content_hash, metadata: (r.intent_metadata ?? {}) as SendIntent["metadata"] }
      : null,
    enrollment: r.enrollment_status ? { status: r.enrollment_status, currentStep: r.enrollment_step!, enrolledAt: r.enrolled_at!, steps: r.steps ?? [] } : null,
    followUpWaiting: r.follow_up_waiting,
  };
}

export interface IntentWrite {
  key: string;
  recipient: string;
  text: string;
  hash: string;
  quotaCost: 0 | 1;
  usageDate: string;
  /** This attempt's lease (server/pipeline/rules/lease.ts), written into the row's metadata. */
  lease: AttemptLease;
  templateVersionId: string | null;
  jobId: string;
  /** The same text sent to this lead at or after this instant blocks the send. */
  sameContentSince: Date;
}

/** `taken`: the earlier attempt's lease changed since it was read (it renewed it, or another attempt took the row). */
export type IntentResult = { intentId: string } | { sameContentAt: Date } | { taken: true };

/**
 * The QUEUED row, before the provider is called (a new one, or the reusable row of an earlier attempt),
 * unless the same text reached this lead since `sameContentSince` on any channel (another sequence, a
 * re-enrolment): then nothing is written and the result says when. One transaction, one round trip
 * (server/db/sql.server.ts lockedStatement): the journey lock first, so the other channels' intents
 * this statement reads are current; one of them holding the step (holdsStepSql) means nothing is
 * written and STEP_SENT_ON_OTHER_CHANNEL is thrown. A second job holding the same send fails on
 * idempotency_key's UNIQUE (isUniqueViolation). An existing row is taken over only if its lease is
 * still the one `existing` carries (rules/lease.ts).
 */
export async function writeIntent(p: WaSendPayload, existing: SendIntent | null, w: IntentWrite): Promise<IntentResult> {
  const metadata = { ...(existing?.metadata ?? {}), ...w.lease, usageDate: w.usageDate, jobId: w.jobId };
  // Each variant compares what it has, not `$4 IS NULL OR id <> $4`: with that OR the cached generic
  // plan scanned the lead's messages a different way and read ~13× the buffers. (The first write's
  // `$4 IS NULL` is always true; it is a one-time check, and it gives $4 its type.)
  const same = `same AS (
      SELECT sent_at FROM gold_communication_log
       WHERE lead_id = $1 AND direction = 'OUTBOUND' AND content_hash = $2 AND sent_at >= $3 AND ${existing ? "id <> $4::uuid" : "$4::uuid IS NULL"}
       ORDER BY sent_at DESC LIMIT 1)`;
  const held = `held AS (
      SELECT o.channel, o.status, ${holdsStepSql("o")} AS holds
        FROM gold_communication_log o WHERE o.idempotency_key = ANY($11::text[]))`;
  const free = "NOT EXISTS (SELECT 1 FROM same) AND NOT EXISTS (SELECT 1 FROM held WHERE holds)";
  const values: LiteralValue[] = [p.leadId, w.hash, w.sameContentSince, existing?.id ?? null, w.recipient, w.text.slice(0, 500), w.quotaCost, p.phoneId, w.templateVersionId, metadata, otherChannelKeys({ journeyId: p.journeyId, stepNumber: p.stepNumber, channel: "WHATSAPP" })];
  const write = existing
    ? `UPDATE gold_communication_log
          SET status = 'QUEUED', recipient = $5, content_preview = $6, content_hash = $2, quota_cost = $7, phone_id = $8,
              template_version_id = $9, error_code = NULL, error_message = NULL, failed_at = NULL, metadata = $10, updated_at = now()
        WHERE id = $4 AND ${free} AND ${leaseUnchangedSql("$12", "$13")}
        RETURNING id`
    : `INSERT INTO gold_communication_log
         (tenant_id, journey_id, lead_id, channel, direction, status, idempotency_key, recipient, content_preview, content_hash,
          quota_cost, phone_id, sequence_id, sequence_step, template_id, template_version_id, metadata)
       SELECT $12, $13, $1, 'WHATSAPP', 'OUTBOUND', 'QUEUED', $14, $5, $6, $2, $7, $8, $15, $16, $17, $9, $10
        WHERE ${free}
       RETURNING id`;
  if (existing) {
    const fence = leaseFence(existing.metadata);
    values.push(fence.attemptId, fence.leaseUntil);
  } else values.push(p.tenantId, p.journeyId, w.key, p.sequenceId, p.stepNumber, p.templateId);
  const { rows } = await lockedStatement<{ same_content_at: Date | null; intent_id: string | null; holder: { channel: string; status: string } | null }>(
    p.tenantId,
    { table: "gold_lead_journey", id: p.journeyId },
    {
      name: existing ? "wa-send.intent-again" : "wa-send.intent",
      text: `WITH ${same}, ${held}, written AS (${write})
       SELECT (SELECT sent_at FROM same) AS same_content_at, (SELECT id FROM written) AS intent_id,
              (SELECT json_build_object('channel', h.channel, 'status', h.status) FROM held h WHERE h.holds LIMIT 1) AS holder`,
      values,
    },
  );
  const r = rows[0]!;
  if (r.holder) throw stepTaken({ stepNumber: p.stepNumber, channel: "WHATSAPP" }, r.holder);
  if (r.same_content_at) return { sameContentAt: r.same_content_at };
  if (!r.intent_id) {
    if (existing) return { taken: true };
    throw new Error(`writeIntent: the intent row ${w.key} was not written`);
  }
  return { intentId: r.intent_id };
}

export const isUniqueViolation = (error: unknown): boolean => typeof error === "object" && error !== null && (error as { code?: unknown }).code === "23505";

export interface FinalizeInput {
  p: WaSendPayload;
  intent: Pick<SendIntent, "id" | "metadata" | "quotaCost">;
  messageUid: string;
  at: Date;
  reconciled: boolean;
  usageDate: string | null;
  actorId: string;
  /** The enrollment as the send read it; the write re-checks it is still at the step before. */
  enrollment: SendEnrollment | null;
  calendar: OpeningCalendar;
  /** The journey's explainability record of this send; `nextActionAt` is added by the statement. */
  outcome: Record<string, unknown>;
}

export type FinalizeResult = { finalized: false } | { finalized: true; nextActionAt: Date | null; transitioned: boolean };

// The move a WhatsApp send records, from the state table (server/lead-state/transitions.ts): the states
// it moves a lead out of, and where to. Computed once, where the module loads.
const MOVED_FROM: CurrentState[] = statesMovedBySend("WHATSAPP");
const TO_STATE: CurrentState = stateAfterSend("COLD", "WHATSAPP")!;
/** Reasons shown in the lead's history: the first contact, or a sequence continuing on WhatsApp. */
const TRANSITION_REASON = { first: "Primul mesaj WhatsApp trimis", continued: "Secvența continuă pe WhatsApp" } as const;

/**
 * One statement, so one transaction: the log row SENT (guarded: a second finaliser changes nothing),
 * the enrollment advanced if it still waits for this step (else the journey keeps the enrollment's
 * own next step, as advanceAfterSend does), the journey moved to CONTACTED_WA where the state table
 * says a send moves it, with its history row, the send's outcome on the journey and appended to the
 * lead's explain trail (lead_decisions), the phone's last send and the day's quota history.
 * Every write hangs on the log row's update. Locks in the lock order (server/db/lock-order.server.ts):
 * the phone, then the journey, before the log row; each CTE waits on the one before through an
 * uncorrelated EXISTS, which Postgres runs first, as a one-time filter.
 */
export async function finalizeSent(sql: Sql, f: FinalizeInput): Promise<FinalizeResult> {
  const { p, at } = f;
  const e = f.enrollment;
  const next = e && e.status === "ACTIVE" && e.currentStep === p.stepNumber - 1
    ? { due: nextStepFor({ currentStep: p.stepNumber, enrolledAt: e.enrolledAt, lastStepAt: at, steps: e.steps }, at, f.calendar) }
    : null;
  const cost = f.intent.quotaCost === 1 ? 1 : 0;
  const { rows } = await sql.query<{ logged: number; from_state: CurrentState | null; next_action_at: Date | null }>({
    name: "wa-send.finalize",
    text: `WITH phone_lock AS (
       SELECT id FROM wa_phone_numbers WHERE id = $10 FOR NO KEY UPDATE
     ), old AS (
       SELECT j.id, j.lead_id, j.current_state, j.is_new_contact FROM gold_lead_journey j
        WHERE j.id = $5 AND EXISTS (SELECT 1 FROM phone_lock)
          FOR NO KEY UPDATE
     ), logged AS (
       UPDATE gold_communication_log
          SET status = 'SENT', external_message_id = $2, timelinesai_message_uid = $2, sent_at = $3, metadata = $4, updated_at = now()
        WHERE id = $1 AND external_message_id IS NULL AND EXISTS (SELECT 1 FROM old)
        RETURNING id
     ), advanced AS (
       UPDATE sequence_enrollments e
          SET current_step = $7, last_step_at = $3, next_step_at = $8, updated_at = now(),
              status = CASE WHEN $8::timestamptz IS NULL THEN 'COMPLETED' ELSE e.status END,
              completed_at = CASE WHEN $8::timestamptz IS NULL THEN $3 ELSE e.completed_at END
        WHERE $9 AND e.journey_id = $5 AND e.sequence_id = $6 AND e.status = 'ACTIVE' AND e.current_step = $7 - 1
          AND EXISTS (SELECT 1 FROM logged)
        RETURNING e.id
     ), next AS (
       SELECT CASE WHEN EXISTS (SELECT 1 FROM advanced) THEN $8::timestamptz
                   ELSE (SELECT e.next_step_at FROM sequence_enrollments e WHERE e.journey_id = $5 AND e.sequence_id = $6 AND e.status = 'ACTIVE')
              END AS at
     ), moved AS (
       UPDATE gold_lead_journey j SET
              assigned_phone_id = $10, is_new_contact = false, last_channel_used = 'WHATSAPP', last_contact_at = $3,
              sequence_step = $7, last_dispatch_at = $3,
              next_action_at = next.at,
              next_action_reason = CASE WHEN next.at IS NULL THEN 'sequence finished' ELSE 'sequence step ' || ($7 + 1) END,
              last_dispatch_outcome = $11::jsonb || jsonb_build_object('nextActionAt', to_char(next.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
              current_sequence_id = CASE WHEN EXISTS (SELECT 1 FROM advanced) THEN $6::uuid ELSE j.current_sequence_id END,
              first_contact_at = CASE WHEN old.is_new_contact THEN $3 ELSE j.first_contact_at END,
              first_contact_channel = CASE WHEN old.is_new_contact THEN 'WHATSAPP' ELSE j.first_contact_channel END,
              quota_consumption_date = CASE WHEN old.is_new_contact THEN $12 ELSE j.quota_consumption_date END,
              current_state = CASE WHEN old.current_state = ANY($19::current_state_enum[]) THEN $13::current_state_enum ELSE j.current_state END,
              previous_state = CASE WHEN old.current_state = ANY($19::current_state_enum[]) THEN old.current_state ELSE j.previous_state END,
              state_changed_at = CASE WHEN old.current_state = ANY($19::current_state_enum[]) THEN $3 ELSE j.state_changed_at END,
              state_change_reason = CASE WHEN old.current_state = ANY($19::current_state_enum[]) THEN (CASE WHEN old.current_state = 'COLD' THEN $14 ELSE $20 END) ELSE j.state_change_reason END,
              updated_at = now()
         FROM old, next
        WHERE j.id = old.id AND EXISTS (SELECT 1 FROM logged)
        RETURNING old.current_state AS from_state, old.lead_id, next.at, j.last_dispatch_outcome AS outcome
     ), decision AS (
       INSERT INTO lead_decisions (tenant_id, journey_id, stage, result, outcome, at)
       SELECT $15, $5, 'send', moved.outcome->>'result', moved.outcome, $3 FROM moved
     ), history AS (
       INSERT INTO lead_state_history (tenant_id, journey_id, lead_id, from_state, to_state, actor_type, actor_id, reason, metadata, created_at)
       SELECT $15, $5, moved.lead_id, moved.from_state, $13::current_state_enum, 'JOB', $16, CASE WHEN moved.from_state = 'COLD' THEN $14 ELSE $20 END, $17, $3 FROM moved WHERE moved.from_state = ANY($19::current_state_enum[])
     ), phone AS (
       UPDATE wa_phone_numbers SET last_message_sent_at = $3, messages_sent_total = messages_sent_total + 1, consecutive_failures = 0, updated_at = now()
        WHERE id = $10 AND EXISTS (SELECT 1 FROM logged)
     ), usage AS (
       INSERT INTO wa_quota_usage (tenant_id, phone_id, usage_date, new_contacts_count, followups_count, first_message_at, last_message_at)
       SELECT $15, $10, $12::date, $18, 1 - $18::int, $3, $3 WHERE $12::text IS NOT NULL AND EXISTS (SELECT 1 FROM logged)
       ${USAGE_ON_CONFLICT}
     )
     SELECT (SELECT count(*) FROM logged)::int AS logged, (SELECT from_state FROM moved) AS from_state, (SELECT at FROM moved) AS next_action_at`,
    values: [
      f.intent.id, f.messageUid, at, { ...f.intent.metadata, attemptAt: null, reconciled: f.reconciled },
      p.journeyId, p.sequenceId, p.stepNumber, next?.due?.at ?? null, next !== null, p.phoneId,
      f.outcome, f.usageDate, TO_STATE, TRANSITION_REASON.first, p.tenantId, f.actorId,
      { messageUid: f.messageUid, phoneId: p.phoneId, sequenceStep: p.stepNumber }, cost, MOVED_FROM, TRANSITION_REASON.continued,
    ],
  });
  const r = rows[0]!;
  if (r.logged === 0) return { finalized: false };
  return { finalized: true, nextActionAt: r.next_action_at, transitioned: r.from_state !== null && MOVED_FROM.includes(r.from_state) };
}
