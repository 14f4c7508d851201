/**
 * Sequences as data (seeds F2.1.1.T006): ordered steps, each with a channel, a template, a delay
 * after the previous step (after enrollment for step 1), and the two flags stop_on_reply and
 * respect_business_hours (both default true). A step may also name a fallback template of the other
 * channel (WhatsApp ↔ email), sent instead when the step's own channel is unusable for a lead
 * (server/pipeline/rules/channel.ts `channelForStep`). Pure validation and timing; the repository
 * (sequences.server.ts) loads and writes rows.
 */
import { z } from "zod";
import { DomainError } from "../errors";
import type { Channel } from "../generated/prisma/enums";

/** Channels a sequence step can send on: the automated ones (PHONE and MANUAL are people's work). */
export const STEP_CHANNELS = ["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"] as const satisfies readonly Channel[];

/** A year: longer delays are typos (hours entered as minutes × 60), not follow-up plans. */
const MAX_DELAY_MINUTES_TOTAL = 365 * 24 * 60;

export const sequenceStepInput = z.object({
  stepNumber: z.number().int().min(1),
  name: z.string().trim().max(200).nullish(),
  channel: z.enum(STEP_CHANNELS),
  templateId: z.uuid(),
  /** A template of the other channel, used when the step's channel is unusable for a lead. */
  fallbackTemplateId: z.uuid().nullish(),
  delayHours: z.number().int().min(0).max(24 * 365).default(0),
  delayMinutes: z.number().int().min(0).max(59 * 24 * 365).default(0),
  stopOnReply: z.boolean().default(true),
  respectBusinessHours: z.boolean().default(true),
});
export type SequenceStepInput = z.infer<typeof sequenceStepInput>;

export interface StepTemplateInfo {
  id: string;
  channel: Channel;
  isActive: boolean;
}

export type SequenceIssueCode =
  | "NO_STEPS"
  | "STEP_NUMBERING"
  | "TEMPLATE_NOT_FOUND"
  | "TEMPLATE_CHANNEL_MISMATCH"
  | "TEMPLATE_INACTIVE"
  | "FALLBACK_TEMPLATE_NOT_FOUND"
  | "FALLBACK_TEMPLATE_SAME_CHANNEL"
  | "FALLBACK_TEMPLATE_INACTIVE"
  | "DELAY_TOO_LONG";

/**
 * WhatsApp and email are the two sides a fallback crosses. The two emails are one side: channel
 * selection already moves an email step between cold and warm with the step's own template.
 */
export function channelSide(channel: Channel): "WHATSAPP" | "EMAIL" | "OTHER" {
  if (channel === "WHATSAPP") return "WHATSAPP";
  if (channel === "EMAIL_COLD" || channel === "EMAIL_WARM") return "EMAIL";
  return "OTHER";
}

export interface SequenceIssue {
  code: SequenceIssueCode;
  stepNumber: number | null;
  message: string;
}

/**
 * Steps must be numbered 1..n with no gaps or repeats (in any order in the input: the numbers are the
 * order), each template must exist in the tenant, be active and be for the step's channel. A fallback
 * template must exist in the tenant, be active and be for the other side (WhatsApp ↔ email).
 * `templates` holds the tenant's templates only (the caller reads them under row-level security),
 * so another tenant's template is "not found".
 */
