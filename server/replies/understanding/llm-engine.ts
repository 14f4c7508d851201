import { z } from "zod";
import { isProviderError } from "../../providers/errors";
import type { JsonCompletion } from "../../providers/llm/client.server";
import type { ChatMessage } from "../../providers/llm/schemas";
import type { Pacer } from "../../providers/pacing.server";
import { DEFAULT_TIME_ZONE, SCORE_BANDS, understandReply } from "./builtin-engine";
import { todayIn, isoDate } from "./calendar";
import { prepareText, toE164 } from "./normalize";
import {
  KEYWORD_TRIGGERS,
  REPLY_INTENTS,
  type KeywordTrigger,
  type ReplyIntent,
  type ReplyUnderstanding,
  type ReplyUnderstandingEngine,
  type ReplyUnderstandingRequest,
  type SuggestedContact,
} from "./types";

/**
 * The LLM engine: any OpenAI-compatible chat model reads the reply with the conversation and the
 * lead, in Romanian, and answers one JSON object validated by zod. It never decides alone:
 *
 * - the built-in engine runs on every reply first (it costs ~0.1 ms);
 * - a pacing refusal, a timeout (the engine's own deadline or the client's), a provider error after
 *   the client's retries (seeds §6.1), or an answer that is not the JSON asked for → the built-in
 *   result is returned, with `fallback` saying why;
 * - GUARDRAIL: when the built-in engine finds an opt-out or a complaint, the result is an opt-out or
 *   a complaint whatever the model said (a model that misses "nu mă mai contactați" must not keep a
 *   farmer in the sequence). The model may add an opt-out the rules missed, never remove one.
 *
 * Pacing: one sliding-window key per LLM endpoint shared by every process through Redis
 * (server/providers/pacing.ts), at LLM_REQUESTS_PER_MINUTE.
 */

export const LLM_ENGINE_VERSION = "llm-1.0.0";
export const DEFAULT_LLM_DEADLINE_MS = 30_000;
/** How many earlier messages of the conversation the prompt carries. */
export const CONVERSATION_MESSAGES = 6;

/** What the engine needs from the client (server/providers/llm/client.ts implements it). */
export interface JsonChatClient {
  completeJson<S extends z.ZodType>(input: {
    messages: ChatMessage[];
    schema: S;
    temperature?: number;
    maxTokens?: number;
    operation?: string;
  }): Promise<JsonCompletion<z.output<S>>>;
}

export interface LlmEngineOptions {
  client: JsonChatClient;
  /** The model name, recorded in the result's version. */
  model: string;
  /** Cross-process pacing; omitted = no pacing (single-process tools). */
  pacer?: Pacer;
  /** Pacing key: one per LLM endpoint (e.g. its host). */
  pacingKey?: string;
  requestsPerMinute?: number;
  /** Longest the engine waits for the model, retries included, before answering with the built-in result. */
  deadlineMs?: number;
  /** Told about every fallback (logging, metrics). */
  onFallback?: (reason: string, error: unknown) => void;
}

const INTENT_ALIASES: Readonly<Record<string, ReplyIntent>> = {
  out_of_office: "AUTO_REPLY",
  ooo: "AUTO_REPLY",
  autoreply: "AUTO_REPLY",
  price: "PRICE_REQUEST",
  price_question: "PRICE_REQUEST",
  not_now: "LATER",
  wrong_contact: "WRONG_PERSON",
  opt_out: "UNSUBSCRIBE",
  optout: "UNSUBSCRIBE",
  stop: "UNSUBSCRIBE",
  unclear: "QUESTION",
  neutral: "QUESTION",
  other: "QUESTION",
};

const UNCLEAR = new Set(["unclear", "neutral", "other"]);

