/**
 * Factories for demo and test data. The seed and the tests build rows with these same functions,
 * so what a test exercises looks like what a user sees.
 */
import type { Rng } from "./random";
import { CAEN_CODES, COUNTIES, FARM_WORDS, FIRST_NAMES, SURNAMES, cuiCheckDigit, slug } from "./romania";

export interface CompanyFactoryRow {
  denumire: string;
  cui: string;
  judet: string;
  localitate: string;
  adresa: string;
  telefonPrincipal: string | null;
  hlrReachable: boolean | null;
  emailPrincipal: string | null;
  emailStatus: "VALID" | "INVALID" | "CATCH_ALL" | "UNKNOWN" | null;
  contactPrincipalNume: string;
  contactPrincipalFunctie: string;
  codCaen: string;
  suprafataAgricolaHa: number;
  website: string | null;
}

export function personName(rng: Rng): { first: string; last: string; full: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(SURNAMES);
  return { first, last, full: `${first} ${last}` };
}

/** A Romanian mobile number in E.164: +40 7xx xxx xxx. */
export function romanianMobile(rng: Rng): string {
  return `+407${rng.int(2, 9)}${String(rng.int(0, 9_999_999)).padStart(7, "0")}`;
}

/**
 * A CUI that passes the check digit. Each index owns a disjoint block of 73 bodies and the RNG picks
 * one inside it, so CUIs are unique within a seed for up to ~1.2 million leads.
 */
const CUI_STRIDE = 73;
export function cuiFor(index: number, rng: Rng): string {
  const body = 10_000_000 + index * CUI_STRIDE + rng.int(0, CUI_STRIDE - 1);
  if (body > 999_999_999) throw new Error(`cuiFor: index ${index} is beyond the unique CUI range`);
  return `${body}${cuiCheckDigit(String(body))}`;
}

function companyName(rng: Rng, person: { first: string; last: string }, localitate: string): string {
  const form = rng.weighted<string>([
    ["SRL", 55],
    ["II", 12],
    ["PFA", 10],
    ["COOP", 6],
    ["SA", 3],
    ["ÎF", 14],
  ]);
  switch (form) {
    case "II":
      return `${person.last} ${person.first} Întreprindere Individuală`;
    case "PFA":
      return `${person.last} ${person.first} PFA`;
    case "COOP":
      return `Cooperativa Agricolă ${rng.pick(FARM_WORDS)} ${localitate}`;
    case "SA":
      return `${rng.pick(FARM_WORDS)} ${localitate} SA`;
    case "ÎF":
      return `Întreprindere Familială ${person.last}`;
    default:
      return rng.weighted<string>([
        [`${rng.pick(FARM_WORDS)} ${person.last} SRL`, 4],
        [`Agro ${person.last} ${rng.pick(["Prod", "Invest", "Serv", "Trans", "Com"])} SRL`, 3],
        [`${rng.pick(FARM_WORDS)} ${rng.pick(FARM_WORDS)} SRL`, 2],
        [`Ferma ${person.first} ${person.last} SRL`, 2],
      ]);
  }
}

export function companyRow(rng: Rng, index: number): CompanyFactoryRow {
  const county = rng.pick(COUNTIES);
  const localitate = rng.pick(county.localitati);
  const person = personName(rng);
  const denumire = companyName(rng, person, localitate);
  const hasPhone = rng.chance(0.86);
  const hasEmail = rng.chance(0.62);
  const [codCaen] = rng.pick(CAEN_CODES);
  const domain = rng.chance(0.3) ? `${slug(denumire.replace(/\b(SRL|SA|PFA)\b/g, ""), "")}.ro` : rng.pick(["gmail.com", "yahoo.com", "yahoo.ro", "gmail.com"]);
  const size = rng.weighted<[number, number]>([
    [[2, 50], 50],
    [[50, 300], 30],
    [[300, 1500], 15],
    [[1500, 6000], 5],
  ]);
  return {
    denumire,
    cui: cuiFor(index, rng),
    judet: county.judet,
    localitate,
    adresa: `Str. ${rng.pick(["Principală", "Morii", "Câmpului", "Livezii", "Unirii", "Gării", "Școlii"])} nr. ${rng.int(1, 240)}`,
    telefonPrincipal: hasPhone ? romanianMobile(rng) : null,
    hlrReachable: hasPhone ? rng.chance(0.9) : null,
    emailPrincipal: hasEmail ? `${slug(person.full)}${rng.chance(0.4) ? rng.int(1, 99) : ""}@${domain}` : null,
    emailStatus: hasEmail ? rng.weighted([["VALID", 78], ["CATCH_ALL", 9], ["UNKNOWN", 8], ["INVALID", 5]] as const) : null,
    contactPrincipalNume: person.full,
    contactPrincipalFunctie: rng.pick(["Administrator", "Proprietar", "Director", "Fermier", "Manager fermă"]),
    codCaen,
    suprafataAgricolaHa: Math.round((size[0] + rng.next() * (size[1] - size[0])) * 10) / 10,
    website: domain.endsWith(".ro") && rng.chance(0.5) ? `https://www.${domain}` : null,
  };
}
