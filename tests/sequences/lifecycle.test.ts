/**
 * A whole sequence's lifecycle against a real Postgres, through the procedures: what the confirm
 * dialog says a pause/resume/archive will touch equals what the action then does; pause/resume keep a
 * person's own pauses; a paused lead's enrollment stays with the lead; archive instead of delete once
 * there is history; roles and cross-tenant ids.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../server/clock";
import { adminQuery } from "../support/fixtures";
import { callerFor as baseCallerFor, createWorld, failureOf, insertLead, type World } from "./support";
import type { SessionUser } from "../../server/auth/roles";

let world: World;
let waTemplate: string;
let now = new Date("2026-12-07T10:00:00Z"); // a Monday, 12:00 in Bucharest: the window is open
const clock: Clock = () => now;

async function callerFor(user: SessionUser) {
  const { appRouter } = await import("../../server/trpc/router.server");
  const { createCallerFactory } = await import("../../server/trpc/init.server");
  return createCallerFactory(appRouter)({ user, requestId: "test", ip: null, boss: null, clock });
}

beforeAll(async () => {
  world = await createWorld("seqlife");
  const manager = await baseCallerFor(world.a.users.MANAGER);
  waTemplate = (await manager.templates.create({ name: "WA", channel: "WHATSAPP", content: "{Salut|Bună} {{companyName}}", variables: [{ name: "companyName", required: true }] })).id;
});
afterAll(async () => {
  await world.close();
});

const step = (stepNumber: number, delayHours: number) => ({ stepNumber, channel: "WHATSAPP" as const, templateId: waTemplate, delayHours, delayMinutes: 0, stopOnReply: true, respectBusinessHours: false });

async function enrollments(sequenceId: string) {
  return adminQuery<{ lead_id: string; status: string; paused_by_sequence: boolean; next_step_at: Date | null; stopped_reason: string | null }>(
    world.db.adminUrl,
    "SELECT lead_id, status, paused_by_sequence, next_step_at, stopped_reason FROM sequence_enrollments WHERE sequence_id = $1 ORDER BY lead_id",
    [sequenceId],
  );
}

async function journey(leadId: string) {
  const [row] = await adminQuery<{ sequence_paused: boolean; next_action_at: Date | null; next_action_reason: string | null }>(
    world.db.adminUrl,
    "SELECT sequence_paused, next_action_at, next_action_reason FROM gold_lead_journey WHERE lead_id = $1",
    [leadId],
  );
  return row!;
}

describe("pause and resume a whole sequence", () => {
  it("the dialog's counts are what the action does; a person's pause and a paused lead are left alone", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const seq = await manager.sequences.create({ name: "Trei pași", steps: [step(1, 0), step(2, 48), step(3, 96)] });
    const leads = await Promise.all([1, 2, 3, 4].map(() => insertLead(world.db.adminUrl, world.a.tenantId)));
    const enrolled = await manager.sequences.enrollBulk({ sequenceId: seq.id, target: { leadIds: leads.map((l) => l.leadId) } });
    expect(enrolled.counts.ENROLLED).toBe(4);
    // Lead 4: a rep pauses its enrollment by hand.
    const ownPause = enrolled.leads.find((l) => l.leadId === leads[3]!.leadId)!.enrollmentId!;
    await manager.sequences.pause({ enrollmentId: ownPause });

    const before = await manager.sequences.impact({ sequenceId: seq.id });
    expect(before).toMatchObject({ active: 3, pausedByPerson: 1, pausedBySequence: 0 });
    const paused = await manager.sequences.pauseSequence({ sequenceId: seq.id });
    expect(paused).toMatchObject({ paused: before.active, changed: true });
    expect((await manager.sequences.get({ sequenceId: seq.id })).isActive).toBe(false);
    const rows = await enrollments(seq.id);
    expect(rows.filter((r) => r.status === "PAUSED" && r.paused_by_sequence)).toHaveLength(3);
    expect(rows.filter((r) => r.status === "PAUSED" && !r.paused_by_sequence)).toHaveLength(1);
    expect(await journey(leads[0]!.leadId)).toMatchObject({ sequence_paused: true, next_action_at: null });
    // No one is enrolled in a paused sequence.
    const more = await insertLead(world.db.adminUrl, world.a.tenantId);
    expect((await failureOf(manager.sequences.enroll({ sequenceId: seq.id, leadId: more.leadId }))).domainCode).toBe("SEQUENCE_INACTIVE");
    // Pausing again changes nothing.
    expect(await manager.sequences.pauseSequence({ sequenceId: seq.id })).toMatchObject({ paused: 0, changed: false });

    // Lead 3 is paused as a lead meanwhile; resuming the lead keeps its enrollment with the sequence.
    await manager.leads.transition({ leadId: leads[2]!.leadId, to: "PAUSED", reason: "cerere client" });
    await manager.leads.transition({ leadId: leads[2]!.leadId, to: "COLD", reason: "reluat" });
    expect((await enrollments(seq.id)).find((r) => r.lead_id === leads[2]!.leadId)).toMatchObject({ status: "PAUSED", paused_by_sequence: true });
    // Lead 2 is paused as a lead and stays paused.
    await manager.leads.transition({ leadId: leads[1]!.leadId, to: "PAUSED", reason: "concediu" });

    // Two days later: step 1 was due at enrollment, so the three leads' next step is due at once.
    now = new Date(now.getTime() + 48 * 3600_000);
    const impact = await manager.sequences.impact({ sequenceId: seq.id });
    expect(impact).toMatchObject({ pausedBySequence: 3, pausedByPerson: 1, leadPaused: 1, dueOnResume: 2 });
    const resumed = await manager.sequences.resumeSequence({ sequenceId: seq.id });
    expect(resumed).toMatchObject({ resumed: 2, dueNow: impact.dueOnResume, leadPaused: impact.leadPaused, completed: 0, stopped: 0 });
    const after = await enrollments(seq.id);
    expect(after.find((r) => r.lead_id === leads[0]!.leadId)).toMatchObject({ status: "ACTIVE", paused_by_sequence: false });
    expect(after.find((r) => r.lead_id === leads[0]!.leadId)!.next_step_at!.getTime()).toBe(now.getTime());
    expect(after.find((r) => r.lead_id === leads[1]!.leadId)).toMatchObject({ status: "PAUSED", paused_by_sequence: false });
    expect(after.find((r) => r.lead_id === leads[3]!.leadId)).toMatchObject({ status: "PAUSED", paused_by_sequence: false });
    expect(await journey(leads[0]!.leadId)).toMatchObject({ sequence_paused: false });
    expect((await journey(leads[0]!.leadId)).next_action_at!.getTime()).toBe(now.getTime());

    const audit = await adminQuery<{ action: string }>(world.db.adminUrl, "SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY created_at", [seq.id]);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["sequence.pause", "sequence.resume"]));
  });

  it("update({ isActive }) pauses and resumes the enrollments the same way", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const seq = await manager.sequences.create({ name: "Prin editare", steps: [step(1, 0)] });
    const lead = await insertLead(world.db.adminUrl, world.a.tenantId);
    await manager.sequences.enroll({ sequenceId: seq.id, leadId: lead.leadId });
    await manager.sequences.update({ sequenceId: seq.id, isActive: false });
    expect((await enrollments(seq.id))[0]).toMatchObject({ status: "PAUSED", paused_by_sequence: true });
    await manager.sequences.update({ sequenceId: seq.id, isActive: true });
    expect((await enrollments(seq.id))[0]).toMatchObject({ status: "ACTIVE", paused_by_sequence: false });
  });
});

describe("archive instead of delete", () => {
  it("deletes a sequence without history, archives one with history and stops its open enrollments", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const empty = await manager.sequences.create({ name: "Ciornă", steps: [step(1, 0)] });
    await manager.sequences.delete({ sequenceId: empty.id });
    expect(await adminQuery(world.db.adminUrl, "SELECT id FROM outreach_sequences WHERE id = $1", [empty.id])).toEqual([]);

    const used = await manager.sequences.create({ name: "Folosită", steps: [step(1, 0), step(2, 24)] });
    const lead = await insertLead(world.db.adminUrl, world.a.tenantId);
    await manager.sequences.enroll({ sequenceId: used.id, leadId: lead.leadId });
    expect(await failureOf(manager.sequences.delete({ sequenceId: used.id }))).toMatchObject({ code: "PRECONDITION_FAILED", domainCode: "SEQUENCE_HAS_HISTORY" });
    const impact = await manager.sequences.impact({ sequenceId: used.id });
    const archived = await manager.sequences.archive({ sequenceId: used.id });
    expect(archived).toMatchObject({ stopped: impact.active + impact.pausedByPerson + impact.pausedBySequence, changed: true });
    expect((await enrollments(used.id))[0]).toMatchObject({ status: "STOPPED", stopped_reason: "Secvența a fost arhivată" });
    expect((await manager.sequences.list()).some((s) => s.id === used.id)).toBe(false);
    expect((await manager.sequences.overview({ includeArchived: true })).find((s) => s.id === used.id)?.archivedAt).not.toBeNull();
    expect((await failureOf(manager.sequences.update({ sequenceId: used.id, name: "Altceva" }))).domainCode).toBe("SEQUENCE_ARCHIVED");
    await manager.sequences.restore({ sequenceId: used.id });
    const restored = await manager.sequences.get({ sequenceId: used.id });
    expect(restored).toMatchObject({ archivedAt: null, isActive: false });
  });
});

describe("roles and tenants", () => {
  it("reps read the cards but cannot pause, archive or delete; another tenant's id is not found", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const rep = await callerFor(world.a.users.SALES_REP);
    const other = await callerFor(world.b.users.ADMIN);
    const seq = await manager.sequences.create({ name: "Roluri", steps: [step(1, 0)] });
    expect((await rep.sequences.overview()).some((s) => s.id === seq.id)).toBe(true);
    const id = { sequenceId: seq.id };
    for (const call of [() => rep.sequences.pauseSequence(id), () => rep.sequences.archive(id), () => rep.sequences.delete(id), () => rep.sequences.impact(id)]) {
      expect((await failureOf(call())).code).toBe("FORBIDDEN");
    }
    for (const call of [() => other.sequences.pauseSequence(id), () => other.sequences.archive(id), () => other.sequences.delete(id), () => other.sequences.impact(id)]) {
      expect((await failureOf(call())).code).toBe("NOT_FOUND");
    }
    expect((await other.sequences.overview()).some((s) => s.id === seq.id)).toBe(false);
    expect((await manager.sequences.get({ sequenceId: seq.id })).isActive).toBe(true);
  });
});

describe("cards", () => {
  it("counts enrolled, active, stopped, replied and converted from the enrollments and the journey", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const seq = await manager.sequences.create({ name: "Carduri", steps: [step(1, 0), step(2, 24)] });
    const leads = await Promise.all([1, 2, 3].map(() => insertLead(world.db.adminUrl, world.a.tenantId)));
    await manager.sequences.enrollBulk({ sequenceId: seq.id, target: { leadIds: leads.map((l) => l.leadId) } });
    // Lead 1 replies (logged by hand: the use case a provider's reply goes through too), lead 2 replies and
    // converts, lead 3 is still in the sequence.
    await manager.leads.transition({ leadId: leads[0]!.leadId, to: "WARM_REPLY", reason: "a sunat" });
    for (const to of ["WARM_REPLY", "NEGOTIATION", "CONVERTED"] as const) await manager.leads.transition({ leadId: leads[1]!.leadId, to, reason: "discuție" });
    const [direct] = await adminQuery<{ replied: number }>(
      world.db.adminUrl,
      "SELECT count(*)::int AS replied FROM sequence_enrollments e JOIN gold_lead_journey j ON j.id = e.journey_id WHERE e.sequence_id = $1 AND j.last_reply_at >= e.enrolled_at",
      [seq.id],
    );
    const card = (await manager.sequences.overview()).find((s) => s.id === seq.id)!;
    expect(card.figures).toMatchObject({ enrolled: 3, active: 1, stopped: 2, replied: direct!.replied, converted: 1 });
  });
});
