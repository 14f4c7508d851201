/**
 * Everything the lead page shows about one lead except its timeline (timeline.server.ts): the company
 * card, owner, state, what holds the automation back (a person holding the lead, a review, a pause,
 * opt-outs, the do-not-contact list), the sequence enrollments with their next step, the lead's phone,
 * the legal basis and source of the data, and the automation's last decision.
 *
 * A lead id that is not the caller's tenant's (row-level security hides it) answers NOT_FOUND, the same
 * as an id that does not exist: the page turns both into a 404.
 */
import { withTenant, type TenantTx } from "../db/client.server";
import { dncStatusOf } from "../dnc/dnc.server";
import { notFound } from "../errors";
import type { Channel, CurrentState, EmailStatus, EnrollmentStatus, PhoneStatus, ReviewPriority, ReviewReason } from "../generated/prisma/enums";
import { allowedTargets } from "../lead-state/transitions";

export interface LeadDetail {
  leadId: string;
  journeyId: string;
  erasedAt: Date | null;
  company: {
    name: string;
    cui: string | null;
    county: string | null;
    locality: string | null;
    address: string | null;
    caen: string | null;
    farmedAreaHa: number | null;
    contactName: string | null;
    contactRole: string | null;
    phone: string | null;
    /** HLR: null = not checked. */
    phoneReachable: boolean | null;
    email: string | null;
    emailStatus: EmailStatus;
    website: string | null;
    createdAt: Date;
  };
  /** Where the data came from and on what ground it is processed (Gold-stage import, a CSV file …). */
  provenance: { source: string | null; legalBasis: string | null };
  state: { current: CurrentState; previous: CurrentState | null; changedAt: Date | null; reason: string | null; allowedNext: CurrentState[] };
  owner: { id: string; name: string } | null;
  humanControlled: boolean;
  review: { required: boolean; reason: ReviewReason | null; priority: ReviewPriority | null; open: number };
  sequencePaused: boolean;
  optedOut: { whatsapp: boolean; email: boolean };
  doNotContact: { phone: boolean; email: boolean; domain: boolean };
  phone: { id: string; label: string; number: string; status: PhoneStatus; enabled: boolean } | null;
  enrollments: Array<{
    id: string;
    sequenceId: string;
    sequenceName: string;
    status: EnrollmentStatus;
    currentStep: number;
    totalSteps: number;
    nextStepAt: Date | null;
    nextStep: { number: number; channel: Channel; templateName: string } | null;
    stoppedReason: string | null;
    enrolledAt: Date;
  }>;
  nextAction: { at: Date | null; reason: string | null };
  contact: { first: Date | null; last: Date | null; lastReply: Date | null; firstChannel: Channel | null; lastChannel: Channel | null; isNewContact: boolean };
  counters: { replies: number; opens: number; clicks: number; sentiment: number; engagement: number };
  /** The journey's last decision: the automation's, or a person's message (stage "manual", `by` who asked). */
  lastDecision: { at: Date | null; outcome: Record<string, unknown> | null; by: { id: string; name: string } | null };
  /** When the journey last changed (shown as "updated"); actions guard on what they change, not on this. */
  updatedAt: Date;
}

interface ProvenanceRow {
  source: string | null;
  legal_basis: string | null;
}

