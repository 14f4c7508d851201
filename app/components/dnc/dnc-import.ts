/**
 * Reading a do-not-contact list from a CSV file in the browser (papaparse): UTF-8 with or without
 * Excel's BOM, ';' or ',' separators, a header row. Pure helpers, so the page stays thin and the
 * rules are unit-tested: which column holds values, what type each value is.
 */
import Papa from "papaparse";
import { dncKey } from "#server/dnc/keys";

export type DncType = "PHONE" | "EMAIL" | "DOMAIN";

export interface ParsedCsv {
  columns: string[];
  rows: Array<Record<string, string>>;
}

export function parseCsv(text: string): ParsedCsv {
  const result = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ""), { header: true, skipEmptyLines: "greedy", transformHeader: (h) => h.trim() });
  if (result.errors.some((e) => e.type === "Delimiter" && result.data.length === 0)) throw new Error("unparseable");
  const columns = (result.meta.fields ?? []).filter((c) => c !== "");
  if (columns.length === 0) throw new Error("no header");
  return { columns, rows: result.data };
}

/** A row's type when the file mixes them: an address has '@', a domain has a dot and no digits-only look, else a phone. */
export function detectType(value: string): DncType {
  const v = value.trim();
  if (v.includes("@")) return "EMAIL";
  if (/[a-z]/i.test(v) && v.includes(".")) return "DOMAIN";
  return "PHONE";
}

/** The column a person most likely wants: one named like phone/email/domain, else the first. */
export function guessValueColumn(columns: readonly string[]): string {
  return columns.find((c) => /telefon|phone|email|e-mail|mail|domeniu|domain|valoare|value|numar|număr/i.test(c)) ?? columns[0] ?? "";
}

export function guessReasonColumn(columns: readonly string[]): string {
  return columns.find((c) => /motiv|reason/i.test(c)) ?? "";
}

export interface ImportRow {
  type: DncType;
  value: string;
  reason: string | null;
}

/** Rows for the import procedure (the server validates again); blank values are left out. */
export function toImportRows(parsed: ParsedCsv, valueColumn: string, reasonColumn: string, type: DncType | "AUTO"): ImportRow[] {
  const rows: ImportRow[] = [];
  for (const row of parsed.rows) {
    const value = (row[valueColumn] ?? "").trim();
    if (!value) continue;
    const reason = reasonColumn ? (row[reasonColumn] ?? "").trim() || null : null;
    rows.push({ type: type === "AUTO" ? detectType(value) : type, value, reason });
  }
  return rows;
}

/** How many rows the server will refuse as invalid: shown in the preview, before anything is written. */
export function countInvalid(rows: readonly ImportRow[]): number {
  return rows.filter((r) => dncKey(r.type, r.value) === null).length;
}
