/**
 * One analytics table: rows, a totals row, and a CSV export built from the same column definitions
 * and the same totals function, so the file's totals are the page's. Numbers are written raw in the
 * CSV (a dot for decimals, no thousands separators) so a spreadsheet reads them as numbers; the page
 * shows them in the reader's locale.
 */
import type { ReactNode } from "react";
import Papa from "papaparse";
import { Download } from "lucide-react";
import { Button } from "~/components/ui/button";
import { Table, TableBody, TableCaption, TableCell, TableFooter, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { formatNumber, formatPercent } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { cn } from "~/lib/utils";

export type CellFormat = "text" | "number" | "percent" | "duration";

export interface Column<R> {
  key: string;
  label: string;
  format: CellFormat;
  value: (row: R) => string | number | null;
  /** How the totals row gets this column: a sum of the rows, a ratio of two summed columns, or nothing. */
  total?: { kind: "sum" } | { kind: "ratio"; part: (row: R) => number; whole: (row: R) => number } | { kind: "weighted"; weight: (row: R) => number } | { kind: "label" };
  /** Rendered instead of the formatted value (a link, a badge); the CSV keeps the value. */
  render?: (row: R) => ReactNode;
}

export function totalsRow<R>(columns: readonly Column<R>[], rows: readonly R[], label: string): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const c of columns) {
    const t = c.total;
    if (!t) out[c.key] = null;
    else if (t.kind === "label") out[c.key] = label;
    else if (t.kind === "sum") out[c.key] = rows.reduce((n, r) => n + Number(c.value(r) ?? 0), 0);
    else if (t.kind === "ratio") {
      const whole = rows.reduce((n, r) => n + t.whole(r), 0);
      out[c.key] = whole > 0 ? rows.reduce((n, r) => n + t.part(r), 0) / whole : null;
    } else {
      // A weighted average (e.g. seconds per reply): sum(value × weight) / sum(weight).
      const weight = rows.reduce((n, r) => n + t.weight(r), 0);
      out[c.key] = weight > 0 ? Math.round(rows.reduce((n, r) => n + Number(c.value(r) ?? 0) * t.weight(r), 0) / weight) : null;
    }
  }
  return out;
}

/** The CSV text (with a BOM so spreadsheet programs read the diacritics as UTF-8). */
export function toCsv<R>(columns: readonly Column<R>[], rows: readonly R[], totalLabel: string): string {
  const raw = (c: Column<R>, v: string | number | null) => (v === null ? "" : c.format === "percent" && typeof v === "number" ? Number(v.toFixed(6)) : v);
  const data = rows.map((r) => columns.map((c) => raw(c, c.value(r))));
  const totals = totalsRow(columns, rows, totalLabel);
  data.push(columns.map((c) => raw(c, totals[c.key] ?? null)));
  return `\uFEFF${Papa.unparse({ fields: columns.map((c) => c.label), data })}`;
}

export function useFormatCell() {
  const t = useT();
  const locale = useLocale();
  return (format: CellFormat, v: string | number | null): string => {
    if (v === null || v === undefined) return t("common.dash");
    if (typeof v === "string") return v;
    if (format === "percent") return formatPercent(v, locale);
    if (format === "duration") return formatDuration(v, locale);
    return formatNumber(v, locale);
  };
}

/** 45 min, 3,5 h, 2,1 zile: how long a reply or a review took, at the precision a manager reads. */
export function formatDuration(seconds: number, locale: "ro" | "en"): string {
  if (seconds < 3600) return `${formatNumber(Math.max(1, Math.round(seconds / 60)), locale)} min`;
  if (seconds < 48 * 3600) return `${formatNumber(seconds / 3600, locale, 1)} h`;
  return `${formatNumber(seconds / 86_400, locale, 1)} ${locale === "ro" ? "zile" : "days"}`;
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ReportTable<R>({
  caption,
  columns,
  rows,
  rowKey,
  fileName,
  empty,
  testId,
}: {
  caption: string;
  columns: readonly Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string;
  fileName: string;
  empty: string;
  testId: string;
}) {
  const t = useT();
  const cell = useFormatCell();
  const totals = totalsRow(columns, rows, t("common.total"));
  const numeric = (c: Column<R>) => c.format !== "text";
  return (
    <div className="grid gap-2" data-testid={testId}>
      <div className="flex justify-end">
        <Button variant="outline" size="sm" onClick={() => download(fileName, toCsv(columns, rows, t("common.total")))} disabled={rows.length === 0} aria-label={t("analytics.exportFor", { table: caption })}>
          <Download />
          {t("analytics.export")}
        </Button>
      </div>
      {rows.length === 0 ? (
        <p className="rounded-md border border-dashed p-4 text-sm text-muted-foreground">{empty}</p>
      ) : (
        <Table>
          <TableCaption className="sr-only">{caption}</TableCaption>
          <TableHeader>
            <TableRow>
              {columns.map((c) => (
                <TableHead key={c.key} className={cn(numeric(c) && "text-right")}>
                  {c.label}
                </TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={rowKey(r)}>
                {columns.map((c, i) =>
                  i === 0 ? (
                    <th key={c.key} scope="row" className="px-3 py-2.5 text-left font-medium">
                      {c.render ? c.render(r) : cell(c.format, c.value(r))}
                    </th>
                  ) : (
                    <TableCell key={c.key} className={cn(numeric(c) && "text-right tabular-nums")}>
                      {c.render ? c.render(r) : cell(c.format, c.value(r))}
                    </TableCell>
                  ),
                )}
              </TableRow>
            ))}
          </TableBody>
          <TableFooter>
            <TableRow data-testid="totals-row">
              {columns.map((c, i) =>
                i === 0 ? (
                  <th key={c.key} scope="row" className="px-3 py-2.5 text-left">
                    {t("common.total")}
                  </th>
                ) : (
                  <TableCell key={c.key} className={cn(numeric(c) && "text-right tabular-nums")} data-column={c.key}>
                    {totals[c.key] === null ? "" : cell(c.format, totals[c.key] ?? null)}
                  </TableCell>
                ),
              )}
            </TableRow>
          </TableFooter>
        </Table>
      )}
    </div>
  );
}
