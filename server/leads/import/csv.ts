/**
 * Reading an uploaded CSV with papaparse (docs/decisions/0009-leads-list.md): UTF-8 with or without
 * Excel's byte-order mark, `;` (Excel in a Romanian locale) or `,` or tab separated, quoted fields with
 * separators and line breaks inside, blank lines skipped. The first row is the header.
 */
import Papa from "papaparse";

export const CSV_DELIMITERS = [",", ";", "\t"] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

export interface ParsedCsv {
  delimiter: CsvDelimiter;
  headers: string[];
  /** Data rows (header excluded), each padded or cut to the header's width. */
  rows: string[][];
  /** Rows whose field count differed from the header's (1-based line numbers of the file). */
  ragged: number[];
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function parseCsv(text: string, delimiter?: CsvDelimiter): ParsedCsv {
  const result = Papa.parse<string[]>(stripBom(text), {
    delimiter: delimiter ?? "",
    delimitersToGuess: [...CSV_DELIMITERS],
    skipEmptyLines: "greedy",
    header: false,
  });
  const found = result.meta.delimiter as CsvDelimiter;
  const used: CsvDelimiter = delimiter ?? ((CSV_DELIMITERS as readonly string[]).includes(found) ? found : ",");
  const [header = [], ...data] = result.data;
  const headers = header.map((h) => h.trim());
  const ragged: number[] = [];
  const rows = data.map((row, i) => {
    if (row.length !== headers.length) ragged.push(i + 2);
    return headers.map((_, c) => (row[c] ?? "").trim());
  });
  return { delimiter: used, headers, rows, ragged };
}
