/** The templates router against a real Postgres: tiers, validation, versions, preview, counts. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertMessage } from "../support/factories";
import { adminQuery } from "../support/fixtures";
import { callerFor, createWorld, failureOf, insertLead, type World } from "../sequences/support";

let world: World;

const VARIABLES = [
  { name: "companyName", required: true },
  { name: "contactName", required: true },
  { name: "judet", required: false, default: "județul dumneavoastră" },
];
const WA = "{Bună ziua|Salut} {{contactName}}! {Lucrăm cu|Sprijinim} ferme din {{judet}}. O ofertă pentru {{companyName}}?";

beforeAll(async () => {
  world = await createWorld("tpl");
});
afterAll(async () => {
  await world.close();
});

describe("templates router", () => {
  it("managers create (validated, version 1), reps read but cannot write", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const rep = await callerFor(world.a.users.SALES_REP);
    const t = await manager.templates.create({ name: "WA intro", channel: "WHATSAPP", content: WA, variables: VARIABLES });
    expect(t.versions).toHaveLength(1);
    expect(t.versions[0]).toMatchObject({ versionNumber: 1, isActive: true, weight: 100, counts: { sent: 0, delivered: 0, opened: 0, replied: 0 } });
    expect((await rep.templates.list()).map((x) => x.id)).toContain(t.id);
    expect((await failureOf(rep.templates.create({ name: "x", channel: "WHATSAPP", content: "Salut", variables: [] }))).code).toBe("FORBIDDEN");
    const audit = await adminQuery<{ action: string }>(world.db.adminUrl, "SELECT action FROM audit_log WHERE entity_id = $1", [t.id]);
    expect(audit.map((r) => r.action)).toEqual(["template.create"]);
  });

  it("invalid templates are refused with every issue", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const f = await failureOf(manager.templates.create({ name: "rău", channel: "EMAIL_COLD", content: "Salut {{firma}} {a|b", variables: VARIABLES }));
    expect(f).toMatchObject({ code: "BAD_REQUEST", domainCode: "TEMPLATE_INVALID" });
    const codes = (f.details as { issues: Array<{ code: string }> }).issues.map((i) => i.code).sort();
    expect(codes).toEqual(["SUBJECT_REQUIRED", "UNBALANCED_OPEN", "UNKNOWN_VARIABLE"]);
  });

  it("a content change creates a new version; a metadata change does not", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const t = await manager.templates.create({ name: "WA v", channel: "WHATSAPP", content: WA, variables: VARIABLES });
    const renamed = await manager.templates.update({ templateId: t.id, name: "WA v (redenumit)" });
    expect(renamed.newVersionId).toBeNull();
    expect(renamed.template.versions).toHaveLength(1);

    const same = await manager.templates.update({ templateId: t.id, content: WA });
    expect(same.newVersionId).toBeNull();

    const changed = await manager.templates.update({ templateId: t.id, content: `${WA} {Mulțumesc|Vă mulțumesc}!` });
    expect(changed.newVersionId).not.toBeNull();
    expect(changed.template.versions.map((v) => [v.versionNumber, v.isActive])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(changed.template.content).toContain("Mulțumesc");

    // Removing a variable that an active version uses is refused.
    const f = await failureOf(manager.templates.update({ templateId: t.id, variables: [{ name: "companyName", required: true }] }));
    expect(f.domainCode).toBe("TEMPLATE_INVALID");
  });

  it("A/B versions: weights, and the last active version cannot be switched off", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const t = await manager.templates.create({ name: "WA ab", channel: "WHATSAPP", content: WA, variables: VARIABLES, weight: 50 });
    const added = await manager.templates.addVersion({ templateId: t.id, content: "Salut {{contactName}}, {{companyName}}!", weight: 50 });
    expect(added.template.versions.filter((v) => v.isActive)).toHaveLength(2);
    const v1 = t.versions[0]!.id;
    const afterOff = await manager.templates.setVersion({ versionId: v1, isActive: false });
    expect(afterOff.versions.find((v) => v.id === v1)?.isActive).toBe(false);
    const f = await failureOf(manager.templates.setVersion({ versionId: added.versionId, weight: 0 }));
    expect(f.domainCode).toBe("TEMPLATE_NO_ACTIVE_VERSION");
  });

  it("preview renders for a real lead of the caller's tenant, deterministically, showing missing variables", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const rep = await callerFor(world.a.users.SALES_REP);
    const t = await manager.templates.create({ name: "WA preview", channel: "WHATSAPP", content: WA, variables: VARIABLES });
    const { leadId } = await insertLead(world.db.adminUrl, world.a.tenantId, { denumire: "Agro Nord SRL", contact: "Maria Ionescu", judet: null });
    const p1 = await rep.templates.preview({ templateId: t.id, leadId });
    const p2 = await rep.templates.preview({ templateId: t.id, leadId });
    expect(p1).toEqual(p2);
    expect(p1.text).toMatch(/^(Bună ziua|Salut) Maria Ionescu! (Lucrăm cu|Sprijinim) ferme din județul dumneavoastră\. O ofertă pentru Agro Nord SRL\?$/);
    expect(p1).toMatchObject({ missing: [], defaulted: ["judet"], sendable: true, lead: { id: leadId, name: "Agro Nord SRL" } });
    expect(p1.contentHash).toMatch(/^[0-9a-f]{64}$/);

    const noContact = await insertLead(world.db.adminUrl, world.a.tenantId, { contact: null });
    const p3 = await rep.templates.preview({ templateId: t.id, leadId: noContact.leadId });
    expect(p3).toMatchObject({ missing: ["contactName"], sendable: false });
    expect(p3.text).toContain("⟦contactName⟧");

    // The pipeline's render refuses the same lead with the coded error.
    const { withTenant } = await import("../../server/db/client.server");
    const { renderForLead } = await import("../../server/templates/templates.server");
    await expect(withTenant(world.a.tenantId, (tx) => renderForLead(tx, { templateId: t.id, leadId: noContact.leadId }))).rejects.toMatchObject({
      code: "TEMPLATE_VARIABLE_MISSING",
      variables: ["contactName"],
    });
    const sent = await withTenant(world.a.tenantId, (tx) => renderForLead(tx, { templateId: t.id, leadId }));
    expect(sent.rendered.text).toBe(p1.text);
    expect(sent.rendered.contentHash).toBe(p1.contentHash);

    // Another tenant's lead does not exist for this caller.
    const other = await insertLead(world.db.adminUrl, world.b.tenantId);
    expect((await failureOf(rep.templates.preview({ templateId: t.id, leadId: other.leadId }))).code).toBe("NOT_FOUND");
  });

  it("per-version counts come from the communication log as a funnel", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const t = await manager.templates.create({ name: "WA counts", channel: "WHATSAPP", content: WA, variables: VARIABLES });
    const versionId = t.versions[0]!.id;
    const { leadId, journeyId } = await insertLead(world.db.adminUrl, world.a.tenantId);
    for (const status of ["QUEUED", "SENT", "DELIVERED", "READ", "REPLIED", "FAILED"]) {
      await insertMessage(world.db.adminUrl, { tenantId: world.a.tenantId, journeyId: journeyId!, leadId, channel: "WHATSAPP", direction: "OUTBOUND", status, templateId: t.id, templateVersionId: versionId });
    }
    const got = await manager.templates.get({ templateId: t.id });
    expect(got.versions[0]!.counts).toEqual({ sent: 4, delivered: 3, opened: 2, replied: 1 });
    const listed = (await manager.templates.list()).find((x) => x.id === t.id);
    expect(listed?.totals).toEqual({ sent: 4, delivered: 3, opened: 2, replied: 1 });
  });

  it("tenant B cannot read or change tenant A's templates", async () => {
    const managerA = await callerFor(world.a.users.MANAGER);
    const managerB = await callerFor(world.b.users.MANAGER);
    const t = await managerA.templates.create({ name: "WA privat", channel: "WHATSAPP", content: WA, variables: VARIABLES });
    expect((await failureOf(managerB.templates.get({ templateId: t.id }))).code).toBe("NOT_FOUND");
    expect((await failureOf(managerB.templates.update({ templateId: t.id, name: "furat" }))).code).toBe("NOT_FOUND");
    expect((await managerB.templates.list()).map((x) => x.id)).not.toContain(t.id);
  });
});
