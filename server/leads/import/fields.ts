/**
 * The columns a CSV import can fill, and a first guess of which file column holds which (the person
 * confirms or changes it on the mapping step). Isomorphic: the page lists the same fields.
 */
import { z } from "zod";

export const IMPORT_FIELDS = [
  "name",
  "cui",
  "phone",
  "email",
  "county",
  "locality",
  "address",
  "contactName",
  "contactRole",
  "caen",
  "areaHa",
  "website",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** What one import may hold: 200,000 rows, 40 MB of text (100,000 typical rows are about 12 MB). */
export const MAX_IMPORT_ROWS = 200_000;
export const MAX_IMPORT_CHARS = 40_000_000;

export const REQUIRED_IMPORT_FIELDS: readonly ImportField[] = ["name"];

/** Field → index of the file column that fills it; a field left out stays empty. */
export const importMapping = z
  .partialRecord(z.enum(IMPORT_FIELDS), z.number().int().min(0).max(500))
  .refine((m) => m.name !== undefined, { message: "the company name column is required" })
  .refine((m) => new Set(Object.values(m)).size === Object.values(m).length, { message: "one file column can fill one field" });
export type ImportMapping = z.infer<typeof importMapping>;

/** Header spellings seen in Romanian exports (ONRC, ANAF, Excel lists), folded: lower case, no diacritics. */
const SYNONYMS: Readonly<Record<ImportField, readonly string[]>> = {
  name: ["denumire", "denumire firma", "nume firma", "firma", "companie", "company", "company name", "nume", "societate"],
  cui: ["cui", "cif", "cod fiscal", "cod unic de inregistrare", "cod de identificare fiscala", "vat", "tax id"],
  phone: ["telefon", "tel", "telefon principal", "mobil", "phone", "numar telefon", "nr telefon"],
  email: ["email", "e-mail", "mail", "adresa email", "adresa de email", "email principal"],
  county: ["judet", "county", "jud"],
  locality: ["localitate", "oras", "comuna", "city", "localitatea"],
  address: ["adresa", "address", "sediu", "adresa sediu"],
  contactName: ["persoana de contact", "contact", "nume contact", "reprezentant", "administrator", "contact name"],
  contactRole: ["functie", "functia", "rol", "pozitie", "role", "title"],
  caen: ["caen", "cod caen", "activitate"],
  areaHa: ["suprafata", "suprafata ha", "suprafata (ha)", "suprafata agricola", "hectare", "ha", "area"],
  website: ["website", "site", "web", "pagina web"],
};

/** Lower case without diacritics, single spaces: how headers are compared. */
export function foldHeader(header: string): string {
  return header
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[_]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function suggestMapping(headers: readonly string[]): ImportMapping {
  const folded = headers.map(foldHeader);
  const taken = new Set<number>();
  const mapping: Partial<Record<ImportField, number>> = {};
  for (const field of IMPORT_FIELDS) {
    const index = folded.findIndex((h, i) => !taken.has(i) && SYNONYMS[field].includes(h));
    if (index >= 0) {
      mapping[field] = index;
      taken.add(index);
    }
  }
  return mapping as ImportMapping;
}
