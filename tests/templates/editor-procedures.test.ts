/**
 * The template editor's procedures against a real Postgres: the draft preview runs the save-time
 * checks and renders for a real lead, "another variant" walks every spintax variant once, the saved
 * preview takes a variant index too, leads to preview with are the tenant's own, and the A/B results
 * read the daily template statistics with a significance hint. Roles and cross-tenant ids.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminQuery } from "../support/fixtures";
import { callerFor, createWorld, failureOf, insertLead, type World } from "../sequences/support";

let world: World;
let lead: string;
let otherLead: string;

beforeAll(async () => {
  world = await createWorld("tpled");
  lead = (await insertLead(world.db.adminUrl, world.a.tenantId, { denumire: "Agro Câmpina SRL", contact: "Maria Ionescu", judet: "Prahova" })).leadId;
  otherLead = (await insertLead(world.db.adminUrl, world.b.tenantId, { denumire: "Ferma Străină SRL" })).leadId;
});
afterAll(async () => {
  await world.close();
});

const variables = [
  { name: "companyName", required: true },
  { name: "contactName", required: false, default: "" },
];

describe("draft preview", () => {
  it("renders the unsaved text for a lead and reports an unknown variable with its place", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const ok = await manager.templates.previewDraft({ channel: "WHATSAPP", subject: null, content: "Bună ziua {{contactName}}, de la {{companyName}}!", variables, leadId: lead });
    expect(ok.check.issues).toEqual([]);
    expect(ok.rendered?.text).toBe("Bună ziua Maria Ionescu, de la Agro Câmpina SRL!");

    const unknown = await manager.templates.previewDraft({ channel: "WHATSAPP", subject: null, content: "Salut {{produs}} pentru {{companyName}}", variables, leadId: lead });
    expect(unknown.check.issues).toEqual([expect.objectContaining({ code: "UNKNOWN_VARIABLE", field: "content", offset: 6 })]);
    // Still rendered: the unknown variable shows where the lead's value would go.
    expect(unknown.rendered?.text).toBe("Salut ⟦produs⟧ pentru Agro Câmpina SRL");
    expect(unknown.rendered?.missing).toEqual(["produs"]);

    const broken = await manager.templates.previewDraft({ channel: "WHATSAPP", subject: null, content: "{Bună|Salut {{companyName}}", variables, leadId: lead });
    expect(broken.check.issues.map((i) => i.code)).toEqual(["UNBALANCED_OPEN"]);
    expect(broken.rendered).toBeNull();
  });

  it("walks every variant once: k = 0 … n-1 are n different texts, k = n is the first again", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const draft = { channel: "EMAIL_COLD" as const, subject: "{Ofertă|Propunere} pentru {{companyName}}", content: "{Bună ziua|Salut|Hei} {{contactName}}, {avem|pregătim {o ofertă|prețuri}}.", variables, leadId: lead };
    const first = await manager.templates.previewDraft({ ...draft, variant: 0 });
    // Body: 3 × (1 + 2) = 9 variants; subject 2: 18 in all.
    expect(first.check.variants).toBe(9);
    expect(first.variant).toEqual({ index: 0, total: 18 });
    const texts = new Set<string>();
    for (let k = 0; k < 18; k++) {
      const r = await manager.templates.previewDraft({ ...draft, variant: k });
      texts.add(`${r.rendered!.subject}|${r.rendered!.text}`);
    }
    expect(texts.size).toBe(18);
    const again = await manager.templates.previewDraft({ ...draft, variant: 18 });
    expect(`${again.rendered!.subject}|${again.rendered!.text}`).toBe(`${first.rendered!.subject}|${first.rendered!.text}`);
  });

  it("is for the ones who edit: a rep may not, and another tenant's lead is not found", async () => {
    const rep = await callerFor(world.a.users.SALES_REP);
    const manager = await callerFor(world.a.users.MANAGER);
    const input = { channel: "WHATSAPP" as const, subject: null, content: "Salut {{companyName}}", variables, leadId: lead };
    expect((await failureOf(rep.templates.previewDraft(input))).code).toBe("FORBIDDEN");
    expect((await failureOf(manager.templates.previewDraft({ ...input, leadId: otherLead }))).code).toBe("NOT_FOUND");
  });
});

describe("saved preview, leads and A/B results", () => {
  it("the saved template's preview takes a variant index; the lead's own variant without it", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const t = await manager.templates.create({ name: "Variante", channel: "WHATSAPP", content: "{A|B|C} {{companyName}}", variables });
    const own = await manager.templates.preview({ templateId: t.id, leadId: lead });
    expect(own.variant).toBeNull();
    const seen = await Promise.all([0, 1, 2].map((variant) => manager.templates.preview({ templateId: t.id, leadId: lead, variant })));
    expect(seen.map((p) => p.text)).toEqual(["A Agro Câmpina SRL", "B Agro Câmpina SRL", "C Agro Câmpina SRL"]);
    expect(seen.map((p) => p.text)).toContain(own.text);
  });

  it("offers only the tenant's own leads, by name", async () => {
    const rep = await callerFor(world.a.users.SALES_REP);
    const found = await rep.templates.previewLeads({ search: "câmpina" });
    expect(found.map((l) => l.id)).toEqual([lead]);
    expect(found[0]!.values).toMatchObject({ companyName: "Agro Câmpina SRL", contactName: "Maria Ionescu", judet: "Prahova" });
    expect((await rep.templates.previewLeads({ search: "Străină" })).length).toBe(0);
  });

  it("A/B results sum the daily template statistics per version and say when one version is ahead", async () => {
    const manager = await callerFor(world.a.users.MANAGER);
    const t = await manager.templates.create({ name: "A/B", channel: "WHATSAPP", content: "Salut {{companyName}}", variables });
    const b = await manager.templates.addVersion({ templateId: t.id, content: "Bună ziua {{companyName}}", weight: 100 });
    const [v1, v2] = [t.versions[0]!.id, b.versionId];
    const before = await manager.templates.abResults({ templateId: t.id });
    expect(before.hint).toEqual({ kind: "NOT_ENOUGH_DATA", minSent: 100, minEvents: 5 });
    // Two days of statistics as the stats job writes them: V1 answered 10 of 200, V2 40 of 200.
    for (const [day, version, sent, replied] of [
      ["2026-11-16", v1, 120, 6],
      ["2026-11-17", v1, 80, 4],
      ["2026-11-16", v2, 100, 22],
      ["2026-11-17", v2, 100, 18],
    ] as const) {
      await adminQuery(
        world.db.adminUrl,
        "INSERT INTO outreach_daily_template_stats (tenant_id, stat_date, template_id, template_version_id, sent, delivered, replied, positive_replies) VALUES ($1, $2, $3, $4, $5, $5, $6, 1)",
        [world.a.tenantId, day, t.id, version, sent, replied],
      );
    }
    const r = await manager.templates.abResults({ templateId: t.id });
    expect(r.versions.map((v) => [v.versionNumber, v.sent, v.replied, v.positiveReplies])).toEqual([
      [1, 200, 10, 2],
      [2, 200, 40, 2],
    ]);
    expect(r.hint).toMatchObject({ kind: "AHEAD", leaderId: v2, runnerUpId: v1 });
    const other = await callerFor(world.b.users.MANAGER);
    expect((await failureOf(other.templates.abResults({ templateId: t.id }))).code).toBe("NOT_FOUND");
  });
});
