/**
 * A whole sequence's lifecycle: pause, resume, archive (instead of delete once it has history),
 * restore from the archive, delete while it has none. The rules for the enrollments are pause.ts; this
 * module loads the rows, applies the rules set-based, and keeps the journeys' mirror columns
 * (sequence_paused, next_action_at) in step, taking journey locks before enrollment rows
 * (server/db/lock-order.server.ts).
 */
import type { TenantTx } from "../db/client.server";
import { lockJourneys } from "../db/lock-order.server";
import { DomainError, notFound } from "../errors";
import type { CurrentState } from "../generated/prisma/enums";
import type { OpeningCalendar, StepTiming } from "./definition";
import { emptyImpact, resumeDecision, SEQUENCE_STOP_REASONS, type SequenceImpact } from "./pause";

const STEP_TIMING = { stepNumber: true, channel: true, templateId: true, delayHours: true, delayMinutes: true, stopOnReply: true, respectBusinessHours: true } as const;

export interface SequenceState {
  id: string;
  name: string;
  isActive: boolean;
  isDefault: boolean;
  pausedAt: Date | null;
  archivedAt: Date | null;
}

async function loadSequence(tx: TenantTx, sequenceId: string, lock = false): Promise<SequenceState> {
  // The sequence row first: two managers pausing and resuming at once take turns.
  if (lock) await tx.$queryRaw`SELECT 1 FROM outreach_sequences WHERE id = ${sequenceId}::uuid FOR UPDATE`;
  const s = await tx.outreachSequence.findUnique({
    where: { id: sequenceId },
    select: { id: true, name: true, isActive: true, isDefault: true, pausedAt: true, archivedAt: true },
  });
  if (!s) throw notFound("sequence", sequenceId);
  return s;
}

interface PausedRow {
  id: string;
  journey_id: string;
  current_step: number;
  enrolled_at: Date;
  last_step_at: Date | null;
  current_state: CurrentState;
}

async function pausedBySequence(tx: TenantTx, sequenceId: string): Promise<PausedRow[]> {
  return tx.$queryRaw<PausedRow[]>`
    SELECT e.id::text, e.journey_id::text, e.current_step, e.enrolled_at, e.last_step_at, j.current_state
      FROM sequence_enrollments e JOIN gold_lead_journey j ON j.id = e.journey_id
     WHERE e.sequence_id = ${sequenceId}::uuid AND e.status = 'PAUSED' AND e.paused_by_sequence
     ORDER BY e.journey_id`;
}

async function loadSteps(tx: TenantTx, sequenceId: string): Promise<StepTiming[]> {
  return tx.outreachSequenceStep.findMany({ where: { sequenceId }, orderBy: { stepNumber: "asc" }, select: STEP_TIMING });
}

/**
 * What pausing, resuming or archiving would touch now: the counts the confirm dialog lists. Reads only.
 */
export async function sequenceImpact(tx: TenantTx, sequenceId: string, now: Date, calendar: OpeningCalendar): Promise<SequenceImpact & { sequence: SequenceState }> {
  const sequence = await loadSequence(tx, sequenceId);
  const impact = emptyImpact();
  const rows = await tx.$queryRaw<Array<{ status: string; by_sequence: boolean; n: number }>>`
    SELECT status::text, paused_by_sequence AS by_sequence, count(*)::int AS n
      FROM sequence_enrollments WHERE sequence_id = ${sequenceId}::uuid GROUP BY 1, 2`;
  for (const r of rows) {
    if (r.status === "ACTIVE") impact.active += r.n;
    else if (r.status === "PAUSED" && r.by_sequence) impact.pausedBySequence += r.n;
    else if (r.status === "PAUSED") impact.pausedByPerson += r.n;
    else if (r.status === "COMPLETED") impact.completed += r.n;
    else if (r.status === "STOPPED") impact.stopped += r.n;
  }
  if (impact.pausedBySequence > 0) {
    const steps = await loadSteps(tx, sequenceId);
    for (const e of await pausedBySequence(tx, sequenceId)) {
      const d = resumeDecision({ currentStep: e.current_step, enrolledAt: e.enrolled_at, lastStepAt: e.last_step_at, leadState: e.current_state }, steps, now, calendar);
      if (d.kind === "LEAD_PAUSED") impact.leadPaused += 1;
      if (d.kind === "RESUME" && d.dueNow) impact.dueOnResume += 1;
    }
  }
  return { ...impact, sequence };
}

