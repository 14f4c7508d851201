/**
 * The leads workspace's pure rules: the CUI control digit, phone and e-mail normalisation, what a typed
 * search looks for, reading CSV files as Romanian offices export them, checking import rows, the column
 * guess, the list's address and the estimate's rounding.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { cuiCheckDigit, isValidCui, normalizeCui } from "../../server/leads/cui";
import { normalizeEmail, normalizeRomanianPhone } from "../../server/leads/contact";
import { canonicalCounty, COUNTIES } from "../../server/leads/counties";
import { searchTerm } from "../../server/leads/list/search-term";
import { roundEstimate } from "../../server/leads/list/count.server";
import { parseCsv } from "../../server/leads/import/csv";
import { suggestMapping } from "../../server/leads/import/fields";
import { checkRows } from "../../server/leads/import/validate";
import { activeFilterCount, clearedView, parseView, viewFilters, viewFromFilters, viewParams } from "../../app/components/leads/list-params";
import { leadListFilters } from "../../server/leads/list/filters";
import { COUNTIES as SEED_COUNTIES } from "../../prisma/seed/romania";
import { cuiFor } from "../../prisma/seed/factories";
import { Rng } from "../../prisma/seed/random";

describe("CUI control digit (ANAF key 753217532)", () => {
  it("accepts real codes, with or without RO and spaces, and rejects a wrong last digit", () => {
    expect(isValidCui("14399840")).toBe(true);
    expect(isValidCui("RO14399840")).toBe(true);
    expect(isValidCui("ro 1439 9840")).toBe(true);
    expect(isValidCui("14399841")).toBe(false);
    expect(cuiCheckDigit("1439984")).toBe(0);
  });

  it("rejects what is not shaped like a CUI", () => {
    for (const bad of ["", "1", "0123456", "12345678901", "RO", "12a45678"]) expect(isValidCui(bad), bad).toBe(false);
    expect(normalizeCui("RO 1439-9840")).toBe("14399840");
  });

  it("maps a control of 10 to 0, and exactly one last digit fits any body", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999 }), (n) => {
        const body = String(n);
        const fitting = Array.from({ length: 10 }, (_, d) => d).filter((d) => isValidCui(`${body}${d}`));
        return fitting.length === 1 && fitting[0] === cuiCheckDigit(body);
      }),
    );
  });

  it("agrees with every CUI the seed generates", () => {
    const rng = new Rng(7);
    for (let i = 0; i < 500; i++) expect(isValidCui(cuiFor(i, rng))).toBe(true);
  });
});

describe("phones and e-mail addresses as stored", () => {
  it("normalises the ways Romanian numbers are written to +40 and nine digits", () => {
    for (const raw of ["0722 123 456", "+40 722-123-456", "0040722123456", "40722123456", "(0722) 123.456", "722123456"]) {
      expect(normalizeRomanianPhone(raw), raw).toBe("+40722123456");
    }
    expect(normalizeRomanianPhone("021 312 34 56")).toBe("+40213123456");
  });

  it("refuses foreign, short, letter-bearing and non-geographic numbers", () => {
    for (const raw of ["+33 6 12 34 56 78", "0722 123", "0722 ABC 456", "0800 123 456", ""]) expect(normalizeRomanianPhone(raw), raw).toBeNull();
  });

  it("lower-cases and trims addresses, and refuses broken ones", () => {
    expect(normalizeEmail("  Ion.Popescu@Ferma.RO ")).toBe("ion.popescu@ferma.ro");
    for (const raw of ["ion@", "ion.ferma.ro", "ion @ferma.ro"]) expect(normalizeEmail(raw), raw).toBeNull();
  });

  it("names counties with their diacritics, the seed's included", () => {
    expect(canonicalCounty("iasi")).toBe("Iași");
    expect(canonicalCounty("JUDEȚUL BISTRITA NASAUD")).toBe("Bistrița-Năsăud");
    expect(canonicalCounty("Ilfov ")).toBe("Ilfov");
    expect(canonicalCounty("Transilvania")).toBeNull();
    expect([...COUNTIES].sort()).toEqual(SEED_COUNTIES.map((c) => c.judet).sort());
  });
});

describe("what a typed search looks for", () => {
  it("turns phone spellings into the national digits stored numbers contain", () => {
    expect(searchTerm("0722 123 456")).toEqual({ kind: "digits", fragment: "722123456" });
    expect(searchTerm("+40 722 123")).toEqual({ kind: "digits", fragment: "722123" });
    expect(searchTerm("0040722123456")).toEqual({ kind: "digits", fragment: "722123456" });
  });

  it("drops a CUI's RO and keeps plain digits and words as they are", () => {
    expect(searchTerm("RO14399840")).toEqual({ kind: "digits", fragment: "14399840" });
    expect(searchTerm("14399840")).toEqual({ kind: "digits", fragment: "14399840" });
    expect(searchTerm("  Ștefănești   Agro ")).toEqual({ kind: "text", fragment: "Ștefănești Agro" });
    expect(searchTerm("office@ferma.ro")).toEqual({ kind: "text", fragment: "office@ferma.ro" });
  });
});

describe("reading CSV files", () => {
  it("reads Excel's UTF-8 with BOM, `;`-separated, with diacritics and quoted separators", () => {
    const csv = parseCsv('\uFEFFDenumire;CUI;Județ\r\n"Ferma Ștefănești; Vest SRL";14399840;Iași\r\n\r\nÎntreprindere Familială Țăran;;Argeș\r\n');
    expect(csv.delimiter).toBe(";");
    expect(csv.headers).toEqual(["Denumire", "CUI", "Județ"]);
    expect(csv.rows).toEqual([
      ["Ferma Ștefănești; Vest SRL", "14399840", "Iași"],
      ["Întreprindere Familială Țăran", "", "Argeș"],
    ]);
  });

  it("reads comma-separated files and pads short rows", () => {
    const csv = parseCsv("name,phone\nAgro SRL,0722123456\nFerma X\n");
    expect(csv.delimiter).toBe(",");
    expect(csv.rows).toEqual([
      ["Agro SRL", "0722123456"],
      ["Ferma X", ""],
    ]);
    expect(csv.ragged).toEqual([3]);
  });

  it("guesses the columns from Romanian and English headers", () => {
    expect(suggestMapping(["Denumire firmă", "Cod fiscal", "Telefon", "E-mail", "Județ", "Persoana de contact", "Suprafață (ha)"])).toEqual({
      name: 0,
      cui: 1,
      phone: 2,
      email: 3,
      county: 4,
      contactName: 5,
      areaHa: 6,
    });
  });
});

describe("checking import rows", () => {
  const mapping = { name: 0, cui: 1, phone: 2, email: 3, county: 4, areaHa: 5 };

  it("normalises good rows and reports each problem with its row and field", () => {
    const { leads, issues } = checkRows(
      [
        ["Ferma Bună SRL", "RO14399840", "0722 123 456", "Office@Ferma.ro", "iasi", "12,5"],
        ["", "14399841", "0722", "nu-i-email", "Iași", "mult"],
        ["Fără contact SRL", "", "", "", "", ""],
        ["Dublura SRL", "14399840", "+40722123456", "office@ferma.ro", "", ""],
      ],
      mapping,
    );
    expect(leads).toEqual([
      expect.objectContaining({ row: 2, name: "Ferma Bună SRL", cui: "14399840", phone: "+40722123456", email: "office@ferma.ro", county: "Iași", areaHa: 12.5 }),
    ]);
    expect(issues.map((i) => `${i.row}:${i.field}:${i.code}${i.firstRow ? `@${i.firstRow}` : ""}`)).toEqual([
      "3:name:MISSING_NAME",
      "3:cui:BAD_CUI",
      "3:phone:BAD_PHONE",
      "3:email:BAD_EMAIL",
      "3:areaHa:BAD_AREA",
      "4:phone:NO_CONTACT",
      "5:cui:DUPLICATE_IN_FILE@2",
      "5:phone:DUPLICATE_IN_FILE@2",
      "5:email:DUPLICATE_IN_FILE@2",
    ]);
  });

  it("reads Romanian and international number formats for the area", () => {
    const rows = [["A", "", "0722000001", "", "", "1.234,5"], ["B", "", "0722000002", "", "", "1234.5"], ["C", "", "0722000003", "", "", "7 ha"]];
    expect(checkRows(rows, mapping).leads.map((l) => l.areaHa)).toEqual([1234.5, 1234.5, 7]);
  });
});

describe("the leads list's address", () => {
  const params = (s: string) => new URLSearchParams(s);

  it("gives a rep their own leads by default and a manager everyone's", () => {
    expect(parseView(params(""), "SALES_REP").owner).toBe("me");
    expect(parseView(params(""), "MANAGER").owner).toBe("all");
    expect(viewFilters(parseView(params(""), "SALES_REP"))).toEqual({ assigned: "me" });
    expect(viewFilters(parseView(params(""), "MANAGER"))).toEqual({});
  });

  it("round-trips a view, leaving defaults out of the link", () => {
    const link = "q=stefanesti&state=WARM_REPLY%2CNEGOTIATION&owner=all&county=Ia%C8%99i&review=yes&contactFrom=2026-11-01&contactTo=2026-11-30&sort=lastContact&dir=asc&page=3&size=50";
    const view = parseView(params(link), "SALES_REP");
    expect(viewParams(view, "SALES_REP").toString()).toBe(link);
    expect(viewFilters(view)).toEqual({
      search: "stefanesti",
      states: ["WARM_REPLY", "NEGOTIATION"],
      county: "Iași",
      needsReview: true,
      lastContactFrom: "2026-11-01",
      lastContactTo: "2026-11-30",
    });
    expect(activeFilterCount(view, "SALES_REP")).toBe(6);
    expect(viewParams(clearedView(view, "SALES_REP"), "SALES_REP").toString()).toBe("sort=lastContact&dir=asc&size=50");
  });

  it("drops values that do not parse instead of failing", () => {
    const view = parseView(params("state=WARM,COLD&owner=x&phone=1&replied=maybe&contactFrom=2026-13-45&sort=evil&page=-2&size=7"), "MANAGER");
    expect(view).toMatchObject({ states: ["COLD"], owner: "all", phone: undefined, replied: undefined, contactFrom: undefined, sort: "nextAction", page: 1, size: 20 });
  });

  it("waits for three characters before searching", () => {
    expect(viewFilters(parseView(params("q=ab"), "MANAGER")).search).toBeUndefined();
    expect(viewFilters(parseView(params("q=abc"), "MANAGER")).search).toBe("abc");
  });
});

describe("opening a saved view", () => {
  it("shows exactly the saved filters, whatever the role's default owner, and survives the address", () => {
    const saved = leadListFilters.parse({
      states: ["COLD", "CONTACTED_WA"],
      channel: "WHATSAPP",
      assigned: "me",
      county: "Iași",
      replied: false,
      needsReview: true,
      optedOut: false,
      lastContactFrom: "2026-11-01",
      lastReplyTo: "2026-11-30",
      search: "ștefănești",
    });
    for (const role of ["SALES_REP", "MANAGER"] as const) {
      const view = viewFromFilters(saved, { sort: "name", dir: "desc", size: 50 });
      expect(viewFilters(view)).toEqual(saved);
      expect(view).toMatchObject({ sort: "name", dir: "desc", size: 50, page: 1 });
      // Through the page's address and back, as opening it navigates.
      expect(viewFilters(parseView(viewParams(view, role), role))).toEqual(saved);
    }
    // No owner saved: everyone's leads, also for a rep (whose default is their own).
    const everyone = viewFromFilters({ county: "Dolj" }, { sort: "nextAction", size: 20 });
    expect(viewFilters(parseView(viewParams(everyone, "SALES_REP"), "SALES_REP"))).toEqual({ county: "Dolj" });
  });
});

describe("estimates shown to people", () => {
  it("keep two significant digits", () => {
    expect(roundEstimate(43_154)).toBe(43_000);
    expect(roundEstimate(1_000_321)).toBe(1_000_000);
    expect(roundEstimate(2_049)).toBe(2_000);
    expect(roundEstimate(87)).toBe(87);
  });
});
