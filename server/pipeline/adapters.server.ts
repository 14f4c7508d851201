/**
 * The pipeline's ports (ports.ts) on top of the real domains: sequences (server/sequences), templates
 * (server/templates) and the lead state machine (server/lead-state). Only mapping lives here.
 */
import type { TenantTx } from "../db/client.server";
import { transitionLead } from "../lead-state/transition.server";
import { loadTenantCalendar } from "../quota/settings.server";
import { advanceAfterSend, enrollLeads } from "../sequences/sequences.server";
import { renderForLead } from "../templates/templates.server";
import type { LeadStatePort, NextSteps, PipelinePorts, SequencePort, SequenceStepRef, TemplatePort } from "./ports";

async function activeEnrollments(tx: TenantTx, journeyIds: string[]) {
  const rows = await tx.sequenceEnrollment.findMany({
    where: { journeyId: { in: journeyIds }, status: "ACTIVE" },
    orderBy: { enrolledAt: "desc" },
    select: { journeyId: true, sequenceId: true, currentStep: true },
  });
  const byJourney = new Map<string, { sequenceId: string; currentStep: number }>();
  for (const r of rows) if (!byJourney.has(r.journeyId)) byJourney.set(r.journeyId, r);
  return byJourney;
}

export const sequencesAdapter: SequencePort = {
  async nextStepsFor(tx, { tenantId, journeys, now }) {
    const result = new Map<string, SequenceStepRef | null>();
    let enrolled: NextSteps["enrolled"] = null;
    if (journeys.length === 0) return { steps: result, enrolled };
    const enrollments = await activeEnrollments(tx, journeys.map((j) => j.journeyId));
    // COLD leads found due without a sequence go into the tenant's default one (schema:
    // outreach_sequences.is_default), in one call through the sequences domain's enrolment rules.
    const missing = journeys.filter((j) => !enrollments.has(j.journeyId) && j.state === "COLD");
    if (missing.length > 0) {
      const fallback = await tx.outreachSequence.findFirst({ where: { isDefault: true, isActive: true }, select: { id: true }, orderBy: { createdAt: "asc" } });
      if (fallback) {
        const enrolment = await enrollLeads(tx, {
          tenantId,
          sequenceId: fallback.id,
          target: { leadIds: missing.map((j) => j.leadId) },
          now,
          calendar: await loadTenantCalendar(tx, tenantId),
          journeyWrite: "caller",
        });
        enrolled = enrolment.journeys;
        for (const [journeyId, e] of await activeEnrollments(tx, missing.map((j) => j.journeyId))) enrollments.set(journeyId, e);
      }
    }
    const wanted = [...new Set([...enrollments.values()].map((e) => `${e.sequenceId}:${e.currentStep + 1}`))].map((k) => {
      const [sequenceId, step] = k.split(":");
      return { sequenceId: sequenceId!, stepNumber: Number(step) };
    });
    const steps = wanted.length
      ? await tx.outreachSequenceStep.findMany({
          where: { OR: wanted },
          select: { sequenceId: true, stepNumber: true, channel: true, templateId: true, fallbackTemplateId: true, fallbackTemplate: { select: { channel: true } } },
        })
      : [];
    const stepByKey = new Map(steps.map((s) => [`${s.sequenceId}:${s.stepNumber}`, s]));
    for (const j of journeys) {
      const e = enrollments.get(j.journeyId);
      const step = e ? stepByKey.get(`${e.sequenceId}:${e.currentStep + 1}`) : undefined;
      result.set(
        j.journeyId,
        step
          ? {
              sequenceId: step.sequenceId,
              stepNumber: step.stepNumber,
              channel: step.channel,
              templateId: step.templateId,
              fallback: step.fallbackTemplateId && step.fallbackTemplate ? { templateId: step.fallbackTemplateId, channel: step.fallbackTemplate.channel } : null,
            }
          : null,
      );
    }
    return { steps: result, enrolled };
  },

  async advanceAfterSend(tx, { tenantId, journeyId, sequenceId, stepNumber, sentAt }) {
    const enrollment = await tx.sequenceEnrollment.findUnique({ where: { journeyId_sequenceId: { journeyId, sequenceId } }, select: { id: true, nextStepAt: true } });
    if (!enrollment) return { nextActionAt: null };
    const result = await advanceAfterSend(tx, { enrollmentId: enrollment.id, stepNumber, sentAt, calendar: await loadTenantCalendar(tx, tenantId) });
    if (result.advanced) return { nextActionAt: result.next?.at ?? null };
    // Already recorded (a retried finalisation) or stopped meanwhile: keep what the enrollment says.
    const fresh = await tx.sequenceEnrollment.findUnique({ where: { id: enrollment.id }, select: { status: true, nextStepAt: true } });
    return { nextActionAt: fresh?.status === "ACTIVE" ? fresh.nextStepAt : null };
  },
};

export const templatesAdapter: TemplatePort = {
  async render(tx, { templateId, leadId }) {
    const r = await renderForLead(tx, { templateId, leadId });
    return { text: r.rendered.text, ...(r.rendered.subject ? { subject: r.rendered.subject } : {}), templateVersionId: r.versionId };
  },
};

export const leadStateAdapter: LeadStatePort = {
  async transition(tx, { journeyId, to, actor, reason, metadata, at }) {
    await transitionLead(tx, { journeyId, to, actor, reason, metadata, at });
  },
};

export const pipelinePorts: PipelinePorts = { sequences: sequencesAdapter, templates: templatesAdapter, leadState: leadStateAdapter };
