import { whyPart, whyRo, type WhyPart } from "../why";
import type { KeywordTrigger, ReplyUnderstanding, ReviewPriority, ReviewReason } from "./types";

/**
 * Where a understood reply goes: a pure rule table, first match wins (issue #15, seeds: index
 * "sentiment ≥ 50 answered automatically, < 50 to a person", workers overview §5.2 "0–49 → review
 * MEDIUM, < 0 → review URGENT").
 *
 * route AUTO   = no person needed: an answer is drafted (score ≥ threshold) or, for an out-of-office,
 *                the next step is postponed; REVIEW = a review item of priority LOW / MEDIUM / HIGH;
 *                URGENT = a review item of priority URGENT (SLA 1 h).
 *
 * | # | rule            | when                                                      | route  | priority | reason             |
 * | - | --------------- | --------------------------------------------------------- | ------ | -------- | ------------------ |
 * | 1 | complaint       | COMPLAINT (also an opt-out: stop everything)             | URGENT | URGENT   | COMPLAINT          |
 * | 2 | opt-out-legal   | opt-out naming GDPR / personal data / an authority        | REVIEW | HIGH     | KEYWORD_TRIGGER    |
 * | 3 | opt-out         | UNSUBSCRIBE or any opt-out                                | REVIEW | LOW      | NEGATIVE_SENTIMENT |
 * | 4 | legal-trigger   | lawyer, ANPC / ANSPDCP / authority, police, court         | URGENT | URGENT   | KEYWORD_TRIGGER    |
 * | 5 | negative        | score < 0                                                 | URGENT | URGENT   | NEGATIVE_SENTIMENT |
 * | 6 | auto-reply      | AUTO_REPLY (out-of-office) with confidence ≥ MIN          | AUTO   | —        | —                  |
 * | 7 | uncertain       | confidence < MIN_CONFIDENCE                               | REVIEW | MEDIUM   | AI_UNCERTAIN       |
 * | 8 | gdpr-trigger    | GDPR / personal data named                                | REVIEW | HIGH     | KEYWORD_TRIGGER    |
 * | 9 | price-trigger   | price asked                                               | REVIEW | HIGH     | KEYWORD_TRIGGER    |
 * |10 | positive        | score ≥ threshold (tenant sentiment_auto_threshold, 50)   | AUTO   | —        | —                  |
 * |11 | below-threshold | 0 ≤ score < threshold (QUESTION, LATER, WRONG_PERSON …)   | REVIEW | MEDIUM   | NEGATIVE_SENTIMENT |
 *
 * Decisions (ADR 0009):
 * - Opt-out is applied by the worker at once (do-not-contact on every channel, every sequence
 *   stopped); the LOW review only lets a person see it and undo a misreading, it is never needed
 *   for the opt-out to take effect. UNSUBSCRIBE and COMPLAINT can never route AUTO (rules 1–3 come
 *   first and do not depend on the score or the confidence).
 * - Price → HIGH: a price question is the hottest reply there is, and prices depend on quantity, zone
 *   and season, so a person quotes them (4 h SLA) rather than the drafting AI.
 * - AUTO_REPLY → AUTO with `postponeUntil` (the return date when the message names one), no review
 *   and no answer.
 * - NEGATIVE_SENTIMENT is the seeds' only sentiment reason; for 0..threshold−1 it means "below the
 *   automatic threshold". `whyPart` says what actually happened (a code the UI renders in the
 *   reader's language), `why` the same in Romanian.
 */

export const DEFAULT_SENTIMENT_AUTO_THRESHOLD = 50;
/** Below this confidence a person looks at the reply (AI_UNCERTAIN), unless a safety rule fired first. */
export const MIN_CONFIDENCE = 0.55;

export type Route = "AUTO" | "REVIEW" | "URGENT";

export interface RoutingSettings {
  /** tenants.sentiment_auto_threshold */
  sentimentAutoThreshold?: number;
}

export interface RouteActions {
  /** Draft an answer (the tenant's auto-answer mode decides whether it is sent or held). */
  answer: boolean;
  /** Do-not-contact on every channel, stop every sequence. */
  optOut: boolean;
  /** Resume the lead's sequence on this tenant-local date (LATER, out-of-office); null = no date named. */
  postponeUntil: string | null;
  /** Offer the rep the contact the reply names (WRONG_PERSON). */
  suggestContact: boolean;
}

