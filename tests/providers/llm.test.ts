import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderAuthError, ProviderRequestError, ProviderResponseError } from "../../server/providers/errors";
import { LlmClient } from "../../server/providers/llm/client.server";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { classifyRomanianReply, REPLY_CATEGORIES, REPLY_CORPUS } from "../../server/sandbox/core/corpus";
import { FAST_RETRY, recordingTime, startTestSimulators } from "./support";

let sims: Awaited<ReturnType<typeof startTestSimulators>>;
beforeAll(async () => {
  sims = await startTestSimulators();
});
afterAll(async () => sims?.close());

const verdictSchema = z.object({
  intent: z.enum([...REPLY_CATEGORIES, "unclear"]),
  score: z.number().int().min(-100).max(100),
  opt_out: z.boolean(),
  confidence: z.number().min(0).max(1),
});
const SYSTEM = "Clasifică răspunsul. Răspunde doar cu JSON: {intent, score, opt_out, confidence}.";

const client = (apiKey: string = SANDBOX_CREDENTIALS.llmApiKey) =>
  new LlmClient({ baseUrl: sims.urls.llm, apiKey, model: "gpt-4o-mini", retryPolicy: FAST_RETRY, time: recordingTime(), timeoutMs: 2_000 });

describe("Romanian reply corpus", () => {
  it("every text classifies as its own category (the LLM simulator's answers are consistent with the replies it is fed)", () => {
    for (const category of REPLY_CATEGORIES) {
      for (const text of REPLY_CORPUS[category]) expect([text, classifyRomanianReply(text).category]).toEqual([text, category]);
    }
  });

  it("opt-out words win over everything else", () => {
    expect(classifyRomanianReply("Sună interesant, dar vă rog nu mă mai contactați").category).toBe("unsubscribe");
    expect(classifyRomanianReply("DEZABONARE!!!").category).toBe("unsubscribe");
  });
});

describe("LLM client against the OpenAI-compatible simulator", () => {
  it("answers JSON mode with a verdict validated by the caller's schema", async () => {
    const llm = client();
    const cases: [string, string, boolean][] = [
      ["Da, suntem interesați. Când putem discuta?", "interested", false],
      ["Vă rog să nu mă mai contactați.", "unsubscribe", true],
      ["Fac reclamație la ANPC pentru spam!", "complaint", true],
      ["Răspuns automat: sunt în concediu până luni.", "out_of_office", false],
    ];
    for (const [text, intent, optOut] of cases) {
      const result = await llm.completeJson({ schema: verdictSchema, messages: [{ role: "system", content: SYSTEM }, { role: "user", content: text }] });
      expect(result.value).toMatchObject({ intent, opt_out: optOut });
      expect(result.raw).toContain(intent);
    }
  });

  it("same input → same answer", async () => {
    const llm = client();
    const ask = () => llm.completeJson({ schema: verdictSchema, messages: [{ role: "system", content: SYSTEM }, { role: "user", content: "Cât costă?" }] });
    expect((await ask()).raw).toBe((await ask()).raw);
  });

  it("an answer that does not match the caller's schema → ProviderResponseError (after one extra attempt)", async () => {
    const before = (await sims.control.requests({ provider: "llm" })).length;
    const strict = z.object({ intent: z.literal("interested"), draft: z.string() });
    await expect(
      client().completeJson({ schema: strict, messages: [{ role: "system", content: SYSTEM }, { role: "user", content: "Nu suntem interesați." }] }),
    ).rejects.toBeInstanceOf(ProviderResponseError);
    expect((await sims.control.requests({ provider: "llm" })).length - before).toBe(2);
  });

  it("maps OpenAI's refusals: bad key → auth; JSON mode without the word json → request error", async () => {
    await expect(client("sk-wrong").completeJson({ schema: verdictSchema, messages: [{ role: "user", content: "json" }] })).rejects.toBeInstanceOf(ProviderAuthError);
    const error = await client()
      .completeJson({ schema: verdictSchema, messages: [{ role: "user", content: "Bună ziua" }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect((error as ProviderRequestError).providerMessage).toMatch(/must contain the word 'json'/);
  });

  it("retries 5xx and connection resets", async () => {
    await sims.control.fault({ provider: "llm", kind: "status", status: 503, times: 1 });
    await sims.control.fault({ provider: "llm", kind: "reset", times: 1 });
    const before = (await sims.control.requests({ provider: "llm" })).length;
    await expect(client().completeJson({ schema: verdictSchema, messages: [{ role: "system", content: SYSTEM }, { role: "user", content: "Da" }] })).resolves.toBeDefined();
    expect((await sims.control.requests({ provider: "llm" })).length - before).toBe(3);
  });
});
