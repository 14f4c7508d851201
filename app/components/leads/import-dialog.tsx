import { useMemo, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { FileUp, TriangleAlert } from "lucide-react";
import { CSV_DELIMITERS, parseCsv, type CsvDelimiter } from "#server/leads/import/csv";
import { IMPORT_FIELDS, MAX_IMPORT_CHARS, REQUIRED_IMPORT_FIELDS, suggestMapping, type ImportField, type ImportMapping } from "#server/leads/import/fields";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { formatNumber } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { domainCode, errorMessage, OperationProgress, useOperation, type Operation } from "./operation-progress";

type Report = RouterOutputs["imports"]["validate"];

/** Enough of the file to show its header and first rows while the person maps the columns. */
const PREVIEW_CHARS = 64_000;
const PREVIEW_ROWS = 5;

interface LoadedFile {
  name: string;
  content: string;
}

function preview(content: string, delimiter?: CsvDelimiter) {
  let head = content.slice(0, PREVIEW_CHARS);
  if (head.length < content.length) head = head.slice(0, Math.max(head.lastIndexOf("\n"), 0));
  const csv = parseCsv(head, delimiter);
  return { delimiter: csv.delimiter, headers: csv.headers, rows: csv.rows.slice(0, PREVIEW_ROWS) };
}

/** Data rows in the whole file (the server counts them again, exactly, when it checks the file). */
function roughRowCount(content: string): number {
  const lines = content.split(/\r\n|\n|\r/).filter((l) => l.trim() !== "").length;
  return Math.max(0, lines - 1);
}

const DELIMITER_KEY = { ",": "import.delimiter.comma", ";": "import.delimiter.semicolon", "\t": "import.delimiter.tab" } as const;

/**
 * CSV import, four steps in one dialog (issue 10): the file (read in the browser, its first rows
 * parsed with papaparse for the preview), the column mapping with that preview, the server's check of
 * every row (the report; nothing written), and the import job with its progress. A file with any
 * problem row cannot be imported: the person fixes the file and uploads it again (all or nothing).
 */
export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: (op: Operation) => void }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const [file, setFile] = useState<LoadedFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [delimiter, setDelimiter] = useState<CsvDelimiter | undefined>(undefined);
  const [mapping, setMapping] = useState<Partial<Record<ImportField, number>>>({});
  const [report, setReport] = useState<{ importId: string; report: Report } | null>(null);
  const [operationId, setOperationId] = useState<string | null>(null);

  const parsed = useMemo(() => (file ? preview(file.content, delimiter) : null), [file, delimiter]);
  const upload = useMutation(trpc.imports.upload.mutationOptions());
  const validate = useMutation(trpc.imports.validate.mutationOptions());
  const start = useMutation(trpc.imports.start.mutationOptions({ onSuccess: (r) => setOperationId(r.operationId) }));
  const operation = useOperation(operationId, onImported);
  const checking = upload.isPending || validate.isPending;

  const step = operationId ? 4 : report ? 3 : file ? 2 : 1;
  const stepName = t(step === 1 ? "import.step.file" : step === 2 ? "import.step.columns" : step === 3 ? "import.step.report" : "import.step.import");

  const reset = () => {
    setFile(null);
    setReport(null);
    setMapping({});
    setDelimiter(undefined);
    setFileError(null);
    upload.reset();
    validate.reset();
    start.reset();
  };

  const readFile = async (picked: File | undefined) => {
    setFileError(null);
    if (!picked) return;
    if (picked.size > MAX_IMPORT_CHARS) {
      setFileError(t("import.error.FILE_TOO_LARGE"));
      return;
    }
    const content = await picked.text();
    const first = preview(content);
    setFile({ name: picked.name, content });
    setDelimiter(first.delimiter);
    setMapping(suggestMapping(first.headers));
  };

  const mappingError =
    mapping.name === undefined ? t("import.map.nameRequired") : new Set(Object.values(mapping)).size !== Object.values(mapping).length ? t("import.map.duplicate") : null;

  const check = async () => {
    if (!file || !parsed || mappingError) return;
    const uploaded = await upload.mutateAsync({ fileName: file.name, content: file.content });
    const result = await validate.mutateAsync({ importId: uploaded.importId, mapping: mapping as ImportMapping, delimiter: parsed.delimiter });
    setReport({ importId: uploaded.importId, report: result });
  };

  const callError = upload.error ?? validate.error ?? start.error;
  const sampleFields = IMPORT_FIELDS.filter((f) => mapping[f] !== undefined);

  return (
    <Dialog open onOpenChange={(open) => !open && !checking && !start.isPending && onClose()}>
      <DialogContent className="max-w-3xl">
        <DialogHeader>
          <DialogTitle>{t("import.title")}</DialogTitle>
          <DialogDescription>
            {t("import.stepOf", { step, name: stepName })} · {t("import.description")}
          </DialogDescription>
        </DialogHeader>

        {step === 1 ? (
          <div className="grid gap-2">
            <label htmlFor="import-file" className="text-sm font-medium">
              {t("import.file")}
            </label>
            <Input id="import-file" type="file" accept=".csv,text/csv,text/plain" aria-describedby="import-file-hint" onChange={(e) => void readFile(e.target.files?.[0])} />
            <p id="import-file-hint" className="text-xs text-muted-foreground">
              {t("import.fileHint")}
            </p>
            {fileError ? (
              <p role="alert" className="text-sm text-destructive">
                {fileError}
              </p>
            ) : null}
          </div>
        ) : null}

        {step === 2 && file && parsed ? (
          <div className="grid gap-4">
            <div className="flex flex-wrap items-end justify-between gap-3">
              <p className="text-sm" data-testid="import-file-summary">
                <FileUp className="mr-1 inline size-4 align-text-bottom" aria-hidden="true" />
                {t("import.fileSummary", { count: roughRowCount(file.content), file: file.name })}
              </p>
              <label className="grid gap-1 text-xs font-medium text-muted-foreground">
                {t("import.delimiter")}
                <Select className="w-52" value={parsed.delimiter} onChange={(e) => setDelimiter(e.target.value as CsvDelimiter)}>
                  {CSV_DELIMITERS.map((d) => (
                    <option key={d} value={d}>
                      {t(DELIMITER_KEY[d])}
                    </option>
                  ))}
                </Select>
              </label>
            </div>
            <fieldset className="grid gap-2 sm:grid-cols-2">
              <legend className="mb-2 text-sm font-medium">{t("import.map.column")}</legend>
              {IMPORT_FIELDS.map((field) => (
                <label key={field} className="grid grid-cols-[9rem_minmax(0,1fr)] items-center gap-2 text-sm">
                  <span>
                    {t(`import.field.${field}`)}
                    {REQUIRED_IMPORT_FIELDS.includes(field) ? <span className="ml-1 text-xs text-muted-foreground">({t("import.map.required")})</span> : null}
                  </span>
                  <Select
                    value={mapping[field] ?? ""}
                    onChange={(e) => setMapping((m) => ({ ...m, [field]: e.target.value === "" ? undefined : Number(e.target.value) }))}
                  >
                    <option value="">{t("import.map.none")}</option>
                    {parsed.headers.map((h, i) => (
                      <option key={i} value={i}>
                        {h || `#${i + 1}`}
                      </option>
                    ))}
                  </Select>
                </label>
              ))}
            </fieldset>
            {sampleFields.length > 0 ? (
              <div className="rounded-md border">
                <Table>
                  <TableCaption className="mb-2">{t("import.map.preview")}</TableCaption>
                  <TableHeader>
                    <TableRow>
                      {sampleFields.map((f) => (
                        <TableHead key={f}>{t(`import.field.${f}`)}</TableHead>
                      ))}
                    </TableRow>
                  </TableHeader>
                  <TableBody>
                    {parsed.rows.map((row, r) => (
                      <TableRow key={r}>
                        {sampleFields.map((f) => (
                          <TableCell key={f} className="max-w-[12rem] truncate">
                            {row[mapping[f]!] ?? ""}
                          </TableCell>
                        ))}
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              </div>
            ) : null}
            {mappingError ? <p className="text-sm text-destructive">{mappingError}</p> : null}
          </div>
        ) : null}

        {step === 3 && report ? <ReportView report={report.report} /> : null}

        {step === 4 ? (
          <OperationProgress
            operation={operation.data}
            label={t("import.progressLabel")}
            runningKey="import.running"
            failedText={(op) => t("import.failed", { reason: errorMessage(t, "import", op.errorCode) })}
          />
        ) : null}
        {step === 4 && operation.data?.status === "DONE" ? (
          <p className="text-sm font-medium" role="status" data-testid="import-done">
            {t("import.done", { count: operation.data.total, file: file?.name ?? "" })}
          </p>
        ) : null}

        {callError ? (
          <Alert variant="destructive">
            <TriangleAlert />
            <AlertDescription>{errorMessage(t, "import", domainCode(callError))}</AlertDescription>
          </Alert>
        ) : null}

        <DialogFooter>
          {step === 2 ? (
            <>
              <Button variant="outline" onClick={reset} disabled={checking}>
                {t("import.back")}
              </Button>
              <Button onClick={() => void check().catch(() => undefined)} disabled={checking || mappingError !== null}>
                {checking ? t("import.validating") : t("import.validate")}
              </Button>
            </>
          ) : step === 3 && report ? (
            <>
              <Button variant="outline" onClick={reset} disabled={start.isPending}>
                {t("import.another")}
              </Button>
              {report.report.invalid === 0 ? (
                <Button onClick={() => start.mutate({ importId: report.importId })} disabled={start.isPending || report.report.valid === 0}>
                  {start.isPending ? t("common.saving") : `${t("import.start")} (${formatNumber(report.report.valid, locale)})`}
                </Button>
              ) : null}
            </>
          ) : (
            <Button variant="outline" onClick={onClose} disabled={checking}>
              {t("import.close")}
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function ReportView({ report }: { report: Report }) {
  const t = useT();
  const locale = useLocale();
  const total = Object.values(report.counts).reduce((n, c) => n + c, 0);
  return (
    <div className="grid gap-3" data-testid="import-report">
      {report.invalid === 0 ? (
        <Alert variant="info">
          <AlertDescription>{t("import.report.ok", { count: report.valid })}</AlertDescription>
        </Alert>
      ) : (
        <Alert variant="warning">
          <TriangleAlert />
          <AlertDescription>{t("import.report.errors", { invalid: formatNumber(report.invalid, locale), rows: formatNumber(report.rows, locale) })}</AlertDescription>
        </Alert>
      )}
      {report.ragged > 0 ? <p className="text-xs text-muted-foreground">{t("import.report.ragged", { rows: formatNumber(report.ragged, locale) })}</p> : null}
      {report.issues.length > 0 ? (
        <div className="max-h-72 overflow-y-auto rounded-md border">
          <Table>
            <TableCaption className="mb-2">{t("import.report.caption")}</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>{t("import.report.row")}</TableHead>
                <TableHead>{t("import.report.field")}</TableHead>
                <TableHead>{t("import.report.problem")}</TableHead>
                <TableHead>{t("import.report.value")}</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {report.issues.map((issue, i) => (
                <TableRow key={i} data-testid="import-issue">
                  <TableCell className="tabular-nums">{issue.row}</TableCell>
                  <TableCell>{t(`import.field.${issue.field}`)}</TableCell>
                  <TableCell>{t(`import.issue.${issue.code}`, { first: issue.firstRow ?? "" } as never)}</TableCell>
                  <TableCell className="max-w-[12rem] truncate">{issue.value}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      ) : null}
      {total > report.issues.length ? <p className="text-xs text-muted-foreground">{t("import.report.more", { shown: report.issues.length, total })}</p> : null}
    </div>
  );
}
