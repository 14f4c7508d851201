import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseEnv } from "../../server/config/env.server";
import { LlmClient } from "../../server/providers/llm/client.server";
import { RedisSlidingWindowPacer } from "../../server/providers/pacing.server";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import {
  BuiltinReplyEngine,
  buildPrompt,
  LlmReplyEngine,
  llmAnswerSchema,
  mergeWithGuardrail,
  understandReply,
  type ReplyUnderstandingRequest,
} from "../../server/replies/understanding";
import { createReplyUnderstandingEngine, replyEngineChoice } from "../../server/replies/understanding/engine.server";
import { connectTestRedis, FAST_RETRY, recordingTime, startTestSimulators } from "../providers/support";

const NOW = new Date("2026-03-02T08:00:00.000Z");
let sims: Awaited<ReturnType<typeof startTestSimulators>>;
let redis: Redis;

beforeAll(async () => {
  redis = await connectTestRedis();
  sims = await startTestSimulators();
});
afterAll(async () => {
  await sims?.close();
  redis?.disconnect();
});
beforeEach(async () => {
  await sims.control.scenario({ faults: [] });
});

const client = (timeoutMs = 2_000) =>
  new LlmClient({ baseUrl: sims.urls.llm, apiKey: SANDBOX_CREDENTIALS.llmApiKey, model: "gpt-4o-mini", retryPolicy: FAST_RETRY, time: recordingTime(), timeoutMs });

function engine(options: { limit?: number; keyPrefix?: string; deadlineMs?: number; timeoutMs?: number; fallbacks?: string[] } = {}) {
  return new LlmReplyEngine({
    client: client(options.timeoutMs),
    model: "gpt-4o-mini",
    pacer: new RedisSlidingWindowPacer({ redis, provider: "llm", keyPrefix: options.keyPrefix ?? `test:${randomUUID()}`, maxWaitMs: 50 }),
    pacingKey: "chat:simulator",
    requestsPerMinute: options.limit ?? 60,
    deadlineMs: options.deadlineMs ?? 10_000,
    onFallback: (reason) => options.fallbacks?.push(reason),
  });
}

const request = (text: string, extra: Partial<ReplyUnderstandingRequest> = {}): ReplyUnderstandingRequest => ({ text, channel: "WHATSAPP", now: NOW, ...extra });
const llmRequests = async () => (await sims.control.requests({ provider: "llm" })).length;

