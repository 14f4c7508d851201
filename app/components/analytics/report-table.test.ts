import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { formatDuration, toCsv, totalsRow, type Column } from "./report-table";

interface Row {
  name: string;
  sent: number;
  replied: number;
  seconds: number | null;
  firsts: number;
}
const rows: Row[] = [
  { name: "WhatsApp", sent: 200, replied: 30, seconds: 3600, firsts: 3 },
  { name: "Email „rece”, cu virgulă", sent: 100, replied: 5, seconds: 7200, firsts: 1 },
];
const columns: Array<Column<Row>> = [
  { key: "name", label: "Canal", format: "text", value: (r) => r.name, total: { kind: "label" } },
  { key: "sent", label: "Trimise", format: "number", value: (r) => r.sent, total: { kind: "sum" } },
  { key: "rate", label: "Rată", format: "percent", value: (r) => r.replied / r.sent, total: { kind: "ratio", part: (r) => r.replied, whole: (r) => r.sent } },
  { key: "time", label: "Timp", format: "duration", value: (r) => r.seconds, total: { kind: "weighted", weight: (r) => r.firsts } },
];

describe("analytics tables", () => {
  it("totals: sums, ratios of sums (never an average of rates), weighted averages", () => {
    expect(totalsRow(columns, rows, "Total")).toEqual({ name: "Total", sent: 300, rate: 35 / 300, time: Math.round((3 * 3600 + 7200) / 4) });
  });

  it("the CSV has the same rows and the same totals as the page, numbers raw, UTF-8 with a BOM", () => {
    const csv = toCsv(columns, rows, "Total");
    expect(csv.startsWith("\uFEFF")).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1)).data;
    expect(parsed[0]).toEqual(["Canal", "Trimise", "Rată", "Timp"]);
    expect(parsed[2]![0]).toBe("Email „rece”, cu virgulă");
    const totals = parsed[3]!;
    expect(totals[0]).toBe("Total");
    expect(Number(totals[1])).toBe(300);
    expect(Number(totals[2])).toBeCloseTo(35 / 300, 6);
    expect(Number(totals[3])).toBe(4500);
  });

  it("durations read at a manager's precision", () => {
    expect(formatDuration(59, "ro")).toBe("1 min");
    expect(formatDuration(5400, "ro")).toBe("1,5 h");
    expect(formatDuration(3 * 86_400, "ro")).toBe("3 zile");
    expect(formatDuration(3 * 86_400, "en")).toBe("3 days");
  });
});
