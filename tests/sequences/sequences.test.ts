/**
 * Sequences against a real Postgres: definitions, enrollment outcomes, pause/resume/stop, and the
 * functions the send pipeline and reply path call (advance, stop on reply / opt-out, out-of-office).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantTx } from "../../server/db/client.server";
import { DEFAULT_SENDING_WINDOW, calendarFor } from "../../server/quota/window";
import { insertCompanies, insertDnc } from "../support/factories";
import { adminQuery } from "../support/fixtures";
import { callerFor, createWorld, failureOf, insertLead, type World } from "./support";

let world: World;
let waTemplate: string;
let emailTemplate: string;
const calendar = calendarFor(DEFAULT_SENDING_WINDOW);

async function inTenant<T>(fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  const { withTenant } = await import("../../server/db/client.server");
  return withTenant(world.a.tenantId, fn);
}

async function sequences() {
  return import("../../server/sequences/sequences.server");
}

beforeAll(async () => {
  world = await createWorld("seq");
  const manager = await callerFor(world.a.users.MANAGER);
  const variables = [{ name: "companyName", required: true }];
  waTemplate = (await manager.templates.create({ name: "WA", channel: "WHATSAPP", content: "{Salut|Bună} {{companyName}}", variables })).id;
  emailTemplate = (await manager.templates.create({ name: "Email", channel: "EMAIL_COLD", subject: "Pentru {{companyName}}", content: "{Bună ziua|Salut}", variables })).id;
});
afterAll(async () => {
  await world.close();
});

type StepIn = { stepNumber: number; channel: "WHATSAPP" | "EMAIL_COLD" | "EMAIL_WARM"; templateId: string; fallbackTemplateId?: string | null; delayHours?: number; delayMinutes?: number; stopOnReply?: boolean; respectBusinessHours?: boolean };

async function makeSequence(name: string, steps: StepIn[]) {
  const manager = await callerFor(world.a.users.MANAGER);
  return manager.sequences.create({ name, steps: steps.map((s) => ({ delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: false, ...s })) });
}

async function enrollment(journeyId: string) {
  const rows = await adminQuery<{ id: string; status: string; current_step: number; next_step_at: Date | null; stopped_reason: string | null }>(
    world.db.adminUrl,
    "SELECT id, status, current_step, next_step_at, stopped_reason FROM sequence_enrollments WHERE journey_id = $1",
    [journeyId],
  );
  return rows;
}

describe("definitions", () => {
  it("validates numbering and template channels; reps cannot edit", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const rep = await callerFor(world.a.users.SALES_REP);
    const bad = await failureOf(
      manager.sequences.create({
        name: "Greșită",
        steps: [
          { stepNumber: 1, channel: "WHATSAPP", templateId: emailTemplate, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true },
          { stepNumber: 3, channel: "EMAIL_COLD", templateId: emailTemplate, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true },
        ],
      }),
    );
    expect(bad).toMatchObject({ code: "BAD_REQUEST", domainCode: "SEQUENCE_INVALID" });
    expect((bad.details as { issues: Array<{ code: string }> }).issues.map((i) => i.code).sort()).toEqual(["STEP_NUMBERING", "TEMPLATE_CHANNEL_MISMATCH"]);

    const s = await makeSequence("WA apoi email", [
      { stepNumber: 2, channel: "EMAIL_COLD", templateId: emailTemplate, delayHours: 120 },
      { stepNumber: 1, channel: "WHATSAPP", templateId: waTemplate },
    ]);
    expect(s.steps.map((x) => [x.stepNumber, x.channel, x.templateName])).toEqual([
      [1, "WHATSAPP", "WA"],
      [2, "EMAIL_COLD", "Email"],
    ]);
    expect((await failureOf(rep.sequences.create({ name: "x", steps: [] }))).code).toMatch(/FORBIDDEN|BAD_REQUEST/);
    const updated = await manager.sequences.update({ sequenceId: s.id, isDefault: true, steps: [{ stepNumber: 1, channel: "WHATSAPP", templateId: waTemplate, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true }] });
    expect(updated).toMatchObject({ isDefault: true, steps: [{ stepNumber: 1 }] });
    expect((await rep.sequences.list()).find((x) => x.id === s.id)?.stepCount).toBe(1);
  });

  it("stores a fallback template of the other channel; rejects one of the same channel or of another tenant", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const s = await makeSequence("WA cu rezervă email", [
      { stepNumber: 1, channel: "WHATSAPP", templateId: waTemplate, fallbackTemplateId: emailTemplate },
      { stepNumber: 2, channel: "EMAIL_COLD", templateId: emailTemplate, fallbackTemplateId: waTemplate, delayHours: 24 },
      { stepNumber: 3, channel: "WHATSAPP", templateId: waTemplate, delayHours: 24 },
    ]);
    expect(s.steps.map((x) => [x.stepNumber, x.fallbackTemplateId, x.fallbackTemplateName])).toEqual([
      [1, emailTemplate, "Email"],
      [2, waTemplate, "WA"],
      [3, null, null],
    ]);
    const stored = await adminQuery<{ step_number: number; fallback_template_id: string | null }>(
      world.db.adminUrl,
      "SELECT step_number, fallback_template_id FROM outreach_sequence_steps WHERE sequence_id = $1 ORDER BY step_number",
      [s.id],
    );
    expect(stored.map((r) => r.fallback_template_id)).toEqual([emailTemplate, waTemplate, null]);

    // An update replaces the steps, fallback included.
    const cleared = await manager.sequences.update({ sequenceId: s.id, steps: [{ stepNumber: 1, channel: "WHATSAPP", templateId: waTemplate, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true }] });
    expect(cleared.steps[0]).toMatchObject({ fallbackTemplateId: null, fallbackTemplateName: null });

    const issuesOf = async (fallbackTemplateId: string) => {
      const f = await failureOf(makeSequence(`Rezervă ${fallbackTemplateId.slice(0, 8)}`, [{ stepNumber: 1, channel: "WHATSAPP", templateId: waTemplate, fallbackTemplateId }]));
      expect(f).toMatchObject({ code: "BAD_REQUEST", domainCode: "SEQUENCE_INVALID" });
      return (f.details as { issues: Array<{ code: string }> }).issues.map((i) => i.code);
    };
    expect(await issuesOf(waTemplate)).toEqual(["FALLBACK_TEMPLATE_SAME_CHANNEL"]);
    const managerB = await callerFor(world.b.users.MANAGER);
    const otherTenants = (await managerB.templates.create({ name: "Email B", channel: "EMAIL_COLD", subject: "B", content: "B", variables: [] })).id;
    expect(await issuesOf(otherTenants)).toEqual(["FALLBACK_TEMPLATE_NOT_FOUND"]);
    // The database agrees: the composite key (tenant_id, fallback_template_id) has no such template.
    await expect(adminQuery(world.db.adminUrl, "UPDATE outreach_sequence_steps SET fallback_template_id = $2 WHERE sequence_id = $1", [s.id, otherTenants])).rejects.toThrow(/foreign key/);
  });
});

describe("enrolling", () => {
  it("bulk by ids: one outcome per lead, counted", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const s = await makeSequence("Bulk", [
      { stepNumber: 1, channel: "WHATSAPP", templateId: waTemplate },
      { stepNumber: 2, channel: "EMAIL_COLD", templateId: emailTemplate, delayHours: 48 },
    ]);
    for (const [type, value] of [["EMAIL", "stop@ferma.ro"], ["DOMAIN", "concurent.ro"], ["PHONE", "0745 111 222"]] as const) await insertDnc(world.db.adminUrl, { tenantId: world.a.tenantId, type, value });
    const ok1 = await insertLead(world.db.adminUrl, world.a.tenantId);
    const ok2 = await insertLead(world.db.adminUrl, world.a.tenantId, { state: "CONTACTED_WA" });
    const noJourney = await insertLead(world.db.adminUrl, world.a.tenantId, { journey: false });
    const optedOut = await insertLead(world.db.adminUrl, world.a.tenantId, { emailOptedOut: true });
    const dncEmail = await insertLead(world.db.adminUrl, world.a.tenantId, { email: "STOP@ferma.ro" });
    const dncDomain = await insertLead(world.db.adminUrl, world.a.tenantId, { email: "ion@concurent.ro" });
    const dncPhone = await insertLead(world.db.adminUrl, world.a.tenantId, { phone: "+40745111222" });
    const warm = await insertLead(world.db.adminUrl, world.a.tenantId, { state: "WARM_REPLY" });
    const other = await insertLead(world.db.adminUrl, world.b.tenantId);
    const ids = [ok1, ok2, noJourney, optedOut, dncEmail, dncDomain, dncPhone, warm, other].map((l) => l.leadId);

    const r = await manager.sequences.enrollBulk({ sequenceId: s.id, target: { leadIds: ids } });
    expect(r.leads.map((l) => l.outcome)).toEqual(["ENROLLED", "ENROLLED", "ENROLLED", "OPTED_OUT", "DO_NOT_CONTACT", "DO_NOT_CONTACT", "DO_NOT_CONTACT", "NOT_ELIGIBLE", "NOT_FOUND"]);
    expect(r.counts).toEqual({ ENROLLED: 3, ALREADY_ENROLLED: 0, OPTED_OUT: 1, DO_NOT_CONTACT: 3, NOT_ELIGIBLE: 1, NOT_FOUND: 1 });

    // Again: the enrolled ones are skipped, nothing is duplicated.
    const again = await manager.sequences.enrollBulk({ sequenceId: s.id, target: { leadIds: ids.slice(0, 3) } });
    expect(again.counts.ALREADY_ENROLLED).toBe(3);
    const [j] = await adminQuery<{ current_sequence_id: string; next_action_at: Date | null }>(world.db.adminUrl, "SELECT current_sequence_id, next_action_at FROM gold_lead_journey WHERE lead_id = $1", [ok1.leadId]);
    expect(j?.current_sequence_id).toBe(s.id);
    expect(j?.next_action_at).not.toBeNull();
    // Tenant B's lead got no journey or enrollment from tenant A's call.
    expect(await adminQuery(world.db.adminUrl, "SELECT 1 FROM sequence_enrollments WHERE lead_id = $1", [other.leadId])).toEqual([]);
  });

  it("bulk by filter: leads of a county not enrolled yet", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const s = await makeSequence("Filtru", [{ stepNumber: 1, channel: "WHATSAPP", templateId: waTemplate }]);
    const inCounty = [await insertLead(world.db.adminUrl, world.a.tenantId, { judet: "Vaslui" }), await insertLead(world.db.adminUrl, world.a.tenantId, { judet: "Vaslui" })];
    await insertLead(world.db.adminUrl, world.a.tenantId, { judet: "Vaslui", state: "DEAD" });
    await insertLead(world.db.adminUrl, world.a.tenantId, { judet: "Bacău" });
    const r = await manager.sequences.enrollBulk({ sequenceId: s.id, target: { filter: { judet: "Vaslui", states: ["COLD"] } } });
    expect(r.counts.ENROLLED).toBe(2);
    expect(r.leads.map((l) => l.leadId).sort()).toEqual(inCounty.map((l) => l.leadId).sort());
  });

  it("a full batch (5,000 leads) enrolls in one call", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const s = await makeSequence("Lot mare", [{ stepNumber: 1, channel: "WHATSAPP", templateId: waTemplate }]);
    await adminQuery(world.db.adminUrl, "INSERT INTO do_not_contact (tenant_id, type, value) SELECT $1, 'EMAIL', 'dnc' || i || '@x.ro' FROM generate_series(1, 2000) i", [world.a.tenantId]);
    const leadIds = await insertCompanies(
      world.db.adminUrl,
      world.a.tenantId,
      Array.from({ length: 5000 }, (_, i) => i + 1).map((i) => ({ denumire: `Lot ${i}`, judet: "Lot", telefonPrincipal: `+4075${String(i).padStart(7, "0")}`, emailPrincipal: `lot${i}@ferma.ro` })),
    );
    // Set-based (a few statements for the whole batch, not per lead): the guarantee is that the full
    // batch goes in one call and one transaction; how long that takes is the machine's business.
    const r = await manager.sequences.enrollBulk({ sequenceId: s.id, target: { leadIds } });
    expect(r.counts.ENROLLED).toBe(5000);
    expect((await adminQuery<{ n: number }>(world.db.adminUrl, "SELECT count(*)::int AS n FROM sequence_enrollments WHERE sequence_id = $1", [s.id]))[0]!.n).toBe(5000);
  });

  it("pause, resume and stop one enrollment", async () => {
    const rep = await callerFor(world.a.users.SALES_REP);
    const s = await makeSequence("Pauză", [{ stepNumber: 1, channel: "WHATSAPP", templateId: waTemplate }]);
    const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    const e = (await rep.sequences.enroll({ sequenceId: s.id, leadId })).leads[0]!.enrollmentId!;
    expect((await rep.sequences.pause({ enrollmentId: e })).nextStepAt).toBeNull();
    expect((await enrollment(journeyId!))[0]?.status).toBe("PAUSED");
    expect((await rep.sequences.resume({ enrollmentId: e })).nextStepAt).not.toBeNull();
    expect((await enrollment(journeyId!))[0]?.status).toBe("ACTIVE");
    const stopped = await rep.sequences.stop({ enrollmentId: e, reason: "Cerut de client" });
    expect(stopped.stopped).toMatchObject({ enrollmentId: e, pendingStep: 1 });
    expect((await enrollment(journeyId!))[0]).toMatchObject({ status: "STOPPED", stopped_reason: "Cerut de client" });
    expect(await failureOf(rep.sequences.resume({ enrollmentId: e }))).toMatchObject({ code: "CONFLICT", domainCode: "ENROLLMENT_STATUS" });
    const listed = await rep.sequences.enrollments({ leadId });
    expect(listed.items.map((i) => i.status)).toEqual(["STOPPED"]);
    // Another tenant's rep cannot touch it.
    const repB = await callerFor(world.b.users.SALES_REP);
    expect((await failureOf(repB.sequences.pause({ enrollmentId: e }))).code).toBe("NOT_FOUND");
  });
});

describe("pipeline functions", () => {
  it("advanceAfterSend records each step once and completes after the last", async () => {
    const { enrollLeads, advanceAfterSend } = await sequences();
    const s = await makeSequence("Avans", [
      { stepNumber: 1, channel: "WHATSAPP", templateId: waTemplate },
      { stepNumber: 2, channel: "WHATSAPP", templateId: waTemplate, delayHours: 72, respectBusinessHours: true },
    ]);
    const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    const now = new Date("2026-03-10T08:00:00Z"); // Tuesday 10:00 Bucharest
    const enrolled = await inTenant((tx) => enrollLeads(tx, { tenantId: world.a.tenantId, sequenceId: s.id, target: { leadIds: [leadId] }, now, calendar }));
    const enrollmentId = enrolled.leads[0]!.enrollmentId!;
    expect((await enrollment(journeyId!))[0]?.next_step_at).toEqual(now);

    // Sent Thursday 17:00 local: +72 h = Sunday → Monday 09:00 local.
    const sentAt = new Date("2026-03-12T15:00:00Z");
    const first = await inTenant((tx) => advanceAfterSend(tx, { enrollmentId, stepNumber: 1, sentAt, calendar }));
    expect(first).toMatchObject({ advanced: true, completed: false, next: { stepNumber: 2, at: new Date("2026-03-16T07:00:00Z") } });
    const retried = await inTenant((tx) => advanceAfterSend(tx, { enrollmentId, stepNumber: 1, sentAt, calendar }));
    expect(retried.advanced).toBe(false);
    const last = await inTenant((tx) => advanceAfterSend(tx, { enrollmentId, stepNumber: 2, sentAt: new Date("2026-03-16T07:01:00Z"), calendar }));
    expect(last).toMatchObject({ advanced: true, completed: true, next: null });
    expect((await enrollment(journeyId!))[0]).toMatchObject({ status: "COMPLETED", current_step: 2, next_step_at: null });
  });

  it("a WhatsApp reply stops the email steps too; a step without stop_on_reply keeps going", async () => {
    const { enrollLeads, stopOnReply } = await sequences();
    const stopping = await makeSequence("Oprire la răspuns", [
      { stepNumber: 1, channel: "EMAIL_COLD", templateId: emailTemplate },
      { stepNumber: 2, channel: "EMAIL_COLD", templateId: emailTemplate, delayHours: 24 },
    ]);
    const continuing = await makeSequence("Fără oprire", [{ stepNumber: 1, channel: "EMAIL_COLD", templateId: emailTemplate, stopOnReply: false }]);
    const now = new Date("2026-03-10T08:00:00Z");
    const a = await insertLead(world.db.adminUrl, world.a.tenantId);
    const b = await insertLead(world.db.adminUrl, world.a.tenantId);
    await inTenant((tx) => enrollLeads(tx, { tenantId: world.a.tenantId, sequenceId: stopping.id, target: { leadIds: [a.leadId] }, now, calendar }));
    await inTenant((tx) => enrollLeads(tx, { tenantId: world.a.tenantId, sequenceId: continuing.id, target: { leadIds: [b.leadId] }, now, calendar }));

    const stoppedA = await inTenant((tx) => stopOnReply(tx, a.journeyId!, "WHATSAPP", { now }));
    expect(stoppedA).toHaveLength(1);
    expect(stoppedA[0]).toMatchObject({ journeyId: a.journeyId, sequenceId: stopping.id, pendingStep: 1 });
    expect((await enrollment(a.journeyId!))[0]).toMatchObject({ status: "STOPPED", stopped_reason: "Lead-ul a răspuns (WHATSAPP)" });
    const [ja] = await adminQuery<{ next_action_at: Date | null }>(world.db.adminUrl, "SELECT next_action_at FROM gold_lead_journey WHERE id = $1", [a.journeyId]);
    expect(ja?.next_action_at).toBeNull();

    expect(await inTenant((tx) => stopOnReply(tx, b.journeyId!, "WHATSAPP", { now }))).toEqual([]);
    expect((await enrollment(b.journeyId!))[0]?.status).toBe("ACTIVE");
  });

  it("an opt-out stops every enrollment, whatever the step flags", async () => {
    const { enrollLeads, stopOnOptOut } = await sequences();
    const s = await makeSequence("Opt-out", [{ stepNumber: 1, channel: "WHATSAPP", templateId: waTemplate, stopOnReply: false }]);
    const now = new Date("2026-03-10T08:00:00Z");
    const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    await inTenant((tx) => enrollLeads(tx, { tenantId: world.a.tenantId, sequenceId: s.id, target: { leadIds: [leadId] }, now, calendar }));
    const stopped = await inTenant((tx) => stopOnOptOut(tx, journeyId!, { channel: "EMAIL_COLD", now }));
    expect(stopped).toHaveLength(1);
    expect((await enrollment(journeyId!))[0]).toMatchObject({ status: "STOPPED", stopped_reason: "Lead-ul s-a dezabonat (EMAIL_COLD)" });
  });

  it("an out-of-office reply postpones the pending step into the window instead of stopping", async () => {
    const { enrollLeads, postponeForOutOfOffice } = await sequences();
    const s = await makeSequence("Concediu", [{ stepNumber: 1, channel: "WHATSAPP", templateId: waTemplate, respectBusinessHours: true }]);
    const now = new Date("2026-03-10T08:00:00Z");
    const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    await inTenant((tx) => enrollLeads(tx, { tenantId: world.a.tenantId, sequenceId: s.id, target: { leadIds: [leadId] }, now, calendar }));
    // Back on Saturday 2026-03-21 → Monday 23 March 09:00 local (07:00Z).
    const moved = await inTenant((tx) => postponeForOutOfOffice(tx, journeyId!, new Date("2026-03-21T10:00:00Z"), { calendar }));
    expect(moved).toHaveLength(1);
    expect((await enrollment(journeyId!))[0]).toMatchObject({ status: "ACTIVE", next_step_at: new Date("2026-03-23T07:00:00Z") });
    // An earlier return date does not pull the step forward.
    expect(await inTenant((tx) => postponeForOutOfOffice(tx, journeyId!, new Date("2026-03-11T10:00:00Z"), { calendar }))).toEqual([]);
  });
});
