/** transitionLead and the leads router against a real Postgres: history, races, pause/resume, the reply path. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminQuery } from "../support/fixtures";
import { callerFor, createWorld, failureOf, insertLead, type World } from "../sequences/support";

let world: World;

beforeAll(async () => {
  world = await createWorld("lst");
});
afterAll(async () => {
  await world.close();
});

async function journey(id: string) {
  const [row] = await adminQuery<{ current_state: string; previous_state: string | null; state_change_reason: string | null; converted_at: Date | null; sequence_paused: boolean }>(
    world.db.adminUrl,
    "SELECT current_state, previous_state, state_change_reason, converted_at, sequence_paused FROM gold_lead_journey WHERE id = $1",
    [id],
  );
  return row!;
}

async function history(journeyId: string) {
  return adminQuery<{ from_state: string | null; to_state: string; actor_type: string; actor_id: string | null; reason: string }>(
    world.db.adminUrl,
    "SELECT from_state, to_state, actor_type, actor_id, reason FROM lead_state_history WHERE journey_id = $1 ORDER BY created_at, id",
    [journeyId],
  );
}

describe("transitionLead", () => {
  it("moves the journey and records who and why; a repeat is a no-op", async () => {
    const { withTenant } = await import("../../server/db/client.server");
    const { transitionLead } = await import("../../server/lead-state/transition.server");
    const { journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    const r = await withTenant(world.a.tenantId, (tx) =>
      transitionLead(tx, { journeyId: journeyId!, to: "CONTACTED_WA", actor: { type: "JOB", id: "outreach.whatsapp.send" }, reason: "Primul mesaj trimis", metadata: { step: 1 } }),
    );
    expect(r).toMatchObject({ changed: true, from: "COLD", to: "CONTACTED_WA" });
    expect(await journey(journeyId!)).toMatchObject({ current_state: "CONTACTED_WA", previous_state: "COLD", state_change_reason: "Primul mesaj trimis" });
    const again = await withTenant(world.a.tenantId, (tx) => transitionLead(tx, { journeyId: journeyId!, to: "CONTACTED_WA", actor: { type: "JOB", id: "x" }, reason: "retry" }));
    expect(again).toMatchObject({ changed: false, historyId: null });
    expect(await history(journeyId!)).toEqual([{ from_state: "COLD", to_state: "CONTACTED_WA", actor_type: "JOB", actor_id: "outreach.whatsapp.send", reason: "Primul mesaj trimis" }]);
  });

  it("an illegal move is refused with ILLEGAL_TRANSITION and changes nothing", async () => {
    const { withTenant } = await import("../../server/db/client.server");
    const { transitionLead } = await import("../../server/lead-state/transition.server");
    const { journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    await expect(
      withTenant(world.a.tenantId, (tx) => transitionLead(tx, { journeyId: journeyId!, to: "CONVERTED", actor: { type: "SYSTEM", id: null }, reason: "x" })),
    ).rejects.toMatchObject({ kind: "CONFLICT", code: "ILLEGAL_TRANSITION", details: { from: "COLD", to: "CONVERTED" } });
    expect((await journey(journeyId!)).current_state).toBe("COLD");
    expect(await history(journeyId!)).toEqual([]);
  });

  it("two concurrent transitions from the same state: exactly one wins", async () => {
    const { withTenant } = await import("../../server/db/client.server");
    const { transitionLead } = await import("../../server/lead-state/transition.server");
    for (let round = 0; round < 5; round++) {
      const { journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId);
      let release!: () => void;
      let updated!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const firstUpdated = new Promise<void>((r) => (updated = r));
      // The first holds its transaction open after updating; the second reads COLD (the first has not
      // committed) and then waits on the row lock in its UPDATE. Released only once Postgres shows the
      // second waiting, so the race is real on every run, not a matter of timing.
      const first = withTenant(world.a.tenantId, async (tx) => {
        const r = await transitionLead(tx, { journeyId: journeyId!, to: "CONTACTED_WA", actor: { type: "JOB", id: "wa" }, reason: "wa" });
        updated();
        await held;
        return r;
      });
      await firstUpdated;
      const second = withTenant(world.a.tenantId, (tx) => transitionLead(tx, { journeyId: journeyId!, to: "DEAD", actor: { type: "USER", id: world.a.users.SALES_REP.id }, reason: "dead" }));
      let sawWait = false;
      for (let i = 0; i < 200 && !sawWait; i++) {
        const waiting = await adminQuery(world.db.adminUrl, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%UPDATE%gold_lead_journey%'");
        sawWait = waiting.length > 0;
        if (!sawWait) await new Promise((r) => setTimeout(r, 25));
      }
      release();
      expect(sawWait).toBe(true);
      const [a, b] = await Promise.allSettled([first, second]);
      expect(a.status).toBe("fulfilled");
      expect(b.status).toBe("rejected");
      expect((b as PromiseRejectedResult).reason).toMatchObject({ kind: "CONFLICT", code: "LEAD_STATE_CHANGED" });
      expect((await journey(journeyId!)).current_state).toBe("CONTACTED_WA");
      expect(await history(journeyId!)).toHaveLength(1);
    }
  });

  it("a reply from the webhook path goes through the state machine", async () => {
    const { withTenant } = await import("../../server/db/client.server");
    const { moveToWarmReply } = await import("../../server/leads/warm-reply.server");
    const { journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId, { state: "CONTACTED_EMAIL" });
    const at = new Date("2026-03-10T10:00:00Z");
    const r = await withTenant(world.a.tenantId, (tx) =>
      moveToWarmReply(tx, { journeyId: journeyId!, actor: { type: "WEBHOOK", name: "INSTANTLY" }, at, replyMessageId: "m1" }),
    );
    expect(r.changed).toBe(true);
    expect(await history(journeyId!)).toEqual([{ from_state: "CONTACTED_EMAIL", to_state: "WARM_REPLY", actor_type: "WEBHOOK", actor_id: "INSTANTLY", reason: "Răspuns primit" }]);
  });
});

describe("leads router", () => {
  it("a rep moves a lead through the funnel; history lists who and why, newest first", async () => {
    const rep = await callerFor(world.a.users.SALES_REP);
    const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId, { state: "WARM_REPLY", previousState: "CONTACTED_WA" });
    const n = await rep.leads.transition({ leadId, to: "NEGOTIATION", reason: "Vrea ofertă pentru 200 ha", expectedFrom: "WARM_REPLY" });
    expect(n).toMatchObject({ changed: true, from: "WARM_REPLY", to: "NEGOTIATION", allowedNext: ["CONVERTED", "DEAD", "PAUSED"] });
    await rep.leads.transition({ leadId, to: "CONVERTED", reason: "Contract semnat" });
    const j = await journey(journeyId!);
    expect(j.current_state).toBe("CONVERTED");
    expect(j.converted_at).not.toBeNull();
    const h = await rep.leads.history({ leadId });
    expect(h.currentState).toBe("CONVERTED");
    expect(h.items.map((i) => [i.fromState, i.toState, i.actorType, i.actorName])).toEqual([
      ["NEGOTIATION", "CONVERTED", "USER", world.a.users.SALES_REP.name],
      ["WARM_REPLY", "NEGOTIATION", "USER", world.a.users.SALES_REP.name],
    ]);
  });

  it("a reply logged by hand stops the lead's sequence like any reply", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const rep = await callerFor(world.a.users.SALES_REP);
    const tpl = await manager.templates.create({ name: "WA telefon", channel: "WHATSAPP", content: "{Salut|Bună} {{companyName}}", variables: [{ name: "companyName", required: true }] });
    const seq = await manager.sequences.create({ name: "Secvență telefon", steps: [{ stepNumber: 1, channel: "WHATSAPP", templateId: tpl.id, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: false }] });
    const { leadId } = await insertLead(world.db.adminUrl, world.a.tenantId, { state: "CONTACTED_WA", previousState: "COLD" });
    await rep.sequences.enroll({ sequenceId: seq.id, leadId });
    const r = await rep.leads.transition({ leadId, to: "WARM_REPLY", reason: "A sunat înapoi" });
    expect(r.enrollments.stopped).toHaveLength(1);
  });

  it("stale screens, illegal and system-only moves are refused with codes", async () => {
    const rep = await callerFor(world.a.users.SALES_REP);
    const { leadId } = await insertLead(world.db.adminUrl, world.a.tenantId, { state: "CONTACTED_WA", previousState: "COLD" });
    expect(await failureOf(rep.leads.transition({ leadId, to: "NEGOTIATION", reason: "x" }))).toMatchObject({ code: "CONFLICT", domainCode: "ILLEGAL_TRANSITION" });
    expect(await failureOf(rep.leads.transition({ leadId, to: "DEAD", reason: "x", expectedFrom: "COLD" }))).toMatchObject({ code: "CONFLICT", domainCode: "LEAD_STATE_CHANGED" });
    expect(await failureOf(rep.leads.transition({ leadId, to: "CONTACTED_EMAIL", reason: "x" }))).toMatchObject({ code: "BAD_REQUEST", domainCode: "TRANSITION_NOT_MANUAL" });
    const other = await insertLead(world.db.adminUrl, world.b.tenantId);
    expect((await failureOf(rep.leads.transition({ leadId: other.leadId, to: "DEAD", reason: "x" }))).code).toBe("NOT_FOUND");
    expect((await failureOf(rep.leads.history({ leadId: other.leadId }))).code).toBe("NOT_FOUND");
  });

  it("pause and resume go back to the state paused from, pausing and resuming the enrollment", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const rep = await callerFor(world.a.users.SALES_REP);
    const tpl = await manager.templates.create({ name: "WA pauză", channel: "WHATSAPP", content: "{Salut|Bună} {{companyName}}", variables: [{ name: "companyName", required: true }] });
    const seq = await manager.sequences.create({ name: "Secvență pauză", steps: [{ stepNumber: 1, channel: "WHATSAPP", templateId: tpl.id, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: false }] });
    const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId, { state: "CONTACTED_WA", previousState: "COLD" });
    const enrolled = await rep.sequences.enroll({ sequenceId: seq.id, leadId });
    expect(enrolled.counts.ENROLLED).toBe(1);

    const paused = await rep.leads.transition({ leadId, to: "PAUSED", reason: "Concediu" });
    expect(paused).toMatchObject({ to: "PAUSED", allowedNext: ["CONTACTED_WA", "DEAD"], enrollments: { paused: 1 } });
    expect(await journey(journeyId!)).toMatchObject({ current_state: "PAUSED", previous_state: "CONTACTED_WA", sequence_paused: true });
    expect(await failureOf(rep.leads.transition({ leadId, to: "WARM_REPLY", reason: "x" }))).toMatchObject({ domainCode: "ILLEGAL_TRANSITION" });

    const resumed = await rep.leads.transition({ leadId, to: "CONTACTED_WA", reason: "Înapoi" });
    expect(resumed).toMatchObject({ from: "PAUSED", to: "CONTACTED_WA", enrollments: { resumed: 1 } });
    expect(await journey(journeyId!)).toMatchObject({ current_state: "CONTACTED_WA", previous_state: "PAUSED", sequence_paused: false });
    const [e] = await adminQuery<{ status: string }>(world.db.adminUrl, "SELECT status FROM sequence_enrollments WHERE journey_id = $1", [journeyId]);
    expect(e?.status).toBe("ACTIVE");

    // A paused enrollment of a lead who has since replied does not resume.
    const { leadId: warmLead, journeyId: warmJourney } = await insertLead(world.db.adminUrl, world.a.tenantId);
    const warmEnrollment = (await rep.sequences.enroll({ sequenceId: seq.id, leadId: warmLead })).leads[0]!.enrollmentId!;
    await rep.sequences.pause({ enrollmentId: warmEnrollment });
    await adminQuery(world.db.adminUrl, "UPDATE gold_lead_journey SET current_state = 'WARM_REPLY' WHERE id = $1", [warmJourney]);
    expect(await failureOf(rep.sequences.resume({ enrollmentId: warmEnrollment }))).toMatchObject({ code: "PRECONDITION_FAILED", domainCode: "LEAD_NOT_IN_OUTREACH" });

    const dead = await rep.leads.transition({ leadId, to: "DEAD", reason: "Nu mai există firma" });
    expect(dead.enrollments.stopped).toHaveLength(1);
    expect(dead.allowedNext).toEqual([]);
  });
});
