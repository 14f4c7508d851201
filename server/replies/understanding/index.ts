/**
 * Reply understanding (issue #15): what a farmer's reply means, and where it goes.
 *
 * CONTRACT
 *
 *   understandReply({ text, subject?, channel, now, calendar? }) → ReplyUnderstanding      (pure, sync)
 *     intent          INTERESTED | QUESTION | PRICE_REQUEST | LATER | WRONG_PERSON | NOT_INTERESTED |
 *                     UNSUBSCRIBE | COMPLAINT | AUTO_REPLY
 *     score           −100..100 in the intent's band (INTERESTED 60..95, PRICE_REQUEST 50..75,
 *                     QUESTION 20..60, LATER 5..35, AUTO_REPLY 0, WRONG_PERSON 0..15,
 *                     NOT_INTERESTED −70..−30, UNSUBSCRIBE −90..−60, COMPLAINT −100..−80)
 *     optOut          true for UNSUBSCRIBE and COMPLAINT: do-not-contact on every channel
 *     complaint       true for COMPLAINT
 *     confidence      0..1 (cue strength and margin over the runner-up)
 *     reason          one Romanian sentence naming the cue that decided
 *     keywordTriggers price | lawyer | authority | gdpr | police_court
 *     laterUntil      LATER / AUTO_REPLY: tenant-local YYYY-MM-DD to resume on, or null
 *     suggestedContact WRONG_PERSON: { name?, role?, phone? (+40 E.164), email? } or null
 *     engine, version, language, cues (rule ids, for explanations)
 *   Deterministic: the same input gives the same output. `now` and `calendar.timeZone` (default
 *   Europe/Bucharest) are the only clock; nothing is read from the environment.
 *
 *   routeReply(understanding, { sentimentAutoThreshold? = 50 }) → RouteDecision           (pure, sync)
 *     route AUTO | REVIEW | URGENT, priority (LOW | MEDIUM | HIGH | URGENT, null for AUTO),
 *     reason (review_reason_enum, null for AUTO), actions { answer, optOut, postponeUntil,
 *     suggestContact }, rule (id in routing.ts's table), whyPart (a code, ../why.ts) and why (the same in Romanian).
 *     UNSUBSCRIBE and COMPLAINT never route AUTO.
 *
 *   ReplyUnderstandingEngine.understand(request) → Promise<ReplyUnderstanding>
 *     BuiltinReplyEngine: the rules above. LlmReplyEngine: an OpenAI-compatible model with the
 *     conversation and the lead, falling back to the rules on timeout / error / invalid answer
 *     (`fallback` says why), and overridden by the rules' opt-out and complaint detection
 *     (`guardrail` says so). engine.server.ts builds the one the environment asks for.
 *
 * Pure modules only (no database, no queue, no Remix); the LLM engine talks HTTP through the client
 * it is given. Decisions: docs/decisions/0009-reply-understanding.md.
 */
export {
  REPLY_INTENTS,
  REPLY_CHANNELS,
  KEYWORD_TRIGGERS,
  REVIEW_PRIORITIES,
  REVIEW_REASONS,
  replyUnderstandingSchema,
  suggestedContactSchema,
  type ReplyIntent,
  type ReplyChannel,
  type KeywordTrigger,
  type ReviewPriority,
  type ReviewReason,
  type ReplyCalendar,
  type ReplyInput,
  type ReplyContext,
  type ReplyUnderstanding,
  type ReplyUnderstandingEngine,
  type ReplyUnderstandingRequest,
  type SuggestedContact,
} from "./types";
export { understandReply, BuiltinReplyEngine, BUILTIN_ENGINE_VERSION, DEFAULT_TIME_ZONE, SCORE_BANDS } from "./builtin-engine";
export {
  routeReply,
  MIN_CONFIDENCE,
  DEFAULT_SENTIMENT_AUTO_THRESHOLD,
  type Route,
  type RouteActions,
  type RouteDecision,
  type RoutingSettings,
} from "./routing";
export { LlmReplyEngine, mergeWithGuardrail, buildPrompt, llmAnswerSchema, LLM_ENGINE_VERSION, type LlmEngineOptions, type JsonChatClient } from "./llm-engine";
export { findTimeExpressions, latestTimeExpression, parseLaterDate, type TimeExpression } from "./time-expressions";
export { AGRI_CALENDAR, orthodoxEaster } from "./calendar";
export { stripQuoted, foldText, canonicalText, tokenize, toE164, prepareText, type Token, type TokenKind, type PreparedText } from "./normalize";

import { extractContact } from "./contacts";
import { prepareText } from "./normalize";
import type { SuggestedContact } from "./types";

/** The contact a reply names ("vorbiți cu fiul meu, Andrei, 0722 123 456"), or null. */
export function extractSuggestedContact(text: string): SuggestedContact | null {
  return extractContact(prepareText(text));
}
