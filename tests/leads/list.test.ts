/**
 * leads.list and leads.options against a real database, as the app role under row-level security:
 * every filter picks exactly the leads it should, the search ignores case and diacritics and finds
 * CUIs, phones and addresses however they are typed, the sorts keep their order across pages, the
 * total is exact when small and labelled when estimated, and another tenant's leads never show.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATE_CODES } from "../../server/leads/list/state-codes";
import { LEAD_STATES } from "../../server/lead-state/transitions";
import { insertLead, insertLeads, insertMessage, insertPhone, insertSequence, insertTemplate } from "../support/factories";
import { adminQuery } from "../support/fixtures";
import { callerFor, createWorld, failureOf, type World } from "../sequences/support";

let w: World;

interface Spec {
  name: string;
  tenant?: "a" | "b";
  state?: string;
  cui?: string | null;
  phone?: string | null;
  email?: string | null;
  judet?: string | null;
  owner?: "rep" | "manager" | null;
  phoneId?: string | null;
  sequenceId?: string | null;
  channel?: string | null;
  replies?: number;
  review?: boolean;
  optedOut?: boolean;
  lastContactAt?: string | null;
  lastReplyAt?: string | null;
  nextActionAt?: string | null;
  sentiment?: number;
}

const ids = new Map<string, { leadId: string; journeyId: string }>();
const phones: Record<"a" | "b", string> = { a: "", b: "" };
const sequences: Record<"a" | "b", string> = { a: "", b: "" };

async function insert(client: pg.Client, spec: Spec): Promise<void> {
  const tenant = spec.tenant === "b" ? w.b : w.a;
  const owner = spec.owner === "rep" ? tenant.users.SALES_REP.id : spec.owner === "manager" ? tenant.users.MANAGER.id : null;
  const lead = await insertLead(client, tenant.tenantId, {
    company: { denumire: spec.name, cui: spec.cui ?? null, judet: spec.judet === undefined ? "Iași" : spec.judet, telefonPrincipal: spec.phone ?? null, emailPrincipal: spec.email ?? null },
    journey: {
      currentState: spec.state ?? "COLD",
      assignedToUser: owner,
      assignedPhoneId: spec.phoneId ?? null,
      currentSequenceId: spec.sequenceId ?? null,
      sequenceStep: spec.sequenceId ? 1 : 0,
      lastChannelUsed: spec.channel ?? null,
      replyCount: spec.replies ?? 0,
      requiresHumanReview: spec.review ?? false,
      whatsappOptedOut: spec.optedOut ?? false,
      lastContactAt: spec.lastContactAt ?? null,
      lastReplyAt: spec.lastReplyAt ?? null,
      nextActionAt: spec.nextActionAt ?? null,
      sentimentScore: spec.sentiment ?? 0,
    },
  });
  ids.set(spec.name, lead);
}

const names = (page: { items: Array<{ company: { name: string } }> }) => page.items.map((i) => i.company.name);
const sorted = (xs: string[]) => [...xs].sort();

beforeAll(async () => {
  w = await createWorld("llist");
  const client = new pg.Client({ connectionString: w.db.adminUrl });
  await client.connect();
  try {
    for (const key of ["a", "b"] as const) {
      const t = key === "a" ? w.a : w.b;
      phones[key] = await insertPhone(client, t.tenantId, { label: `Vânzări ${key}`, phoneNumber: `+4074000000${key === "a" ? 1 : 2}` });
      const template = await insertTemplate(client, t.tenantId, { name: "Intro", channel: "WHATSAPP", content: "Bună" });
      const step = { channel: "WHATSAPP", templateId: template.id };
      sequences[key] = await insertSequence(client, t.tenantId, { name: "Prima abordare", steps: [step, step, step] });
    }
    const specs: Spec[] = [
      { name: "Ferma Ștefănești SRL", state: "WARM_REPLY", owner: "rep", cui: "14399840", phone: "+40722123456", email: "office@ferma-stefan.ro", replies: 2, review: true, lastContactAt: "2026-11-30T22:30:00Z", lastReplyAt: "2026-12-01T08:00:00Z", sentiment: 70, channel: "WHATSAPP", phoneId: "a" },
      { name: "ŞTEFĂNEŞTI AGRO COOP", state: "CONTACTED_WA", owner: "rep", judet: "Argeș", channel: "WHATSAPP", phoneId: "a", sequenceId: "a", lastContactAt: "2026-11-29T10:00:00Z", nextActionAt: "2026-12-03T09:00:00Z" },
      { name: "Întreprindere Familială Ionescu", state: "NEGOTIATION", owner: "manager", judet: "Argeș", replies: 1, lastContactAt: "2026-11-20T10:00:00Z", sentiment: -40, channel: "EMAIL_COLD" },
      { name: "Agro Bălan Trans SRL", state: "COLD", nextActionAt: "2026-12-02T09:00:00Z", email: "contact@balan.ro" },
      { name: "Brazda Holda SRL", state: "PAUSED", optedOut: true, judet: null },
      { name: "Câmpia Verde SRL", state: "DEAD", judet: "Ilfov", sentiment: -90, replies: 1, channel: "EMAIL_COLD" },
      { name: "Zorile Agricole SRL", state: "CONTACTED_EMAIL", channel: "EMAIL_COLD", nextActionAt: "2026-12-01T09:00:00Z", lastContactAt: "2026-11-28T10:00:00Z" },
      { name: "Ferma Ștefănești din B SRL", tenant: "b", state: "WARM_REPLY", cui: "18547290", phone: "+40722999888", phoneId: "b" },
    ];
    for (const spec of specs) {
      const key = spec.tenant ?? "a";
      await insert(client, { ...spec, phoneId: spec.phoneId ? phones[key] : null, sequenceId: spec.sequenceId ? sequences[key] : null });
    }
    // The last reply column reads the latest inbound message, with its analysis when there is one.
    const s = ids.get("Ferma Ștefănești SRL")!;
    const reply = { tenantId: w.a.tenantId, ...s, channel: "WHATSAPP", direction: "INBOUND", status: "REPLIED" } as const;
    await insertMessage(client, { ...reply, contentPreview: "Cât costă semințele?", createdAt: "2026-11-30T08:00:00Z" });
    await insertMessage(client, { ...reply, contentPreview: "Da, mă interesează oferta.", sentimentScore: 70, intent: "interested", createdAt: "2026-12-01T08:00:00Z" });
  } finally {
    await client.end();
  }
});

afterAll(async () => {
  await w.close();
});

describe("leads.list filters", () => {
  it("shows a rep their own leads, sorted by next action with nothing scheduled last", async () => {
    const page = await (await callerFor(w.a.users.SALES_REP)).leads.list({ assigned: "me" });
    expect(names(page)).toEqual(["ŞTEFĂNEŞTI AGRO COOP", "Ferma Ștefănești SRL"]);
    expect(page.total).toEqual({ value: 2, precision: "exact" });
  });

  it("gives each filter exactly its leads", async () => {
    const list = (await callerFor(w.a.users.MANAGER)).leads.list;
    const cases: Array<[Parameters<typeof list>[0], string[]]> = [
      [{ states: ["WARM_REPLY", "NEGOTIATION"] }, ["Ferma Ștefănești SRL", "Întreprindere Familială Ionescu"]],
      [{ states: ["PAUSED"] }, ["Brazda Holda SRL"]],
      [{ channel: "EMAIL_COLD" }, ["Câmpia Verde SRL", "Zorile Agricole SRL", "Întreprindere Familială Ionescu"]],
      [{ assigned: "none" }, ["Agro Bălan Trans SRL", "Brazda Holda SRL", "Câmpia Verde SRL", "Zorile Agricole SRL"]],
      [{ assigned: w.a.users.MANAGER.id }, ["Întreprindere Familială Ionescu"]],
      [{ phoneId: phones.a }, ["Ferma Ștefănești SRL", "ŞTEFĂNEŞTI AGRO COOP"]],
      [{ county: "Argeș" }, ["ŞTEFĂNEŞTI AGRO COOP", "Întreprindere Familială Ionescu"]],
      [{ county: "Argeș", states: ["NEGOTIATION"] }, ["Întreprindere Familială Ionescu"]],
      [{ sequenceId: sequences.a }, ["ŞTEFĂNEŞTI AGRO COOP"]],
      [{ replied: true }, ["Câmpia Verde SRL", "Ferma Ștefănești SRL", "Întreprindere Familială Ionescu"]],
      [{ needsReview: true }, ["Ferma Ștefănești SRL"]],
      [{ optedOut: true }, ["Brazda Holda SRL"]],
      // Bucharest days: 22:30 UTC on 30 November is 00:30 on 1 December there.
      [{ lastContactFrom: "2026-12-01", lastContactTo: "2026-12-01" }, ["Ferma Ștefănești SRL"]],
      [{ lastContactFrom: "2026-11-28", lastContactTo: "2026-11-30" }, ["ŞTEFĂNEŞTI AGRO COOP", "Zorile Agricole SRL"]],
      [{ lastReplyFrom: "2026-12-01", lastReplyTo: "2026-12-01" }, ["Ferma Ștefănești SRL"]],
    ];
    for (const [input, expected] of cases) {
      const page = await list(input);
      expect(sorted(names(page)), JSON.stringify(input)).toEqual(sorted(expected));
      expect(page.total, JSON.stringify(input)).toEqual({ value: expected.length, precision: "exact" });
    }
  });

  it("shows the columns a rep works from", async () => {
    const page = await (await callerFor(w.a.users.MANAGER)).leads.list({ search: "ferma-stefan" });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      company: { name: "Ferma Ștefănești SRL", cui: "14399840", county: "Iași" },
      state: "WARM_REPLY",
      channel: "WHATSAPP",
      assignedUser: { id: w.a.users.SALES_REP.id },
      phone: { id: phones.a, label: "Vânzări a" },
      sentimentScore: 70,
      replyCount: 2,
      needsReview: true,
      lastReply: { preview: "Da, mă interesează oferta.", sentiment: 70, intent: "interested" },
    });
    const coop = await (await callerFor(w.a.users.MANAGER)).leads.list({ sequenceId: sequences.a });
    expect(coop.items[0]?.sequence).toEqual({ id: sequences.a, name: "Prima abordare", step: 1, steps: 3 });
    expect(coop.items[0]?.lastReply).toBeNull();
  });
});

describe("leads.list search", () => {
  it("ignores case and diacritics, comma-below and cedilla alike", async () => {
    const list = (await callerFor(w.a.users.MANAGER)).leads.list;
    for (const term of ["stefanesti", "ȘTEFĂNEȘTI", "Ştefăneşti", "STEFANESTI agro"]) {
      const expected = term.includes("agro") ? ["ŞTEFĂNEŞTI AGRO COOP"] : ["Ferma Ștefănești SRL", "ŞTEFĂNEŞTI AGRO COOP"];
      expect(sorted(names(await list({ search: term }))), term).toEqual(sorted(expected));
    }
    expect(names(await list({ search: "intreprindere familiala" }))).toEqual(["Întreprindere Familială Ionescu"]);
  });

  it("finds a CUI, a phone and an e-mail however they are typed", async () => {
    const list = (await callerFor(w.a.users.MANAGER)).leads.list;
    for (const term of ["RO14399840", "1439984", "0722 123 456", "+40 722-123-456", "0040722123456", "123 456", "office@ferma-stefan.ro", "FERMA-STEFAN.RO"]) {
      expect(names(await list({ search: term })), term).toEqual(["Ferma Ștefănești SRL"]);
    }
  });

  it("refuses a search too short to match through the index", async () => {
    const list = (await callerFor(w.a.users.MANAGER)).leads.list;
    expect((await failureOf(list({ search: "ab" }))).code).toBe("BAD_REQUEST");
    expect(await failureOf(list({ search: "RO 12" }))).toMatchObject({ code: "BAD_REQUEST", domainCode: "SEARCH_TOO_SHORT" });
  });

  it("never finds another tenant's leads, by name, CUI or phone", async () => {
    const list = (await callerFor(w.a.users.MANAGER)).leads.list;
    expect(names(await list({ search: "din b" }))).toEqual([]);
    expect(names(await list({ search: "18547290" }))).toEqual([]);
    expect(names(await list({ search: "0722 999 888" }))).toEqual([]);
    expect(names(await list({ phoneId: phones.b }))).toEqual([]);
    const b = await (await callerFor(w.b.users.MANAGER)).leads.list({ search: "stefanesti" });
    expect(names(b)).toEqual(["Ferma Ștefănești din B SRL"]);
  });
});

describe("leads.list sorting and pages", () => {
  it("sorts by name with Romanian letters among their base letters, and reverses", async () => {
    const list = (await callerFor(w.a.users.MANAGER)).leads.list;
    const all = names(await list({ sort: "name" }));
    expect(all).toEqual([
      "Agro Bălan Trans SRL",
      "Brazda Holda SRL",
      "Câmpia Verde SRL",
      "Ferma Ștefănești SRL",
      "Întreprindere Familială Ionescu",
      "ŞTEFĂNEŞTI AGRO COOP",
      "Zorile Agricole SRL",
    ]);
    expect(names(await list({ sort: "name", dir: "desc" }))).toEqual([...all].reverse());
  });

  it("sorts by last contact, most recent first and never-contacted last; by sentiment, most positive first", async () => {
    const list = (await callerFor(w.a.users.MANAGER)).leads.list;
    const byContact = names(await list({ sort: "lastContact" }));
    expect(byContact.slice(0, 4)).toEqual(["Ferma Ștefănești SRL", "ŞTEFĂNEŞTI AGRO COOP", "Zorile Agricole SRL", "Întreprindere Familială Ionescu"]);
    expect(byContact).toHaveLength(7);
    const bySentiment = names(await list({ sort: "sentiment" }));
    expect(bySentiment[0]).toBe("Ferma Ștefănești SRL");
    expect(bySentiment.slice(-2)).toEqual(["Întreprindere Familială Ionescu", "Câmpia Verde SRL"]);
  });

  it("pages without overlap and refuses pages too deep to read", async () => {
    const list = (await callerFor(w.a.users.MANAGER)).leads.list;
    const first = await list({ sort: "name", pageSize: 3 });
    const second = await list({ sort: "name", pageSize: 3, page: 2 });
    const third = await list({ sort: "name", pageSize: 3, page: 3 });
    expect([...names(first), ...names(second), ...names(third)]).toEqual(names(await list({ sort: "name" })));
    expect(first.total).toEqual({ value: 7, precision: "exact" });
    expect((await failureOf(list({ pageSize: 101 }))).code).toBe("BAD_REQUEST");
    expect(await failureOf(list({ pageSize: 100, page: 1002 }))).toMatchObject({ code: "BAD_REQUEST", domainCode: "PAGE_TOO_DEEP" });
  });
});

describe("leads.list at volume", () => {
  beforeAll(async () => {
    // 2,400 more leads for tenant A: 1,200 of them match "recolta nord" (past the search's id cap).
    const now = Date.now();
    await insertLeads(
      w.db.adminUrl,
      w.a.tenantId,
      Array.from({ length: 2400 }, (_, i) => i + 1).map((g) => ({
        company: { denumire: `${g % 2 === 0 ? "Recolta Nord" : "Holda Sud"} ${g} SRL`, judet: "Vaslui" },
        journey: { currentState: "COLD", nextActionAt: new Date(now + g * 60_000) },
      })),
    );
    await adminQuery(w.db.adminUrl, "ANALYZE");
  });

  it("labels a large total as an estimate instead of counting it", async () => {
    const page = await (await callerFor(w.a.users.MANAGER)).leads.list({});
    expect(page.total.precision).not.toBe("exact");
    expect(page.total.value).toBeGreaterThanOrEqual(2000);
    expect(page.items).toHaveLength(20);
  });

  it("pages a broad search (more matches than the id cap) in order, with its total", async () => {
    const list = (await callerFor(w.a.users.MANAGER)).leads.list;
    const first = await list({ search: "recolta nord", county: "Vaslui", pageSize: 50 });
    const second = await list({ search: "recolta nord", county: "Vaslui", pageSize: 50, page: 2 });
    const expected = Array.from({ length: 100 }, (_, i) => `Recolta Nord ${(i + 1) * 2} SRL`);
    expect([...names(first), ...names(second)]).toEqual(expected);
    // Not every filtered lead was read to fill two pages: the total is the share of matches read, scaled.
    expect(first.total.precision).toBe("estimate");
    expect(first.total.value).toBeGreaterThan(1000);
    expect(first.total.value).toBeLessThan(1500);
  });
});

describe("the database side of the list", () => {
  it("generates state_code exactly as server/leads/list/state-codes.ts says", async () => {
    const rows = await adminQuery<{ state: string; code: number }>(w.db.adminUrl, `SELECT s::text AS state, lead_state_code(s) AS code FROM unnest(enum_range(NULL::current_state_enum)) s`);
    expect(Object.fromEntries(rows.map((r) => [r.state, r.code]))).toEqual(STATE_CODES);
    expect(rows.map((r) => r.state)).toEqual([...LEAD_STATES]);
  });

  it("inlines lead_state_code, so a journey write computes state_code without calling a SQL function", async () => {
    // Every WhatsApp send writes the journey twice; a function call there was parsed and planned each
    // time (migration lead_state_code_inlined). Inlined, the plan shows its CASE, not the call.
    const rows = await adminQuery<{ "QUERY PLAN": string }>(w.db.adminUrl, `EXPLAIN (VERBOSE, COSTS OFF) SELECT lead_state_code(current_state) FROM gold_lead_journey`);
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    expect(plan).toContain("CASE current_state");
    expect(plan).not.toContain("lead_state_code(");
  });

  it("lets lead_search_ids see only the transaction's tenant, and nothing without one", async () => {
    const app = new pg.Client({ connectionString: w.db.appUrl });
    await app.connect();
    try {
      await app.query("BEGIN");
      expect((await app.query(`SELECT * FROM lead_search_ids('stefanesti', 10)`)).rows).toEqual([]);
      await app.query(`SELECT set_config('app.tenant_id', $1, true)`, [w.b.tenantId]);
      const found = await app.query<{ lead_search_ids: string }>(`SELECT * FROM lead_search_ids('stefanesti', 10)`);
      expect(found.rows.map((r) => r.lead_search_ids)).toEqual([ids.get("Ferma Ștefănești din B SRL")!.leadId]);
      await app.query("ROLLBACK");
    } finally {
      await app.end();
    }
  });
});

describe("leads.options", () => {
  it("offers the tenant's active owners, phones and sequences only", async () => {
    const options = await (await callerFor(w.a.users.SALES_REP)).leads.options();
    expect(options.owners.map((o) => o.id).sort()).toEqual([w.a.users.MANAGER.id, w.a.users.SALES_REP.id].sort());
    expect(options.phones.map((p) => p.id)).toEqual([phones.a]);
    expect(options.sequences.map((s) => s.id)).toEqual([sequences.a]);
  });
});
