import { describe, expect, it } from "vitest";
import { countInvalid, detectType, guessReasonColumn, guessValueColumn, parseCsv, toImportRows } from "./dnc-import";

describe("do-not-contact CSV import", () => {
  it("reads Excel's BOM, ';' separators and Romanian diacritics", () => {
    const parsed = parseCsv("\uFEFFTelefon;Motiv\n0722 123 456;a cerut să nu fie sunat\n\n+40 744 111 222;reclamație\n");
    expect(parsed.columns).toEqual(["Telefon", "Motiv"]);
    expect(guessValueColumn(parsed.columns)).toBe("Telefon");
    expect(guessReasonColumn(parsed.columns)).toBe("Motiv");
    expect(toImportRows(parsed, "Telefon", "Motiv", "AUTO")).toEqual([
      { type: "PHONE", value: "0722 123 456", reason: "a cerut să nu fie sunat" },
      { type: "PHONE", value: "+40 744 111 222", reason: "reclamație" },
    ]);
  });

  it("detects each row's type when the file mixes them and counts what the server will refuse", () => {
    const parsed = parseCsv("valoare,sursa\noffice@ferma.ro,x\nconcurent.ro,x\n0744111222,x\n12,x\n,x\n");
    const rows = toImportRows(parsed, "valoare", "", "AUTO");
    expect(rows.map((r) => r.type)).toEqual(["EMAIL", "DOMAIN", "PHONE", "PHONE"]);
    expect(rows.every((r) => r.reason === null)).toBe(true);
    expect(countInvalid(rows)).toBe(1);
    expect(detectType("www.Agro.ro")).toBe("DOMAIN");
  });
});
