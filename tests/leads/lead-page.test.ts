/**
 * The lead page's procedures through the tRPC caller, against a real database with row-level
 * security: the lead's data and its one timeline, every action a person takes (audited, guarded
 * against stale screens), tiers and another tenant's ids.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goldImportSource } from "../../server/leads/provenance";
import { insertDnc, insertMessage, insertReview, insertStateChange } from "../support/factories";
import { adminQuery } from "../support/fixtures";
import { callerFor, createWorld, failureOf, insertLead, type World } from "../sequences/support";

let world: World;

beforeAll(async () => {
  world = await createWorld("lp");
});
afterAll(async () => {
  await world?.close();
});

async function template(name: string, channel = "WHATSAPP"): Promise<string> {
  const manager = await callerFor(world.a.users.MANAGER);
  const t = await manager.templates.create({ name, channel: channel as "WHATSAPP", subject: channel === "WHATSAPP" ? undefined : "Ofertă {{companyName}}", content: "Bună ziua, {{companyName}}!", variables: [{ name: "companyName", required: true }] });
  return t.id;
}

async function sequence(name: string): Promise<string> {
  const manager = await callerFor(world.a.users.MANAGER);
  const t = await template(`${name} T`);
  const s = await manager.sequences.create({ name, steps: [{ stepNumber: 1, channel: "WHATSAPP", templateId: t, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true }] });
  return s.id;
}

const UNKNOWN = "00000000-0000-4000-8000-000000000000";

describe("leads.get", () => {
  it("returns the company card, state, owner and what holds the automation back", async () => {
    const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId, { denumire: "Agro Ștefănești SRL", phone: "0744 111 222", email: "office@stefanesti.ro" });
    await adminQuery(world.db.adminUrl, `UPDATE gold_companies SET cui = 'RO123456', cod_caen = '0111', suprafata_agricola_ha = 412.5, hlr_reachable = true, email_status = 'VALID' WHERE id = $1`, [leadId]);
    await insertDnc(world.db.adminUrl, { tenantId: world.a.tenantId, type: "PHONE", value: "+40744111222" });
    const rep = await callerFor(world.a.users.SALES_REP);
    const lead = await rep.leads.get({ leadId });
    expect(lead).toMatchObject({
      leadId,
      journeyId,
      company: { name: "Agro Ștefănești SRL", cui: "RO123456", caen: "0111", farmedAreaHa: 412.5, phone: "0744 111 222", phoneReachable: true, email: "office@stefanesti.ro", emailStatus: "VALID" },
      state: { current: "COLD" },
      owner: null,
      humanControlled: false,
      // The number is listed in another spelling: the key makes them one.
      doNotContact: { phone: true, email: false, domain: false },
      provenance: { source: "GOLD_IMPORT", legalBasis: "LEGITIMATE_INTEREST" },
    });
    expect(lead.state.allowedNext).toContain("PAUSED");
  });

  it("answers NOT_FOUND for an unknown id and for another tenant's lead", async () => {
    const { leadId: other } = await insertLead(world.db.adminUrl, world.b.tenantId);
    const rep = await callerFor(world.a.users.SALES_REP);
    expect((await failureOf(rep.leads.get({ leadId: UNKNOWN }))).code).toBe("NOT_FOUND");
    expect((await failureOf(rep.leads.get({ leadId: other }))).code).toBe("NOT_FOUND");
    expect((await failureOf(rep.leads.timeline({ leadId: other }))).code).toBe("NOT_FOUND");
    expect((await failureOf(rep.leads.takeOver({ leadId: other }))).code).toBe("NOT_FOUND");
    expect((await failureOf(rep.leads.gdprExport({ leadId: other }))).code).toBe("NOT_FOUND");
  });
});

describe("leads.timeline", () => {
  it("merges messages, state changes, decisions, reviews, notes and actions, newest first, in windows", async () => {
    const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    const t = world.a.tenantId;
    const at = (m: number) => new Date(Date.UTC(2026, 5, 10, 7, m));
    const lead = { tenantId: t, journeyId: journeyId!, leadId };
    await insertMessage(world.db.adminUrl, { ...lead, channel: "WHATSAPP", direction: "OUTBOUND", status: "READ", contentPreview: "Bună ziua!", sentAt: at(1), deliveredAt: at(2), readAt: at(3), createdAt: at(1) });
    await insertMessage(world.db.adminUrl, { ...lead, channel: "EMAIL_COLD", direction: "OUTBOUND", status: "BOUNCED", contentPreview: "Ofertă", sentAt: at(5), createdAt: at(5) });
    await insertMessage(world.db.adminUrl, {
      ...lead, channel: "WHATSAPP", direction: "INBOUND", status: "REPLIED", contentPreview: "Da, trimiteți oferta", sentimentScore: 72, intent: "interested", analysis: { summary: "cere ofertă" }, repliedAt: at(4), createdAt: at(4),
    });
    await insertStateChange(world.db.adminUrl, { ...lead, fromState: "COLD", toState: "CONTACTED_WA", actorType: "JOB", actorId: "wa.send:1", reason: "Primul mesaj WhatsApp trimis", createdAt: at(1) });
    await adminQuery(world.db.adminUrl, `INSERT INTO lead_decisions (tenant_id, journey_id, stage, result, outcome, at) VALUES ($1, $2, 'dispatch', 'DISPATCHED_WHATSAPP', '{"summary":"WhatsApp via the phone with most quota left"}', $3)`, [t, journeyId, at(0)]);
    await insertReview(world.db.adminUrl, { ...lead, kind: "TRIAGE", reason: "AI_UNCERTAIN", priority: "MEDIUM", slaDueAt: at(60), createdAt: at(4) });
    const rep = await callerFor(world.a.users.SALES_REP);
    await rep.leads.addNote({ leadId, body: "Sunați după ora 15." });
    await rep.leads.takeOver({ leadId });

    const all = await rep.leads.timeline({ leadId, limit: 100 });
    expect(all.next).toBeNull();
    // Same instant: ordered by key (kind, then id), descending, so the order is total and stable.
    expect(all.items.map((i) => i.kind)).toEqual(["action", "note", "message", "review", "message", "state", "message", "decision"]);
    const inbound = all.items.find((i) => i.kind === "message" && i.direction === "INBOUND");
    expect(inbound).toMatchObject({ analysis: { sentiment: 72, intent: "interested", details: { summary: "cere ofertă" } } });
    const read = all.items.find((i) => i.kind === "message" && i.status === "READ");
    expect(read).toMatchObject({ times: { sent: at(1), delivered: at(2), read: at(3) } });
    expect(all.items.find((i) => i.kind === "action")).toMatchObject({ action: "lead.take_over", actor: { name: world.a.users.SALES_REP.name } });
    expect(all.items.find((i) => i.kind === "note")).toMatchObject({ body: "Sunați după ora 15.", author: { name: world.a.users.SALES_REP.name } });

    // Windows of 3 cover everything once, in the same order.
    const seen: string[] = [];
    let before: { at: Date; key: string } | undefined;
    for (let page = 0; page < 10; page++) {
      const w = await rep.leads.timeline({ leadId, limit: 3, cursor: before ?? null });
      seen.push(...w.items.map((i) => i.key));
      if (!w.next) break;
      before = w.next;
    }
    expect(seen).toEqual(all.items.map((i) => i.key));
  });
});

describe("actions", () => {
  it("take over and release: the flag, the owner, the audit, and a stale screen refused", async () => {
    const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    const rep = await callerFor(world.a.users.SALES_REP);
    const manager = await callerFor(world.a.users.MANAGER);
    expect(await rep.leads.takeOver({ leadId, expected: { humanControlled: false } })).toMatchObject({ changed: true, humanControlled: true, ownerId: world.a.users.SALES_REP.id });
    // The manager's screen still shows the lead free.
    const stale = await failureOf(manager.leads.takeOver({ leadId, expected: { humanControlled: false } }));
    expect(stale).toMatchObject({ code: "CONFLICT", domainCode: "LEAD_CHANGED" });
    expect(await rep.leads.release({ leadId })).toMatchObject({ changed: true, humanControlled: false });
    const rows = await adminQuery<{ is_human_controlled: boolean; assigned_to_user: string }>(world.db.adminUrl, `SELECT is_human_controlled, assigned_to_user FROM gold_lead_journey WHERE id = $1`, [journeyId]);
    expect(rows[0]).toEqual({ is_human_controlled: false, assigned_to_user: world.a.users.SALES_REP.id });
    const audit = await adminQuery<{ action: string; actor_user_id: string }>(world.db.adminUrl, `SELECT action, actor_user_id FROM audit_log WHERE entity_id = $1 ORDER BY created_at`, [journeyId]);
    expect(audit.map((a) => a.action)).toEqual(["lead.take_over", "lead.release"]);
  });

  it("assign owner: a manager assigns anyone of the tenant, a rep only themselves", async () => {
    const { leadId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    const rep = await callerFor(world.a.users.SALES_REP);
    const manager = await callerFor(world.a.users.MANAGER);
    expect(await failureOf(rep.leads.assign({ leadId, ownerId: world.a.users.MANAGER.id }))).toMatchObject({ code: "FORBIDDEN", domainCode: "ASSIGN_OTHERS_MANAGER_ONLY" });
    expect(await rep.leads.assign({ leadId, ownerId: world.a.users.SALES_REP.id, expected: { ownerId: null } })).toMatchObject({ changed: true, owner: { id: world.a.users.SALES_REP.id } });
    expect(await failureOf(manager.leads.assign({ leadId, ownerId: world.a.users.MANAGER.id, expected: { ownerId: null } }))).toMatchObject({ code: "CONFLICT", domainCode: "LEAD_CHANGED" });
    expect((await failureOf(manager.leads.assign({ leadId, ownerId: world.b.users.SALES_REP.id }))).code).toBe("NOT_FOUND");
    expect(await manager.leads.assign({ leadId, ownerId: null })).toMatchObject({ changed: true, owner: null });
    const owners = await rep.leads.owners();
    expect(owners.map((o) => o.id).sort()).toEqual(Object.values(world.a.users).map((u) => u.id).sort());
  });

  it("a note is audited without its text", async () => {
    const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    const rep = await callerFor(world.a.users.SALES_REP);
    await rep.leads.addNote({ leadId, body: "Are 300 ha de porumb; sunați-l pe fiul lui." });
    const audit = await adminQuery<{ after: { length: number } }>(world.db.adminUrl, `SELECT after FROM audit_log WHERE entity_id = $1 AND action = 'lead.note'`, [journeyId]);
    expect(audit[0]!.after.length).toBe(43);
    expect(JSON.stringify(audit[0]!.after)).not.toContain("porumb");
  });

  it("opt out: both channels, do-not-contact entries for phone and address, every sequence stopped", async () => {
    const s = await sequence("Opt-out");
    const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId, { phone: "0745 222 333", email: "Ion@Ferma-Opt.ro" });
    const rep = await callerFor(world.a.users.SALES_REP);
    await rep.leads.enroll({ leadId, sequenceId: s });
    const r = await rep.leads.optOut({ leadId, reason: "A cerut la telefon să nu mai fie contactat" });
    expect(r).toMatchObject({ alreadyOptedOut: false, stoppedEnrollments: 1 });
    expect(r.doNotContact.map((d) => [d.type, d.created])).toEqual([["PHONE", true], ["EMAIL", true]]);
    const dnc = await adminQuery<{ type: string; value: string; source: string }>(world.db.adminUrl, `SELECT type::text, value, source FROM do_not_contact WHERE tenant_id = $1 AND source = 'lead_page' ORDER BY type`, [world.a.tenantId]);
    expect(dnc).toEqual([
      { type: "EMAIL", value: "ion@ferma-opt.ro", source: "lead_page" },
      { type: "PHONE", value: "+40745222333", source: "lead_page" },
    ]);
    const j = await adminQuery(world.db.adminUrl, `SELECT whatsapp_opted_out, email_opted_out, next_action_at FROM gold_lead_journey WHERE id = $1`, [journeyId]);
    expect(j[0]).toEqual({ whatsapp_opted_out: true, email_opted_out: true, next_action_at: null });
    const e = await adminQuery(world.db.adminUrl, `SELECT status FROM sequence_enrollments WHERE journey_id = $1`, [journeyId]);
    expect(e).toEqual([{ status: "STOPPED" }]);
    expect((await rep.leads.optOut({ leadId, reason: "din nou" })).alreadyOptedOut).toBe(true);
    // Nothing more can be sent or enrolled.
    expect(await failureOf(rep.leads.enroll({ leadId, sequenceId: s }))).toMatchObject({ code: "PRECONDITION_FAILED", domainCode: "ENROLL_OPTED_OUT" });
    const detail = await rep.leads.get({ leadId });
    expect(detail).toMatchObject({ optedOut: { whatsapp: true, email: true }, doNotContact: { phone: true, email: true } });
  });

  it("enroll and stop a sequence from the lead page", async () => {
    const s = await sequence("Pagina lead");
    const { leadId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    const rep = await callerFor(world.a.users.SALES_REP);
    const { enrollmentId } = await rep.leads.enroll({ leadId, sequenceId: s, expected: { state: "COLD" } });
    expect(await failureOf(rep.leads.enroll({ leadId, sequenceId: s }))).toMatchObject({ code: "CONFLICT", domainCode: "ENROLL_ALREADY_ENROLLED" });
    const detail = await rep.leads.get({ leadId });
    expect(detail.enrollments[0]).toMatchObject({ id: enrollmentId, status: "ACTIVE", currentStep: 0, totalSteps: 1, nextStep: { number: 1, channel: "WHATSAPP" } });
    expect(await rep.leads.stopSequence({ leadId, enrollmentId, reason: "Prefer să-l sun" })).toEqual({ stopped: true });
    const { leadId: other } = await insertLead(world.db.adminUrl, world.a.tenantId);
    expect((await failureOf(rep.leads.stopSequence({ leadId: other, enrollmentId, reason: "x" }))).code).toBe("NOT_FOUND");
  });

  it("pause and resume through the state machine; a stale state is refused", async () => {
    const { leadId } = await insertLead(world.db.adminUrl, world.a.tenantId, { state: "CONTACTED_WA" });
    const rep = await callerFor(world.a.users.SALES_REP);
    expect(await rep.leads.transition({ leadId, to: "PAUSED", reason: "Concediu", expectedFrom: "CONTACTED_WA" })).toMatchObject({ changed: true, to: "PAUSED" });
    expect(await failureOf(rep.leads.transition({ leadId, to: "PAUSED", reason: "x", expectedFrom: "CONTACTED_WA" }))).toMatchObject({ code: "CONFLICT", domainCode: "LEAD_STATE_CHANGED" });
    expect(await rep.leads.transition({ leadId, to: "CONTACTED_WA", reason: "Înapoi", expectedFrom: "PAUSED" })).toMatchObject({ changed: true, to: "CONTACTED_WA" });
  });

  it("sending needs the job queue (a web process without pg-boss says so)", async () => {
    const { leadId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    const rep = await callerFor(world.a.users.SALES_REP);
    const r = await failureOf(rep.leads.sendMessage({ leadId, channel: "WHATSAPP", requestId: UNKNOWN, text: "Bună ziua" }));
    expect(r).toMatchObject({ code: "SERVICE_UNAVAILABLE", domainCode: "QUEUE_UNAVAILABLE" });
  });

  it("GDPR erasure is a manager's; export is every role's", async () => {
    const { leadId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    const rep = await callerFor(world.a.users.SALES_REP);
    expect((await failureOf(rep.leads.gdprErase({ leadId, confirm: true }))).code).toBe("FORBIDDEN");
    // Where the data came from travels with it (a Gold-stage run, as the Gold stage records it).
    const source = goldImportSource("etapa1-0042", new Date("2026-11-02T05:40:00Z"));
    await adminQuery(world.db.adminUrl, `UPDATE gold_companies SET source = $2 WHERE id = $1`, [leadId, source]);
    expect((await rep.leads.get({ leadId })).provenance).toEqual({ source, legalBasis: "LEGITIMATE_INTEREST" });
    const exported = await rep.leads.gdprExport({ leadId });
    expect(exported).toMatchObject({ format: "cerniq-lead-export/1", leadId, company: { id: leadId, source, legal_basis: "LEGITIMATE_INTEREST" } });
  });
});

describe("do-not-contact list", () => {
  it("managers list, search, add, import and remove; reps cannot; erased people's entries stay", async () => {
    const rep = await callerFor(world.a.users.SALES_REP);
    const manager = await callerFor(world.a.users.MANAGER);
    expect((await failureOf(rep.doNotContact.list({}))).code).toBe("FORBIDDEN");
    expect((await failureOf(rep.doNotContact.add({ type: "PHONE", value: "0722000111" }))).code).toBe("FORBIDDEN");

    const added = await manager.doNotContact.add({ type: "PHONE", value: "0722 000 111", reason: "Cerere telefonică" });
    expect(added).toMatchObject({ created: true, value: "+40722000111" });
    expect(await manager.doNotContact.add({ type: "PHONE", value: "+40 722 000 111" })).toMatchObject({ created: false, id: added.id });
    expect(await failureOf(manager.doNotContact.add({ type: "EMAIL", value: "nu-e-email" }))).toMatchObject({ code: "BAD_REQUEST", domainCode: "DNC_VALUE_INVALID" });

    const imported = await manager.doNotContact.import({
      fileName: "lista-stop.csv",
      rows: [
        { type: "EMAIL", value: "A@B.ro", reason: "dezabonat" },
        { type: "EMAIL", value: "a@b.ro" },
        { type: "DOMAIN", value: "@www.concurent-agro.ro" },
        { type: "PHONE", value: "+40722000111" },
        { type: "PHONE", value: "abc" },
      ],
    });
    expect(imported).toEqual({ added: 2, duplicates: 2, invalid: [{ row: 5, type: "PHONE", value: "abc" }] });

    const found = await manager.doNotContact.list({ search: "0722000111" });
    expect(found.items.map((i) => i.value)).toEqual(["+40722000111"]);
    const bySource = await manager.doNotContact.list({ search: "lista-stop" });
    expect(bySource.total).toBe(2);

    await adminQuery(world.db.adminUrl, `INSERT INTO do_not_contact (tenant_id, type, value, source) VALUES ($1, 'PHONE', dnc_hashed('+40799000000'), 'gdpr:erasure')`, [world.a.tenantId]);
    const hashed = (await manager.doNotContact.list({ search: "gdpr" })).items[0]!;
    expect(hashed).toMatchObject({ hashed: true, value: null });
    expect(await failureOf(manager.doNotContact.remove({ id: hashed.id, reason: "greșeală" }))).toMatchObject({ code: "PRECONDITION_FAILED", domainCode: "DNC_ENTRY_ERASED_PERSON" });
    expect(await manager.doNotContact.remove({ id: added.id, reason: "A revenit asupra cererii" })).toEqual({ removed: true });
    const audit = await adminQuery<{ action: string; after: unknown; before: unknown }>(world.db.adminUrl, `SELECT action, before, after FROM audit_log WHERE tenant_id = $1 AND entity_type = 'do_not_contact' ORDER BY created_at`, [world.a.tenantId]);
    expect(audit.map((a) => a.action)).toEqual(["dnc.add", "dnc.import", "dnc.remove"]);
    // The audit says what happened, never the number or address.
    expect(JSON.stringify(audit)).not.toMatch(/722000111|a@b\.ro/);
    // Another tenant's list is not this tenant's.
    const otherManager = await callerFor(world.b.users.MANAGER);
    expect((await otherManager.doNotContact.list({})).total).toBe(0);
  });
});