const nullish = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/** The model's answer. Lenient where models differ harmlessly (case, aliases, float scores), strict where it matters. */
export const llmAnswerSchema = z.object({
  intent: z.string().transform((raw, ctx) => {
    const key = raw.trim().toLowerCase().replace(/[\s-]+/g, "_");
    const intent = INTENT_ALIASES[key] ?? key.toUpperCase();
    if (!(REPLY_INTENTS as readonly string[]).includes(intent)) {
      ctx.addIssue({ code: "custom", message: `unknown intent "${raw}"` });
      return z.NEVER;
    }
    // "unclear" / "other": the model did not know; kept apart so confidence can say so.
    return { intent: intent as ReplyIntent, unclear: UNCLEAR.has(key) };
  }),
  score: z.number().min(-100).max(100).transform(Math.round),
  confidence: z.number().min(0).max(1),
  opt_out: z.boolean(),
  complaint: nullish(z.boolean()),
  reason: nullish(z.string().max(400)),
  keywords: nullish(z.array(z.string())),
  later_until: nullish(z.string().regex(/^\d{4}-\d{2}-\d{2}$/)),
  suggested_contact: nullish(
    z.object({ name: nullish(z.string()), role: nullish(z.string()), phone: nullish(z.string()), email: nullish(z.string()) }),
  ),
});
export type LlmAnswer = z.output<typeof llmAnswerSchema>;

const INTENT_GUIDE = `- INTERESTED: vrea oferta, detalii, un telefon, o întâlnire, să comande („nu acum, dar trimiteți oferta” este INTERESTED).
- QUESTION: întreabă despre produse, livrare, condiții, firmă (fără preț).
- PRICE_REQUEST: întreabă de preț, cost, reducere, listă de prețuri (chiar dacă e și interesat).
- LATER: amână („reveniți în februarie”, „după recoltat”, „la toamnă”, „anul viitor”).
- WRONG_PERSON: nu el decide sau numărul nu e al lui; numește pe altcineva („vorbiți cu fiul meu, Andrei”).
- NOT_INTERESTED: refuză („nu, mulțumesc”, „avem furnizor”).
- UNSUBSCRIBE: cere să nu mai fie contactat („nu mă mai contactați”, „STOP”, „ștergeți-mi numărul”).
- COMPLAINT: reclamație, amenințare cu ANPC / ANSPDCP / avocat / poliție / instanță, acuză de spam sau hărțuire.
- AUTO_REPLY: răspuns automat, concediu, out-of-office.`;

function systemPrompt(input: ReplyUnderstandingRequest, today: string, timeZone: string): string {
  const lead = input.lead ?? {};
  const conversation = (input.conversation ?? []).slice(-CONVERSATION_MESSAGES);
  const history = conversation.length
    ? conversation.map((m) => `${m.direction === "OUTBOUND" ? "Noi" : "Fermierul"}: ${m.text.replace(/\s+/g, " ").slice(0, 500)}`).join("\n")
    : "(nu există mesaje anterioare)";
  return [
    "Ești asistentul unei echipe de vânzări care contactează fermieri din România (semințe, îngrășăminte, tratamente).",
    "Citește răspunsul fermierului (mesajul utilizatorului) și clasifică-l. Scrie doar în română în câmpul reason.",
    "",
    `Lead: ${lead.company ?? "necunoscut"}${lead.county ? `, județul ${lead.county}` : ""}${lead.contactName ? `, persoană de contact ${lead.contactName}` : ""}.`,
    `Canal: ${input.channel}.${input.subject ? ` Subiect: ${input.subject.slice(0, 200)}` : ""}`,
    `Astăzi este ${today} (fus orar ${timeZone}).`,
    "Conversația de până acum (cele mai vechi primele):",
    history,
    "",
    "Intenții posibile:",
    INTENT_GUIDE,
    "Dacă răspunsul cere oprirea mesajelor sau e o reclamație, acestea au prioritate față de orice altceva.",
    "Atenție la negații: „nu am nimic împotrivă” e pozitiv, „nu mulțumesc” e refuz, „nu mă mai contactați” e dezabonare.",
    "Scor de la -100 la 100: INTERESTED 60..95, PRICE_REQUEST 50..75, QUESTION 20..60, LATER 5..35, AUTO_REPLY 0,",
    "WRONG_PERSON 0..15, NOT_INTERESTED -30..-70, UNSUBSCRIBE -60..-90, COMPLAINT -80..-100.",
    "",
    "Răspunde DOAR cu un obiect JSON de forma:",
    '{"intent": "INTERESTED|QUESTION|PRICE_REQUEST|LATER|WRONG_PERSON|NOT_INTERESTED|UNSUBSCRIBE|COMPLAINT|AUTO_REPLY",',
    ' "score": număr întreg, "confidence": 0..1, "opt_out": true|false, "complaint": true|false,',
    ' "reason": "o propoziție scurtă în română care spune ce indiciu a decis",',
    ' "keywords": ["price"|"lawyer"|"authority"|"gdpr"|"police_court"],',
    ' "later_until": "YYYY-MM-DD" sau null (pentru LATER și AUTO_REPLY, data la care putem relua),',
    ' "suggested_contact": {"name", "role", "phone", "email"} sau null (pentru WRONG_PERSON)}',
  ].join("\n");
}

