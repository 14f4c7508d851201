import { describe, expect, it } from "vitest";
import { BuiltinReplyEngine, SCORE_BANDS, understandReply, type ReplyChannel, type ReplyIntent } from "../../server/replies/understanding";

const NOW = new Date("2026-03-02T08:00:00.000Z");
const understand = (text: string, channel: ReplyChannel = "WHATSAPP", subject?: string) => understandReply({ text, subject, channel, now: NOW });
const intentOf = (text: string) => understand(text).intent;

describe("negation", () => {
  it.each<[string, ReplyIntent]>([
    ["Nu acum, dar trimiteți oferta", "INTERESTED"],
    ["Nu am nimic împotrivă, sunați-mă.", "INTERESTED"],
    ["Nu e rău ce propuneți, trimiteți detalii.", "INTERESTED"],
    ["Nu zic nu. Trimiteți o ofertă și vedem.", "INTERESTED"],
    ["Mulțumesc, sunt interesat.", "INTERESTED"],
    ["Nu, mulțumesc.", "NOT_INTERESTED"],
    ["nu multumesc", "NOT_INTERESTED"],
    ["Nu sunt interesat.", "NOT_INTERESTED"],
    ["Nu mă interesează.", "NOT_INTERESTED"],
    ["Nu mă mai contactați.", "UNSUBSCRIBE"],
    ["Nu mai scrieți.", "UNSUBSCRIBE"],
    ["Nu mai vreau mesaje.", "UNSUBSCRIBE"],
    ["Nu mai cultivăm porumb, am trecut pe legume.", "NOT_INTERESTED"],
    ["Nu mai lucrez la ferma asta.", "WRONG_PERSON"],
    ["Nu e spam, chiar vreau oferta", "INTERESTED"],
    ["Nu am nicio reclamație, doar vreau să știu prețul.", "PRICE_REQUEST"],
    ["Nu vreau să vă supăr, dar cât ar fi prețul?", "PRICE_REQUEST"],
    ["Mă interesează dacă aveți și îngrășământ lichid.", "QUESTION"],
  ])("%s → %s", (text, intent) => expect(intentOf(text)).toBe(intent));

  it("reads the comma-below and the cedilla spellings, with or without diacritics, the same", () => {
    const forms = ["Vă rog să nu mă mai contactați, ștergeți-mi numărul.", "Vă rog să nu mă mai contactaţi, ştergeţi-mi numărul.", "Va rog sa nu ma mai contactati, stergeti-mi numarul."];
    const results = forms.map((t) => understand(t));
    expect(new Set(results.map((r) => JSON.stringify({ ...r, reason: "" }))).size).toBe(1);
    expect(results[0]!.intent).toBe("UNSUBSCRIBE");
  });
});

describe("emojis", () => {
  it("👍 🙏 😊 read as agreement, 👎 as a refusal, 😡 🤬 as hostility", () => {
    expect(intentOf("👍🙏")).toBe("INTERESTED");
    expect(intentOf("👍")).toBe("INTERESTED");
    expect(intentOf("👎")).toBe("NOT_INTERESTED");
    expect(intentOf("Nu. 👎")).toBe("NOT_INTERESTED");
    expect(intentOf("Iar spam?? 😡😡")).toBe("COMPLAINT");
    expect(understand("Ok, aștept oferta 😊").score).toBeGreaterThan(understand("Ok, aștept oferta").score);
  });

  it("🛑 ✋ count as an opt-out only with words", () => {
    expect(intentOf("🛑")).not.toBe("UNSUBSCRIBE");
    expect(intentOf("🛑 stop")).toBe("UNSUBSCRIBE");
    expect(intentOf("✋ Gata cu mesajele, nu mai trimiteți.")).toBe("UNSUBSCRIBE");
  });
});

describe("mixed intents pick what matters most for safety", () => {
  it.each<[string, ReplyIntent]>([
    ["Sună interesant, dar vă rog nu mă mai contactați.", "UNSUBSCRIBE"],
    ["Da, interesant. Dar dacă mai scrieți la 11 noaptea vă dau în judecată.", "COMPLAINT"],
    ["Nu mă mai contactați, fac plângere la ANPC!", "COMPLAINT"],
    ["Sună bine, dar cât costă?", "PRICE_REQUEST"],
    ["Da, sunt interesat. Care este prețul pe hectar?", "PRICE_REQUEST"],
    ["Prețurile voastre sunt prea mari pentru noi. Nu.", "NOT_INTERESTED"],
    ["Nu sunt interesat personal, dar vorbiți cu fratele meu Dorel, el are ferma.", "WRONG_PERSON"],
    ["Sunt în concediu până pe 30 martie. Pentru comenzi contactați-l pe colegul meu Vlad.", "AUTO_REPLY"],
    ["Sunati-ma dupa 20 ca acum sunt in concediu", "LATER"],
    ["Acum nu pot, sunt la semănat. Sunați-mă în aprilie.", "LATER"],
    ["Sună-mă diseară după 7, vorbim atunci 👍", "INTERESTED"],
    ["Cum se face plata, se poate și în rate după recoltă?", "QUESTION"],
  ])("%s → %s", (text, intent) => expect(intentOf(text)).toBe(intent));
});

