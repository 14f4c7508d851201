/**
 * The sequence builder's form, as plain data and pure functions (unit-tested): the steps a manager
 * arranges, their conversion to the procedure's input, and validation with the procedure's own rules
 * (server/sequences/definition.ts is isomorphic: the same zod schema and checkSteps run here as the
 * manager types and on the server when saving).
 */
import { channelSide, checkSteps, sequenceStepInput, STEP_CHANNELS, type SequenceIssue, type SequenceIssueCode, type SequenceStepInput, type StepTemplateInfo } from "#server/sequences/definition";

export type StepChannel = (typeof STEP_CHANNELS)[number];
export { STEP_CHANNELS, channelSide };

export interface StepDraft {
  /** Stable key for the list (drag and drop, React keys); not sent. */
  key: string;
  name: string;
  channel: StepChannel;
  templateId: string;
  fallbackTemplateId: string;
  delayDays: number;
  delayHours: number;
  delayMinutes: number;
  respectBusinessHours: boolean;
  stopOnReply: boolean;
}

export interface SequenceDraft {
  name: string;
  description: string;
  isDefault: boolean;
  steps: StepDraft[];
}

export interface TemplateOption extends StepTemplateInfo {
  name: string;
}

let keys = 0;
export const newStepKey = (): string => `step-${++keys}`;

export function emptyStep(previous: StepDraft | undefined, templates: readonly TemplateOption[]): StepDraft {
  const channel: StepChannel = previous?.channel ?? "WHATSAPP";
  const template = templates.find((t) => t.channel === channel && t.isActive);
  return {
    key: newStepKey(),
    name: "",
    channel,
    templateId: template?.id ?? "",
    fallbackTemplateId: "",
    // The first step goes at once; a follow-up three days later is the team's habit.
    delayDays: previous ? 3 : 0,
    delayHours: 0,
    delayMinutes: 0,
    respectBusinessHours: true,
    stopOnReply: true,
  };
}

/** From the stored sequence (delays in hours + minutes) to the form (days, hours, minutes). */
export function draftFromSequence(s: {
  name: string;
  description: string | null;
  isDefault: boolean;
  steps: ReadonlyArray<{ name: string | null; channel: string; templateId: string; fallbackTemplateId: string | null; delayHours: number; delayMinutes: number; respectBusinessHours: boolean; stopOnReply: boolean }>;
}): SequenceDraft {
  return {
    name: s.name,
    description: s.description ?? "",
    isDefault: s.isDefault,
    steps: s.steps.map((step) => {
      const totalMinutes = step.delayHours * 60 + step.delayMinutes;
      return {
        key: newStepKey(),
        name: step.name ?? "",
        channel: (STEP_CHANNELS as readonly string[]).includes(step.channel) ? (step.channel as StepChannel) : "WHATSAPP",
        templateId: step.templateId,
        fallbackTemplateId: step.fallbackTemplateId ?? "",
        delayDays: Math.floor(totalMinutes / (24 * 60)),
        delayHours: Math.floor((totalMinutes % (24 * 60)) / 60),
        delayMinutes: totalMinutes % 60,
        respectBusinessHours: step.respectBusinessHours,
        stopOnReply: step.stopOnReply,
      };
    }),
  };
}

/** The steps numbered by their order (the list's order is the sequence's order). */
export function toStepInputs(steps: readonly StepDraft[]): SequenceStepInput[] {
  return steps.map((s, i) => ({
    stepNumber: i + 1,
    name: s.name.trim() ? s.name.trim() : null,
    channel: s.channel,
    templateId: s.templateId,
    fallbackTemplateId: s.fallbackTemplateId ? s.fallbackTemplateId : null,
    delayHours: Math.trunc(s.delayDays) * 24 + Math.trunc(s.delayHours),
    delayMinutes: Math.trunc(s.delayMinutes),
    stopOnReply: s.stopOnReply,
    respectBusinessHours: s.respectBusinessHours,
  }));
}

export function moveStep(steps: readonly StepDraft[], from: number, to: number): StepDraft[] {
  if (from === to || from < 0 || to < 0 || from >= steps.length || to >= steps.length) return [...steps];
  const next = [...steps];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved!);
  return next;
}

