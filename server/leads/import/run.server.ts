/**
 * Importing a validated CSV (the leads.import job's use case): every row checked again (the tenant's
 * leads and do-not-contact list may have changed since the person read the report), then inserted in
 * ONE transaction: a company and its journey (COLD, due for dispatch) per row, each company with its
 * source (`CSV:<file name>`) and legal basis. Rows go in as multi-row INSERT … SELECT FROM unnest()
 * statements of IMPORT_CHUNK rows (every column one array parameter), companies and journeys in one
 * statement per chunk. Any problem row now, or any error, and nothing is written; the operation says why.
 * The file's text is emptied once imported (it holds personal data); name, counts and report stay.
 */
import { recordAudit } from "../../audit/audit.server";
import type { Clock } from "../../clock";
import { withTenant, type TenantTx } from "../../db/client.server";
import { DomainError } from "../../errors";
import { progressReporter, type ProgressReporter } from "../bulk/progress.server";
import { csvSource } from "../provenance";
import type { CsvDelimiter } from "./csv";
import { importMapping } from "./fields";
import type { ImportLead } from "./validate";
import { checkImport } from "./validate.server";

export const IMPORT_CHUNK = 5_000;
export const IMPORT_TRANSACTION_TIMEOUT_MS = 10 * 60_000;
export const LEGAL_BASIS_DEFAULT = "LEGITIMATE_INTEREST";

export type ImportRunResult =
  | { status: "DONE"; imported: number }
  | { status: "FAILED"; code: string; message: string }
  | { status: "SKIPPED" };

export async function runImport(deps: { clock: Clock; progressIntervalMs?: number }, input: { tenantId: string; operationId: string; importId: string }): Promise<ImportRunResult> {
  const claimed = await withTenant(input.tenantId, async (tx) => {
    const n = await tx.bulkOperation.updateMany({
      where: { id: input.operationId, kind: "IMPORT", status: { in: ["QUEUED", "RUNNING"] } },
      data: { status: "RUNNING", startedAt: deps.clock(), processed: 0 },
    });
    if (n.count !== 1) return null;
    return tx.bulkOperation.findUniqueOrThrow({ where: { id: input.operationId }, select: { createdByUser: { select: { id: true, role: true } } } });
  });
  if (!claimed) return { status: "SKIPPED" };
  const actor = { type: "USER" as const, userId: claimed.createdByUser.id, role: claimed.createdByUser.role, ip: null };
  const progress = progressReporter(input.tenantId, input.operationId, deps.progressIntervalMs);
  try {
    const imported = await withTenant(
      input.tenantId,
      async (tx) => {
        const file = await tx.leadImport.findUniqueOrThrow({ where: { id: input.importId }, select: { fileName: true, content: true, delimiter: true, mapping: true } });
        const mapping = importMapping.parse(file.mapping);
        const { report, leads } = await checkImport(tx, { tenantId: input.tenantId, content: file.content, delimiter: file.delimiter as CsvDelimiter, mapping });
        if (report.invalid > 0) {
          throw new DomainError("PRECONDITION_FAILED", "IMPORT_NO_LONGER_VALID", `${report.invalid} rows now have problems (leads or do-not-contact entries added since the check)`, { invalid: report.invalid });
        }
        await insertLeads(tx, input.tenantId, csvSource(file.fileName), leads, progress);
        await tx.leadImport.update({ where: { id: input.importId }, data: { content: "" }, select: { id: true } });
        await tx.bulkOperation.update({
          where: { id: input.operationId },
          data: { status: "DONE", total: leads.length, processed: leads.length, result: { IMPORTED: leads.length }, finishedAt: deps.clock() },
          select: { id: true },
        });
        await recordAudit(tx, {
          tenantId: input.tenantId,
          actor,
          action: "lead.import",
          entityType: "lead_import",
          entityId: input.importId,
          after: { fileName: file.fileName, imported: leads.length, operationId: input.operationId },
        });
        return leads.length;
      },
      { timeoutMs: IMPORT_TRANSACTION_TIMEOUT_MS },
    );
    await progress.stop();
    return { status: "DONE", imported };
  } catch (error) {
    await progress.stop();
    const code = error instanceof DomainError ? error.code : "IMPORT_FAILED";
    const message = error instanceof Error ? error.message : String(error);
    await withTenant(input.tenantId, (tx) =>
      tx.bulkOperation.updateMany({
        where: { id: input.operationId, status: "RUNNING" },
        data: { status: "FAILED", processed: 0, errorCode: code, errorMessage: message.slice(0, 1000), finishedAt: deps.clock() },
      }),
    );
    return { status: "FAILED", code, message };
  }
}

async function insertLeads(tx: TenantTx, tenantId: string, source: string, leads: readonly ImportLead[], progress: ProgressReporter): Promise<void> {
  for (let start = 0; start < leads.length; start += IMPORT_CHUNK) {
    const chunk = leads.slice(start, start + IMPORT_CHUNK);
    const col = <T>(pick: (l: ImportLead) => T) => chunk.map(pick);
    await tx.$executeRaw`
      WITH c AS (
        INSERT INTO gold_companies (tenant_id, denumire, cui, judet, localitate, adresa, telefon_principal, email_principal,
                                    contact_principal_nume, contact_principal_functie, cod_caen, suprafata_agricola_ha, website,
                                    source, legal_basis)
        SELECT ${tenantId}::uuid, r.denumire, r.cui, r.judet, r.localitate, r.adresa, r.telefon, r.email, r.contact, r.functie,
               r.caen, r.suprafata, r.website, ${source}, ${LEGAL_BASIS_DEFAULT}
          FROM unnest(${col((l) => l.name)}::text[], ${col((l) => l.cui)}::text[], ${col((l) => l.county)}::text[],
                      ${col((l) => l.locality)}::text[], ${col((l) => l.address)}::text[], ${col((l) => l.phone)}::text[],
                      ${col((l) => l.email)}::text[], ${col((l) => l.contactName)}::text[], ${col((l) => l.contactRole)}::text[],
                      ${col((l) => l.caen)}::text[], ${col((l) => l.areaHa)}::numeric[], ${col((l) => l.website)}::text[])
               AS r(denumire, cui, judet, localitate, adresa, telefon, email, contact, functie, caen, suprafata, website)
        RETURNING tenant_id, id)
      INSERT INTO gold_lead_journey (tenant_id, lead_id) SELECT tenant_id, id FROM c`;
    progress.set(start + chunk.length);
  }
}