export interface PauseResult {
  sequenceId: string;
  /** ACTIVE enrollments paused with the sequence. */
  paused: number;
  changed: boolean;
}

/**
 * Pauses the sequence: no new enrollments, and its ACTIVE enrollments pause (marked as paused by the
 * sequence) with their journeys' next action cleared, so dispatch skips them. Idempotent.
 */
export async function pauseSequence(tx: TenantTx, sequenceId: string, now: Date): Promise<PauseResult> {
  const s = await loadSequence(tx, sequenceId, true);
  if (s.archivedAt) throw new DomainError("PRECONDITION_FAILED", "SEQUENCE_ARCHIVED", "the sequence is archived");
  const owners = await tx.$queryRaw<Array<{ journey_id: string }>>`
    SELECT DISTINCT journey_id::text FROM sequence_enrollments WHERE sequence_id = ${sequenceId}::uuid AND status = 'ACTIVE'`;
  const journeyIds = owners.map((o) => o.journey_id);
  // Journeys before their enrollments (server/db/lock-order.server.ts).
  await lockJourneys(tx, journeyIds);
  const paused = await tx.$queryRaw<Array<{ journey_id: string }>>`
    UPDATE sequence_enrollments
       SET status = 'PAUSED', paused_at = ${now}, paused_by_sequence = true, next_step_at = NULL, updated_at = now()
     WHERE sequence_id = ${sequenceId}::uuid AND status = 'ACTIVE'
     RETURNING journey_id::text`;
  if (paused.length > 0) {
    await tx.$executeRaw`
      UPDATE gold_lead_journey SET sequence_paused = true, next_action_at = NULL, next_action_reason = 'sequence paused', updated_at = now()
       WHERE id = ANY(${paused.map((p) => p.journey_id)}::uuid[])`;
  }
  const changed = s.isActive || s.pausedAt === null || paused.length > 0;
  if (s.isActive || s.pausedAt === null) {
    await tx.outreachSequence.update({ where: { id: sequenceId }, data: { isActive: false, pausedAt: now }, select: { id: true } });
  }
  return { sequenceId, paused: paused.length, changed };
}

export interface ResumeResult {
  sequenceId: string;
  resumed: number;
  /** Of resumed: due at once (their delay ran out while paused). */
  dueNow: number;
  completed: number;
  /** Left paused because the lead itself is paused. */
  leadPaused: number;
  stopped: number;
  changed: boolean;
}

/**
 * Resumes the sequence and the enrollments it had paused (pause.ts resumeDecision): each ACTIVE again
 * with its pending step due per its delay and the sending window. Idempotent.
 */
