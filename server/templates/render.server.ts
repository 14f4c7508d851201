/**
 * Rendering a template for a lead and the A/B choice of a version: deterministic per lead (sha256 of
 * the lead and the version), so a retried send renders exactly what the first attempt did.
 */
import { DomainError } from "../errors";
import type { Channel } from "../generated/prisma/enums";
import { seededPicker, sha256Hex } from "./hash.server";
import { charLength, expand, parseSpintax, pathPicker } from "./spintax";
import { WHATSAPP_MAX_CHARS, type TemplateVariable } from "./template";

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