/** What is wrong with a step's fields, by field: a code the page translates. */
export type StepFieldError = "TEMPLATE_REQUIRED" | "DELAY_INVALID" | SequenceIssueCode;

export interface DraftValidation {
  name: "NAME_REQUIRED" | "NAME_TOO_LONG" | null;
  /** Problems of the sequence as a whole (no steps). */
  sequence: SequenceIssueCode[];
  /** Per step index: the problems the procedure would report for that step. */
  steps: Array<{ template: StepFieldError | null; fallback: StepFieldError | null; delay: StepFieldError | null }>;
  valid: boolean;
}

/**
 * Validates the draft with the procedure's own schema and rules. `templates` are the tenant's
 * templates (the same list the server reads), so "not found", "inactive" and "wrong channel" are
 * reported here before saving.
 */
export function validateDraft(draft: SequenceDraft, templates: readonly TemplateOption[]): DraftValidation {
  const inputs = toStepInputs(draft.steps);
  const steps: DraftValidation["steps"] = draft.steps.map(() => ({ template: null, fallback: null, delay: null }));
  inputs.forEach((input, i) => {
    const step = draft.steps[i]!;
    if (!step.templateId) steps[i]!.template = "TEMPLATE_REQUIRED";
    const delays = [step.delayDays, step.delayHours, step.delayMinutes];
    if (delays.some((d) => !Number.isInteger(d) || d < 0) || step.delayHours > 23 || step.delayMinutes > 59) steps[i]!.delay = "DELAY_INVALID";
    else if (step.templateId && !sequenceStepInput.safeParse(input).success) steps[i]!.delay = "DELAY_INVALID";
  });
  const known = new Map(templates.map((t) => [t.id, t]));
  const issues: SequenceIssue[] = checkSteps(
    inputs.filter((s, i) => draft.steps[i]!.templateId),
    known,
  );
  const sequence: SequenceIssueCode[] = [];
  for (const issue of issues) {
    if (issue.stepNumber === null) {
      if (issue.code !== "STEP_NUMBERING") sequence.push(issue.code);
      continue;
    }
    const slot = steps[issue.stepNumber - 1];
    if (!slot) continue;
    if (issue.code.startsWith("FALLBACK")) slot.fallback ??= issue.code;
    else if (issue.code === "DELAY_TOO_LONG") slot.delay ??= issue.code;
    else slot.template ??= issue.code;
  }
  if (draft.steps.length === 0 && !sequence.includes("NO_STEPS")) sequence.push("NO_STEPS");
  const trimmed = draft.name.trim();
  const name = trimmed.length === 0 ? "NAME_REQUIRED" : trimmed.length > 200 ? "NAME_TOO_LONG" : null;
  const valid = name === null && sequence.length === 0 && steps.every((s) => !s.template && !s.fallback && !s.delay);
  return { name, sequence, steps, valid };
}

/** Templates a step may use: its channel's, active ones first (an inactive one stays listed when chosen). */
export function templatesFor(channel: StepChannel, templates: readonly TemplateOption[], chosen: string): TemplateOption[] {
  return templates.filter((t) => t.channel === channel && (t.isActive || t.id === chosen));
}

/** Fallback templates: the other side of WhatsApp ↔ email. */
export function fallbackTemplatesFor(channel: StepChannel, templates: readonly TemplateOption[], chosen: string): TemplateOption[] {
  const side = channelSide(channel);
  return templates.filter((t) => {
    const other = channelSide(t.channel);
    return other !== "OTHER" && other !== side && (t.isActive || t.id === chosen);
  });
}

/** Days/hours/minutes after enrollment at which each step is due at the earliest (before the sending window). */
export function cumulativeDelays(steps: readonly StepDraft[]): number[] {
  let total = 0;
  return steps.map((s) => {
    total += ((Math.max(0, s.delayDays) * 24 + Math.max(0, s.delayHours)) * 60 + Math.max(0, s.delayMinutes)) * 60_000;
    return total;
  });
}
