/**
 * What the system does with an understood reply, as a pure function of the understanding, its route
 * (understanding/routing.ts, the seeds' thresholds), the tenant's auto-answer settings and the lead's
 * facts at that moment. The reply worker (handle-reply.server.ts) applies the plan in one transaction.
 *
 * | understood as / routed                 | the lead                                        | a person                           | an answer                  |
 * | opt-out (UNSUBSCRIBE)                  | do-not-contact everywhere, sequences stopped    | LOW item (HIGH if GDPR/authority)  | never                      |
 * | COMPLAINT                              | as an opt-out                                   | URGENT item (reason COMPLAINT)     | never                      |
 * | AUTO_REPLY (out-of-office)             | back to its sequence, next step after the return date (if it was made warm by this message) | none | never      |
 * | LATER naming a time                    | back to its sequence, next step on that date    | MEDIUM item (check the reading)    | drafted, held              |
 * | WRONG_PERSON naming someone            | a contact suggestion (one click to accept)      | MEDIUM item                        | drafted, held              |
 * | REVIEW / URGENT (score < 50, triggers, low confidence) | —                               | item with the route's priority and reason | drafted, held       |
 * | AUTO (score ≥ 50), auto_answer_mode    | —                                               |                                    |                            |
 * |   AUTO, nothing blocks                 |                                                 | none                               | sent (follow-up path)      |
 * |   AUTO, blocked (a daily cap, a person holds the lead, no usable channel) | —             | APPROVAL item, HIGH, says why      | drafted, held              |
 * |   APPROVAL                             | —                                               | APPROVAL item, HIGH                | drafted, held              |
 * |   OFF                                  | —                                               | TRIAGE item, HIGH, MANUAL_FLAG     | drafted as a suggestion    |
 *
 * The daily caps are the lead's (auto_answer_daily_cap) and the whole tenant's (auto_answer_tenant_daily_cap),
 * counted on the tenant's calendar day.
 *
 * Never sent automatically, whatever the route says: UNSUBSCRIBE, COMPLAINT, NOT_INTERESTED, or while a
 * person holds the lead (journey.is_human_controlled).
 */
import type { AutoAnswerMode, ReviewKind, ReviewReason } from "../generated/prisma/enums";
import type { ReviewPriority } from "../review/sla";
import type { AnswerBlock } from "./answers/channel";
import type { ReplyIntent, ReplyUnderstanding, RouteDecision } from "./understanding";
import { whyPart, whyTextRo, type WhyPart } from "./why";

export const NEVER_AUTO_ANSWERED: ReadonlySet<ReplyIntent> = new Set(["UNSUBSCRIBE", "COMPLAINT", "NOT_INTERESTED"]);

export interface PlanFacts {
  autoAnswerMode: AutoAnswerMode;
  autoAnswerDailyCap: number;
  /** Automatic answers this lead already got today (tenant's calendar day). */
  autoAnswersToday: number;
  autoAnswerTenantDailyCap: number;
  /** Automatic answers the whole tenant already sent today (tenant's calendar day). */
  tenantAutoAnswersToday: number;
  isHumanControlled: boolean;
  /** Where an answer would go, or why it cannot go anywhere. */
  answerBlock: AnswerBlock | null;
  /** The provider flagged the message as automatic: it was logged, not treated as a reply. */
  providerAutomatic: boolean;
  /** This reply is what made the lead WARM_REPLY (so undoing that is safe). */
  warmedByThisReply: boolean;
  /** A draft exists for this intent (templates or the LLM gave one). */
  hasDraft: boolean;
}

export type AnswerHold = "MODE_APPROVAL" | "MODE_OFF" | "DAILY_CAP" | "TENANT_DAILY_CAP" | "HUMAN_CONTROLLED" | "NEVER_AUTO" | AnswerBlock;

export interface ReplyPlan {
  optOut: boolean;
  complaint: boolean;
  /** Back to the sequence, the next step not before this tenant-local date (null: per its delay). */
  returnToSequence: { notBefore: string | null; because: "OUT_OF_OFFICE" | "LATER" } | null;
  /** A provider-flagged out-of-office: the pending step moves to the return date, nothing else. */
  postponeUntil: string | null;
  suggestContact: boolean;
  /** Send the draft now (auto_answer_mode AUTO and nothing blocks). */
  sendAutomatically: boolean;
  /** Why a draft is held for a person instead, when there is one. */
  hold: AnswerHold | null;
  /** `whyParts`: the route's reason, then why the answer is held (if it is); `why`: the same in Romanian. */
  review: { kind: ReviewKind; priority: ReviewPriority; reason: ReviewReason | null; whyParts: WhyPart[]; why: string } | null;
}

/** Why a drafted answer waits for a person, as a code (./why.ts). */
export function holdWhy(hold: AnswerHold): WhyPart {
  return whyPart(`hold.${hold}`);
}

export function planReply(u: ReplyUnderstanding, d: RouteDecision, f: PlanFacts): ReplyPlan {
  const plan: ReplyPlan = { optOut: false, complaint: false, returnToSequence: null, postponeUntil: null, suggestContact: false, sendAutomatically: false, hold: null, review: null };
  if (f.providerAutomatic) {
    // Logged, not a reply (record-reply.server.ts): only its return date is used.
    plan.postponeUntil = u.intent === "AUTO_REPLY" ? u.laterUntil : null;
    return plan;
  }
  plan.optOut = d.actions.optOut;
  plan.complaint = u.complaint || u.intent === "COMPLAINT";
  plan.suggestContact = d.actions.suggestContact;

  if (u.intent === "AUTO_REPLY" && d.route === "AUTO") {
    if (f.warmedByThisReply) plan.returnToSequence = { notBefore: u.laterUntil, because: "OUT_OF_OFFICE" };
    return plan;
  }
  if (u.intent === "LATER" && d.actions.postponeUntil && f.warmedByThisReply && !plan.optOut) {
    plan.returnToSequence = { notBefore: d.actions.postponeUntil, because: "LATER" };
  }

  if (d.route !== "AUTO") {
    plan.review = { kind: "TRIAGE", priority: d.priority ?? "MEDIUM", reason: d.reason ?? "AI_UNCERTAIN", whyParts: [d.whyPart], why: d.why };
    return plan;
  }
  // AUTO with an answer to give.
  const hold: AnswerHold | null = !d.actions.answer || NEVER_AUTO_ANSWERED.has(u.intent) ? "NEVER_AUTO"
    : f.autoAnswerMode === "OFF" ? "MODE_OFF"
    : f.autoAnswerMode === "APPROVAL" ? "MODE_APPROVAL"
    : f.isHumanControlled ? "HUMAN_CONTROLLED"
    : f.answerBlock ? f.answerBlock
    : !f.hasDraft ? "NEVER_AUTO"
    : f.autoAnswersToday >= f.autoAnswerDailyCap ? "DAILY_CAP"
    : f.tenantAutoAnswersToday >= f.autoAnswerTenantDailyCap ? "TENANT_DAILY_CAP"
    : null;
  if (!hold) {
    plan.sendAutomatically = true;
    return plan;
  }
  plan.hold = hold;
  const whyParts = [d.whyPart, holdWhy(hold)];
  const why = whyTextRo(whyParts);
  plan.review =
    hold === "MODE_OFF"
      ? { kind: "TRIAGE", priority: "HIGH", reason: "MANUAL_FLAG", whyParts, why }
      : { kind: f.hasDraft ? "APPROVAL" : "TRIAGE", priority: "HIGH", reason: f.hasDraft ? null : "MANUAL_FLAG", whyParts, why };
  return plan;
}