export function checkSteps(steps: readonly SequenceStepInput[], templates: ReadonlyMap<string, StepTemplateInfo>): SequenceIssue[] {
  const issues: SequenceIssue[] = [];
  if (steps.length === 0) issues.push({ code: "NO_STEPS", stepNumber: null, message: "a sequence needs at least one step" });
  const numbers = steps.map((s) => s.stepNumber).sort((a, b) => a - b);
  const expected = numbers.map((_, i) => i + 1);
  if (numbers.some((n, i) => n !== expected[i])) {
    issues.push({ code: "STEP_NUMBERING", stepNumber: null, message: `steps must be numbered 1..${steps.length} without gaps or repeats (got ${numbers.join(", ")})` });
  }
  for (const s of steps) {
    const t = templates.get(s.templateId);
    if (!t) issues.push({ code: "TEMPLATE_NOT_FOUND", stepNumber: s.stepNumber, message: `step ${s.stepNumber}: template not found` });
    else {
      if (t.channel !== s.channel) {
        issues.push({ code: "TEMPLATE_CHANNEL_MISMATCH", stepNumber: s.stepNumber, message: `step ${s.stepNumber} sends on ${s.channel} but its template is for ${t.channel}` });
      }
      if (!t.isActive) issues.push({ code: "TEMPLATE_INACTIVE", stepNumber: s.stepNumber, message: `step ${s.stepNumber}: template is inactive` });
    }
    if (s.fallbackTemplateId) {
      const f = templates.get(s.fallbackTemplateId);
      if (!f) issues.push({ code: "FALLBACK_TEMPLATE_NOT_FOUND", stepNumber: s.stepNumber, message: `step ${s.stepNumber}: fallback template not found` });
      else {
        const stepSide = channelSide(s.channel);
        const fallbackSide = channelSide(f.channel);
        if (fallbackSide === "OTHER" || fallbackSide === stepSide) {
          issues.push({
            code: "FALLBACK_TEMPLATE_SAME_CHANNEL",
            stepNumber: s.stepNumber,
            message: `step ${s.stepNumber} sends on ${s.channel}: its fallback template must be for ${stepSide === "WHATSAPP" ? "email" : "WhatsApp"}, not ${f.channel}`,
          });
        }
        if (!f.isActive) issues.push({ code: "FALLBACK_TEMPLATE_INACTIVE", stepNumber: s.stepNumber, message: `step ${s.stepNumber}: fallback template is inactive` });
      }
    }
    if (s.delayHours * 60 + s.delayMinutes > MAX_DELAY_MINUTES_TOTAL) {
      issues.push({ code: "DELAY_TOO_LONG", stepNumber: s.stepNumber, message: `step ${s.stepNumber}: delay over a year` });
    }
  }
  return issues;
}

export function assertValidSteps(steps: readonly SequenceStepInput[], templates: ReadonlyMap<string, StepTemplateInfo>): void {
  const issues = checkSteps(steps, templates);
  if (issues.length > 0) {
    throw new DomainError("BAD_INPUT", "SEQUENCE_INVALID", `sequence is invalid: ${issues.map((i) => i.message).join("; ")}`, { issues });
  }
}

// ---------------------------------------------------------------------------------------------------
// Timing

export interface StepTiming {
  stepNumber: number;
  channel: Channel;
  templateId: string;
  delayHours: number;
  delayMinutes: number;
  stopOnReply: boolean;
  respectBusinessHours: boolean;
}

export interface EnrollmentTiming {
  /** Last step sent; 0 = none yet. */
  currentStep: number;
  enrolledAt: Date;
  lastStepAt: Date | null;
  steps: readonly StepTiming[];
}

/** What the timing needs from the Quota Guardian's calendar (server/quota/window.ts SendingCalendar). */
export interface OpeningCalendar {
  nextOpening(instant: Date): Date;
}

export interface NextStep {
  step: StepTiming;
  /** When the step is due: never before `now`. */
  at: Date;
  /** Why `at` has its value, for the journey's next_action_reason. */
  reason: string;
}

/**
 * The step after the enrollment's current one and when it is due: the previous step's send time (the
 * enrollment time for step 1) plus the step's delay, never earlier than `now` (a resumed or postponed
 * enrollment is due at once, not in the past), then moved to the next opening of the sending window
 * if the step respects business hours. Null when every step has been sent.
 */
export function nextStepFor(enrollment: EnrollmentTiming, now: Date, calendar: OpeningCalendar): NextStep | null {
  const step = enrollment.steps.find((s) => s.stepNumber === enrollment.currentStep + 1);
  if (!step) return null;
  const base = enrollment.currentStep === 0 ? enrollment.enrolledAt : (enrollment.lastStepAt ?? enrollment.enrolledAt);
  const delayMs = (step.delayHours * 60 + step.delayMinutes) * 60_000;
  const due = new Date(Math.max(base.getTime() + delayMs, now.getTime()));
  if (!step.respectBusinessHours) return { step, at: due, reason: `sequence step ${step.stepNumber} due` };
  const opening = calendar.nextOpening(due);
  const moved = opening.getTime() > due.getTime();
  return { step, at: opening, reason: moved ? `sequence step ${step.stepNumber} due; moved to the next opening of the sending window` : `sequence step ${step.stepNumber} due` };
}

/** What enrolling did with each lead (sequences.server.ts enrollLeads). */
export const ENROLL_OUTCOMES = ["ENROLLED", "ALREADY_ENROLLED", "OPTED_OUT", "DO_NOT_CONTACT", "NOT_ELIGIBLE", "NOT_FOUND"] as const;
export type EnrollOutcome = (typeof ENROLL_OUTCOMES)[number];

/** Leads one enrollment call takes at most. */
export const MAX_ENROLL_BATCH = 5000;
