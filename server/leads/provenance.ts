/**
 * Where a lead's data came from and on what ground it is processed (GDPR art. 6 and 14): the
 * `source` and `legal_basis` columns of gold_companies, written by whatever brought the lead in and
 * shown on the lead page and in the GDPR export. Isomorphic: the page words them in Romanian.
 *
 * The shapes of `source`:
 *   GOLD_IMPORT:<run>@<ISO instant>  a run of the Gold stage (Etapa 1) that delivered the lead: the
 *                                    run's id and when it landed (the lead's created_at is that
 *                                    moment or, for later rows of the same run, a little after)
 *   GOLD_IMPORT                      the Gold stage, run not recorded (the column's default)
 *   CSV:<file name>                  a CSV file imported from the leads page (server/leads/import/)
 */

export const LEGAL_BASES = ["LEGITIMATE_INTEREST", "CONSENT", "CONTRACT"] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];
export const isLegalBasis = (value: string): value is LegalBasis => (LEGAL_BASES as readonly string[]).includes(value);

export const GOLD_IMPORT = "GOLD_IMPORT";
const CSV = "CSV";

export type LeadSource =
  | { kind: "GOLD_IMPORT"; run: string | null; at: Date | null }
  | { kind: "CSV"; fileName: string }
  | { kind: "OTHER"; raw: string };

/** The source a Gold-stage run writes on the leads it delivers. */
export function goldImportSource(run: string, at: Date): string {
  if (!run || /[@\s]/.test(run)) throw new Error(`a Gold-stage run id has no spaces or '@': ${JSON.stringify(run)}`);
  return `${GOLD_IMPORT}:${run}@${at.toISOString()}`;
}

/** The source a CSV import writes on the leads it creates. */
export function csvSource(fileName: string): string {
  return `${CSV}:${fileName}`;
}

export function parseLeadSource(source: string): LeadSource {
  if (source === GOLD_IMPORT) return { kind: "GOLD_IMPORT", run: null, at: null };
  if (source.startsWith(`${GOLD_IMPORT}:`)) {
    const rest = source.slice(GOLD_IMPORT.length + 1);
    const sep = rest.lastIndexOf("@");
    const at = sep > 0 ? new Date(rest.slice(sep + 1)) : null;
    if (sep > 0 && at && !Number.isNaN(at.getTime())) return { kind: "GOLD_IMPORT", run: rest.slice(0, sep), at };
    return { kind: "GOLD_IMPORT", run: rest || null, at: null };
  }
  if (source.startsWith(`${CSV}:`) && source.length > CSV.length + 1) return { kind: "CSV", fileName: source.slice(CSV.length + 1) };
  return { kind: "OTHER", raw: source };
}
