import { z } from "zod";
import { REPLY_CATEGORIES } from "./corpus";

/**
 * What the simulated world does, as data: delays, probabilities, reply mix, injected faults.
 * Every field has a default, so `{}` is a valid scenario; POST /__control/scenario deep-merges a
 * partial one into the current one (arrays are replaced, not merged).
 */
const range = (min: number, max: number) =>
  z
    .object({ min: z.number().min(0).default(min), max: z.number().min(0).default(max) })
    .default({ min, max })
    .refine((r) => r.max >= r.min, "max must be ≥ min");

const probability = (value: number) => z.number().min(0).max(1).default(value);

const MIN = 60_000;
const HOUR = 60 * MIN;

export const faultRuleSchema = z.object({
  /** Provider the rule applies to; omitted = all. */
  provider: z.enum(["timelinesai", "instantly", "resend", "llm"]).optional(),
  method: z.string().toUpperCase().optional(),
  /** Path prefix inside the provider (e.g. "/messages"); omitted = every path. */
  path: z.string().optional(),
  /** status: an error answer · timeout: never answer · reset: drop the connection · malformed: 200 with an HTML body. */
  kind: z.enum(["status", "timeout", "reset", "malformed"]),
  /** For kind "status": the HTTP status to answer (429, 500, 503 …) in the provider's error envelope. */
  status: z.number().int().min(400).max(599).default(503),
  /** Adds Retry-After (seconds) to the answer. */
  retryAfterSeconds: z.number().min(0).optional(),
  /** Fires for the next N matching requests, then is spent. */
  times: z.number().int().min(1).optional(),
  /** Fires with this probability (seeded); combined with `times`, at most N firings. */
  probability: z.number().min(0).max(1).optional(),
});
export type FaultRule = z.output<typeof faultRuleSchema>;

export const scenarioSchema = z.object({
  whatsapp: z
    .object({
      /** TimelinesAI spaces outgoing sends of one account by about 2 s. */
      sendSpacingMs: range(1_500, 2_500),
      /**
       * Real ms the API takes to answer a send. > 0 makes two sends of one account that overlap in
       * time observable: each logged message carries when its request arrived (refs.requestedAt).
       */
      acceptDelayMs: z.number().int().min(0).default(0),
      deliveryDelayMs: range(1_000, 20_000),
      readDelayMs: range(MIN, 3 * HOUR),
      readProbability: probability(0.7),
      /** Numbers that are not on WhatsApp: the send is accepted, then the message goes to Failed. */
      failedNumbers: z.array(z.string()).default([]),
      /** Numbers the API refuses at once (400 "Invalid phone number … not registered on WhatsApp"). */
      rejectedNumbers: z.array(z.string()).default([]),
      /** Chance that a send gets the sending account disconnected (ban-wave drills). */
      disconnectProbabilityPerSend: probability(0),
    })
    .prefault({}),
  replies: z
    .object({
      /** Chance that a contacted lead answers a given outbound message (at most one open reply per thread). */
      probability: probability(0.2),
      delayMs: range(5 * MIN, 6 * HOUR),
      /** Relative weights of the Romanian reply categories. */
      mix: z
        .record(z.enum(REPLY_CATEGORIES), z.number().min(0))
        .default({
          interested: 3,
          question: 3,
          later: 2,
          wrong_person: 1,
          not_interested: 3,
          unsubscribe: 1,
          complaint: 0.5,
          out_of_office: 1,
        }),
    })
    .prefault({}),
  email: z
    .object({
      deliveryDelayMs: range(500, 10_000),
      bounceRate: probability(0.02),
      complaintRate: probability(0.002),
      openProbability: probability(0.45),
      /** Chance of a click, given an open. */
      clickProbability: probability(0.15),
      openDelayMs: range(10 * MIN, 24 * HOUR),
      /** Instantly: delay from activation/enrolment to each lead's first step. */
      campaignSendDelayMs: range(MIN, 30 * MIN),
    })
    .prefault({}),
  resend: z
    .object({
      /** Team-wide request limit per second (docs: 2, newer docs 5). */
      requestsPerSecond: z.number().int().min(1).default(5),
      /** Time a send spends "processing"; > 0 makes concurrent same-key requests observable. */
      processingDelayMs: z.number().int().min(0).default(0),
    })
    .prefault({}),
  instantly: z
    .object({ requestsPerSecond: z.number().int().min(1).default(100), requestsPerMinute: z.number().int().min(1).default(6_000) })
    .prefault({}),
  webhooks: z
    .object({
      /** Receiver answer deadline (TimelinesAI documents 5 s). */
      timeoutMs: z.number().int().min(1).default(5_000),
      /** Multiplies provider retry schedules (Resend: 5 s, 5 min, 30 min, …) to keep demos short. */
      retryScale: z.number().min(0).default(1),
      /** Shifts svix-timestamp (seconds) to test stale-signature rejection. */
      resendSignatureSkewSeconds: z.number().default(0),
    })
    .prefault({}),
  faults: z.array(faultRuleSchema).default([]),
});
export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;

export const DEFAULT_SCENARIO: Scenario = scenarioSchema.parse({});

type Json = unknown;
const isPlainObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Deep merge for scenario patches: objects merge key by key, everything else (arrays too) replaces. */
export function mergePatch(base: Json, patch: Json): Json {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, Json> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = mergePatch(base[key], value);
  return out;
}

export function applyScenarioPatch(current: Scenario, patch: unknown): Scenario {
  return scenarioSchema.parse(mergePatch(current, patch));
}