describe("LLM engine against the OpenAI-compatible simulator", () => {
  it("answers with the model's reading, validated and marked as the LLM's", async () => {
    const before = await llmRequests();
    const r = await engine().understand(request("Da, suntem interesați. Când putem discuta la telefon?"));
    expect(r).toMatchObject({ engine: "llm", model: "gpt-4o-mini", intent: "INTERESTED", optOut: false });
    expect(r.version).toMatch(/^llm-.*\/gpt-4o-mini$/);
    expect(r.fallback).toBeUndefined();
    expect(r.guardrail).toBeUndefined();
    expect(await llmRequests()).toBe(before + 1);
    // The simulator's "out_of_office" and "question" map to our intents.
    await expect(engine().understand(request("Răspuns automat: sunt plecat din birou până luni."))).resolves.toMatchObject({ engine: "llm", intent: "AUTO_REPLY", score: 0 });
  });

  it("falls back to the built-in engine on 5xx after the client's retries", async () => {
    await sims.control.fault({ provider: "llm", kind: "status", status: 503, times: 10 });
    const fallbacks: string[] = [];
    const r = await engine({ fallbacks }).understand(request("Nu acum, dar trimiteți oferta"));
    expect(r).toMatchObject({ engine: "builtin", intent: "INTERESTED", fallback: "unavailable" });
    expect(fallbacks).toEqual(["unavailable"]);
  });

  it("falls back on a timeout: the client's own, or the engine's deadline", async () => {
    await sims.control.fault({ provider: "llm", kind: "timeout", times: 10 });
    await expect(engine({ timeoutMs: 200 }).understand(request("Cât costă tona?"))).resolves.toMatchObject({ engine: "builtin", intent: "PRICE_REQUEST", fallback: "timeout" });
    await expect(engine({ timeoutMs: 5_000, deadlineMs: 150 }).understand(request("Cât costă tona?"))).resolves.toMatchObject({ engine: "builtin", fallback: "timeout" });
  });

  it("falls back on an answer that is not the JSON asked for", async () => {
    await sims.control.fault({ provider: "llm", kind: "malformed", times: 10 });
    await expect(engine().understand(request("Reveniți în februarie"))).resolves.toMatchObject({ engine: "builtin", intent: "LATER", laterUntil: "2027-02-01", fallback: "invalid_answer" });
  });

  it("GUARDRAIL: the built-in opt-out and complaint detection override whatever the model says", async () => {
    // The simulator's keyword rules read these as "interested"; ours find the opt-out / the legal threat.
    const optOut = "Sună interesant, dar nu mai vreau mesaje de la voi.";
    const complaint = "Interesant, dar dacă mai scrieți la miezul nopții vă dau în judecată.";
    const e = engine();
    const a = await e.understand(request(optOut));
    expect(a).toMatchObject({ engine: "llm", intent: "UNSUBSCRIBE", optOut: true, complaint: false });
    expect(a.guardrail).toMatch(/dezabonare/);
    expect(a.score).toBeLessThanOrEqual(-60);
    const b = await e.understand(request(complaint));
    expect(b).toMatchObject({ engine: "llm", intent: "COMPLAINT", optOut: true, complaint: true });
    expect(b.guardrail).toMatch(/reclamație/);
    expect(b.keywordTriggers).toContain("police_court");
  });

  it("paces requests per LLM endpoint across engines sharing Redis (another process is another engine)", async () => {
    const keyPrefix = `test:${randomUUID()}`;
    const fallbacks: string[] = [];
    const first = engine({ limit: 2, keyPrefix, fallbacks });
    const second = engine({ limit: 2, keyPrefix, fallbacks });
    const before = await llmRequests();
    const results = [
      await first.understand(request("Da, trimiteți oferta")),
      await second.understand(request("Da, trimiteți oferta")),
      await first.understand(request("Da, trimiteți oferta")),
      await second.understand(request("Da, trimiteți oferta")),
    ];
    // Two slots per minute for the endpoint: two answers from the model, two from the rules, no more requests.
    expect(results.map((r) => r.engine)).toEqual(["llm", "llm", "builtin", "builtin"]);
    expect(fallbacks).toEqual(["rate_limited", "rate_limited"]);
    expect(await llmRequests()).toBe(before + 2);
    // Another endpoint has its own window.
    const other = new LlmReplyEngine({
      client: client(),
      model: "gpt-4o-mini",
      pacer: new RedisSlidingWindowPacer({ redis, provider: "llm", keyPrefix, maxWaitMs: 50 }),
      pacingKey: "chat:other-endpoint",
      requestsPerMinute: 2,
    });
    await expect(other.understand(request("Da"))).resolves.toMatchObject({ engine: "llm" });
  });
});

