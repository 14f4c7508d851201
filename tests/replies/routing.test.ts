import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  KEYWORD_TRIGGERS,
  MIN_CONFIDENCE,
  REPLY_INTENTS,
  routeReply,
  understandReply,
  type ReplyUnderstanding,
} from "../../server/replies/understanding";

const NOW = new Date("2026-03-02T08:00:00.000Z");
const route = (text: string, threshold?: number) =>
  routeReply(understandReply({ text, channel: "WHATSAPP", now: NOW }), threshold === undefined ? {} : { sentimentAutoThreshold: threshold });

const base: ReplyUnderstanding = {
  engine: "builtin",
  version: "test",
  intent: "INTERESTED",
  score: 80,
  optOut: false,
  complaint: false,
  confidence: 0.9,
  reason: "test",
  keywordTriggers: [],
  laterUntil: null,
  suggestedContact: null,
  language: "ro",
  cues: [],
};
const u = (patch: Partial<ReplyUnderstanding>): ReplyUnderstanding => ({ ...base, ...patch });

describe("routeReply: the seeds' thresholds", () => {
  it("score ≥ threshold → AUTO (an answer is drafted); 0..threshold−1 → REVIEW MEDIUM; < 0 → URGENT", () => {
    expect(routeReply(u({ score: 50 }))).toMatchObject({ route: "AUTO", priority: null, reason: null, rule: "positive", actions: { answer: true, optOut: false } });
    expect(routeReply(u({ intent: "QUESTION", score: 49 }))).toMatchObject({ route: "REVIEW", priority: "MEDIUM", reason: "NEGATIVE_SENTIMENT", rule: "below-threshold" });
    expect(routeReply(u({ intent: "QUESTION", score: 0 }))).toMatchObject({ route: "REVIEW", priority: "MEDIUM" });
    expect(routeReply(u({ intent: "NOT_INTERESTED", score: -1 }))).toMatchObject({ route: "URGENT", priority: "URGENT", reason: "NEGATIVE_SENTIMENT", rule: "negative" });
  });

  it("uses the tenant's threshold", () => {
    expect(routeReply(u({ score: 60 }), { sentimentAutoThreshold: 70 })).toMatchObject({ route: "REVIEW", priority: "MEDIUM" });
    expect(routeReply(u({ intent: "QUESTION", score: 40 }), { sentimentAutoThreshold: 30 })).toMatchObject({ route: "AUTO" });
  });

  it(`low confidence (< ${MIN_CONFIDENCE}) → REVIEW with AI_UNCERTAIN, even above the threshold`, () => {
    expect(routeReply(u({ confidence: MIN_CONFIDENCE - 0.01 }))).toMatchObject({ route: "REVIEW", priority: "MEDIUM", reason: "AI_UNCERTAIN", actions: { answer: false } });
    expect(routeReply(u({ confidence: MIN_CONFIDENCE }))).toMatchObject({ route: "AUTO" });
  });

  it("keyword triggers → KEYWORD_TRIGGER: price HIGH, GDPR HIGH, lawyer / authority / police URGENT", () => {
    expect(routeReply(u({ intent: "PRICE_REQUEST", score: 65, keywordTriggers: ["price"] }))).toMatchObject({ route: "REVIEW", priority: "HIGH", reason: "KEYWORD_TRIGGER", rule: "price-trigger" });
    expect(routeReply(u({ intent: "QUESTION", score: 40, keywordTriggers: ["gdpr"] }))).toMatchObject({ route: "REVIEW", priority: "HIGH", reason: "KEYWORD_TRIGGER" });
    for (const t of ["lawyer", "authority", "police_court"] as const) {
      expect(routeReply(u({ score: 70, keywordTriggers: [t] }))).toMatchObject({ route: "URGENT", priority: "URGENT", reason: "KEYWORD_TRIGGER" });
    }
  });

  it("COMPLAINT → URGENT with COMPLAINT and an opt-out; UNSUBSCRIBE → the opt-out is applied, a LOW review lets a person check it", () => {
    expect(routeReply(u({ intent: "COMPLAINT", score: -95, optOut: true, complaint: true, keywordTriggers: ["authority"] }))).toMatchObject({
      route: "URGENT", priority: "URGENT", reason: "COMPLAINT", actions: { optOut: true, answer: false },
    });
    expect(routeReply(u({ intent: "UNSUBSCRIBE", score: -75, optOut: true }))).toMatchObject({
      route: "REVIEW", priority: "LOW", reason: "NEGATIVE_SENTIMENT", rule: "opt-out", actions: { optOut: true, answer: false, postponeUntil: null },
    });
    expect(routeReply(u({ intent: "UNSUBSCRIBE", score: -75, optOut: true, keywordTriggers: ["gdpr"] }))).toMatchObject({ route: "REVIEW", priority: "HIGH", reason: "KEYWORD_TRIGGER" });
  });

  it("AUTO_REPLY → AUTO, no answer, postponed to the return date; LATER → review and postpone; WRONG_PERSON → review with the contact", () => {
    expect(routeReply(u({ intent: "AUTO_REPLY", score: 0, laterUntil: "2026-03-17" }))).toMatchObject({
      route: "AUTO", priority: null, rule: "auto-reply", actions: { answer: false, postponeUntil: "2026-03-17", optOut: false },
    });
    expect(routeReply(u({ intent: "LATER", score: 20, laterUntil: "2026-09-01" }))).toMatchObject({ route: "REVIEW", priority: "MEDIUM", actions: { postponeUntil: "2026-09-01", answer: false } });
    expect(routeReply(u({ intent: "WRONG_PERSON", score: 12, suggestedContact: { name: "Andrei" } }))).toMatchObject({ route: "REVIEW", actions: { suggestContact: true } });
  });

  it("says why in Romanian", () => {
    expect(route("Cât costă tona de uree?").why).toMatch(/prețul/);
    expect(route("Dezabonare").why).toMatch(/dezabonarea e aplicată/);
  });

  it("gives the reason as a stable code with its parameters (the UI renders it in the reader's language)", () => {
    expect(route("Cât costă tona de uree?").whyPart).toEqual({ code: "rule.price-trigger", params: {} });
    expect(routeReply(u({ score: 72 }))).toMatchObject({ whyPart: { code: "rule.positive", params: { score: 72, threshold: 50 } }, why: "Răspuns pozitiv (scor 72 ≥ 50): se pregătește un răspuns automat." });
    expect(routeReply(u({ intent: "QUESTION", score: 30 }), { sentimentAutoThreshold: 60 }).whyPart).toEqual({ code: "rule.below-threshold", params: { score: 30, threshold: 60 } });
    expect(routeReply(u({ confidence: 0.4 })).whyPart).toEqual({ code: "rule.uncertain", params: { confidence: 40 } });
    expect(routeReply(u({ intent: "AUTO_REPLY", score: 0, laterUntil: "2026-03-24" }))).toMatchObject({
      whyPart: { code: "rule.auto-reply-until", params: { until: "2026-03-24" } },
      why: "Răspuns automat (absent): pasul următor se amână până pe 24.03.2026.",
    });
  });
});

describe("routeReply: UNSUBSCRIBE and COMPLAINT never route AUTO", () => {
  it("whatever the score, confidence, triggers or threshold (property)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ReplyUnderstanding["intent"]>("UNSUBSCRIBE", "COMPLAINT"),
        fc.integer({ min: -100, max: 100 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.subarray([...KEYWORD_TRIGGERS]),
        fc.boolean(),
        fc.integer({ min: -100, max: 100 }),
        (intent, score, confidence, keywordTriggers, flags, threshold) => {
          const r = routeReply(u({ intent, score, confidence, keywordTriggers, optOut: flags, complaint: flags && intent === "COMPLAINT" }), { sentimentAutoThreshold: threshold });
          return r.route !== "AUTO" && r.actions.optOut && !r.actions.answer;
        },
      ),
      { numRuns: 2_000, seed: 15 },
    );
  });

  it("an opt-out flag on any intent is never answered", () => {
    for (const intent of REPLY_INTENTS) {
      const r = routeReply(u({ intent, optOut: true, score: 90 }));
      expect([intent, r.route, r.actions.answer]).toEqual([intent, r.route === "AUTO" ? "never" : r.route, false]);
    }
  });
});
