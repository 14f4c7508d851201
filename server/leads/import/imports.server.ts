/**
 * A CSV import of companies, as a person does it (issue 10): upload (the file is kept, its columns
 * shown with a sample), map the columns and validate (the report, before anything is written), then
 * import as a job (run.server.ts) while the page shows the progress. All or nothing: only a file with
 * no problem row can be imported, and the job writes every row in one transaction.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../../audit/actor";
import type { TenantTx } from "../../db/client.server";
import { prismaExecutor, type TransactionalQueue } from "../../db/transactional-queue.server";
import { DomainError, notFound } from "../../errors";
import type { Prisma } from "../../generated/prisma/client";
import { LEADS_IMPORT_QUEUE } from "../../../jobs/queues";
import { CSV_DELIMITERS, parseCsv, stripBom, type CsvDelimiter } from "./csv";
import { importMapping, MAX_IMPORT_ROWS, suggestMapping, type ImportMapping } from "./fields";
import { checkImport, type ImportReport } from "./validate.server";

const SAMPLE_ROWS = 5;

/**
 * Upload and validate parse and check the whole file inside the person's request transaction: a few
 * seconds for 100,000 rows on an idle machine, past the default 15 s on a busy one (bench:import).
 */
export const IMPORT_REQUEST_TX_TIMEOUT_MS = 120_000;

export interface UploadedImport {
  importId: string;
  fileName: string;
  delimiter: CsvDelimiter;
  headers: string[];
  sample: string[][];
  rowCount: number;
  suggested: ImportMapping;
}

export async function uploadImport(tx: TenantTx, input: { tenantId: string; actor: Actor & { type: "USER" }; fileName: string; content: string }): Promise<UploadedImport> {
  const content = stripBom(input.content);
  const csv = parseCsv(content);
  if (csv.headers.length === 0 || csv.headers.every((h) => h === "")) throw new DomainError("BAD_INPUT", "IMPORT_EMPTY", "the file has no header row");
  if (csv.rows.length === 0) throw new DomainError("BAD_INPUT", "IMPORT_EMPTY", "the file has no data rows");
  if (csv.rows.length > MAX_IMPORT_ROWS) throw new DomainError("BAD_INPUT", "IMPORT_TOO_LARGE", `at most ${MAX_IMPORT_ROWS} rows per file`, { max: MAX_IMPORT_ROWS });
  const row = await tx.leadImport.create({
    data: { tenantId: input.tenantId, fileName: input.fileName, content, delimiter: csv.delimiter, headers: csv.headers, rowCount: csv.rows.length, createdBy: input.actor.userId },
    select: { id: true },
  });
  return {
    importId: row.id,
    fileName: input.fileName,
    delimiter: csv.delimiter,
    headers: csv.headers,
    sample: csv.rows.slice(0, SAMPLE_ROWS),
    rowCount: csv.rows.length,
    suggested: suggestMapping(csv.headers),
  };
}

async function loadImport(tx: TenantTx, importId: string) {
  const row = await tx.leadImport.findUnique({
    where: { id: importId },
    select: { id: true, fileName: true, content: true, delimiter: true, headers: true, mapping: true, report: true, operationId: true, operation: { select: { status: true } } },
  });
  if (!row) throw notFound("lead_import", importId);
  return row;
}

/** Parses the whole file with the person's mapping (and separator, if they changed it) and stores the report. */
export async function validateImport(
  tx: TenantTx,
  input: { tenantId: string; importId: string; mapping: ImportMapping; delimiter?: CsvDelimiter },
): Promise<ImportReport> {
  const row = await loadImport(tx, input.importId);
  if (row.operation && row.operation.status !== "FAILED") throw new DomainError("CONFLICT", "IMPORT_ALREADY_STARTED", "this file is being or has been imported");
  const delimiter = input.delimiter ?? (row.delimiter as CsvDelimiter);
  const headers = input.delimiter && input.delimiter !== row.delimiter ? parseCsv(row.content, delimiter).headers : (row.headers as string[]);
  for (const index of Object.values(input.mapping)) {
    if (index >= headers.length) throw new DomainError("BAD_INPUT", "IMPORT_MAPPING_INVALID", `column ${index} does not exist`);
  }
  const { report } = await checkImport(tx, { tenantId: input.tenantId, content: row.content, delimiter, mapping: input.mapping });
  await tx.leadImport.update({
    where: { id: row.id },
    data: { delimiter, headers, mapping: input.mapping as Prisma.InputJsonValue, report: report as unknown as Prisma.InputJsonValue },
    select: { id: true },
  });
  return report;
}

/** Queues the import of a validated file with no problem rows; its progress is a bulk operation's. */
export async function startImport(tx: TenantTx, queue: TransactionalQueue, input: { tenantId: string; actor: Actor & { type: "USER" }; importId: string }): Promise<{ operationId: string; total: number }> {
  const row = await loadImport(tx, input.importId);
  if (row.operation && row.operation.status !== "FAILED") throw new DomainError("CONFLICT", "IMPORT_ALREADY_STARTED", "this file is being or has been imported");
  const mapping = importMapping.safeParse(row.mapping);
  const report = row.report as ImportReport | null;
  if (!mapping.success || !report) throw new DomainError("PRECONDITION_FAILED", "IMPORT_NOT_VALIDATED", "validate the file before importing it");
  if (report.invalid > 0) throw new DomainError("PRECONDITION_FAILED", "IMPORT_HAS_ERRORS", "the file has rows with problems: nothing is imported until they are fixed", { invalid: report.invalid });
  if (!(CSV_DELIMITERS as readonly string[]).includes(row.delimiter)) throw new DomainError("BAD_INPUT", "IMPORT_MAPPING_INVALID", "unknown separator");
  const id = randomUUID();
  await tx.bulkOperation.create({
    data: { id, jobId: id, tenantId: input.tenantId, kind: "IMPORT", createdBy: input.actor.userId, params: { importId: row.id, fileName: row.fileName }, leadIds: [], total: report.valid },
    select: { id: true },
  });
  await tx.leadImport.update({ where: { id: row.id }, data: { operationId: id }, select: { id: true } });
  await queue.send(prismaExecutor(tx), LEADS_IMPORT_QUEUE, { tenantId: input.tenantId, operationId: id, importId: row.id }, { id });
  return { operationId: id, total: report.valid };
}