describe("the prompt and the merge (pure)", () => {
  it("carries the lead, the last messages of the conversation, today's date and the reply alone as the user message", () => {
    const conversation = Array.from({ length: 8 }, (_, i) => ({ direction: i % 2 ? ("INBOUND" as const) : ("OUTBOUND" as const), text: `mesaj ${i}` }));
    const messages = buildPrompt(request("Da, trimiteți oferta.\n\n> citat vechi", { lead: { company: "Agro Delta SRL", county: "Tulcea" }, conversation, subject: "Re: Oferta" }));
    expect(messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(messages[0]!.content).toContain("Agro Delta SRL, județul Tulcea");
    expect(messages[0]!.content).toContain("Astăzi este 2026-03-02");
    expect(messages[0]!.content).toContain("Subiect: Re: Oferta");
    expect(messages[0]!.content).toContain("JSON");
    expect(messages[0]!.content).not.toContain("mesaj 1\n");
    expect(messages[0]!.content).toContain("Fermierul: mesaj 7");
    expect(messages[1]!.content).toBe("Da, trimiteți oferta.");
  });

  it("accepts the model's spelling of intents, refuses unknown ones and out-of-range numbers", () => {
    expect(llmAnswerSchema.parse({ intent: "out_of_office", score: 0, confidence: 0.9, opt_out: false }).intent.intent).toBe("AUTO_REPLY");
    expect(llmAnswerSchema.parse({ intent: "price request", score: 61.6, confidence: 0.9, opt_out: false })).toMatchObject({ intent: { intent: "PRICE_REQUEST" }, score: 62 });
    expect(llmAnswerSchema.safeParse({ intent: "maybe", score: 0, confidence: 0.9, opt_out: false }).success).toBe(false);
    expect(llmAnswerSchema.safeParse({ intent: "INTERESTED", score: 140, confidence: 0.9, opt_out: false }).success).toBe(false);
    expect(llmAnswerSchema.safeParse({ intent: "INTERESTED", score: 80, confidence: 1.2, opt_out: false }).success).toBe(false);
  });

  it("lets the model add an opt-out the rules missed, never remove one; keeps flags, intent and score consistent", () => {
    const answer = (patch: object) => llmAnswerSchema.parse({ intent: "INTERESTED", score: 80, confidence: 0.9, opt_out: false, ...patch });
    const builtinInterested = understandReply(request("Da, trimiteți oferta"));
    expect(mergeWithGuardrail(builtinInterested, answer({ opt_out: true }), "m", "2026-03-02")).toMatchObject({ intent: "UNSUBSCRIBE", optOut: true, score: -60 });
    expect(mergeWithGuardrail(builtinInterested, answer({ intent: "COMPLAINT", score: -90 }), "m", "2026-03-02")).toMatchObject({ intent: "COMPLAINT", complaint: true, optOut: true });
    const builtinStop = understandReply(request("STOP"));
    const merged = mergeWithGuardrail(builtinStop, answer({}), "m", "2026-03-02");
    expect(merged).toMatchObject({ intent: "UNSUBSCRIBE", optOut: true, engine: "llm" });
    expect(merged.guardrail).toBeDefined();
    expect(mergeWithGuardrail(builtinInterested, answer({ intent: "NOT_INTERESTED", score: 20 }), "m", "2026-03-02").score).toBe(-1);
    expect(mergeWithGuardrail(builtinInterested, answer({ intent: "unclear", score: 0 }), "m", "2026-03-02")).toMatchObject({ intent: "QUESTION", confidence: 0.4 });
  });

  it("keeps the model's resume date only when it is in the future, and normalises its contact", () => {
    const later = understandReply(request("Reveniți în februarie"));
    const answer = (patch: object) => llmAnswerSchema.parse({ intent: "LATER", score: 20, confidence: 0.9, opt_out: false, ...patch });
    expect(mergeWithGuardrail(later, answer({ later_until: "2026-04-01" }), "m", "2026-03-02").laterUntil).toBe("2026-04-01");
    expect(mergeWithGuardrail(later, answer({ later_until: "2025-04-01" }), "m", "2026-03-02").laterUntil).toBe("2027-02-01");
    const wrong = understandReply(request("Vorbiți cu fiul meu, Andrei."));
    const contact = mergeWithGuardrail(wrong, llmAnswerSchema.parse({ intent: "WRONG_PERSON", score: 10, confidence: 0.9, opt_out: false, suggested_contact: { phone: "0722 123 456", email: "not an email" } }), "m", "2026-03-02").suggestedContact;
    expect(contact).toEqual({ name: "Andrei", role: "fiul", phone: "+40722123456" });
  });
});

describe("engine choice from the environment", () => {
  const env = (extra: Record<string, string>) =>
    parseEnv({ DATABASE_URL: "postgres://x@localhost/x", REDIS_URL: "redis://localhost:1", SESSION_SECRET: "s".repeat(32), ...extra });

  it("auto: the built-in rules in sandbox mode, the LLM when a key is configured; REPLY_ENGINE forces either", () => {
    expect(replyEngineChoice(env({}))).toBe("builtin");
    expect(replyEngineChoice(env({ LLM_API_KEY: "sk-live" }))).toBe("llm");
    expect(replyEngineChoice(env({ LLM_API_KEY: "sk-live", REPLY_ENGINE: "builtin" }))).toBe("builtin");
    expect(replyEngineChoice(env({ REPLY_ENGINE: "llm" }))).toBe("llm");
    expect(env({}).LLM_REQUESTS_PER_MINUTE).toBe(60);
    expect(() => env({ REPLY_ENGINE: "magic" })).toThrow(/REPLY_ENGINE/);
  });

  it("builds the engine it chose; REPLY_ENGINE=llm in sandbox talks to the simulator", async () => {
    expect(createReplyUnderstandingEngine({ redis, env: env({}) })).toBeInstanceOf(BuiltinReplyEngine);
    const port = new URL(sims.origin).port;
    const llm = createReplyUnderstandingEngine({ redis, env: env({ REPLY_ENGINE: "llm", SIMULATOR_PORT: port }), pacingKeyPrefix: `test:${randomUUID()}` });
    expect(llm).toBeInstanceOf(LlmReplyEngine);
    await expect(llm.understand(request("Dezabonare"))).resolves.toMatchObject({ engine: "llm", intent: "UNSUBSCRIBE", optOut: true });
  });
});
