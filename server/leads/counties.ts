/**
 * Romania's 41 counties and Bucharest, as gold_companies.judet holds them (with diacritics): the
 * leads list's county filter offers these, and an import writes "iasi" or "IAȘI" as "Iași".
 * Isomorphic.
 */
export const COUNTIES = [
  "Alba", "Arad", "Argeș", "Bacău", "Bihor", "Bistrița-Năsăud", "Botoșani", "Brașov", "Brăila", "București", "Buzău",
  "Caraș-Severin", "Călărași", "Cluj", "Constanța", "Covasna", "Dâmbovița", "Dolj", "Galați", "Giurgiu", "Gorj",
  "Harghita", "Hunedoara", "Ialomița", "Iași", "Ilfov", "Maramureș", "Mehedinți", "Mureș", "Neamț", "Olt",
  "Prahova", "Satu Mare", "Sălaj", "Sibiu", "Suceava", "Teleorman", "Timiș", "Tulcea", "Vaslui", "Vâlcea", "Vrancea",
] as const;

/** Lower case, no diacritics (cedilla or comma below), hyphens and spaces alike. */
function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[\s-]+/g, " ")
    .trim()
    .replace(/^(judetul|jud\.?|municipiul) /, "");
}

const BY_FOLDED = new Map<string, string>(COUNTIES.map((c) => [fold(c), c]));

/** "iasi", "IAȘI", "Judetul Iasi" → "Iași"; null when it names no county. */
export function canonicalCounty(raw: string): string | null {
  return BY_FOLDED.get(fold(raw)) ?? null;
}
