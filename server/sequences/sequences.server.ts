/**
 * Sequences and enrollments in the database: definitions (create/edit), enrolling leads, and the
 * functions the send pipeline and the reply path call (advance, stop on reply / opt-out, postpone
 * for an out-of-office). Every function takes the tenant transaction; none enqueues or cancels jobs:
 * functions that stop or move enrollments return what they touched so the caller can cancel or
 * reschedule pending sends.
 *
 * One open enrollment per lead: enrolling skips a lead that already has an ACTIVE or PAUSED enrollment
 * in any sequence, so two sequences never message the same lead in parallel. The journey's sequence
 * columns (current_sequence_id, sequence_step, sequence_paused, next_action_at) mirror that open
 * enrollment, because dispatch reads the journey.
 */
import type { TenantTx } from "../db/client.server";
import { query, type Db } from "../db/executor.server";
import { lockJourney, lockJourneys } from "../db/lock-order.server";
import { OUTREACH_STATES } from "../lead-state/transitions";
import { DomainError, notFound } from "../errors";
import type { Channel, CurrentState, EnrollmentStatus } from "../generated/prisma/enums";
import { Prisma } from "../generated/prisma/client";
import { dncHitsSql } from "../dnc/sql.server";
import { pauseSequence, resumeSequence } from "./lifecycle.server";
import { assertValidSteps, ENROLL_OUTCOMES, MAX_ENROLL_BATCH, nextStepFor, type EnrollOutcome, type OpeningCalendar, type SequenceStepInput, type StepTiming } from "./definition";

const STEP_SELECT = {
  stepNumber: true,
  channel: true,
  templateId: true,
  fallbackTemplateId: true,
  delayHours: true,
  delayMinutes: true,
  stopOnReply: true,
  respectBusinessHours: true,
} as const;

/** Reasons shown to reps (Romanian, like the rest of the data the UI shows). */
export const STOP_REASONS = {
  reply: "Lead-ul a răspuns",
  optOut: "Lead-ul s-a dezabonat",
} as const;

// ---------------------------------------------------------------------------------------------------
// Definitions

export interface SequenceInput {
  name: string;
  description?: string | null;
  channel?: Channel | null;
  isActive?: boolean;
  isDefault?: boolean;
  steps: SequenceStepInput[];
}

async function checkStepTemplates(tx: TenantTx, steps: readonly SequenceStepInput[]): Promise<void> {
  const ids = [...new Set(steps.flatMap((s) => (s.fallbackTemplateId ? [s.templateId, s.fallbackTemplateId] : [s.templateId])))];
  const templates = await tx.outreachTemplate.findMany({ where: { id: { in: ids } }, select: { id: true, channel: true, isActive: true } });
  assertValidSteps(steps, new Map(templates.map((t) => [t.id, t])));
}

function stepRow(s: SequenceStepInput, tenantId: string, sequenceId: string) {
  return { ...s, name: s.name ?? null, fallbackTemplateId: s.fallbackTemplateId ?? null, tenantId, sequenceId };
}

async function nameTaken(tx: TenantTx, name: string, exceptId: string | null): Promise<boolean> {
  const row = await tx.outreachSequence.findFirst({ where: { name, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } });
  return row !== null;
}

export async function createSequence(tx: TenantTx, tenantId: string, input: SequenceInput) {
  await checkStepTemplates(tx, input.steps);
  if (await nameTaken(tx, input.name, null)) throw new DomainError("CONFLICT", "SEQUENCE_NAME_TAKEN", `a sequence named "${input.name}" exists`);
  // One default per tenant: dispatch enrolls new COLD leads in it.
  if (input.isDefault) await tx.outreachSequence.updateMany({ where: { isDefault: true }, data: { isDefault: false } });
  const sequence = await tx.outreachSequence.create({
    data: {
      tenantId,
      name: input.name,
      description: input.description ?? null,
      channel: input.channel ?? input.steps.find((s) => s.stepNumber === 1)?.channel ?? null,
      isActive: input.isActive ?? true,
      isDefault: input.isDefault ?? false,
    },
    select: { id: true },
  });
  await tx.outreachSequenceStep.createMany({ data: input.steps.map((s) => stepRow(s, tenantId, sequence.id)) });
  return getSequence(tx, sequence.id);
}

export interface SequenceUpdate {
  name?: string;
  description?: string | null;
  channel?: Channel | null;
  isActive?: boolean;
  isDefault?: boolean;
  /** Replaces every step. Open enrollments keep their step number and continue with the new step after it. */
  steps?: SequenceStepInput[];
}

/**
 * Pausing and resuming change enrollments too (lifecycle.server.ts), so an isActive change needs the
 * time and the tenant's calendar; without them it is refused rather than half-applied.
 */
