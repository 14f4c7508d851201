import { describe, expect, it } from "vitest";
import { holdWhy, planReply, type PlanFacts } from "#server/replies/plan";
import { routeReply, understandReply } from "#server/replies/understanding";
import { WHY_CODES, whyPart, whyRo, whyTextRo, type WhyPart } from "#server/replies/why";
import { en } from "~/lib/messages/en";
import { ro } from "~/lib/messages/ro";
import { whyPartText, whyText } from "./why";

/** Every parameter a code may name, with values that exercise the formatting (a negative score, a day). */
const PARAMS = { score: -45, threshold: 50, confidence: 42, until: "2026-03-24" };
const SAMPLES: WhyPart[] = WHY_CODES.map((code) => whyPart(code, PARAMS));

describe("why it is here, in the reader's language", () => {
  it("has a Romanian and an English message for every code", () => {
    for (const code of WHY_CODES) {
      expect([code, typeof ro[`review.why.${code}`]]).toEqual([code, "string"]);
      expect([code, typeof en[`review.why.${code}`]]).toEqual([code, "string"]);
    }
  });

  it("renders in Romanian exactly the sentence the domain stores for the REST API and exports", () => {
    for (const part of SAMPLES) expect(whyPartText(part, "ro")).toBe(whyRo(part));
  });

  it("fills every parameter in English too, the day as en-GB writes it", () => {
    for (const part of SAMPLES) expect(whyPartText(part, "en")).not.toMatch(/[{}]/);
    expect(whyPartText(whyPart("rule.auto-reply-until", { until: "2026-03-24" }), "en")).toBe("An automatic reply (away): the next step is postponed until 24/03/2026.");
    expect(whyPartText(whyPart("rule.auto-reply-until", { until: "2026-03-24" }), "ro")).toBe("Răspuns automat (absent): pasul următor se amână până pe 24.03.2026.");
    expect(whyPartText(whyPart("rule.positive", { score: 80, threshold: 50 }), "en")).toBe("A positive reply (score 80 ≥ 50): an automatic answer is drafted.");
  });

  it("renders what the worker stores: the route's reason, then why the answer is held", () => {
    const u = understandReply({ text: "Da, ne interesează! Trimiteți oferta, vă rog.", channel: "WHATSAPP", now: new Date("2026-03-02T08:00:00Z") });
    const d = routeReply(u);
    const facts: PlanFacts = { autoAnswerMode: "APPROVAL", autoAnswerDailyCap: 2, autoAnswersToday: 0, autoAnswerTenantDailyCap: 500, tenantAutoAnswersToday: 0, isHumanControlled: false, answerBlock: null, providerAutomatic: false, warmedByThisReply: true, hasDraft: true };
    const review = planReply(u, d, facts).review!;
    expect(review.whyParts).toEqual([d.whyPart, holdWhy("MODE_APPROVAL")]);
    expect(d.whyPart.code).toBe("rule.positive");
    const details = { why: review.why, whyParts: review.whyParts };
    expect(whyText(details, "ro")).toBe(review.why);
    expect(whyText(details, "ro")).toBe(whyTextRo(review.whyParts));
    expect(whyText(details, "en")).toBe(`A positive reply (score ${u.score} ≥ 50): an automatic answer is drafted. The drafted answer waits for approval (automatic answers need approval).`);
  });

  it("shows the stored Romanian text of an analysis without codes, and nothing when there is neither", () => {
    expect(whyText({ why: "Scor 20 sub pragul automat (50): răspunde un om." }, "en")).toBe("Scor 20 sub pragul automat (50): răspunde un om.");
    expect(whyText({ why: "Text vechi", whyParts: [{ code: "rule.unknown" }] }, "en")).toBe("Text vechi");
    expect(whyText({ intent: "QUESTION" }, "ro")).toBeNull();
    expect(whyText(null, "ro")).toBeNull();
  });
});
