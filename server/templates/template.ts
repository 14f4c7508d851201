/**
 * Templates as data: declared variables and validation (on save, and in the editor as the manager
 * types: this module runs in the browser too). Rendering for a lead and the A/B choice of a version are
 * render.server.ts; the repository (templates.server.ts) loads rows and calls both.
 */
import { z } from "zod";
import { DomainError } from "../errors";
import type { Channel } from "../generated/prisma/enums";
import {
  charLength,
  longestExpansion,
  nthVariantPath,
  parseSpintax,
  variableOffsets,
  variantCount,
  type SpinNode,
  type SpintaxIssue,
} from "./spintax";

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

/**
 * The choices of variant `k` of a text and its subject together (the editor cycles through them with
 * "another variant"): k runs over the body's variants first, then the subject's. Null when either does
 * not parse. `total` is how many combinations there are (capped like variantCount).
 */
export function variantChoices(content: string, subject: string | null, k: number): { replay: { content: number[]; subject: number[] }; index: number; total: number } | null {
  const body = parseSpintax(content);
  const head = subject?.trim() ? parseSpintax(subject) : null;
  if (!body.ok || (head && !head.ok)) return null;
  const bodyCount = variantCount(body.nodes);
  const headCount = head?.ok ? variantCount(head.nodes) : 1;
  const total = Math.min(1_000_000, bodyCount * headCount);
  const index = ((Math.trunc(k) % total) + total) % total;
  return {
    replay: {
      content: nthVariantPath(body.nodes, index % bodyCount),
      subject: head?.ok ? nthVariantPath(head.nodes, Math.floor(index / bodyCount) % headCount) : [],
    },
    index,
    total,
  };
}