export interface ActivationContext {
  now: Date;
  calendar: OpeningCalendar;
}

export async function updateSequence(tx: TenantTx, tenantId: string, sequenceId: string, input: SequenceUpdate, activation?: ActivationContext) {
  const existing = await tx.outreachSequence.findUnique({ where: { id: sequenceId }, select: { id: true, isActive: true, archivedAt: true } });
  if (!existing) throw notFound("sequence", sequenceId);
  if (existing.archivedAt) throw new DomainError("PRECONDITION_FAILED", "SEQUENCE_ARCHIVED", "the sequence is archived: restore it first");
  const activationChange = input.isActive !== undefined && input.isActive !== existing.isActive;
  if (activationChange && !activation) throw new Error("updateSequence: changing isActive needs the activation context");
  if (input.steps) await checkStepTemplates(tx, input.steps);
  if (input.name !== undefined && (await nameTaken(tx, input.name, sequenceId))) {
    throw new DomainError("CONFLICT", "SEQUENCE_NAME_TAKEN", `a sequence named "${input.name}" exists`);
  }
  if (input.isDefault) await tx.outreachSequence.updateMany({ where: { isDefault: true, id: { not: sequenceId } }, data: { isDefault: false } });
  await tx.outreachSequence.update({
    where: { id: sequenceId },
    data: {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.channel !== undefined ? { channel: input.channel } : {}),
      ...(input.isDefault !== undefined ? { isDefault: input.isDefault } : {}),
    },
    select: { id: true },
  });
  if (input.steps) {
    await tx.outreachSequenceStep.deleteMany({ where: { sequenceId } });
    await tx.outreachSequenceStep.createMany({ data: input.steps.map((s) => stepRow(s, tenantId, sequenceId)) });
  }
  if (activationChange && activation) {
    if (input.isActive) await resumeSequence(tx, sequenceId, activation.now, activation.calendar);
    else await pauseSequence(tx, sequenceId, activation.now);
  }
  return getSequence(tx, sequenceId);
}

export async function getSequence(tx: TenantTx, sequenceId: string) {
  const sequence = await tx.outreachSequence.findUnique({
    where: { id: sequenceId },
    select: {
      id: true,
      name: true,
      description: true,
      channel: true,
      isActive: true,
      isDefault: true,
      pausedAt: true,
      archivedAt: true,
      createdAt: true,
      updatedAt: true,
      steps: {
        orderBy: { stepNumber: "asc" },
        select: { id: true, name: true, ...STEP_SELECT, template: { select: { name: true } }, fallbackTemplate: { select: { name: true } } },
      },
    },
  });
  if (!sequence) throw notFound("sequence", sequenceId);
  const counts = await tx.sequenceEnrollment.groupBy({ by: ["status"], where: { sequenceId }, _count: { _all: true } });
  const enrollments: Record<EnrollmentStatus, number> = { ACTIVE: 0, PAUSED: 0, COMPLETED: 0, STOPPED: 0 };
  for (const c of counts) enrollments[c.status] = c._count._all;
  return {
    ...sequence,
    steps: sequence.steps.map(({ template, fallbackTemplate, ...s }) => ({ ...s, templateName: template.name, fallbackTemplateName: fallbackTemplate?.name ?? null })),
    enrollments,
  };
}

export async function listSequences(tx: TenantTx, filter: { includeArchived?: boolean } = {}) {
  const rows = await tx.outreachSequence.findMany({
    where: filter.includeArchived ? {} : { archivedAt: null },
    orderBy: [{ isDefault: "desc" }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      description: true,
      channel: true,
      isActive: true,
      isDefault: true,
      pausedAt: true,
      archivedAt: true,
      _count: { select: { steps: true } },
    },
  });
  const counts = await tx.sequenceEnrollment.groupBy({ by: ["sequenceId", "status"], _count: { _all: true } });
  return rows.map(({ _count, ...r }) => {
    const enrollments: Record<EnrollmentStatus, number> = { ACTIVE: 0, PAUSED: 0, COMPLETED: 0, STOPPED: 0 };
    for (const c of counts) if (c.sequenceId === r.id) enrollments[c.status] = c._count._all;
    return { ...r, stepCount: _count.steps, enrollments };
  });
}

async function loadSteps(tx: TenantTx, sequenceId: string): Promise<StepTiming[]> {
  return tx.outreachSequenceStep.findMany({ where: { sequenceId }, orderBy: { stepNumber: "asc" }, select: STEP_SELECT });
}

// ---------------------------------------------------------------------------------------------------
// Enrolling



export interface EnrollFilter {
  states?: CurrentState[];
  judet?: string;
}

