/**
 * Drafted answers: the intent templates (Romanian, formal address, never a price, none for opt-outs),
 * the channel rule, the safety filter on a model's draft, and the LLM drafter against the LLM simulator
 * over HTTP (its `reply` field), falling back to the templates when the model gives none.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerRoute } from "../../server/replies/answers/channel";
import { LlmDrafter, TemplateDrafter, unsafeDraft, type DraftRequest } from "../../server/replies/answers/draft.server";
import { draftFromTemplate, romanianDate } from "../../server/replies/answers/templates";
import { REPLY_INTENTS, understandReply } from "../../server/replies/understanding";
import { LlmClient } from "../../server/providers/llm/client.server";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { startSimulators, type RunningSimulators } from "../../server/sandbox/launcher";

const base = { contactName: "Ion Popescu", company: "Ferma Popescu SRL", tenantName: "AgroVerde Distribuție SRL", offerSummary: "Semințe certificate și îngrășăminte, livrare în toată Moldova", laterUntil: null, suggestedContact: null, replySubject: null };

describe("intent templates", () => {
  it("every answered intent gets a formal Romanian draft signed by the tenant; opt-outs, complaints and robots get none", () => {
    for (const intent of REPLY_INTENTS) {
      const d = draftFromTemplate({ ...base, intent, channel: "WHATSAPP" });
      if (["UNSUBSCRIBE", "COMPLAINT", "AUTO_REPLY"].includes(intent)) {
        expect(d, intent).toBeNull();
        continue;
      }
      expect(d!.body, intent).toMatch(/^Bună ziua/);
      expect(d!.body, intent).toContain("Echipa AgroVerde Distribuție SRL");
      expect(d!.body, intent).not.toMatch(/\btu\b|\bai\b|\bvrei\b/i);
      expect(unsafeDraft(d!.body, "WHATSAPP"), intent).toBeNull();
      expect(d!.subject, intent).toBeNull();
    }
    expect(draftFromTemplate({ ...base, intent: "INTERESTED", channel: "WHATSAPP" })!.body).toContain("Semințe certificate");
  });

  it("LATER names the date; WRONG_PERSON the person; email answers carry Re: of the reply's subject", () => {
    expect(draftFromTemplate({ ...base, intent: "LATER", laterUntil: "2027-02-01", channel: "WHATSAPP" })!.body).toContain("1 februarie 2027");
    expect(draftFromTemplate({ ...base, intent: "WRONG_PERSON", suggestedContact: { name: "Andrei", role: "fiul" }, channel: "WHATSAPP" })!.body).toContain("Andrei (fiul)");
    expect(draftFromTemplate({ ...base, intent: "QUESTION", channel: "EMAIL_WARM", replySubject: "Oferta semințe" })!.subject).toBe("Re: Oferta semințe");
    expect(romanianDate("2026-12-25")).toBe("25 decembrie 2026");
  });
});

describe("where an answer goes", () => {
  const facts = { replyChannel: "WHATSAPP" as const, assignedPhoneId: "p1", replyPhoneId: "p2", leadPhone: "+40722000000", leadEmail: "a@b.ro", whatsappOptedOut: false, emailOptedOut: false, phoneOnDoNotContact: false, emailOnDoNotContact: false };
  it("the channel the lead wrote on: WhatsApp from the sticky phone (else the receiving one), email as warm email", () => {
    expect(answerRoute(facts)).toEqual({ ok: true, channel: "WHATSAPP", phoneId: "p1" });
    expect(answerRoute({ ...facts, assignedPhoneId: null })).toEqual({ ok: true, channel: "WHATSAPP", phoneId: "p2" });
    expect(answerRoute({ ...facts, replyChannel: "EMAIL_COLD" })).toEqual({ ok: true, channel: "EMAIL_WARM" });
    expect(answerRoute({ ...facts, whatsappOptedOut: true })).toEqual({ ok: false, block: "OPTED_OUT" });
    expect(answerRoute({ ...facts, phoneOnDoNotContact: true })).toEqual({ ok: false, block: "DO_NOT_CONTACT" });
    expect(answerRoute({ ...facts, replyChannel: "EMAIL_WARM", leadEmail: null })).toEqual({ ok: false, block: "NO_EMAIL_ADDRESS" });
  });
});

describe("a model's draft", () => {
  it("is refused when it carries a link, an amount of money, a placeholder, or is empty or too long", () => {
    expect(unsafeDraft("Bună ziua! Prețul este 1.200 lei pe tonă, vă așteptăm.", "WHATSAPP")).toBe("price");
    expect(unsafeDraft("Bună ziua! Detalii pe https://exemplu.ro/oferta, vă așteptăm.", "WHATSAPP")).toBe("link");
    expect(unsafeDraft("Bună ziua {{nume}}, vă mulțumim pentru răspuns!", "WHATSAPP")).toBe("placeholder");
    expect(unsafeDraft("Ok", "WHATSAPP")).toBe("too_short");
    expect(unsafeDraft("a".repeat(1000), "WHATSAPP")).toBe("too_long");
  });
});

describe("the LLM drafter, against the LLM simulator", () => {
  let sims: RunningSimulators;
  beforeAll(async () => {
    sims = await startSimulators({ port: 0 });
  });
  afterAll(async () => {
    await sims?.close();
  });
  const request = (text: string): DraftRequest => ({
    understanding: understandReply({ text, channel: "WHATSAPP", now: new Date("2026-11-10T08:00:00Z") }),
    reply: { text, subject: null },
    conversation: [{ direction: "OUTBOUND", text: "Bună ziua! Avem semințe certificate pentru primăvară." }],
    lead: { company: "Ferma Popescu SRL", contactName: "Ion Popescu", county: "Iași" },
    tenant: { name: "AgroVerde Distribuție SRL", offerSummary: null },
    channel: "WHATSAPP",
  });

  it("uses the model's reply when it gives one, the template (saying why) when it does not", async () => {
    const drafter = new LlmDrafter({ client: new LlmClient({ baseUrl: sims.urls.llm, apiKey: SANDBOX_CREDENTIALS.llmApiKey, model: "cerniq-sim-1" }) });
    const interested = await drafter.draft(request("Da, suntem interesați. Când putem discuta la telefon?"));
    expect(interested).toMatchObject({ source: "LLM" });
    expect(interested!.body).toContain("Mulțumim pentru interes");
    const later = await drafter.draft(request("Reveniți în februarie, vă rog."));
    expect(later).toMatchObject({ source: "TEMPLATE", fallback: "no_reply" });
    expect(later!.body).toContain("1 februarie 2027");
    expect(await drafter.draft(request("STOP, nu mai scrieți."))).toBeNull();
  });

  it("falls back to the template when the model is unreachable", async () => {
    const drafter = new LlmDrafter({ client: new LlmClient({ baseUrl: "http://127.0.0.1:9/v1", apiKey: "x", model: "m", timeoutMs: 200, retryPolicy: { networkRetries: 0, serverErrorRetries: 0 } }), deadlineMs: 2_000 });
    const d = await drafter.draft(request("Da, suntem interesați. Când putem discuta la telefon?"));
    expect(d).toMatchObject({ source: "TEMPLATE" });
    expect(d!.fallback === "error" || d!.fallback === "timeout").toBe(true);
    expect((await new TemplateDrafter().draft(request("Da, suntem interesați.")))!.source).toBe("TEMPLATE");
  });
});
