/**
 * Checking an import's rows before anything is written (pure; the checks against the database are in
 * validate.server.ts): each row becomes a lead to insert or a list of problems, each with the row's
 * number in the file (the header is row 1), the field and the value as written.
 */
import { isValidCui, normalizeCui } from "../cui";
import { normalizeEmail, normalizeRomanianPhone } from "../contact";
import { canonicalCounty } from "../counties";
import type { ImportField, ImportMapping } from "./fields";

export const IMPORT_ISSUES = [
  "MISSING_NAME",
  "BAD_CUI",
  "BAD_PHONE",
  "BAD_EMAIL",
  "NO_CONTACT",
  "BAD_AREA",
  "DUPLICATE_IN_FILE",
  "DUPLICATE_EXISTING",
  "DO_NOT_CONTACT",
] as const;
export type ImportIssueCode = (typeof IMPORT_ISSUES)[number];

export interface ImportIssue {
  /** Row in the file, the header being row 1. */
  row: number;
  field: ImportField;
  code: ImportIssueCode;
  value: string;
  /** For a duplicate inside the file: the row it repeats. */
  firstRow?: number;
}

/** A row ready to be inserted (values normalized). */
export interface ImportLead {
  row: number;
  name: string;
  cui: string | null;
  phone: string | null;
  email: string | null;
  county: string | null;
  locality: string | null;
  address: string | null;
  contactName: string | null;
  contactRole: string | null;
  caen: string | null;
  areaHa: number | null;
  website: string | null;
}

export interface RowCheck {
  leads: ImportLead[];
  issues: ImportIssue[];
}

/** `1.234,5` / `1234.5` / `12,5 ha` → number; null when empty; NaN when not a number. */
function parseArea(raw: string): number | null {
  const compact = raw.replace(/\s*ha$/i, "").replace(/\s/g, "");
  if (compact === "") return null;
  const normalized = /,\d{1,2}$/.test(compact) ? compact.replace(/\./g, "").replace(",", ".") : compact.replace(/,/g, "");
  return /^\d+(\.\d+)?$/.test(normalized) ? Number(normalized) : Number.NaN;
}

export function checkRows(rows: readonly string[][], mapping: ImportMapping): RowCheck {
  const leads: ImportLead[] = [];
  const issues: ImportIssue[] = [];
  const seen: Record<"cui" | "phone" | "email", Map<string, number>> = { cui: new Map(), phone: new Map(), email: new Map() };
  const cell = (row: readonly string[], field: ImportField): string => {
    const index = mapping[field];
    return index === undefined ? "" : (row[index] ?? "").trim();
  };
  rows.forEach((row, i) => {
    const rowNumber = i + 2;
    const problems: ImportIssue[] = [];
    const problem = (field: ImportField, code: ImportIssueCode, value: string, firstRow?: number) =>
      problems.push({ row: rowNumber, field, code, value, ...(firstRow ? { firstRow } : {}) });

    const name = cell(row, "name");
    if (!name) problem("name", "MISSING_NAME", "");
    const rawCui = cell(row, "cui");
    const cui = rawCui ? normalizeCui(rawCui) : null;
    if (rawCui && (!cui || !isValidCui(cui))) problem("cui", "BAD_CUI", rawCui);
    const rawPhone = cell(row, "phone");
    const phone = rawPhone ? normalizeRomanianPhone(rawPhone) : null;
    if (rawPhone && !phone) problem("phone", "BAD_PHONE", rawPhone);
    const rawEmail = cell(row, "email");
    const email = rawEmail ? normalizeEmail(rawEmail) : null;
    if (rawEmail && !email) problem("email", "BAD_EMAIL", rawEmail);
    if (!rawPhone && !rawEmail) problem("phone", "NO_CONTACT", "");
    const rawArea = cell(row, "areaHa");
    const areaHa = rawArea ? parseArea(rawArea) : null;
    if (areaHa !== null && Number.isNaN(areaHa)) problem("areaHa", "BAD_AREA", rawArea);

    for (const [field, value] of [["cui", cui && isValidCui(cui) ? cui : null], ["phone", phone], ["email", email]] as const) {
      if (!value) continue;
      const first = seen[field].get(value);
      if (first !== undefined) problem(field, "DUPLICATE_IN_FILE", field === "cui" ? rawCui : field === "phone" ? rawPhone : rawEmail, first);
      else seen[field].set(value, rowNumber);
    }

    if (problems.length > 0) {
      issues.push(...problems);
      return;
    }
    const county = cell(row, "county");
    leads.push({
      row: rowNumber,
      name,
      cui,
      phone,
      email,
      county: county ? (canonicalCounty(county) ?? county) : null,
      locality: cell(row, "locality") || null,
      address: cell(row, "address") || null,
      contactName: cell(row, "contactName") || null,
      contactRole: cell(row, "contactRole") || null,
      caen: cell(row, "caen") || null,
      areaHa: areaHa === null || Number.isNaN(areaHa) ? null : areaHa,
      website: cell(row, "website") || null,
    });
  });
  return { leads, issues };
}
