/**
 * Templates as data: declared variables, validation on save, rendering for a lead, and the A/B choice
 * of a version. Pure; the repository (templates.server.ts) loads rows and calls these.
 */
import { z } from "zod";
import { DomainError } from "../errors";
import type { Channel } from "../generated/prisma/enums";
import {
  charLength,
  expand,
  longestExpansion,
  parseSpintax,
  pathPicker,
  variableOffsets,
  variantCount,
  type SpinNode,
  type SpintaxIssue,
} from "./spintax";
import { seededPicker, sha256Hex } from "./hash.server";

/** WhatsApp's limit for one text message (TimelinesAI passes it through). */
export const WHATSAPP_MAX_CHARS = 4096;
/**
 * Length assumed for a variable when measuring the longest expansion on save: the real value is not
 * known yet. Romanian company names in the registry rarely pass 80 characters; a longer default wins.
 */
export const VARIABLE_LENGTH_ESTIMATE = 80;

export const variableNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "letters, digits and _ only");

export const templateVariableSchema = z.object({
  name: variableNameSchema,
  required: z.boolean().default(false),
  /** Used when the lead has no value. A required variable with no (or a blank) default fails instead. */
  default: z.string().optional(),
});
export type TemplateVariable = z.infer<typeof templateVariableSchema>;
export const templateVariablesSchema = z.array(templateVariableSchema);

/** Reads the `variables` JSON column; rows written by hand that do not fit fail loudly, not silently. */
export function parseVariables(json: unknown): TemplateVariable[] {
  return templateVariablesSchema.parse(json ?? []);
}

export const isEmailChannel = (channel: Channel): boolean => channel === "EMAIL_COLD" || channel === "EMAIL_WARM";

// ---------------------------------------------------------------------------------------------------
// Validation on save

export type TemplateIssueCode =
  | SpintaxIssue["code"]
  | "UNKNOWN_VARIABLE"
  | "DUPLICATE_VARIABLE"
  | "WHATSAPP_TOO_LONG"
  | "SUBJECT_REQUIRED"
  | "EMPTY_CONTENT";

export interface TemplateIssue {
  code: TemplateIssueCode;
  field: "content" | "subject" | "variables";
  message: string;
  offset?: number;
  line?: number;
  column?: number;
}

export interface TemplateDraft {
  channel: Channel;
  subject: string | null | undefined;
  content: string;
  variables: readonly TemplateVariable[];
}

export interface TemplateCheck {
  issues: TemplateIssue[];
  /** For the editor: how long the longest variant may get, and how many variants there are. */
  longestLength: number | null;
  variants: number | null;
}

export function checkTemplate(draft: TemplateDraft): TemplateCheck {
  const issues: TemplateIssue[] = [];
  const declared = new Map<string, TemplateVariable>();
  for (const v of draft.variables) {
    if (declared.has(v.name)) issues.push({ code: "DUPLICATE_VARIABLE", field: "variables", message: `variable ${v.name} is declared twice` });
    declared.set(v.name, v);
  }

  const checkText = (field: "content" | "subject", source: string): SpinNode[] | null => {
    const parsed = parseSpintax(source);
    // With a syntax error there is no tree; variables are still found by pattern so every problem
    // is reported in one save attempt, not one per attempt.
    const refs = parsed.ok
      ? variableOffsets(parsed.nodes)
      : [...source.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)].map((m) => ({ name: m[1]!, offset: m.index }));
    if (!parsed.ok) for (const i of parsed.issues) issues.push({ field, ...i });
    for (const ref of refs) {
      if (!declared.has(ref.name)) {
        issues.push({ code: "UNKNOWN_VARIABLE", field, offset: ref.offset, message: `{{${ref.name}}} is used but not declared in the template's variables` });
      }
    }
    return parsed.ok ? parsed.nodes : null;
  };

  if (draft.content.trim() === "") issues.push({ code: "EMPTY_CONTENT", field: "content", message: "content is empty" });
  const nodes = checkText("content", draft.content);

  const subject = draft.subject?.trim() ? draft.subject : null;
  if (isEmailChannel(draft.channel) && !subject) issues.push({ code: "SUBJECT_REQUIRED", field: "subject", message: "an email template needs a subject" });
  if (subject) checkText("subject", subject);

  let longestLength: number | null = null;
  let variants: number | null = null;
  if (nodes) {
    longestLength = longestExpansion(nodes, (name) => Math.max(VARIABLE_LENGTH_ESTIMATE, charLength(declared.get(name)?.default ?? "")));
    variants = variantCount(nodes);
    if (draft.channel === "WHATSAPP" && longestLength > WHATSAPP_MAX_CHARS) {
      issues.push({
        code: "WHATSAPP_TOO_LONG",
        field: "content",
        message: `the longest variant can reach ${longestLength} characters (variables counted as ${VARIABLE_LENGTH_ESTIMATE}); WhatsApp allows ${WHATSAPP_MAX_CHARS}`,
      });
    }
  }
  return { issues, longestLength, variants };
}

