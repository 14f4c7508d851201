import { describe, expect, it } from "vitest";
import { Rng } from "../../prisma/seed/random";
import { companyRow, romanianMobile } from "../../prisma/seed/factories";
import { COUNTIES, cuiCheckDigit, isValidCui, slug } from "../../prisma/seed/romania";

describe("seed factories", () => {
  it("computes the CUI check digit with ANAF's key", () => {
    // Hand-computed: 001854729 · 753217532 = 111; 111 × 10 mod 11 = 10, which maps to 0.
    expect(cuiCheckDigit("1854729")).toBe(0);
    expect(isValidCui("18547290")).toBe(true);
    expect(isValidCui("RO18547290")).toBe(true);
    expect(isValidCui("18547291")).toBe(false);
  });

  it("produces valid CUIs, Romanian mobiles and every county", () => {
    const rng = new Rng(42);
    const rows = Array.from({ length: 3000 }, (_, i) => companyRow(rng, i));
    expect(rows.every((r) => isValidCui(r.cui))).toBe(true);
    expect(new Set(rows.map((r) => r.cui)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.judet)).size).toBe(COUNTIES.length);
    const phones = rows.map((r) => r.telefonPrincipal).filter((p): p is string => p !== null);
    expect(phones.every((p) => /^\+407[2-9]\d{7}$/.test(p))).toBe(true);
    expect(rows.some((r) => r.telefonPrincipal === null)).toBe(true);
    expect(rows.some((r) => r.emailPrincipal === null)).toBe(true);
    expect(rows.some((r) => r.hlrReachable === false)).toBe(true);
    expect(rows.every((r) => /^01\d\d$/.test(r.codCaen))).toBe(true);
  });

  it("is deterministic for a seed", () => {
    const a = Array.from({ length: 50 }, (_, i) => companyRow(new Rng(7 + i), i));
    const b = Array.from({ length: 50 }, (_, i) => companyRow(new Rng(7 + i), i));
    expect(a).toEqual(b);
    expect(romanianMobile(new Rng(1))).toBe(romanianMobile(new Rng(1)));
  });

  it("slugs Romanian diacritics to ASCII", () => {
    expect(slug("Ștefan Lazăr")).toBe("stefan.lazar");
    expect(slug("Câmpia Țării", "")).toBe("campiatarii");
  });
});