export async function resumeSequence(tx: TenantTx, sequenceId: string, now: Date, calendar: OpeningCalendar): Promise<ResumeResult> {
  const s = await loadSequence(tx, sequenceId, true);
  if (s.archivedAt) throw new DomainError("PRECONDITION_FAILED", "SEQUENCE_ARCHIVED", "the sequence is archived: restore it first");
  const result: ResumeResult = { sequenceId, resumed: 0, dueNow: 0, completed: 0, leadPaused: 0, stopped: 0, changed: !s.isActive || s.pausedAt !== null };
  if (!s.isActive || s.pausedAt !== null) {
    await tx.outreachSequence.update({ where: { id: sequenceId }, data: { isActive: true, pausedAt: null }, select: { id: true } });
  }
  const candidates = await pausedBySequence(tx, sequenceId);
  if (candidates.length === 0) return result;
  await lockJourneys(tx, candidates.map((c) => c.journey_id));
  // Re-read under the journey locks: a reply or a person may have changed them meanwhile.
  const rows = await pausedBySequence(tx, sequenceId);
  const steps = await loadSteps(tx, sequenceId);

  const resume: Array<{ id: string; journeyId: string; at: Date; reason: string; step: number }> = [];
  const complete: Array<{ id: string; journeyId: string }> = [];
  const leadPaused: string[] = [];
  const stop: Array<{ id: string; journeyId: string }> = [];
  for (const e of rows) {
    const d = resumeDecision({ currentStep: e.current_step, enrolledAt: e.enrolled_at, lastStepAt: e.last_step_at, leadState: e.current_state }, steps, now, calendar);
    if (d.kind === "RESUME") {
      resume.push({ id: e.id, journeyId: e.journey_id, at: d.at, reason: d.reason, step: e.current_step });
      if (d.dueNow) result.dueNow += 1;
    } else if (d.kind === "COMPLETE") complete.push({ id: e.id, journeyId: e.journey_id });
    else if (d.kind === "LEAD_PAUSED") leadPaused.push(e.id);
    else stop.push({ id: e.id, journeyId: e.journey_id });
  }

  if (resume.length > 0) {
    await tx.$executeRaw`
      UPDATE sequence_enrollments e SET status = 'ACTIVE', paused_at = NULL, paused_by_sequence = false, next_step_at = u.at, updated_at = now()
        FROM unnest(${resume.map((r) => r.id)}::uuid[], ${resume.map((r) => r.at)}::timestamptz[]) AS u(id, at)
       WHERE e.id = u.id`;
    await tx.$executeRaw`
      UPDATE gold_lead_journey j SET sequence_paused = false, current_sequence_id = ${sequenceId}::uuid, sequence_step = u.step,
             next_action_at = u.at, next_action_reason = u.reason, updated_at = now()
        FROM unnest(${resume.map((r) => r.journeyId)}::uuid[], ${resume.map((r) => r.at)}::timestamptz[], ${resume.map((r) => r.reason)}::text[], ${resume.map((r) => r.step)}::int[])
             AS u(id, at, reason, step)
       WHERE j.id = u.id`;
  }
  if (complete.length > 0) {
    await tx.$executeRaw`
      UPDATE sequence_enrollments SET status = 'COMPLETED', completed_at = ${now}, paused_at = NULL, paused_by_sequence = false, next_step_at = NULL, updated_at = now()
       WHERE id = ANY(${complete.map((c) => c.id)}::uuid[])`;
    await tx.$executeRaw`
      UPDATE gold_lead_journey SET sequence_paused = false, next_action_at = NULL, next_action_reason = 'sequence completed', updated_at = now()
       WHERE id = ANY(${complete.map((c) => c.journeyId)}::uuid[])`;
  }
  if (leadPaused.length > 0) {
    // The lead's own pause now holds them: resuming the lead resumes them (leads/state-effects.ts).
    await tx.$executeRaw`UPDATE sequence_enrollments SET paused_by_sequence = false, updated_at = now() WHERE id = ANY(${leadPaused}::uuid[])`;
  }
  if (stop.length > 0) {
    await tx.$executeRaw`
      UPDATE sequence_enrollments SET status = 'STOPPED', stopped_reason = ${SEQUENCE_STOP_REASONS.leftOutreach}, stopped_at = ${now}, paused_at = NULL,
             paused_by_sequence = false, next_step_at = NULL, updated_at = now()
       WHERE id = ANY(${stop.map((c) => c.id)}::uuid[])`;
    await tx.$executeRaw`
      UPDATE gold_lead_journey SET sequence_paused = false, next_action_at = NULL, next_action_reason = ${`sequence stopped: ${SEQUENCE_STOP_REASONS.leftOutreach}`}, updated_at = now()
       WHERE id = ANY(${stop.map((c) => c.journeyId)}::uuid[]) AND current_state <> 'PAUSED'`;
  }
  result.resumed = resume.length;
  result.completed = complete.length;
  result.leadPaused = leadPaused.length;
  result.stopped = stop.length;
  result.changed = result.changed || rows.length > 0;
  return result;
}

