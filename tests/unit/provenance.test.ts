/** A lead's source as written by the Gold stage and the CSV import, read back for the lead page. */
import { describe, expect, it } from "vitest";
import { csvSource, goldImportSource, isLegalBasis, parseLeadSource } from "../../server/leads/provenance";

describe("lead provenance", () => {
  it("reads back a Gold-stage run with its id and date, and a CSV file's name", () => {
    const at = new Date("2026-11-02T05:40:12.345Z");
    expect(goldImportSource("etapa1-0042", at)).toBe("GOLD_IMPORT:etapa1-0042@2026-11-02T05:40:12.345Z");
    expect(parseLeadSource(goldImportSource("etapa1-0042", at))).toEqual({ kind: "GOLD_IMPORT", run: "etapa1-0042", at });
    expect(parseLeadSource(csvSource("ferme@judet;2026.csv"))).toEqual({ kind: "CSV", fileName: "ferme@judet;2026.csv" });
  });

  it("keeps what older rows hold: the bare default, a run without a date, anything else as written", () => {
    expect(parseLeadSource("GOLD_IMPORT")).toEqual({ kind: "GOLD_IMPORT", run: null, at: null });
    expect(parseLeadSource("GOLD_IMPORT:lot-7")).toEqual({ kind: "GOLD_IMPORT", run: "lot-7", at: null });
    expect(parseLeadSource("GOLD_IMPORT:lot-7@not-a-date")).toEqual({ kind: "GOLD_IMPORT", run: "lot-7@not-a-date", at: null });
    expect(parseLeadSource("CSV:")).toEqual({ kind: "OTHER", raw: "CSV:" });
    expect(parseLeadSource("manual")).toEqual({ kind: "OTHER", raw: "manual" });
  });

  it("refuses a run id that would not read back, and knows the legal bases the database accepts", () => {
    expect(() => goldImportSource("lot 7", new Date())).toThrow();
    expect(() => goldImportSource("a@b", new Date())).toThrow();
    expect(["LEGITIMATE_INTEREST", "CONSENT", "CONTRACT"].every(isLegalBasis)).toBe(true);
    expect(isLegalBasis("SOMETHING")).toBe(false);
  });
});