/** Throws BAD_INPUT TEMPLATE_INVALID listing every issue, for procedures that save templates. */
export function assertValidTemplate(draft: TemplateDraft): TemplateCheck {
  const check = checkTemplate(draft);
  if (check.issues.length > 0) {
    throw new DomainError("BAD_INPUT", "TEMPLATE_INVALID", `template is invalid: ${check.issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`, {
      issues: check.issues,
    });
  }
  return check;
}

// ---------------------------------------------------------------------------------------------------
// Rendering

export type VariableValues = Readonly<Record<string, string | null | undefined>>;

export class TemplateVariableMissingError extends DomainError {
  constructor(readonly variables: string[]) {
    super("PRECONDITION_FAILED", "TEMPLATE_VARIABLE_MISSING", `required template variable(s) missing: ${variables.join(", ")}`, { variables });
    this.name = "TemplateVariableMissingError";
  }
}

export interface RenderInput {
  channel: Channel;
  subject: string | null;
  content: string;
  variables: readonly TemplateVariable[];
  values: VariableValues;
  /** lead id + template version id: the same lead always sees the same variant of the same version. */
  seed: string;
  /** Replay a recorded path instead of choosing (content and subject paths, as rendered before). */
  replay?: { content: number[]; subject: number[] };
}

export interface Rendered {
  text: string;
  subject: string | null;
  variantPath: { content: number[]; subject: number[] };
  /** sha256 (hex) of exactly what the lead receives: subject + blank line + text for email, text otherwise. */
  contentHash: string;
  /** Variables whose value came from the declared default (shown in the preview). */
  defaulted: string[];
}

export interface PreviewRendered extends Rendered {
  /** Required variables without a value; the text shows them as ⟦name⟧. A send would fail. */
  missing: string[];
}

/** Separate seeds for subject and body so a new subject does not reshuffle the body's variant. */
const subjectSeed = (seed: string) => `${seed}:subject`;

function resolveValue(v: TemplateVariable | undefined, raw: string | null | undefined): { value: string; source: "value" | "default" | "missing" } {
  if (raw !== null && raw !== undefined && raw.trim() !== "") return { value: raw.trim(), source: "value" };
  if (v?.default !== undefined && (!v.required || v.default.trim() !== "")) return { value: v.default, source: "default" };
  if (v && !v.required) return { value: "", source: "default" };
  return { value: "", source: "missing" };
}