/** A sequence has history once any lead was enrolled or any message names it: then it is archived, not deleted. */
export async function sequenceHasHistory(tx: TenantTx, sequenceId: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<Array<{ history: boolean }>>`
    SELECT EXISTS (SELECT 1 FROM sequence_enrollments WHERE sequence_id = ${sequenceId}::uuid)
        OR EXISTS (SELECT 1 FROM gold_communication_log WHERE sequence_id = ${sequenceId}::uuid)
        OR EXISTS (SELECT 1 FROM email_campaigns WHERE sequence_id = ${sequenceId}::uuid)
        OR EXISTS (SELECT 1 FROM outreach_daily_step_stats WHERE sequence_id = ${sequenceId}::uuid) AS history`;
  return row?.history ?? false;
}

export interface ArchiveResult {
  sequenceId: string;
  /** Open enrollments (ACTIVE or PAUSED) stopped by the archive. */
  stopped: number;
  changed: boolean;
}

/**
 * Archives the sequence: inactive, hidden from the builder's list and from enrolment, no longer the
 * default, its open enrollments stopped. The rows stay for the log and the statistics. Idempotent.
 */
export async function archiveSequence(tx: TenantTx, sequenceId: string, now: Date): Promise<ArchiveResult> {
  const s = await loadSequence(tx, sequenceId, true);
  if (s.archivedAt) return { sequenceId, stopped: 0, changed: false };
  const owners = await tx.$queryRaw<Array<{ journey_id: string }>>`
    SELECT DISTINCT journey_id::text FROM sequence_enrollments WHERE sequence_id = ${sequenceId}::uuid AND status IN ('ACTIVE', 'PAUSED')`;
  await lockJourneys(tx, owners.map((o) => o.journey_id));
  const stopped = await tx.$queryRaw<Array<{ journey_id: string }>>`
    UPDATE sequence_enrollments
       SET status = 'STOPPED', stopped_reason = ${SEQUENCE_STOP_REASONS.archived}, stopped_at = ${now}, next_step_at = NULL, paused_at = NULL,
           paused_by_sequence = false, updated_at = now()
     WHERE sequence_id = ${sequenceId}::uuid AND status IN ('ACTIVE', 'PAUSED')
     RETURNING journey_id::text`;
  if (stopped.length > 0) {
    const ids = stopped.map((r) => r.journey_id);
    await tx.$executeRaw`
      UPDATE gold_lead_journey SET next_action_at = NULL, next_action_reason = ${`sequence stopped: ${SEQUENCE_STOP_REASONS.archived}`}, updated_at = now()
       WHERE id = ANY(${ids}::uuid[])`;
    // The flag also marks a PAUSED lead (lead-state); only the enrollment's own pause is lifted here.
    await tx.$executeRaw`UPDATE gold_lead_journey SET sequence_paused = false WHERE id = ANY(${ids}::uuid[]) AND current_state <> 'PAUSED'`;
  }
  await tx.outreachSequence.update({ where: { id: sequenceId }, data: { isActive: false, isDefault: false, archivedAt: now, pausedAt: s.pausedAt ?? now }, select: { id: true } });
  return { sequenceId, stopped: stopped.length, changed: true };
}

/** Brings an archived sequence back, paused: a manager resumes it when it should send again. */
export async function restoreSequence(tx: TenantTx, sequenceId: string): Promise<{ sequenceId: string; changed: boolean }> {
  const s = await loadSequence(tx, sequenceId, true);
  if (!s.archivedAt) return { sequenceId, changed: false };
  await tx.outreachSequence.update({ where: { id: sequenceId }, data: { archivedAt: null, isActive: false, pausedAt: s.pausedAt ?? new Date() }, select: { id: true } });
  return { sequenceId, changed: true };
}

/** Deletes a sequence that never had a lead or a message; one with history must be archived. */
export async function deleteSequence(tx: TenantTx, sequenceId: string): Promise<{ sequenceId: string }> {
  await loadSequence(tx, sequenceId, true);
  if (await sequenceHasHistory(tx, sequenceId)) {
    throw new DomainError("PRECONDITION_FAILED", "SEQUENCE_HAS_HISTORY", "the sequence has enrollments or messages: archive it instead");
  }
  await tx.outreachSequence.delete({ where: { id: sequenceId } });
  return { sequenceId };
}
