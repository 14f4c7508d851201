/**
 * The checks of an import against what the tenant already has: a lead with the same CUI, phone or
 * e-mail (each lookup one statement over the whole file, on the (tenant_id, …) indexes), and the
 * do-not-contact list (phone on its last 9 digits, as dispatch matches it; address; address's domain).
 * Then the report the page shows before anything is written.
 */
import type { TenantTx } from "../../db/client.server";
import { emailDomain } from "../contact";
import { parseCsv, type CsvDelimiter } from "./csv";
import type { ImportMapping } from "./fields";
import { checkRows, IMPORT_ISSUES, type ImportIssue, type ImportIssueCode, type ImportLead } from "./validate";

/** Issues listed one by one in the report (all are counted). */
export const REPORT_ISSUE_LIMIT = 500;

export interface ImportReport {
  rows: number;
  /** Rows that would be imported. */
  valid: number;
  /** Rows with at least one problem: while there are any, nothing can be imported (all or nothing). */
  invalid: number;
  counts: Record<ImportIssueCode, number>;
  issues: ImportIssue[];
  /** Rows whose number of fields differed from the header's (informative: missing fields are empty). */
  ragged: number;
}

async function existingMatches(tx: TenantTx, tenantId: string, leads: readonly ImportLead[]): Promise<ImportIssue[]> {
  const cuis = leads.flatMap((l) => (l.cui ? [l.cui] : []));
  const phones = leads.flatMap((l) => (l.phone ? [l.phone] : []));
  const emails = leads.flatMap((l) => (l.email ? [l.email] : []));
  const byCui = cuis.length ? await tx.$queryRaw<Array<{ v: string }>>`SELECT cui AS v FROM gold_companies WHERE tenant_id = ${tenantId}::uuid AND cui = ANY(${cuis}::text[])` : [];
  const byPhone = phones.length
    ? await tx.$queryRaw<Array<{ v: string }>>`SELECT telefon_principal AS v FROM gold_companies WHERE tenant_id = ${tenantId}::uuid AND telefon_principal = ANY(${phones}::text[])`
    : [];
  const byEmail = emails.length
    ? await tx.$queryRaw<Array<{ v: string }>>`SELECT email_principal AS v FROM gold_companies WHERE tenant_id = ${tenantId}::uuid AND email_principal = ANY(${emails}::text[])`
    : [];
  const sets = { cui: new Set(byCui.map((r) => r.v)), phone: new Set(byPhone.map((r) => r.v)), email: new Set(byEmail.map((r) => r.v)) };
  const issues: ImportIssue[] = [];
  for (const lead of leads) {
    for (const field of ["cui", "phone", "email"] as const) {
      const value = lead[field];
      if (value && sets[field].has(value)) issues.push({ row: lead.row, field, code: "DUPLICATE_EXISTING", value });
    }
  }
  return issues;
}

async function doNotContactMatches(tx: TenantTx, leads: readonly ImportLead[]): Promise<ImportIssue[]> {
  const entries = await tx.doNotContact.findMany({ select: { type: true, value: true } });
  if (entries.length === 0) return [];
  const phones = new Set(entries.filter((e) => e.type === "PHONE").map((e) => e.value.replace(/\D/g, "").slice(-9)));
  const emails = new Set(entries.filter((e) => e.type === "EMAIL").map((e) => e.value.trim().toLowerCase()));
  const domains = new Set(entries.filter((e) => e.type === "DOMAIN").map((e) => e.value.trim().toLowerCase()));
  const issues: ImportIssue[] = [];
  for (const lead of leads) {
    if (lead.phone && phones.has(lead.phone.slice(-9))) issues.push({ row: lead.row, field: "phone", code: "DO_NOT_CONTACT", value: lead.phone });
    if (lead.email && (emails.has(lead.email) || domains.has(emailDomain(lead.email)))) issues.push({ row: lead.row, field: "email", code: "DO_NOT_CONTACT", value: lead.email });
  }
  return issues;
}

export interface CheckedImport {
  report: ImportReport;
  /** The rows to insert, in file order; only meaningful when report.invalid is 0. */
  leads: ImportLead[];
}

export async function checkImport(tx: TenantTx, input: { tenantId: string; content: string; delimiter: CsvDelimiter; mapping: ImportMapping }): Promise<CheckedImport> {
  const csv = parseCsv(input.content, input.delimiter);
  const rows = checkRows(csv.rows, input.mapping);
  const againstDb = [...(await existingMatches(tx, input.tenantId, rows.leads)), ...(await doNotContactMatches(tx, rows.leads))];
  const badRows = new Set(againstDb.map((i) => i.row));
  const issues = [...rows.issues, ...againstDb].sort((a, b) => a.row - b.row);
  const counts = Object.fromEntries(IMPORT_ISSUES.map((c) => [c, 0])) as Record<ImportIssueCode, number>;
  for (const issue of issues) counts[issue.code] += 1;
  const leads = rows.leads.filter((l) => !badRows.has(l.row));
  const invalid = new Set(issues.map((i) => i.row)).size;
  return {
    report: { rows: csv.rows.length, valid: leads.length, invalid, counts, issues: issues.slice(0, REPORT_ISSUE_LIMIT), ragged: csv.ragged.length },
    leads,
  };
}