export function buildPrompt(input: ReplyUnderstandingRequest, now = input.now): ChatMessage[] {
  const timeZone = input.calendar?.timeZone ?? DEFAULT_TIME_ZONE;
  const today = isoDate(todayIn(now, timeZone));
  return [
    { role: "system", content: systemPrompt(input, today, timeZone) },
    { role: "user", content: prepareText(input.text).original.slice(0, 4_000) },
  ];
}

class DeadlineError extends Error {}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineError(`no answer within ${ms} ms`)), ms);
    }),
  ]);
}

function fallbackReason(error: unknown): string {
  if (error instanceof DeadlineError) return "timeout";
  if (isProviderError(error)) {
    if (error.code === "PROVIDER_RATE_LIMITED") return "rate_limited";
    if (error.code === "PROVIDER_BAD_RESPONSE") return "invalid_answer";
    if (error.code === "PROVIDER_UNAVAILABLE") return (error as { reason?: string }).reason === "timeout" ? "timeout" : "unavailable";
    return error.code.toLowerCase();
  }
  return "error";
}

function contactFrom(answer: LlmAnswer["suggested_contact"], builtin: SuggestedContact | null): SuggestedContact | null {
  const c: SuggestedContact = { ...(builtin ?? {}) };
  if (answer?.name?.trim()) c.name = answer.name.trim();
  if (answer?.role?.trim()) c.role = answer.role.trim();
  const phone = answer?.phone ? toE164(answer.phone) : null;
  if (phone) c.phone = phone;
  const email = answer?.email?.trim().toLowerCase();
  if (email && z.email().safeParse(email).success) c.email = email;
  return Object.keys(c).length ? c : null;
}

/**
 * The model's answer made consistent and merged with the built-in result, then the guardrail.
 * Exported for tests: the guardrail is a pure function.
 */
