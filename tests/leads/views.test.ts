/**
 * Saved views of the leads list (issue 11) through the router, against real Postgres (RLS) and the
 * real pg-boss runtime: a person saves the list's filters under a name (validated by the list's own
 * schema), lists, renames, shares, overwrites and deletes them, audited; others see only what was
 * shared and change nothing of it (an admin may); another tenant sees nothing. Enrolling a view's
 * leads is the leads list's bulk enroll with the view's filters: the count it previews is the list's,
 * and the job's outcomes are enrollLeads' (already enrolled, opted out and not eligible are skipped).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../../server/auth/roles";
import { adminQuery } from "../support/fixtures";
import { failureOf, insertLead } from "../sequences/support";
import { createJobWorld, jobCaller, waitForOperation, type JobWorld } from "./support";

let w: JobWorld;
let rep2: SessionUser;

beforeAll(async () => {
  w = await createJobWorld("lviews");
  const [row] = await adminQuery<{ id: string }>(w.db.adminUrl, `INSERT INTO users (tenant_id, email, name, password_hash, role) VALUES ($1, $2, 'Bogdan Rep', 'x', 'SALES_REP') RETURNING id`, [
    w.a.tenantId,
    `rep2.${w.a.tenantId.slice(0, 6)}@agroverde.test`,
  ]);
  rep2 = { ...w.a.users.SALES_REP, id: row!.id, name: "Bogdan Rep", email: "rep2@agroverde.test" };
});

afterAll(async () => {
  await w.close();
});

const audits = (entityId: string) =>
  adminQuery<{ action: string; actor_user_id: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }>(
    w.db.adminUrl,
    `SELECT action, actor_user_id, before, after FROM audit_log WHERE entity_type = 'lead_view' AND entity_id = $1 ORDER BY created_at`,
    [entityId],
  );

describe("saving and managing views", () => {
  it("a rep saves, lists, renames, overwrites and deletes their own view, each change audited", async () => {
    const rep = await jobCaller(w.a.users.SALES_REP, null);
    const filters = { states: ["COLD" as const], county: "Iași", optedOut: false, assigned: "me" };
    const saved = await rep.leadViews.create({ name: "  Iași, reci  ", filters });
    expect(saved).toMatchObject({ name: "Iași, reci", shared: false, filters, mine: true, canEdit: true, owner: { id: w.a.users.SALES_REP.id } });
    expect((await rep.leadViews.list()).map((v) => v.name)).toEqual(["Iași, reci"]);

    expect(await failureOf(rep.leadViews.create({ name: "Iași, reci", filters: {} }))).toMatchObject({ code: "CONFLICT", domainCode: "VIEW_NAME_TAKEN" });
    // The filters are the list's own schema: what its address would not accept is refused here too.
    for (const bad of [{ states: ["FROZEN"] }, { search: "ab" }, { assigned: "someone" }, { lastContactFrom: "31.12.2026" }]) {
      expect((await failureOf(rep.leadViews.create({ name: `rău ${JSON.stringify(bad)}`, filters: bad as never }))).code).toBe("BAD_REQUEST");
    }
    expect((await failureOf(rep.leadViews.create({ name: " ", filters: {} }))).code).toBe("BAD_REQUEST");
    expect((await failureOf(rep.leadViews.create({ name: "x".repeat(81), filters: {} }))).code).toBe("BAD_REQUEST");

    const renamed = await rep.leadViews.update({ viewId: saved.id, name: "Iași, reci, ai mei", shared: true });
    expect(renamed).toMatchObject({ name: "Iași, reci, ai mei", shared: true, filters });
    const overwritten = await rep.leadViews.update({ viewId: saved.id, filters: { county: "Vaslui" } });
    expect(overwritten.filters).toEqual({ county: "Vaslui" });

    await rep.leadViews.delete({ viewId: saved.id });
    expect(await rep.leadViews.list()).toEqual([]);
    expect(await failureOf(rep.leadViews.delete({ viewId: saved.id }))).toMatchObject({ code: "NOT_FOUND", domainCode: "LEAD_VIEW_NOT_FOUND" });

    const rows = await audits(saved.id);
    expect(rows.map((r) => r.action)).toEqual(["lead_view.create", "lead_view.update", "lead_view.update", "lead_view.delete"]);
    for (const r of rows) expect(r.actor_user_id).toBe(w.a.users.SALES_REP.id);
    expect(rows[0]!.after).toMatchObject({ name: "Iași, reci", shared: false, filters });
    expect(rows[1]).toMatchObject({ before: { name: "Iași, reci", shared: false }, after: { name: "Iași, reci, ai mei", shared: true } });
    expect(rows[3]!.before).toMatchObject({ name: "Iași, reci, ai mei", filters: { county: "Vaslui" } });
  });

  it("colleagues see shared views only and cannot change them; an admin can; another tenant sees nothing", async () => {
    const rep = await jobCaller(w.a.users.SALES_REP, null);
    const own = await rep.leadViews.create({ name: "Doar ale mele", filters: { assigned: "me" } });
    const shared = await rep.leadViews.create({ name: "Dolj, fără răspuns", filters: { county: "Dolj", replied: false }, shared: true });

    const colleague = await jobCaller(rep2, null);
    const seen = await colleague.leadViews.list();
    expect(seen.map((v) => v.id)).toEqual([shared.id]);
    expect(seen[0]).toMatchObject({ mine: false, canEdit: false, owner: { id: w.a.users.SALES_REP.id, name: w.a.users.SALES_REP.name } });
    expect(await failureOf(colleague.leadViews.update({ viewId: shared.id, name: "Al meu acum" }))).toMatchObject({ code: "FORBIDDEN", domainCode: "VIEW_NOT_OWNER" });
    expect(await failureOf(colleague.leadViews.delete({ viewId: shared.id }))).toMatchObject({ code: "FORBIDDEN", domainCode: "VIEW_NOT_OWNER" });
    // A view not shared is not even found by someone else.
    expect(await failureOf(colleague.leadViews.update({ viewId: own.id, shared: true }))).toMatchObject({ code: "NOT_FOUND" });
    // A colleague may use the same name for a view of their own.
    expect((await colleague.leadViews.create({ name: "Dolj, fără răspuns", filters: { county: "Dolj" } })).name).toBe("Dolj, fără răspuns");

    const manager = await jobCaller(w.a.users.MANAGER, null);
    expect(await failureOf(manager.leadViews.delete({ viewId: shared.id }))).toMatchObject({ domainCode: "VIEW_NOT_OWNER" });
    const admin = await jobCaller(w.a.users.ADMIN, null);
    expect((await admin.leadViews.list()).find((v) => v.id === shared.id)).toMatchObject({ canEdit: true, mine: false });
    expect((await admin.leadViews.update({ viewId: shared.id, shared: false })).shared).toBe(false);
    expect((await colleague.leadViews.list()).map((v) => v.id)).not.toContain(shared.id);

    const outsider = await jobCaller(w.b.users.ADMIN, null);
    expect(await outsider.leadViews.list()).toEqual([]);
    expect(await failureOf(outsider.leadViews.delete({ viewId: own.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failureOf(outsider.leadViews.update({ viewId: own.id, name: "furat" }))).toMatchObject({ code: "NOT_FOUND" });
    // Row-level security, not the procedure, keeps the other tenant's rows out.
    const { withTenant } = await import("../../server/db/client.server");
    expect(await withTenant(w.b.tenantId, (tx) => tx.leadListView.count())).toBe(0);
    expect(await withTenant(w.a.tenantId, (tx) => tx.leadListView.count())).toBeGreaterThanOrEqual(3);
  });

  it("a view whose stored filters no longer parse is listed as unusable, never as 'every lead'", async () => {
    const rep = await jobCaller(w.a.users.SALES_REP, null);
    const view = await rep.leadViews.create({ name: "Vechi", filters: { county: "Bihor" } });
    await adminQuery(w.db.adminUrl, `UPDATE lead_list_views SET filters = '{"states": ["FROZEN"]}' WHERE id = $1`, [view.id]);
    expect((await rep.leadViews.list()).find((v) => v.id === view.id)?.filters).toBeNull();
  });
});

describe("enrolling a saved view's leads (the leads list's bulk enroll)", () => {
  async function sequenceWithStep(): Promise<string> {
    const [template] = await adminQuery<{ id: string }>(w.db.adminUrl, `INSERT INTO outreach_templates (tenant_id, name, channel, content) VALUES ($1, $2, 'WHATSAPP', 'Bună ziua') RETURNING id`, [
      w.a.tenantId,
      `T ${Math.random()}`,
    ]);
    const [sequence] = await adminQuery<{ id: string }>(w.db.adminUrl, `INSERT INTO outreach_sequences (tenant_id, name) VALUES ($1, $2) RETURNING id`, [w.a.tenantId, `S ${Math.random()}`]);
    await adminQuery(w.db.adminUrl, `INSERT INTO outreach_sequence_steps (tenant_id, sequence_id, step_number, channel, template_id) VALUES ($1, $2, 1, 'WHATSAPP', $3)`, [w.a.tenantId, sequence!.id, template!.id]);
    return sequence!.id;
  }

  it("the preview counts what the list counts; the job enrolls the eligible leads and skips the rest; the count moves", async () => {
    const sequenceId = await sequenceWithStep();
    const fresh = await Promise.all([1, 2, 3].map(() => insertLead(w.db.adminUrl, w.a.tenantId, { judet: "Covasna" })));
    const optedOut = await insertLead(w.db.adminUrl, w.a.tenantId, { judet: "Covasna", whatsappOptedOut: true, emailOptedOut: true });
    const warm = await insertLead(w.db.adminUrl, w.a.tenantId, { judet: "Covasna", state: "WARM_REPLY" });
    await insertLead(w.db.adminUrl, w.b.tenantId, { judet: "Covasna" });

    const manager = await jobCaller(w.a.users.MANAGER, w.boss);
    const view = await manager.leadViews.create({ name: "Covasna", filters: { county: "Covasna" }, shared: true });
    const target = { filters: view.filters! };
    const listed = await manager.leads.list({ ...view.filters! });
    expect(listed.total).toEqual({ value: 5, precision: "exact" });
    expect(await manager.bulk.preview({ target })).toMatchObject({ count: 5, overCap: false });

    // One of them is enrolled already (by hand), before the view's enrollment.
    await manager.sequences.enroll({ sequenceId, leadId: fresh[0]!.leadId });
    const started = await manager.bulk.start({ params: { action: "ENROLL", sequenceId }, target, expectedCount: 5 });
    const { op } = await waitForOperation(w.a.users.MANAGER, started.operationId);
    expect(op).toMatchObject({ kind: "ENROLL", status: "DONE", total: 5, processed: 5 });
    expect(op.result).toMatchObject({ ENROLLED: 2, ALREADY_ENROLLED: 1, OPTED_OUT: 1, NOT_ELIGIBLE: 1 });

    const enrolled = await adminQuery<{ lead_id: string }>(w.db.adminUrl, `SELECT lead_id FROM sequence_enrollments WHERE sequence_id = $1 AND status = 'ACTIVE' ORDER BY lead_id`, [sequenceId]);
    expect(enrolled.map((e) => e.lead_id)).toEqual(fresh.map((f) => f.leadId).sort());
    expect(enrolled.map((e) => e.lead_id)).not.toContain(optedOut.leadId);
    expect(enrolled.map((e) => e.lead_id)).not.toContain(warm.leadId);
    const [card] = (await manager.sequences.overview({ includeArchived: false })).filter((s) => s.id === sequenceId);
    expect(card?.figures.enrolled).toBe(3);

    // A rep may keep and open views, but enrolling many leads is a manager's.
    const rep = await jobCaller(w.a.users.SALES_REP, w.boss);
    expect(await failureOf(rep.bulk.start({ params: { action: "ENROLL", sequenceId }, target, expectedCount: 5 }))).toMatchObject({ code: "FORBIDDEN", domainCode: "BULK_ACTION_FORBIDDEN" });
  });
});