export interface EnrollInput {
  tenantId: string;
  sequenceId: string;
  /** Lead (gold_companies) ids, or a filter over the tenant's leads (at most MAX_ENROLL_BATCH). */
  target: { leadIds: string[] } | { filter: EnrollFilter };
  now: Date;
  calendar: OpeningCalendar;
  /**
   * Who writes the enrolment onto the journeys (current sequence, step 0, next action): this function
   * (default), or the caller, with the returned `journeys`, in its own update of the same rows in the
   * same transaction. Dispatch does the latter: it rewrites those journeys anyway, and a journey
   * update costs an entry in each of its indexes (issue #14).
   */
  journeyWrite?: "here" | "caller";
}

/** What an enrolment sets on each enrolled journey. */
export interface JourneyEnrolment {
  journeyIds: string[];
  sequenceId: string;
  startedAt: Date;
  nextActionAt: Date;
  nextActionReason: string;
}

export interface EnrollResult {
  counts: Record<EnrollOutcome, number>;
  /** Per lead, in input order (filter: in the order found). */
  leads: Array<{ leadId: string; outcome: EnrollOutcome; enrollmentId: string | null }>;
  /** The journey columns the enrolment set (or, with journeyWrite "caller", leaves to the caller); null when none was enrolled. */
  journeys: JourneyEnrolment | null;
}

interface Candidate {
  lead_id: string;
  company_id: string | null;
  journey_id: string | null;
  current_state: CurrentState | null;
  email_opted_out: boolean | null;
  whatsapp_opted_out: boolean | null;
  enrolled: boolean;
  dnc: boolean;
}

