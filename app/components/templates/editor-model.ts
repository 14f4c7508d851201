/**
 * The template editor's pure parts (unit-tested): which tokens of the text to colour and which to mark
 * as errors, the issues in Romanian order, and the lead fields a variable can come from. The checks
 * themselves are the server's (server/templates/template.ts checkTemplate, isomorphic).
 */
import { spintaxTokens, type SpintaxToken } from "#server/templates/spintax";
import type { TemplateIssue } from "#server/templates/template";

export { checkTemplate, WHATSAPP_MAX_CHARS, isEmailChannel, type TemplateIssue, type TemplateVariable } from "#server/templates/template";
export { charLength } from "#server/templates/spintax";

/** The lead fields templates can use (server/templates/template.ts leadVariableValues), in picker order. */
export const LEAD_FIELDS = ["companyName", "contactName", "localitate", "judet"] as const;
export type LeadField = (typeof LEAD_FIELDS)[number];

export interface MarkedToken extends SpintaxToken {
  error: boolean;
}

/**
 * Tokens of `source` with the ones an issue points at marked: a brace the parser reports (unclosed,
 * empty or one-option group), a stray `}` or a malformed `{{ }}`, and a variable that is not declared.
 */
export function markedTokens(source: string, issues: readonly TemplateIssue[], field: "content" | "subject"): MarkedToken[] {
  const offsets = new Set(issues.filter((i) => i.field === field && i.offset !== undefined).map((i) => i.offset!));
  return spintaxTokens(source).map((token) => ({
    ...token,
    error: token.kind === "invalid" || ((token.kind === "open" || token.kind === "variable") && offsets.has(token.start)),
  }));
}

/** The variable name an UNKNOWN_VARIABLE issue points at (read from the text at its offset). */
export function variableAt(source: string, offset: number | undefined): string | null {
  if (offset === undefined) return null;
  const m = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/.exec(source.slice(offset, offset + 200));
  return m ? m[1]! : null;
}

/** Inserts `text` at the selection, returning the new value and where the caret goes. */
export function insertAt(value: string, start: number, end: number, text: string): { value: string; caret: number } {
  const s = Math.max(0, Math.min(start, value.length));
  const e = Math.max(s, Math.min(end, value.length));
  return { value: value.slice(0, s) + text + value.slice(e), caret: s + text.length };
}