export function mergeWithGuardrail(builtin: ReplyUnderstanding, answer: LlmAnswer, model: string, today: string): ReplyUnderstanding {
  let intent = answer.intent.intent;
  let complaint = Boolean(answer.complaint) || intent === "COMPLAINT";
  let optOut = answer.opt_out || intent === "UNSUBSCRIBE" || complaint;
  // Flags and intent must agree: a model that says opt_out keeps the safer reading.
  if (complaint) intent = "COMPLAINT";
  else if (optOut) intent = "UNSUBSCRIBE";
  let score = answer.score;
  let confidence = answer.confidence;
  let reason = answer.reason?.trim() || `Modelul a clasificat răspunsul ca ${intent}.`;
  let guardrail: string | undefined;

  if (builtin.complaint && intent !== "COMPLAINT") {
    guardrail = `Regula internă a găsit o reclamație (${builtin.reason}); răspunsul modelului (${intent}) a fost înlocuit.`;
    intent = "COMPLAINT";
    complaint = true;
    optOut = true;
    score = Math.min(score, builtin.score);
    confidence = Math.max(confidence, builtin.confidence);
    reason = builtin.reason;
  } else if (builtin.optOut && !optOut) {
    guardrail = `Regula internă a găsit o cerere de dezabonare (${builtin.reason}); răspunsul modelului (${intent}) a fost înlocuit.`;
    intent = "UNSUBSCRIBE";
    optOut = true;
    score = Math.min(score, builtin.score);
    confidence = Math.max(confidence, builtin.confidence);
    reason = builtin.reason;
  }
  // Keep the score on its intent's side of zero, so routing reads the same as for the built-in engine.
  const [lo, hi] = SCORE_BANDS[intent];
  if (intent === "AUTO_REPLY") score = 0;
  else if (optOut) score = Math.min(score, hi);
  else if (hi < 0) score = Math.min(score, -1);
  else if (lo >= 0) score = Math.max(score, 0);
  if (answer.intent.unclear) confidence = Math.min(confidence, 0.4);

  const modelTriggers = (answer.keywords ?? []).map((k) => k.toLowerCase()).filter((k): k is KeywordTrigger => (KEYWORD_TRIGGERS as readonly string[]).includes(k));
  const triggers = new Set<KeywordTrigger>([...builtin.keywordTriggers, ...modelTriggers]);
  const later = intent === "LATER" || intent === "AUTO_REPLY" ? (answer.later_until && answer.later_until > today ? answer.later_until : builtin.laterUntil) : null;

  return {
    engine: "llm",
    version: `${LLM_ENGINE_VERSION}/${model}`,
    model,
    intent,
    score,
    optOut,
    complaint,
    confidence: Math.round(confidence * 100) / 100,
    reason: reason.slice(0, 400),
    keywordTriggers: KEYWORD_TRIGGERS.filter((t) => triggers.has(t)),
    laterUntil: later,
    suggestedContact: intent === "WRONG_PERSON" ? contactFrom(answer.suggested_contact, builtin.suggestedContact) : null,
    language: builtin.language,
    cues: builtin.cues,
    ...(guardrail ? { guardrail } : {}),
  };
}

export class LlmReplyEngine implements ReplyUnderstandingEngine {
  readonly name = "llm" as const;
  private readonly deadlineMs: number;

  constructor(private readonly options: LlmEngineOptions) {
    this.deadlineMs = options.deadlineMs ?? DEFAULT_LLM_DEADLINE_MS;
  }

  async understand(input: ReplyUnderstandingRequest): Promise<ReplyUnderstanding> {
    // The guardrail and the fallback: always computed, before any network call.
    const builtin = understandReply(input);
    const timeZone = input.calendar?.timeZone ?? DEFAULT_TIME_ZONE;
    const today = isoDate(todayIn(input.now, timeZone));
    let answer: LlmAnswer;
    try {
      answer = await withDeadline(this.ask(input), this.deadlineMs);
    } catch (error) {
      const reason = fallbackReason(error);
      this.options.onFallback?.(reason, error);
      return { ...builtin, fallback: reason };
    }
    return mergeWithGuardrail(builtin, answer, this.options.model, today);
  }

  private async ask(input: ReplyUnderstandingRequest): Promise<LlmAnswer> {
    if (this.options.pacer) {
      await this.options.pacer.acquire([{ key: this.options.pacingKey ?? "chat", limit: this.options.requestsPerMinute ?? 60 }]);
    }
    const completion = await this.options.client.completeJson({
      messages: buildPrompt(input),
      schema: llmAnswerSchema,
      temperature: 0,
      maxTokens: 400,
      operation: "understandReply",
    });
    return completion.value;
  }
}
