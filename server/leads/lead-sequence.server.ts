/**
 * Enroll one lead in a sequence, or stop one of its enrollments, from the lead page. The rules are the
 * sequences domain's (enrollLeads: who may be enrolled; stopEnrollment); here an outcome other than
 * ENROLLED becomes a coded error the page can say in words, and both are audited on the lead.
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { DomainError, notFound } from "../errors";
import { loadTenantCalendar } from "../quota/settings.server";
import { enrollLeads, stopEnrollment } from "../sequences/sequences.server";
import type { EnrollOutcome } from "../sequences/definition";
import type { LeadExpectation } from "./expectations";
import { lockLead } from "./lock-lead.server";

const REFUSALS: Record<Exclude<EnrollOutcome, "ENROLLED">, DomainError["kind"]> = {
  ALREADY_ENROLLED: "CONFLICT",
  OPTED_OUT: "PRECONDITION_FAILED",
  DO_NOT_CONTACT: "PRECONDITION_FAILED",
  NOT_ELIGIBLE: "PRECONDITION_FAILED",
  NOT_FOUND: "NOT_FOUND",
};

export async function enrollLead(
  tx: TenantTx,
  input: { tenantId: string; leadId: string; sequenceId: string; actor: Actor; now: Date; expected?: LeadExpectation },
): Promise<{ enrollmentId: string; nextStepAt: Date | null }> {
  const lead = await lockLead(tx, input.leadId, input.expected);
  const calendar = await loadTenantCalendar(tx, input.tenantId);
  const result = await enrollLeads(tx, { tenantId: input.tenantId, sequenceId: input.sequenceId, target: { leadIds: [input.leadId] }, now: input.now, calendar });
  const outcome = result.leads[0]?.outcome ?? "NOT_FOUND";
  if (outcome !== "ENROLLED") throw new DomainError(REFUSALS[outcome], `ENROLL_${outcome}`, `the lead cannot be enrolled: ${outcome}`, { outcome });
  const enrollment = await tx.sequenceEnrollment.findUniqueOrThrow({ where: { id: result.leads[0]!.enrollmentId! }, select: { id: true, nextStepAt: true } });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "lead.enroll",
    entityType: "gold_lead_journey",
    entityId: lead.journeyId,
    after: { sequenceId: input.sequenceId, enrollmentId: enrollment.id },
  });
  return { enrollmentId: enrollment.id, nextStepAt: enrollment.nextStepAt };
}

export async function stopLeadSequence(
  tx: TenantTx,
  input: { tenantId: string; leadId: string; enrollmentId: string; reason: string; actor: Actor; now: Date },
): Promise<{ stopped: boolean }> {
  const lead = await lockLead(tx, input.leadId);
  const enrollment = await tx.sequenceEnrollment.findUnique({ where: { id: input.enrollmentId }, select: { journeyId: true, sequenceId: true } });
  if (!enrollment || enrollment.journeyId !== lead.journeyId) throw notFound("enrollment", input.enrollmentId);
  const stopped = await stopEnrollment(tx, input.enrollmentId, input.reason, input.now);
  if (stopped) {
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "lead.sequence_stop",
      entityType: "gold_lead_journey",
      entityId: lead.journeyId,
      after: { sequenceId: enrollment.sequenceId, enrollmentId: input.enrollmentId },
    });
  }
  return { stopped: stopped !== null };
}