function renderCore(input: RenderInput, onMissing: (name: string) => string): Rendered & { missing: string[] } {
  const declared = new Map(input.variables.map((v) => [v.name, v]));
  const missing = new Set<string>();
  const defaulted = new Set<string>();
  const value = (name: string): string => {
    const r = resolveValue(declared.get(name), input.values[name]);
    if (r.source === "missing") {
      missing.add(name);
      return onMissing(name);
    }
    if (r.source === "default") defaulted.add(name);
    return r.value;
  };
  const run = (source: string, seed: string, replay: number[] | undefined) => {
    const parsed = parseSpintax(source);
    if (!parsed.ok) throw new DomainError("PRECONDITION_FAILED", "TEMPLATE_INVALID", `template does not parse: ${parsed.issues[0]!.message}`, { issues: parsed.issues });
    return expand(parsed.nodes, replay ? pathPicker(replay) : seededPicker(seed), value);
  };

  const body = run(input.content, input.seed, input.replay?.content);
  const subjectSource = input.subject?.trim() ? input.subject : null;
  const subject = subjectSource ? run(subjectSource, subjectSeed(input.seed), input.replay?.subject) : null;
  const subjectText = subject ? subject.text.replace(/\s+/g, " ").trim() : null;
  return {
    text: body.text,
    subject: subjectText,
    variantPath: { content: body.path, subject: subject?.path ?? [] },
    contentHash: sha256Hex(subjectText === null ? body.text : `${subjectText}\n\n${body.text}`),
    defaulted: [...defaulted],
    missing: [...missing],
  };
}

/**
 * What the send pipeline calls. Never sends a blank: a required variable without value or default
 * throws TemplateVariableMissingError naming every such variable (the job dead-letters with that
 * reason); a WhatsApp text over the limit throws TEMPLATE_TOO_LONG.
 */
export function renderTemplate(input: RenderInput): Rendered {
  const r = renderCore(input, () => "");
  if (r.missing.length > 0) throw new TemplateVariableMissingError(r.missing);
  if (input.channel === "WHATSAPP" && charLength(r.text) > WHATSAPP_MAX_CHARS) {
    throw new DomainError("PRECONDITION_FAILED", "TEMPLATE_TOO_LONG", `rendered WhatsApp text is ${charLength(r.text)} characters; the limit is ${WHATSAPP_MAX_CHARS}`);
  }
  const { missing: _missing, ...rendered } = r;
  return rendered;
}

/** For the preview: renders anyway and marks what is missing, so a manager sees the gap in place. */
export function previewTemplate(input: RenderInput): PreviewRendered {
  return renderCore(input, (name) => `⟦${name}⟧`);
}

// ---------------------------------------------------------------------------------------------------
// A/B: which version a lead gets

export interface WeightedVersion {
  id: string;
  versionNumber: number;
  weight: number;
  isActive: boolean;
}

/**
 * Picks an active version with probability weight / sum(weights), deterministically per lead and
 * template: sha256(lead, template) is a point on the cumulative weights, in version-number order. The
 * same lead keeps its version while the set of versions and weights is unchanged.
 */
export function chooseVersion<V extends WeightedVersion>(versions: readonly V[], leadId: string, templateId: string): V | null {
  const candidates = versions.filter((v) => v.isActive && v.weight > 0).sort((a, b) => a.versionNumber - b.versionNumber);
  const total = candidates.reduce((sum, v) => sum + v.weight, 0);
  if (total === 0) return null;
  const digest = sha256Hex(`${leadId}\u0000${templateId}`);
  // 48 bits of the hash: uniform enough for any realistic total weight, and exact in a double.
  const point = Number.parseInt(digest.slice(0, 12), 16) % total;
  let acc = 0;
  for (const v of candidates) {
    acc += v.weight;
    if (point < acc) return v;
  }
  return candidates[candidates.length - 1]!;
}

/** The seed for spintax choices: lead id + template version id (so a new version may vary anew). */
export const variantSeed = (leadId: string, templateVersionId: string): string => `${leadId}:${templateVersionId}`;

/** The values a lead offers to templates, from its company row. */
export function leadVariableValues(lead: {
  denumire: string;
  contactPrincipalNume: string | null;
  judet: string | null;
  localitate: string | null;
}): Record<string, string | null> {
  return { companyName: lead.denumire, contactName: lead.contactPrincipalNume, judet: lead.judet, localitate: lead.localitate };
}