export async function getLeadDetail(tx: TenantTx, leadId: string): Promise<LeadDetail> {
  const company = await tx.goldCompany.findUnique({
    where: { id: leadId },
    select: {
      id: true,
      denumire: true,
      cui: true,
      judet: true,
      localitate: true,
      adresa: true,
      codCaen: true,
      suprafataAgricolaHa: true,
      contactPrincipalNume: true,
      contactPrincipalFunctie: true,
      telefonPrincipal: true,
      hlrReachable: true,
      emailPrincipal: true,
      emailStatus: true,
      website: true,
      gdprErasedAt: true,
      createdAt: true,
      journeys: {
        take: 1,
        select: {
          id: true,
          currentState: true,
          previousState: true,
          stateChangedAt: true,
          stateChangeReason: true,
          isHumanControlled: true,
          requiresHumanReview: true,
          humanReviewReason: true,
          humanReviewPriority: true,
          sequencePaused: true,
          whatsappOptedOut: true,
          emailOptedOut: true,
          nextActionAt: true,
          nextActionReason: true,
          firstContactAt: true,
          lastContactAt: true,
          lastReplyAt: true,
          firstContactChannel: true,
          lastChannelUsed: true,
          isNewContact: true,
          replyCount: true,
          openCount: true,
          clickCount: true,
          sentimentScore: true,
          engagementScore: true,
          lastDispatchAt: true,
          lastDispatchOutcome: true,
          updatedAt: true,
          assignedUser: { select: { id: true, name: true } },
          assignedPhone: { select: { id: true, label: true, phoneNumber: true, status: true, isEnabled: true } },
        },
      },
    },
  });
  const journey = company?.journeys[0];
  if (!company || !journey) throw notFound("lead", leadId);
  const lastOutcome = (journey.lastDispatchOutcome as Record<string, unknown> | null) ?? null;
  const decidedBy = requestedByOf(lastOutcome);

  const enrollments = await tx.sequenceEnrollment.findMany({
    where: { journeyId: journey.id },
    orderBy: [{ enrolledAt: "desc" }, { id: "asc" }],
    take: 10,
    select: {
      id: true,
      sequenceId: true,
      status: true,
      currentStep: true,
      nextStepAt: true,
      stoppedReason: true,
      enrolledAt: true,
      sequence: { select: { name: true, steps: { orderBy: { stepNumber: "asc" }, select: { stepNumber: true, channel: true, template: { select: { name: true } } } } } },
    },
  });
  const openReviews = await tx.humanReviewQueue.count({ where: { journeyId: journey.id, status: { in: ["PENDING", "ASSIGNED", "IN_PROGRESS", "ESCALATED"] } } });
  // gold_companies.source (its shapes: provenance.ts) and legal_basis: the leads_list migration.
  const provenance = await tx.$queryRaw<ProvenanceRow[]>`SELECT c.source, c.legal_basis FROM gold_companies c WHERE c.id = ${leadId}::uuid`;
  const dnc = await dncStatusOf(tx, { phone: company.telefonPrincipal, email: company.emailPrincipal });
  const decider = decidedBy ? await tx.user.findUnique({ where: { id: decidedBy }, select: { id: true, name: true } }) : null;

  return {
    leadId: company.id,
    journeyId: journey.id,
    erasedAt: company.gdprErasedAt,
    company: {
      name: company.denumire,
      cui: company.cui,
      county: company.judet,
      locality: company.localitate,
      address: company.adresa,
      caen: company.codCaen,
      farmedAreaHa: company.suprafataAgricolaHa === null ? null : Number(company.suprafataAgricolaHa),
      contactName: company.contactPrincipalNume,
      contactRole: company.contactPrincipalFunctie,
      phone: company.telefonPrincipal,
      phoneReachable: company.hlrReachable,
      email: company.emailPrincipal,
      emailStatus: company.emailStatus,
      website: company.website,
      createdAt: company.createdAt,
    },
    provenance: { source: provenance[0]?.source ?? null, legalBasis: provenance[0]?.legal_basis ?? null },
    state: {
      current: journey.currentState,
      previous: journey.previousState,
      changedAt: journey.stateChangedAt,
      reason: journey.stateChangeReason,
      allowedNext: allowedTargets(journey.currentState, journey.previousState),
    },
    owner: journey.assignedUser,
    humanControlled: journey.isHumanControlled,
    review: { required: journey.requiresHumanReview, reason: journey.humanReviewReason, priority: journey.humanReviewPriority, open: openReviews },
    sequencePaused: journey.sequencePaused,
    optedOut: { whatsapp: journey.whatsappOptedOut, email: journey.emailOptedOut },
    doNotContact: dnc,
    phone: journey.assignedPhone
      ? { id: journey.assignedPhone.id, label: journey.assignedPhone.label, number: journey.assignedPhone.phoneNumber, status: journey.assignedPhone.status, enabled: journey.assignedPhone.isEnabled }
      : null,
    enrollments: enrollments.map((e) => {
      const next = e.status === "ACTIVE" || e.status === "PAUSED" ? e.sequence.steps.find((s) => s.stepNumber === e.currentStep + 1) : undefined;
      return {
        id: e.id,
        sequenceId: e.sequenceId,
        sequenceName: e.sequence.name,
        status: e.status,
        currentStep: e.currentStep,
        totalSteps: e.sequence.steps.length,
        nextStepAt: e.nextStepAt,
        nextStep: next ? { number: next.stepNumber, channel: next.channel, templateName: next.template.name } : null,
        stoppedReason: e.stoppedReason,
        enrolledAt: e.enrolledAt,
      };
    }),
    nextAction: { at: journey.nextActionAt, reason: journey.nextActionReason },
    contact: {
      first: journey.firstContactAt,
      last: journey.lastContactAt,
      lastReply: journey.lastReplyAt,
      firstChannel: journey.firstContactChannel,
      lastChannel: journey.lastChannelUsed,
      isNewContact: journey.isNewContact,
    },
    counters: { replies: journey.replyCount, opens: journey.openCount, clicks: journey.clickCount, sentiment: journey.sentimentScore, engagement: journey.engagementScore },
    lastDecision: { at: journey.lastDispatchAt, outcome: lastOutcome, by: decider ?? null },
    updatedAt: journey.updatedAt,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who asked for a person's message (DispatchOutcome.manual.requestedBy), when the decision is one. */
function requestedByOf(outcome: Record<string, unknown> | null): string | null {
  const manual = outcome?.manual;
  if (typeof manual !== "object" || manual === null) return null;
  const by = (manual as { requestedBy?: unknown }).requestedBy;
  return typeof by === "string" && UUID.test(by) ? by : null;
}

/** The lead's journey id (and whether it exists in the caller's tenant), for use cases that start from a lead id. */
export async function journeyOfLead(tx: TenantTx, leadId: string): Promise<{ journeyId: string }> {
  const journey = await tx.goldLeadJourney.findFirst({ where: { leadId }, select: { id: true } });
  if (!journey) throw notFound("lead", leadId);
  return { journeyId: journey.id };
}

/** Whether the lead page may render for this id: the lead exists and row-level security shows it to the tenant. */
export async function leadIsVisible(tenantId: string, leadId: string): Promise<boolean> {
  return withTenant(tenantId, async (tx) => (await tx.goldLeadJourney.count({ where: { leadId } })) > 0);
}