describe("out-of-office and quoted history", () => {
  it("recognises auto-replies in Romanian and English, by text or by subject, with the return date", () => {
    expect(understand("Sunt în concediu până pe 16 martie, cu acces limitat la e-mail.", "EMAIL_COLD")).toMatchObject({ intent: "AUTO_REPLY", score: 0, laterUntil: "2026-03-17" });
    expect(understand("I am out of the office until March 9.", "EMAIL_COLD")).toMatchObject({ intent: "AUTO_REPLY", laterUntil: "2026-03-10" });
    expect(understand("Mulțumesc pentru mesaj.", "EMAIL_COLD", "Răspuns automat: Ofertă").intent).toBe("AUTO_REPLY");
    expect(understand("Thank you for your email.", "EMAIL_COLD", "Automatic reply: RE: Oferta").intent).toBe("AUTO_REPLY");
  });

  it("judges only the new text: our quoted 'răspundeți STOP' is not an opt-out", () => {
    const r = understand("Da, trimiteți-ne oferta.\n\nOn Mon, 2 Mar 2026 at 10:00, Cerniq <o@cerniq.ro> wrote:\n> Dacă nu doriți mesaje, răspundeți STOP.", "EMAIL_COLD");
    expect(r).toMatchObject({ intent: "INTERESTED", optOut: false });
  });
});

describe("the result", () => {
  it("is deterministic", () => {
    const text = "Nu acum, poate după recoltă. Sunați-l pe fiul meu, Andrei, la 0722 123 456.";
    expect(understand(text)).toEqual(understand(text));
  });

  it("keeps every score in its intent's band, confidence in 0..1, a Romanian reason, and opt-out flags consistent", () => {
    const samples = [
      "Da, suntem interesați!", "Ce soiuri aveți?", "Cât costă?", "Reveniți în februarie", "Ați greșit numărul",
      "Nu, mersi", "Dezabonare", "Fac reclamație la ANPC!", "Răspuns automat: sunt în concediu", "Bună ziua", "🙂",
    ];
    for (const text of samples) {
      const r = understand(text);
      const [lo, hi] = SCORE_BANDS[r.intent];
      expect([text, r.score >= lo && r.score <= hi]).toEqual([text, true]);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      expect(r.reason).toMatch(/^(Interesat|Întrebare|Cere prețul|Mai târziu|Persoană greșită|Nu este interesat|Cere să nu mai fie contactat|Reclamație|Răspuns automat): /);
      expect(r.optOut).toBe(r.intent === "UNSUBSCRIBE" || r.intent === "COMPLAINT");
      expect(r.complaint).toBe(r.intent === "COMPLAINT");
      expect(r).toMatchObject({ engine: "builtin", version: expect.stringMatching(/^builtin-ro-/) });
    }
  });

  it("has low confidence when nothing in the text is a cue, and names the cue that decided otherwise", () => {
    expect(understand("Bună ziua").confidence).toBeLessThan(0.55);
    const r = understand("Vă rog să nu mă mai contactați.");
    expect(r.confidence).toBeGreaterThan(0.8);
    expect(r.reason).toContain("nu mă mai contactați");
  });

  it("sets keyword triggers for price, lawyer, authorities, GDPR and police/court", () => {
    expect(understand("Cât costă tona?").keywordTriggers).toEqual(["price"]);
    expect(understand("Vorbesc cu avocatul meu.").keywordTriggers).toContain("lawyer");
    expect(understand("Fac plângere la ANPC.").keywordTriggers).toContain("authority");
    expect(understand("De unde aveți datele mele personale?").keywordTriggers).toContain("gdpr");
    expect(understand("Vă dau în judecată și merg la poliție.").keywordTriggers).toContain("police_court");
  });

  it("is served behind the engine interface", async () => {
    const engine = new BuiltinReplyEngine();
    await expect(engine.understand({ text: "Dezabonare", channel: "WHATSAPP", now: NOW })).resolves.toMatchObject({ intent: "UNSUBSCRIBE", optOut: true });
  });
});

describe("words that only look like cues", () => {
  it("a name like Costin or a verb like prețuiesc is not a price question", () => {
    expect(understand("Vorbiți cu ginerele meu, Costin: 0740 123 987").keywordTriggers).toEqual([]);
    expect(understand("Vă prețuiesc efortul, dar nu.").keywordTriggers).toEqual([]);
  });
});