async function candidateLeadIds(tx: TenantTx, target: EnrollInput["target"]): Promise<string[]> {
  if ("leadIds" in target) return [...new Set(target.leadIds)];
  const rows = await tx.goldCompany.findMany({
    where: {
      ...(target.filter.judet ? { judet: target.filter.judet } : {}),
      ...(target.filter.states?.length ? { journeys: { some: { currentState: { in: target.filter.states } } } } : {}),
      // Skip leads with an open enrollment already: the filter is "who could still be enrolled".
      enrollments: { none: { status: { in: ["ACTIVE", "PAUSED"] } } },
    },
    orderBy: { createdAt: "asc" },
    take: MAX_ENROLL_BATCH,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/**
 * Enrolls leads in a sequence, one set-based pass. Each lead gets one outcome: NOT_FOUND (not this
 * tenant's lead), ALREADY_ENROLLED (an ACTIVE or PAUSED enrollment anywhere), NOT_ELIGIBLE (state is
 * past cold outreach: replied, negotiating, converted, dead or paused), OPTED_OUT (opted out on a
 * channel the sequence uses), DO_NOT_CONTACT (phone, email or email domain on the list; any match
 * skips the lead, whatever the channel: the list means "leave them alone"), ENROLLED. A lead without
 * a journey row gets one (COLD). Re-enrolling after a stop or completion reuses the row.
 */
export async function enrollLeads(tx: TenantTx, input: EnrollInput): Promise<EnrollResult> {
  const sequence = await tx.outreachSequence.findUnique({ where: { id: input.sequenceId }, select: { id: true, isActive: true } });
  if (!sequence) throw notFound("sequence", input.sequenceId);
  if (!sequence.isActive) throw new DomainError("PRECONDITION_FAILED", "SEQUENCE_INACTIVE", "the sequence is inactive");
  const steps = await loadSteps(tx, input.sequenceId);
  if (steps.length === 0) throw new DomainError("PRECONDITION_FAILED", "SEQUENCE_EMPTY", "the sequence has no steps");
  const usesWhatsapp = steps.some((s) => s.channel === "WHATSAPP");
  const usesEmail = steps.some((s) => s.channel !== "WHATSAPP");

  const leadIds = await candidateLeadIds(tx, input.target);
  if (leadIds.length > MAX_ENROLL_BATCH) throw new DomainError("BAD_INPUT", "ENROLL_BATCH_TOO_LARGE", `at most ${MAX_ENROLL_BATCH} leads at once`);
  const counts = Object.fromEntries(ENROLL_OUTCOMES.map((o) => [o, 0])) as Record<EnrollOutcome, number>;
  if (leadIds.length === 0) return { counts, leads: [], journeys: null };

  // Leads without a journey get one, so every lead can be enrolled the same way.
  await tx.$executeRaw`
    INSERT INTO gold_lead_journey (tenant_id, lead_id)
    SELECT g.tenant_id, g.id FROM gold_companies g WHERE g.id = ANY(${leadIds}::uuid[])
    ON CONFLICT (tenant_id, lead_id) DO NOTHING`;

  // The do-not-contact list by its keys (server/dnc/keys.ts; dncHitsSql): +40 7xx, 0040 7xx and 07xx
  // are one number, and entries kept hashed after a GDPR erasure match too. Set-based: every lead's
  // keys are joined with the list once (a per-lead lookup re-hashed its keys for every entry).
  const candidates = await tx.$queryRaw<Candidate[]>`
    WITH cand AS MATERIALIZED (
      SELECT c.lead_id, c.ord, g.id AS company_id, j.id AS journey_id, j.current_state, j.email_opted_out, j.whatsapp_opted_out,
             g.telefon_principal AS phone, g.email_principal AS email
        FROM unnest(${leadIds}::uuid[]) WITH ORDINALITY AS c(lead_id, ord)
        LEFT JOIN gold_companies g ON g.id = c.lead_id
        LEFT JOIN gold_lead_journey j ON j.lead_id = g.id AND j.tenant_id = g.tenant_id
    ), hit AS MATERIALIZED (${Prisma.raw(dncHitsSql("cand", "lead_id", "phone", "email"))})
    SELECT cand.lead_id::text AS lead_id, cand.company_id::text AS company_id, cand.journey_id::text AS journey_id, cand.current_state,
           cand.email_opted_out, cand.whatsapp_opted_out,
           EXISTS (SELECT 1 FROM sequence_enrollments e WHERE e.journey_id = cand.journey_id AND e.status IN ('ACTIVE', 'PAUSED')) AS enrolled,
           hit.id IS NOT NULL AS dnc
      FROM cand LEFT JOIN hit ON hit.id = cand.lead_id
     ORDER BY cand.ord`;

  const outcomes: EnrollResult["leads"] = [];
  const toEnroll: Array<{ leadId: string; journeyId: string }> = [];
  for (const c of candidates) {
    let outcome: EnrollOutcome;
    if (!c.company_id || !c.journey_id || !c.current_state) outcome = "NOT_FOUND";
    else if (c.enrolled) outcome = "ALREADY_ENROLLED";
    else if (!OUTREACH_STATES.has(c.current_state)) outcome = "NOT_ELIGIBLE";
    else if ((usesWhatsapp && c.whatsapp_opted_out) || (usesEmail && c.email_opted_out)) outcome = "OPTED_OUT";
    else if (c.dnc) outcome = "DO_NOT_CONTACT";
    else {
      outcome = "ENROLLED";
      toEnroll.push({ leadId: c.lead_id, journeyId: c.journey_id });
    }
    outcomes.push({ leadId: c.lead_id, outcome, enrollmentId: null });
  }

  const first = nextStepFor({ currentStep: 0, enrolledAt: input.now, lastStepAt: null, steps }, input.now, input.calendar);
  const nextAt = first?.at ?? input.now;
  const reason = first?.reason ?? "sequence enrolled";
  let journeys: JourneyEnrolment | null = null;
  if (toEnroll.length > 0) {
    const journeyIds = toEnroll.map((e) => e.journeyId);
    const leadIdsToEnroll = toEnroll.map((e) => e.leadId);
    // Journeys before their enrollments (server/db/lock-order.server.ts).
    await lockJourneys(tx, journeyIds);
    const rows = await tx.$queryRaw<Array<{ id: string; lead_id: string }>>`
      INSERT INTO sequence_enrollments (tenant_id, journey_id, lead_id, sequence_id, status, current_step, next_step_at, enrolled_at)
      SELECT ${input.tenantId}::uuid, j, l, ${input.sequenceId}::uuid, 'ACTIVE', 0, ${nextAt}, ${input.now}
        FROM unnest(${journeyIds}::uuid[], ${leadIdsToEnroll}::uuid[]) AS t(j, l)
      ON CONFLICT (journey_id, sequence_id) DO UPDATE
         SET status = 'ACTIVE', current_step = 0, next_step_at = EXCLUDED.next_step_at, enrolled_at = EXCLUDED.enrolled_at,
             last_step_at = NULL, paused_at = NULL, stopped_reason = NULL, stopped_at = NULL, completed_at = NULL, updated_at = now()
         -- A concurrent enrollment that opened this row in the meantime keeps it as it is.
       WHERE sequence_enrollments.status NOT IN ('ACTIVE', 'PAUSED')
      RETURNING id::text, lead_id::text`;
    const byLead = new Map(rows.map((r) => [r.lead_id, r.id]));
    for (const o of outcomes) {
      if (o.outcome !== "ENROLLED") continue;
      const id = byLead.get(o.leadId);
      if (id) o.enrollmentId = id;
      else o.outcome = "ALREADY_ENROLLED";
    }
    journeys = { journeyIds, sequenceId: input.sequenceId, startedAt: input.now, nextActionAt: nextAt, nextActionReason: reason };
    if (input.journeyWrite !== "caller") {
      await tx.$executeRaw`
        UPDATE gold_lead_journey
           SET current_sequence_id = ${input.sequenceId}::uuid, sequence_step = 0, sequence_started_at = ${input.now},
               sequence_paused = false, next_action_at = ${nextAt}, next_action_reason = ${reason}, updated_at = now()
         WHERE id = ANY(${journeyIds}::uuid[])`;
    }
  }
  for (const o of outcomes) counts[o.outcome] += 1;
  return { counts, leads: outcomes, journeys };
}

// ---------------------------------------------------------------------------------------------------
// One enrollment: pause, resume, stop

/** The enrollment, read after its journey is locked (lock order: journey, then enrollments). */
async function loadEnrollment(tx: TenantTx, enrollmentId: string) {
  const ref = await tx.sequenceEnrollment.findUnique({ where: { id: enrollmentId }, select: { journeyId: true } });
  if (!ref) throw notFound("enrollment", enrollmentId);
  await lockJourney(tx, { journeyId: ref.journeyId });
  const e = await tx.sequenceEnrollment.findUnique({
    where: { id: enrollmentId },
    select: {
      id: true,
      journeyId: true,
      leadId: true,
      sequenceId: true,
      status: true,
      currentStep: true,
      enrolledAt: true,
      lastStepAt: true,
      nextStepAt: true,
      pausedBySequence: true,
      sequence: { select: { pausedAt: true, archivedAt: true } },
    },
  });
  if (!e) throw notFound("enrollment", enrollmentId);
  return e;
}

export interface EnrollmentChange {
  enrollmentId: string;
  journeyId: string;
  leadId: string;
  sequenceId: string;
  /** The step that was pending (the caller cancels or reschedules its job). */
  pendingStep: number;
  nextStepAt: Date | null;
}

function conflictStatus(action: string, status: EnrollmentStatus): DomainError {
  return new DomainError("CONFLICT", "ENROLLMENT_STATUS", `cannot ${action} an enrollment that is ${status}`, { status });
}

export async function pauseEnrollment(tx: TenantTx, enrollmentId: string, now: Date): Promise<EnrollmentChange> {
  const e = await loadEnrollment(tx, enrollmentId);
  if (e.status === "PAUSED") {
    // A person's pause of an enrollment the sequence had paused: resuming the sequence now leaves it.
    if (e.pausedBySequence) await tx.sequenceEnrollment.update({ where: { id: e.id }, data: { pausedBySequence: false }, select: { id: true } });
    return change(e, e.nextStepAt);
  }
  if (e.status !== "ACTIVE") throw conflictStatus("pause", e.status);
  const n = await tx.sequenceEnrollment.updateMany({ where: { id: e.id, status: "ACTIVE" }, data: { status: "PAUSED", pausedAt: now, nextStepAt: null } });
  if (n.count !== 1) throw conflictStatus("pause", "STOPPED");
  await tx.goldLeadJourney.update({
    where: { id: e.journeyId },
    data: { sequencePaused: true, nextActionAt: null, nextActionReason: "sequence paused" },
    select: { id: true },
  });
  return change(e, null);
}

/** Resumes with the pending step due per its delay (at once if that moment has passed), in the window. */
export async function resumeEnrollment(tx: TenantTx, enrollmentId: string, now: Date, calendar: OpeningCalendar): Promise<EnrollmentChange> {
  const e = await loadEnrollment(tx, enrollmentId);
  if (e.status === "ACTIVE") return change(e, e.nextStepAt);
  if (e.status !== "PAUSED") throw conflictStatus("resume", e.status);
  const journey = await tx.goldLeadJourney.findUnique({ where: { id: e.journeyId }, select: { currentState: true } });
  if (journey?.currentState === "PAUSED") {
    throw new DomainError("PRECONDITION_FAILED", "LEAD_PAUSED", "the lead itself is paused: resume the lead first");
  }
  // A lead who replied (or was converted, or is dead) while the enrollment was paused must not get
  // the cold follow-ups that were waiting.
  if (journey && !OUTREACH_STATES.has(journey.currentState)) {
    throw new DomainError("PRECONDITION_FAILED", "LEAD_NOT_IN_OUTREACH", `the lead is ${journey.currentState}: its cold sequence cannot resume`, { state: journey.currentState });
  }
  if (e.sequence.archivedAt) throw new DomainError("PRECONDITION_FAILED", "SEQUENCE_ARCHIVED", "the sequence is archived");
  if (e.sequence.pausedAt) {
    // The whole sequence is paused: the enrollment waits for it, and resumes when the sequence does
    // (sequences/pause.ts). The lead-state path (a paused lead resumed) ends up here too.
    await tx.sequenceEnrollment.update({ where: { id: e.id }, data: { pausedBySequence: true }, select: { id: true } });
    await tx.goldLeadJourney.update({ where: { id: e.journeyId }, data: { sequencePaused: true, nextActionAt: null, nextActionReason: "sequence paused" }, select: { id: true } });
    return change(e, null);
  }
  const steps = await loadSteps(tx, e.sequenceId);
  const next = nextStepFor({ currentStep: e.currentStep, enrolledAt: e.enrolledAt, lastStepAt: e.lastStepAt, steps }, now, calendar);
  if (!next) {
    await tx.sequenceEnrollment.update({ where: { id: e.id }, data: { status: "COMPLETED", completedAt: now, pausedAt: null, pausedBySequence: false, nextStepAt: null } });
    await tx.goldLeadJourney.update({ where: { id: e.journeyId }, data: { sequencePaused: false, nextActionAt: null, nextActionReason: "sequence completed" } });
    return change(e, null);
  }
  const n = await tx.sequenceEnrollment.updateMany({ where: { id: e.id, status: "PAUSED" }, data: { status: "ACTIVE", pausedAt: null, pausedBySequence: false, nextStepAt: next.at } });
  if (n.count !== 1) throw conflictStatus("resume", "STOPPED");
  await tx.goldLeadJourney.update({
    where: { id: e.journeyId },
    data: { sequencePaused: false, currentSequenceId: e.sequenceId, sequenceStep: e.currentStep, nextActionAt: next.at, nextActionReason: next.reason },
    select: { id: true },
  });
  return change(e, next.at);
}

export async function stopEnrollment(tx: TenantTx, enrollmentId: string, reason: string, now: Date): Promise<EnrollmentChange | null> {
  const e = await loadEnrollment(tx, enrollmentId);
  if (e.status === "STOPPED" || e.status === "COMPLETED") return null;
  const stopped = await stopWhere(tx, { ids: [e.id] }, reason, now);
  return stopped[0] ?? null;
}

function change(e: { id: string; journeyId: string; leadId: string; sequenceId: string; currentStep: number }, nextStepAt: Date | null): EnrollmentChange {
  return { enrollmentId: e.id, journeyId: e.journeyId, leadId: e.leadId, sequenceId: e.sequenceId, pendingStep: e.currentStep + 1, nextStepAt };
}

/**
 * Stops open enrollments by id and clears their journeys' next action, in one statement. `journeyIds`:
 * the journeys the enrollments belong to when the caller knows them (it read them under the journey's
 * lock); otherwise they are looked up, and locked first (server/db/lock-order.server.ts).
 */
async function stopWhere(db: Db, where: { ids: string[]; journeyIds?: string[] }, reason: string, now: Date): Promise<EnrollmentChange[]> {
  if (where.ids.length === 0) return [];
  const owners =
    where.journeyIds ??
    (await query<{ journey_id: string }>(db, `SELECT DISTINCT journey_id::text FROM sequence_enrollments WHERE id = ANY($1::uuid[])`, [where.ids])).map((o) => o.journey_id);
  await lockJourneys(db, owners);
  // The flag also marks a PAUSED lead (lead-state); only the enrollment's own pause is lifted here.
  const rows = await query<{ id: string; journey_id: string; lead_id: string; sequence_id: string; current_step: number }>(
    db,
    `WITH stopped AS (
       UPDATE sequence_enrollments
          SET status = 'STOPPED', stopped_reason = $2::text, stopped_at = $3::timestamptz, next_step_at = NULL, paused_at = NULL, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND status IN ('ACTIVE', 'PAUSED')
        RETURNING id, journey_id, lead_id, sequence_id, current_step
     ), journeys AS (
       UPDATE gold_lead_journey
          SET next_action_at = NULL, next_action_reason = $4::text,
              sequence_paused = CASE WHEN current_state = 'PAUSED' THEN sequence_paused ELSE false END, updated_at = now()
        WHERE id IN (SELECT journey_id FROM stopped)
     )
     SELECT id::text, journey_id::text, lead_id::text, sequence_id::text, current_step FROM stopped`,
    [where.ids, reason, now, `sequence stopped: ${reason}`],
  );
  return rows.map((r) => ({ enrollmentId: r.id, journeyId: r.journey_id, leadId: r.lead_id, sequenceId: r.sequence_id, pendingStep: r.current_step + 1, nextStepAt: null }));
}

// ---------------------------------------------------------------------------------------------------
// Called by the send pipeline and the reply path

export interface AdvanceResult {
  /** False when this step was already recorded (a retried job): nothing changed. */
  advanced: boolean;
  completed: boolean;
  next: { stepNumber: number; channel: Channel; templateId: string; at: Date; reason: string } | null;
}

/**
 * Records that `stepNumber` was sent and schedules the next step (or completes the enrollment).
 * Guarded by `current_step = stepNumber - 1 AND status = 'ACTIVE'`, so a retried or racing job that
 * reports the same step twice advances once; a step reported after a stop changes nothing.
 */
export async function advanceAfterSend(
  tx: TenantTx,
  input: { enrollmentId: string; stepNumber: number; sentAt: Date; now?: Date; calendar: OpeningCalendar },
): Promise<AdvanceResult> {
  const e = await loadEnrollment(tx, input.enrollmentId);
  if (e.status !== "ACTIVE" || e.currentStep !== input.stepNumber - 1) return { advanced: false, completed: e.status === "COMPLETED", next: null };
  const steps = await loadSteps(tx, e.sequenceId);
  const next = nextStepFor({ currentStep: input.stepNumber, enrolledAt: e.enrolledAt, lastStepAt: input.sentAt, steps }, input.now ?? input.sentAt, input.calendar);
  const n = await tx.sequenceEnrollment.updateMany({
    where: { id: e.id, status: "ACTIVE", currentStep: input.stepNumber - 1 },
    data: next
      ? { currentStep: input.stepNumber, lastStepAt: input.sentAt, nextStepAt: next.at }
      : { currentStep: input.stepNumber, lastStepAt: input.sentAt, nextStepAt: null, status: "COMPLETED", completedAt: input.sentAt },
  });
  if (n.count !== 1) return { advanced: false, completed: false, next: null };
  await tx.goldLeadJourney.update({
    where: { id: e.journeyId },
    data: {
      currentSequenceId: e.sequenceId,
      sequenceStep: input.stepNumber,
      nextActionAt: next?.at ?? null,
      nextActionReason: next?.reason ?? "sequence completed",
    },
    select: { id: true },
  });
  return {
    advanced: true,
    completed: next === null,
    next: next ? { stepNumber: next.step.stepNumber, channel: next.step.channel, templateId: next.step.templateId, at: next.at, reason: next.reason } : null,
  };
}

async function openEnrollmentsWithPendingStep(db: Db, journeyId: string) {
  await lockJourney(db, { journeyId });
  return query<{ id: string; stop_on_reply: boolean | null; status: EnrollmentStatus; next_step_at: Date | null; respect_business_hours: boolean | null }>(
    db,
    `SELECT e.id::text, s.stop_on_reply, e.status::text, e.next_step_at, s.respect_business_hours
       FROM sequence_enrollments e
       LEFT JOIN outreach_sequence_steps s ON s.sequence_id = e.sequence_id AND s.step_number = e.current_step + 1
      WHERE e.journey_id = $1::uuid AND e.status IN ('ACTIVE', 'PAUSED')
      FOR UPDATE OF e`,
    [journeyId],
  );
}

/**
 * A reply on any channel stops every open enrollment of the lead whose pending step has
 * stop_on_reply (a WhatsApp reply stops the email steps too: it is the lead who answered, not the
 * channel). A pending step with stop_on_reply = false keeps going. An enrollment with no pending step
 * left is stopped as well. `channel` is recorded in the reason for the history.
 */
export async function stopOnReply(db: Db, journeyId: string, channel: Channel, options: { now?: Date; reason?: string } = {}): Promise<EnrollmentChange[]> {
  const open = await openEnrollmentsWithPendingStep(db, journeyId);
  const ids = open.filter((e) => e.stop_on_reply !== false).map((e) => e.id);
  return stopWhere(db, { ids, journeyIds: [journeyId] }, options.reason ?? `${STOP_REASONS.reply} (${channel})`, options.now ?? new Date());
}

/** An opt-out on any channel stops every open enrollment of the lead, whatever the step flags say. */
export async function stopOnOptOut(db: Db, journeyId: string, options: { channel?: Channel; now?: Date; reason?: string } = {}): Promise<EnrollmentChange[]> {
  const open = await openEnrollmentsWithPendingStep(db, journeyId);
  const reason = options.reason ?? (options.channel ? `${STOP_REASONS.optOut} (${options.channel})` : STOP_REASONS.optOut);
  return stopWhere(db, { ids: open.map((e) => e.id), journeyIds: [journeyId] }, reason, options.now ?? new Date());
}

/**
 * An out-of-office reply postpones the pending step of every ACTIVE enrollment to `until` (the
 * lead's return date), moved into the sending window if the step respects business hours. A step
 * already due later is left alone. Nothing is stopped: the lead has not answered.
 */
export async function postponeForOutOfOffice(
  tx: TenantTx,
  journeyId: string,
  until: Date,
  options: { calendar: OpeningCalendar; reason?: string },
): Promise<EnrollmentChange[]> {
  const open = await openEnrollmentsWithPendingStep(tx, journeyId);
  const changes: EnrollmentChange[] = [];
  const reason = options.reason ?? `out of office until ${until.toISOString()}`;
  for (const e of open) {
    if (e.status !== "ACTIVE") continue;
    const at = e.respect_business_hours === false ? until : options.calendar.nextOpening(until);
    if (e.next_step_at && e.next_step_at.getTime() >= at.getTime()) continue;
    const row = await tx.sequenceEnrollment.update({
      where: { id: e.id },
      data: { nextStepAt: at },
      select: { id: true, journeyId: true, leadId: true, sequenceId: true, currentStep: true },
    });
    await tx.goldLeadJourney.update({ where: { id: row.journeyId }, data: { nextActionAt: at, nextActionReason: reason }, select: { id: true } });
    changes.push(change(row, at));
  }
  return changes;
}

/**
 * Back to sequence (issue 15): the enrollment a reply stopped goes on, its pending step due per its
 * delay but not before `notBefore` (the date a LATER reply named, an out-of-office's return), moved
 * into the sending window when the step respects business hours. Only the latest enrollment stopped
 * by a reply, and only when the lead has no open enrollment (one open enrollment per lead). Null when
 * there is nothing to resume (no such enrollment, or its last step was sent). The caller moves the
 * lead back to its outreach state; the journey's next action says when and why (`reason`).
 */
export async function reopenAfterReply(
  tx: TenantTx,
  journeyId: string,
  input: { now: Date; notBefore: Date | null; calendar: OpeningCalendar; reason: string },
): Promise<EnrollmentChange | null> {
  await lockJourney(tx, { journeyId });
  const open = await tx.sequenceEnrollment.count({ where: { journeyId, status: { in: ["ACTIVE", "PAUSED"] } } });
  if (open > 0) return null;
  const e = await tx.sequenceEnrollment.findFirst({
    where: { journeyId, status: "STOPPED", stoppedReason: { startsWith: STOP_REASONS.reply } },
    orderBy: { stoppedAt: "desc" },
    select: { id: true, journeyId: true, leadId: true, sequenceId: true, currentStep: true, enrolledAt: true, lastStepAt: true },
  });
  if (!e) return null;
  const steps = await loadSteps(tx, e.sequenceId);
  const from = input.notBefore && input.notBefore.getTime() > input.now.getTime() ? input.notBefore : input.now;
  const next = nextStepFor({ currentStep: e.currentStep, enrolledAt: e.enrolledAt, lastStepAt: e.lastStepAt, steps }, from, input.calendar);
  if (!next) return null;
  await tx.sequenceEnrollment.update({ where: { id: e.id }, data: { status: "ACTIVE", stoppedAt: null, stoppedReason: null, pausedAt: null, nextStepAt: next.at } });
  await tx.goldLeadJourney.update({
    where: { id: e.journeyId },
    data: { currentSequenceId: e.sequenceId, sequenceStep: e.currentStep, sequencePaused: false, nextActionAt: next.at, nextActionReason: input.reason },
    select: { id: true },
  });
  return change(e, next.at);
}

/** Open enrollments of a journey, for the lead-state path (pause/dead) that acts on all of them. */
export async function openEnrollmentIds(tx: TenantTx, journeyId: string, statuses: EnrollmentStatus[] = ["ACTIVE", "PAUSED"]): Promise<string[]> {
  const rows = await tx.sequenceEnrollment.findMany({ where: { journeyId, status: { in: statuses } }, select: { id: true } });
  return rows.map((r) => r.id);
}

export async function stopAllForJourney(tx: TenantTx, journeyId: string, reason: string, now: Date): Promise<EnrollmentChange[]> {
  return stopWhere(tx, { ids: await openEnrollmentIds(tx, journeyId) }, reason, now);
}

export async function listEnrollments(tx: TenantTx, input: { sequenceId?: string; leadId?: string; status?: EnrollmentStatus; limit: number; cursor?: string }) {
  return tx.sequenceEnrollment.findMany({
    where: {
      ...(input.sequenceId ? { sequenceId: input.sequenceId } : {}),
      ...(input.leadId ? { leadId: input.leadId } : {}),
      ...(input.status ? { status: input.status } : {}),
    },
    orderBy: [{ enrolledAt: "desc" }, { id: "asc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      leadId: true,
      journeyId: true,
      sequenceId: true,
      status: true,
      currentStep: true,
      nextStepAt: true,
      lastStepAt: true,
      pausedAt: true,
      stoppedAt: true,
      stoppedReason: true,
      enrolledAt: true,
      completedAt: true,
      lead: { select: { denumire: true } },
    },
  });
}
