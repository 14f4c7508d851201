/**
 * CSV import end to end: imports.upload / validate / start through the router, the leads.import job
 * run by the real pg-boss runtime, bulk.status for the progress. The report comes before anything is
 * written; a file with a problem row cannot be imported; a file that became invalid after its check
 * imports nothing; imported leads carry their source and legal basis and are found by the list.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertDnc } from "../support/factories";
import { adminQuery } from "../support/fixtures";
import { failureOf, insertLead } from "../sequences/support";
import { createJobWorld, jobCaller, waitForOperation, type JobWorld } from "./support";

let w: JobWorld;

beforeAll(async () => {
  w = await createJobWorld("limport");
  await insertLead(w.db.adminUrl, w.a.tenantId, { denumire: "Existentă SRL", phone: "+40744000001", email: "deja@existenta.ro" });
  await adminQuery(w.db.adminUrl, `UPDATE gold_companies SET cui = '18547290' WHERE denumire = 'Existentă SRL'`);
  await insertDnc(w.db.adminUrl, { tenantId: w.a.tenantId, type: "PHONE", value: "+40755000009", reason: "Cerere" });
  await insertDnc(w.db.adminUrl, { tenantId: w.a.tenantId, type: "DOMAIN", value: "concurenta.ro", reason: "Concurent" });
});

afterAll(async () => {
  await w.close();
});

const BOM = "\uFEFF";
const mapping = { name: 0, cui: 1, phone: 2, email: 3, county: 4 };

describe("a file with problems", () => {
  it("is reported row by row before anything is written, and cannot be imported", async () => {
    const manager = await jobCaller(w.a.users.MANAGER, w.boss);
    const content =
      BOM +
      [
        "Denumire;CUI;Telefon;Email;Județ",
        "Ferma Ștefănești SRL;RO14399840;0722 100 001;office@stefanesti.ro;iasi",
        "Cifra Greșită SRL;14399841;0722 100 002;;Iași",
        "Telefon Scurt SRL;;0722 10;;",
        "Adresă Stricată SRL;;;nu-i adresa;",
        "Dublură În Fișier SRL;14399840;;;",
        "Există Deja SRL;18547290;0744 000 001;;",
        "Pe Listă SRL;;0755 000 009;cineva@concurenta.ro;",
        ";;0722 100 003;;",
      ].join("\r\n");
    const uploaded = await manager.imports.upload({ fileName: "ferme-noiembrie.csv", content });
    expect(uploaded).toMatchObject({ delimiter: ";", headers: ["Denumire", "CUI", "Telefon", "Email", "Județ"], rowCount: 8, suggested: mapping });
    const report = await manager.imports.validate({ importId: uploaded.importId, mapping: uploaded.suggested as typeof mapping });
    expect(report).toMatchObject({ rows: 8, valid: 1, invalid: 7 });
    expect(report.issues.map((i) => `${i.row} ${i.field} ${i.code}${i.firstRow ? ` ${i.firstRow}` : ""}`)).toEqual([
      "3 cui BAD_CUI",
      "4 phone BAD_PHONE",
      "5 email BAD_EMAIL",
      "6 phone NO_CONTACT",
      "6 cui DUPLICATE_IN_FILE 2",
      "7 cui DUPLICATE_EXISTING",
      "7 phone DUPLICATE_EXISTING",
      "8 phone DO_NOT_CONTACT",
      "8 email DO_NOT_CONTACT",
      "9 name MISSING_NAME",
    ]);
    expect(await failureOf(manager.imports.start({ importId: uploaded.importId }))).toMatchObject({ code: "PRECONDITION_FAILED", domainCode: "IMPORT_HAS_ERRORS" });
    expect(await adminQuery(w.db.adminUrl, `SELECT 1 FROM gold_companies WHERE denumire = 'Ferma Ștefănești SRL'`)).toEqual([]);
  });
});

describe("a clean file", () => {
  it("imports every row in one job, with source and legal basis, found by the list without diacritics", async () => {
    const manager = await jobCaller(w.a.users.MANAGER, w.boss);
    const rows = Array.from({ length: 250 }, (_, i) => `"Ferma Țăran ${i + 1}, Vest SRL",,07${String(21000000 + i).padStart(8, "0")},ferma${i + 1}@taran.ro,Argeș`);
    const content = ["denumire,cui,telefon,email,judet", ...rows].join("\n");
    const uploaded = await manager.imports.upload({ fileName: "taran.csv", content });
    expect(uploaded.delimiter).toBe(",");
    const report = await manager.imports.validate({ importId: uploaded.importId, mapping });
    expect(report).toMatchObject({ rows: 250, valid: 250, invalid: 0, issues: [] });

    const started = await manager.imports.start({ importId: uploaded.importId });
    expect(started.total).toBe(250);
    const { op } = await waitForOperation(w.a.users.MANAGER, started.operationId);
    expect(op).toMatchObject({ kind: "IMPORT", status: "DONE", total: 250, processed: 250, result: { IMPORTED: 250 } });

    const imported = await adminQuery<{ n: number; sources: string[]; bases: string[]; states: string[]; counties: string[] }>(
      w.db.adminUrl,
      `SELECT count(*)::int AS n, array_agg(DISTINCT c.source) AS sources, array_agg(DISTINCT c.legal_basis) AS bases,
              array_agg(DISTINCT j.current_state::text) AS states, array_agg(DISTINCT c.judet) AS counties
         FROM gold_companies c JOIN gold_lead_journey j ON j.lead_id = c.id WHERE c.tenant_id = $1 AND c.denumire LIKE 'Ferma Țăran %'`,
      [w.a.tenantId],
    );
    expect(imported[0]).toEqual({ n: 250, sources: ["CSV:taran.csv"], bases: ["LEGITIMATE_INTEREST"], states: ["COLD"], counties: ["Argeș"] });
    const [phone] = await adminQuery<{ telefon_principal: string }>(w.db.adminUrl, `SELECT telefon_principal FROM gold_companies WHERE denumire = 'Ferma Țăran 1, Vest SRL'`);
    expect(phone?.telefon_principal).toBe("+40721000000");
    // The file's text (personal data) is not kept once imported; its report and name are.
    const [file] = await adminQuery<{ content: string; file_name: string }>(w.db.adminUrl, `SELECT content, file_name FROM lead_imports WHERE id = $1`, [uploaded.importId]);
    expect(file).toEqual({ content: "", file_name: "taran.csv" });
    const audit = await adminQuery<{ after: Record<string, unknown>; actor_user_id: string }>(w.db.adminUrl, `SELECT after, actor_user_id FROM audit_log WHERE action = 'lead.import' AND entity_id = $1`, [uploaded.importId]);
    expect(audit).toEqual([{ actor_user_id: w.a.users.MANAGER.id, after: expect.objectContaining({ fileName: "taran.csv", imported: 250 }) }]);

    const found = await (await jobCaller(w.a.users.SALES_REP, null)).leads.list({ search: "taran 17,", assigned: undefined });
    expect(found.items.map((i) => i.company.name)).toEqual(["Ferma Țăran 17, Vest SRL"]);
    expect(await failureOf(manager.imports.start({ importId: uploaded.importId }))).toMatchObject({ code: "CONFLICT", domainCode: "IMPORT_ALREADY_STARTED" });
  });

  it("imports nothing when the data changed after the check (all or nothing)", async () => {
    const manager = await jobCaller(w.a.users.MANAGER, w.boss);
    const content = "Denumire,Telefon\nPrima Nouă SRL,0733 000 001\nA Doua Nouă SRL,0733 000 002\n";
    const uploaded = await manager.imports.upload({ fileName: "noi.csv", content });
    expect((await manager.imports.validate({ importId: uploaded.importId, mapping: { name: 0, phone: 1 } })).invalid).toBe(0);
    // Meanwhile someone adds the second number to the do-not-contact list.
    await insertDnc(w.db.adminUrl, { tenantId: w.a.tenantId, type: "PHONE", value: "+40733000002" });
    const started = await manager.imports.start({ importId: uploaded.importId });
    const { op } = await waitForOperation(w.a.users.MANAGER, started.operationId);
    expect(op).toMatchObject({ status: "FAILED", errorCode: "IMPORT_NO_LONGER_VALID", processed: 0 });
    expect(await adminQuery(w.db.adminUrl, `SELECT 1 FROM gold_companies WHERE denumire IN ('Prima Nouă SRL', 'A Doua Nouă SRL')`)).toEqual([]);
  });
});

describe("who may import", () => {
  it("keeps reps out and tenants apart", async () => {
    const rep = await jobCaller(w.a.users.SALES_REP, w.boss);
    expect((await failureOf(rep.imports.upload({ fileName: "x.csv", content: "Denumire\nX SRL\n" }))).code).toBe("FORBIDDEN");
    const manager = await jobCaller(w.a.users.MANAGER, w.boss);
    const uploaded = await manager.imports.upload({ fileName: "a.csv", content: "Denumire,Telefon\nA SRL,0733 000 009\n" });
    const other = await jobCaller(w.b.users.MANAGER, w.boss);
    expect((await failureOf(other.imports.validate({ importId: uploaded.importId, mapping: { name: 0 } }))).code).toBe("NOT_FOUND");
    expect((await failureOf(other.imports.start({ importId: uploaded.importId }))).code).toBe("NOT_FOUND");
    expect(await failureOf(manager.imports.upload({ fileName: "gol.csv", content: "Denumire\n" }))).toMatchObject({ code: "BAD_REQUEST", domainCode: "IMPORT_EMPTY" });
  });
});
