import { z } from "zod";

/**
 * The vocabulary of reply understanding, shared by both engines, the routing table, the CLI and the
 * workers built on top. zod schemas here are the boundary: an engine's answer is parsed with
 * `replyUnderstandingSchema` before anything stores or routes it.
 */

/** What a reply means for the sales process (issue #15). AUTO_REPLY = out-of-office and other robots. */
export const REPLY_INTENTS = [
  "INTERESTED",
  "QUESTION",
  "PRICE_REQUEST",
  "LATER",
  "WRONG_PERSON",
  "NOT_INTERESTED",
  "UNSUBSCRIBE",
  "COMPLAINT",
  "AUTO_REPLY",
] as const;
export type ReplyIntent = (typeof REPLY_INTENTS)[number];

/** The channel enum of the schema (channel_enum). A reply normally arrives on the first three. */
export const REPLY_CHANNELS = ["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM", "PHONE", "MANUAL"] as const;
export type ReplyChannel = (typeof REPLY_CHANNELS)[number];

/**
 * Words that send a reply to a person whatever its score (issue #15: "keyword triggers (price,
 * lawyer, ANPC / complaint authority, GDPR) → review with reason KEYWORD_TRIGGER").
 */
export const KEYWORD_TRIGGERS = ["price", "lawyer", "authority", "gdpr", "police_court"] as const;
export type KeywordTrigger = (typeof KEYWORD_TRIGGERS)[number];

/** The seeds' review enums (plan F2.1.1: review_priority_enum, review_reason_enum). */
export const REVIEW_PRIORITIES = ["LOW", "MEDIUM", "HIGH", "URGENT"] as const;
export type ReviewPriority = (typeof REVIEW_PRIORITIES)[number];
export const REVIEW_REASONS = ["NEGATIVE_SENTIMENT", "KEYWORD_TRIGGER", "BOUNCE_DETECTED", "COMPLAINT", "MANUAL_FLAG", "AI_UNCERTAIN"] as const;
export type ReviewReason = (typeof REVIEW_REASONS)[number];

/** The tenant's calendar as the engine needs it: where "today" is. */
export interface ReplyCalendar {
  /** IANA zone of the tenant (tenants.timezone); default Europe/Bucharest. */
  timeZone?: string;
}

export interface ReplyInput {
  /** The reply as received (quoted history and signatures are stripped by the engine). */
  text: string;
  /** Email subject, when there is one; only used to recognise auto-replies. */
  subject?: string | null;
  channel: ReplyChannel;
  /** The moment the reply is judged; relative time expressions ("peste două săptămâni") count from it. */
  now: Date;
  calendar?: ReplyCalendar;
}

export const suggestedContactSchema = z.object({
  name: z.string().min(1).optional(),
  /** Romanian role noun as a rep would write it: "fiul", "soția", "administratorul". */
  role: z.string().min(1).optional(),
  /** E.164, +40… for Romanian numbers. */
  phone: z.string().regex(/^\+\d{8,15}$/).optional(),
  email: z.email().optional(),
});
export type SuggestedContact = z.infer<typeof suggestedContactSchema>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const replyUnderstandingSchema = z.object({
  engine: z.enum(["builtin", "llm"]),
  /** Engine version (built-in: its rule set; LLM: this adapter + the model). */
  version: z.string(),
  intent: z.enum(REPLY_INTENTS),
  /** −100..100; ≥ the tenant's threshold (50) is the automatic path (seeds: index). */
  score: z.number().int().min(-100).max(100),
  /** Do-not-contact on every channel (explicit opt-out or a complaint). */
  optOut: z.boolean(),
  complaint: z.boolean(),
  /** 0..1: how strongly the cues agree; the routing sends < MIN_CONFIDENCE to a person. */
  confidence: z.number().min(0).max(1),
  /** One short Romanian sentence naming the cue that decided; shown to reps. */
  reason: z.string(),
  keywordTriggers: z.array(z.enum(KEYWORD_TRIGGERS)),
  /** For LATER and AUTO_REPLY: the tenant-local date to resume on (YYYY-MM-DD), when the reply names one. */
  laterUntil: isoDate.nullable(),
  /** For WRONG_PERSON: the person the reply points to, when it names one. */
  suggestedContact: suggestedContactSchema.nullable(),
  language: z.enum(["ro", "en"]),
  /** Ids of the rules that fired, for explanations and debugging. */
  cues: z.array(z.string()),
  /** LLM engine only: the model, and why the built-in answer was used instead (fallback) or forced (guardrail). */
  model: z.string().optional(),
  fallback: z.string().optional(),
  guardrail: z.string().optional(),
});
export type ReplyUnderstanding = z.infer<typeof replyUnderstandingSchema>;

/** Both engines implement this; the worker holds one and never knows which. */
export interface ReplyUnderstandingEngine {
  readonly name: "builtin" | "llm";
  understand(input: ReplyUnderstandingRequest): Promise<ReplyUnderstanding>;
}

/** What the worker knows around a reply; the LLM uses it, the built-in engine ignores it. */
export interface ReplyContext {
  /** Last messages of the conversation, oldest first, the reply itself excluded. */
  conversation?: { direction: "OUTBOUND" | "INBOUND"; text: string; at?: Date }[];
  lead?: { company?: string | null; county?: string | null; contactName?: string | null };
}

export type ReplyUnderstandingRequest = ReplyInput & ReplyContext;
