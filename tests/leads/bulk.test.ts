/**
 * Bulk actions from the leads list, end to end: bulk.preview and bulk.start through the router, the
 * leads.bulk job run by the real pg-boss runtime, bulk.status polled as the page does. Each lead goes
 * through the domain's use case (history rows by the person who started it); one audit row per
 * operation; the rules' refusals are counted, not fatal; a database failure leaves every lead as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BULK_LEADS } from "../../server/leads/bulk/actions";
import { insertLeads, insertSequence, insertTemplate } from "../support/factories";
import { adminQuery } from "../support/fixtures";
import { failureOf, insertLead } from "../sequences/support";
import { createJobWorld, jobCaller, waitForOperation, type JobWorld } from "./support";

let w: JobWorld;

beforeAll(async () => {
  w = await createJobWorld("lbulk");
});

afterAll(async () => {
  await w.close();
});

const stateOf = async (leadId: string) =>
  (await adminQuery<{ current_state: string; previous_state: string | null; assigned_to_user: string | null }>(w.db.adminUrl, `SELECT current_state, previous_state, assigned_to_user FROM gold_lead_journey WHERE lead_id = $1`, [leadId]))[0];

const auditRows = (action: string) => adminQuery<{ after: Record<string, unknown>; actor_user_id: string; entity_id: string }>(w.db.adminUrl, `SELECT after, actor_user_id, entity_id FROM audit_log WHERE tenant_id = $1 AND action = $2`, [w.a.tenantId, action]);

async function sequenceWithStep(tenantId: string): Promise<string> {
  const template = await insertTemplate(w.db.adminUrl, tenantId, { channel: "WHATSAPP", content: "Bună ziua" });
  return insertSequence(w.db.adminUrl, tenantId, { steps: [{ channel: "WHATSAPP", templateId: template.id }] });
}

describe("bulk pause and resume by a rep, on selected leads", () => {
  it("pauses what may be paused, counts the rest, writes each lead's history and one audit row", async () => {
    const rep = w.a.users.SALES_REP;
    const cold = await insertLead(w.db.adminUrl, w.a.tenantId, { state: "COLD" });
    const contacted = await insertLead(w.db.adminUrl, w.a.tenantId, { state: "CONTACTED_WA" });
    const paused = await insertLead(w.db.adminUrl, w.a.tenantId, { state: "PAUSED", previousState: "COLD" });
    const dead = await insertLead(w.db.adminUrl, w.a.tenantId, { state: "DEAD" });
    const leadIds = [cold.leadId, contacted.leadId, paused.leadId, dead.leadId];
    const caller = await jobCaller(rep, w.boss);

    const preview = await caller.bulk.preview({ target: { leadIds } });
    expect(preview).toEqual({ count: 4, overCap: false, max: MAX_BULK_LEADS });
    const started = await caller.bulk.start({ params: { action: "PAUSE", reason: "Concediu de sărbători" }, target: { leadIds }, expectedCount: 4 });
    const { op } = await waitForOperation(rep, started.operationId);

    expect(op).toMatchObject({ kind: "PAUSE", status: "DONE", total: 4, processed: 4 });
    expect(op.result).toMatchObject({ DONE: 2, UNCHANGED: 1, NOT_ALLOWED: 1 });
    expect((await stateOf(cold.leadId))?.current_state).toBe("PAUSED");
    expect((await stateOf(contacted.leadId))?.current_state).toBe("PAUSED");
    expect((await stateOf(dead.leadId))?.current_state).toBe("DEAD");

    const history = await adminQuery<{ lead_id: string; actor_id: string; reason: string; metadata: { bulkOperationId?: string } }>(
      w.db.adminUrl,
      `SELECT lead_id, actor_id, reason, metadata FROM lead_state_history WHERE lead_id = ANY($1::uuid[]) AND to_state = 'PAUSED'`,
      [leadIds],
    );
    expect(history.map((h) => h.lead_id).sort()).toEqual([cold.leadId, contacted.leadId].sort());
    for (const h of history) expect(h).toMatchObject({ actor_id: rep.id, reason: "Concediu de sărbători", metadata: { bulkOperationId: started.operationId } });

    const audits = await auditRows("lead.bulk_pause");
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_user_id: rep.id, entity_id: started.operationId, after: { total: 4, counts: { DONE: 2, UNCHANGED: 1, NOT_ALLOWED: 1 } } });
    // The per-lead audit of a single transition is not written for a bulk operation.
    expect(await adminQuery(w.db.adminUrl, `SELECT 1 FROM audit_log WHERE action = 'lead.transition' AND entity_id = ANY($1)`, [[cold.journeyId, contacted.journeyId]])).toEqual([]);

    const resumed = await caller.bulk.start({ params: { action: "RESUME", reason: "Înapoi la lucru" }, target: { leadIds }, expectedCount: 4 });
    const back = await waitForOperation(rep, resumed.operationId);
    expect(back.op.result).toMatchObject({ DONE: 3, UNCHANGED: 1 });
    expect((await stateOf(cold.leadId))?.current_state).toBe("COLD");
    expect((await stateOf(contacted.leadId))?.current_state).toBe("CONTACTED_WA");
    expect((await stateOf(paused.leadId))?.current_state).toBe("COLD");
  });

  it("keeps the rep to what reps may do on many leads", async () => {
    const lead = await insertLead(w.db.adminUrl, w.a.tenantId, {});
    const caller = await jobCaller(w.a.users.SALES_REP, w.boss);
    for (const params of [{ action: "MARK_DEAD", reason: "x" }, { action: "ASSIGN", userId: null }, { action: "DO_NOT_CONTACT", reason: "x" }] as const) {
      expect(await failureOf(caller.bulk.start({ params, target: { leadIds: [lead.leadId] }, expectedCount: 1 }))).toMatchObject({ code: "FORBIDDEN", domainCode: "BULK_ACTION_FORBIDDEN" });
    }
    expect(await adminQuery(w.db.adminUrl, `SELECT 1 FROM bulk_operations WHERE lead_ids @> ARRAY[$1::uuid]`, [lead.leadId])).toEqual([]);
  });
});

describe("bulk actions by a manager on the whole filtered set", () => {
  it("assigns every lead the filters match to a rep", async () => {
    const leads = await Promise.all([1, 2, 3].map(() => insertLead(w.db.adminUrl, w.a.tenantId, { judet: "Tulcea" })));
    await adminQuery(w.db.adminUrl, `UPDATE gold_lead_journey SET assigned_to_user = $1 WHERE lead_id = $2`, [w.a.users.SALES_REP.id, leads[0]!.leadId]);
    const manager = await jobCaller(w.a.users.MANAGER, w.boss);
    const target = { filters: { county: "Tulcea" } };
    expect((await manager.bulk.preview({ target })).count).toBe(3);
    const started = await manager.bulk.start({ params: { action: "ASSIGN", userId: w.a.users.SALES_REP.id }, target, expectedCount: 3 });
    const { op } = await waitForOperation(w.a.users.MANAGER, started.operationId);
    expect(op.result).toMatchObject({ DONE: 2, UNCHANGED: 1 });
    for (const l of leads) expect((await stateOf(l.leadId))?.assigned_to_user).toBe(w.a.users.SALES_REP.id);
    const mine = await (await jobCaller(w.a.users.SALES_REP, null)).leads.list({ assigned: "me", county: "Tulcea" });
    expect(mine.total).toEqual({ value: 3, precision: "exact" });
  });

  it("enrols the filtered leads in a sequence through enrollLeads, with its outcomes", async () => {
    const sequenceId = await sequenceWithStep(w.a.tenantId);
    const fresh = await insertLead(w.db.adminUrl, w.a.tenantId, { judet: "Olt" });
    const replied = await insertLead(w.db.adminUrl, w.a.tenantId, { judet: "Olt", state: "WARM_REPLY" });
    const manager = await jobCaller(w.a.users.MANAGER, w.boss);
    const started = await manager.bulk.start({ params: { action: "ENROLL", sequenceId }, target: { filters: { county: "Olt" } }, expectedCount: 2 });
    const { op } = await waitForOperation(w.a.users.MANAGER, started.operationId);
    expect(op.result).toMatchObject({ ENROLLED: 1, NOT_ELIGIBLE: 1 });
    const enrolled = await adminQuery<{ lead_id: string }>(w.db.adminUrl, `SELECT lead_id FROM sequence_enrollments WHERE sequence_id = $1 AND status = 'ACTIVE'`, [sequenceId]);
    expect(enrolled.map((e) => e.lead_id)).toEqual([fresh.leadId]);
    expect(replied).toBeTruthy();
  });

  it("puts the leads' phones and addresses on the do-not-contact list, opts them out and stops their sequences", async () => {
    const sequenceId = await sequenceWithStep(w.a.tenantId);
    const lead = await insertLead(w.db.adminUrl, w.a.tenantId, { judet: "Gorj", phone: "0722 555 111", email: "Office@Ferma-Gorj.ro" });
    const manager = await jobCaller(w.a.users.MANAGER, w.boss);
    const enrolled = await manager.bulk.start({ params: { action: "ENROLL", sequenceId }, target: { leadIds: [lead.leadId] }, expectedCount: 1 });
    await waitForOperation(w.a.users.MANAGER, enrolled.operationId);
    const started = await manager.bulk.start({ params: { action: "DO_NOT_CONTACT", reason: "A cerut telefonic" }, target: { filters: { county: "Gorj" } }, expectedCount: 1 });
    const { op } = await waitForOperation(w.a.users.MANAGER, started.operationId);
    expect(op.result).toMatchObject({ DONE: 1 });
    const dnc = await adminQuery<{ type: string; value: string; reason: string; created_by: string }>(w.db.adminUrl, `SELECT type, value, reason, created_by FROM do_not_contact WHERE tenant_id = $1 AND source = 'manual:bulk' ORDER BY type::text`, [w.a.tenantId]);
    expect(dnc).toEqual([
      { type: "EMAIL", value: "office@ferma-gorj.ro", reason: "A cerut telefonic", created_by: w.a.users.MANAGER.id },
      { type: "PHONE", value: "+40722555111", reason: "A cerut telefonic", created_by: w.a.users.MANAGER.id },
    ]);
    const [journey] = await adminQuery<{ whatsapp_opted_out: boolean; email_opted_out: boolean }>(w.db.adminUrl, `SELECT whatsapp_opted_out, email_opted_out FROM gold_lead_journey WHERE lead_id = $1`, [lead.leadId]);
    expect(journey).toEqual({ whatsapp_opted_out: true, email_opted_out: true });
    const [enrollment] = await adminQuery<{ status: string }>(w.db.adminUrl, `SELECT status FROM sequence_enrollments WHERE lead_id = $1`, [lead.leadId]);
    expect(enrollment?.status).toBe("STOPPED");
    // Again: nothing new to do for that lead.
    const again = await manager.bulk.start({ params: { action: "DO_NOT_CONTACT", reason: "Din nou" }, target: { leadIds: [lead.leadId] }, expectedCount: 1 });
    expect((await waitForOperation(w.a.users.MANAGER, again.operationId)).op.result).toMatchObject({ UNCHANGED: 1 });
  });

  it("refuses a set that changed size since the dialog counted it, and a set over the cap", async () => {
    const manager = await jobCaller(w.a.users.MANAGER, w.boss);
    await insertLead(w.db.adminUrl, w.a.tenantId, { judet: "Sibiu" });
    expect(await failureOf(manager.bulk.start({ params: { action: "PAUSE", reason: "x" }, target: { filters: { county: "Sibiu" } }, expectedCount: 2 }))).toMatchObject({
      code: "CONFLICT",
      domainCode: "BULK_SET_CHANGED",
    });
    await insertLeads(w.db.adminUrl, w.a.tenantId, Array.from({ length: MAX_BULK_LEADS + 1 }, (_, i) => ({ company: { denumire: `Mare ${i + 1}`, judet: "Vrancea" } })));
    const target = { filters: { county: "Vrancea" } };
    expect(await manager.bulk.preview({ target })).toEqual({ count: MAX_BULK_LEADS + 1, overCap: true, max: MAX_BULK_LEADS });
    expect(await failureOf(manager.bulk.start({ params: { action: "PAUSE", reason: "x" }, target, expectedCount: MAX_BULK_LEADS }))).toMatchObject({ code: "BAD_REQUEST", domainCode: "BULK_TOO_LARGE" });
  });

  it("changes nothing when the database fails midway: the operation says FAILED and every lead is as it was", async () => {
    const leads = await Promise.all([1, 2, 3, 4].map(() => insertLead(w.db.adminUrl, w.a.tenantId, { judet: "Dolj", state: "CONTACTED_WA" })));
    // Journeys are taken in id order; fail on the last one, after the others were changed in the transaction.
    const [last] = await adminQuery<{ lead_id: string }>(w.db.adminUrl, `SELECT lead_id FROM gold_lead_journey WHERE lead_id = ANY($1::uuid[]) ORDER BY id DESC LIMIT 1`, [leads.map((l) => l.leadId)]);
    await adminQuery(
      w.db.adminUrl,
      `CREATE FUNCTION test_refuse_dead() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN IF NEW.current_state = 'DEAD' AND NEW.lead_id = '${last!.lead_id}' THEN RAISE EXCEPTION 'simulated storage failure'; END IF; RETURN NEW; END $$`,
    );
    await adminQuery(w.db.adminUrl, `CREATE TRIGGER test_refuse_dead BEFORE UPDATE ON gold_lead_journey FOR EACH ROW EXECUTE FUNCTION test_refuse_dead()`);
    try {
      const manager = await jobCaller(w.a.users.MANAGER, w.boss);
      const started = await manager.bulk.start({ params: { action: "MARK_DEAD", reason: "Firmă radiată" }, target: { filters: { county: "Dolj" } }, expectedCount: 4 });
      const { op } = await waitForOperation(w.a.users.MANAGER, started.operationId);
      expect(op).toMatchObject({ status: "FAILED", errorCode: "BULK_FAILED" });
      for (const l of leads) expect((await stateOf(l.leadId))?.current_state).toBe("CONTACTED_WA");
      expect(await adminQuery(w.db.adminUrl, `SELECT 1 FROM lead_state_history WHERE lead_id = ANY($1::uuid[])`, [leads.map((l) => l.leadId)])).toEqual([]);
      expect(await adminQuery(w.db.adminUrl, `SELECT 1 FROM audit_log WHERE entity_id = $1`, [started.operationId])).toEqual([]);
    } finally {
      await adminQuery(w.db.adminUrl, `DROP TRIGGER test_refuse_dead ON gold_lead_journey; DROP FUNCTION test_refuse_dead()`);
    }
  });
});

describe("tenants", () => {
  it("never lets an operation touch or reveal another tenant's leads", async () => {
    const theirs = await insertLead(w.db.adminUrl, w.b.tenantId, { state: "COLD" });
    const manager = await jobCaller(w.a.users.MANAGER, w.boss);
    expect((await manager.bulk.preview({ target: { leadIds: [theirs.leadId] } })).count).toBe(0);
    expect(await failureOf(manager.bulk.start({ params: { action: "PAUSE", reason: "x" }, target: { leadIds: [theirs.leadId] }, expectedCount: 1 }))).toMatchObject({ domainCode: "BULK_EMPTY" });
    expect((await stateOf(theirs.leadId))?.current_state).toBe("COLD");

    const mine = await insertLead(w.db.adminUrl, w.a.tenantId, {});
    const started = await manager.bulk.start({ params: { action: "PAUSE", reason: "x" }, target: { leadIds: [mine.leadId, theirs.leadId] }, expectedCount: 1 });
    await waitForOperation(w.a.users.MANAGER, started.operationId);
    expect((await stateOf(theirs.leadId))?.current_state).toBe("COLD");
    const other = await jobCaller(w.b.users.MANAGER, null);
    expect(await failureOf(other.bulk.status({ operationId: started.operationId }))).toMatchObject({ code: "NOT_FOUND" });
  });
});