export interface RouteDecision {
  route: Route;
  priority: ReviewPriority | null;
  reason: ReviewReason | null;
  actions: RouteActions;
  /** Id of the rule that decided (table above). */
  rule: string;
  /** Why the reply is here, as a code and its parameters (../why.ts): rendered in the reader's language. */
  whyPart: WhyPart;
  /** The same in Romanian, for readers without a dictionary (REST API, exports, logs). */
  why: string;
}

const LEGAL: readonly KeywordTrigger[] = ["lawyer", "authority", "police_court"];

interface Rule {
  id: string;
  when: (u: ReplyUnderstanding, threshold: number) => boolean;
  route: Route;
  priority: ReviewPriority | null;
  reason: ReviewReason | null;
  why: (u: ReplyUnderstanding, threshold: number) => WhyPart;
}

const isOptOut = (u: ReplyUnderstanding) => u.optOut || u.intent === "UNSUBSCRIBE" || u.intent === "COMPLAINT" || u.complaint;
const has = (u: ReplyUnderstanding, triggers: readonly KeywordTrigger[]) => u.keywordTriggers.some((t) => triggers.includes(t));

const RULES: readonly Rule[] = [
  { id: "complaint", when: (u) => u.intent === "COMPLAINT" || u.complaint, route: "URGENT", priority: "URGENT", reason: "COMPLAINT", why: () => whyPart("rule.complaint") },
  { id: "opt-out-legal", when: (u) => isOptOut(u) && has(u, ["gdpr", ...LEGAL]), route: "REVIEW", priority: "HIGH", reason: "KEYWORD_TRIGGER", why: () => whyPart("rule.opt-out-legal") },
  { id: "opt-out", when: isOptOut, route: "REVIEW", priority: "LOW", reason: "NEGATIVE_SENTIMENT", why: () => whyPart("rule.opt-out") },
  { id: "legal-trigger", when: (u) => has(u, LEGAL), route: "URGENT", priority: "URGENT", reason: "KEYWORD_TRIGGER", why: () => whyPart("rule.legal-trigger") },
  { id: "negative", when: (u) => u.score < 0, route: "URGENT", priority: "URGENT", reason: "NEGATIVE_SENTIMENT", why: (u) => whyPart("rule.negative", { score: u.score }) },
  { id: "auto-reply", when: (u) => u.intent === "AUTO_REPLY" && u.confidence >= MIN_CONFIDENCE, route: "AUTO", priority: null, reason: null, why: (u) => (u.laterUntil ? whyPart("rule.auto-reply-until", { until: u.laterUntil }) : whyPart("rule.auto-reply")) },
  { id: "uncertain", when: (u) => u.confidence < MIN_CONFIDENCE, route: "REVIEW", priority: "MEDIUM", reason: "AI_UNCERTAIN", why: (u) => whyPart("rule.uncertain", { confidence: Math.round(u.confidence * 100) }) },
  { id: "gdpr-trigger", when: (u) => has(u, ["gdpr"]), route: "REVIEW", priority: "HIGH", reason: "KEYWORD_TRIGGER", why: () => whyPart("rule.gdpr-trigger") },
  { id: "price-trigger", when: (u) => has(u, ["price"]), route: "REVIEW", priority: "HIGH", reason: "KEYWORD_TRIGGER", why: () => whyPart("rule.price-trigger") },
  { id: "positive", when: (u, t) => u.score >= t, route: "AUTO", priority: null, reason: null, why: (u, t) => whyPart("rule.positive", { score: u.score, threshold: t }) },
  { id: "below-threshold", when: () => true, route: "REVIEW", priority: "MEDIUM", reason: "NEGATIVE_SENTIMENT", why: (u, t) => whyPart("rule.below-threshold", { score: u.score, threshold: t }) },
];

export function routeReply(understanding: ReplyUnderstanding, settings: RoutingSettings = {}): RouteDecision {
  const threshold = settings.sentimentAutoThreshold ?? DEFAULT_SENTIMENT_AUTO_THRESHOLD;
  const rule = RULES.find((r) => r.when(understanding, threshold))!;
  const why = rule.why(understanding, threshold);
  const optOut = isOptOut(understanding);
  const postpone = understanding.intent === "LATER" || understanding.intent === "AUTO_REPLY";
  return {
    route: rule.route,
    priority: rule.priority,
    reason: rule.reason,
    actions: {
      answer: rule.route === "AUTO" && understanding.intent !== "AUTO_REPLY" && !optOut,
      optOut,
      postponeUntil: postpone && !optOut ? understanding.laterUntil : null,
      suggestContact: understanding.intent === "WRONG_PERSON" && understanding.suggestedContact !== null,
    },
    rule: rule.id,
    whyPart: why,
    why: whyRo(why),
  };
}
