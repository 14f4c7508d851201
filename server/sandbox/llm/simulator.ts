import { createHash } from "node:crypto";
import { z } from "zod";
import { classifyRomanianReply, type ReplyCategory } from "../core/corpus";
import { type ProviderSimulator, type SimContext } from "../core/context";
import { bearerToken, BadJsonError, json, readJson, type Reply, type SimRequest } from "../core/http";

/**
 * OpenAI-compatible chat-completions simulator. It does not generate text: it classifies the last user
 * message with the Romanian keyword rules and answers, in JSON mode, one fixed object:
 *
 *   { intent, sentiment, score (−100..100), confidence (0..1), opt_out, complaint, keywords[],
 *     language: "ro", reply (a Romanian draft for positive intents, else null) }
 *
 * Same input → same output, so reply-understanding tests are reproducible. OpenAI's own refusals are
 * kept: Bearer key check, `messages` required, and JSON mode only when a message mentions "json".
 */

export interface LlmSimConfig {
  apiKeys: string[];
}

const contentPart = z.object({ type: z.string(), text: z.string().optional() }).loose();
const requestSchema = z.object({
  model: z.string().min(1),
  messages: z
    .array(z.object({ role: z.enum(["system", "user", "assistant", "developer", "tool"]), content: z.union([z.string(), z.array(contentPart), z.null()]) }).loose())
    .min(1),
  response_format: z.object({ type: z.enum(["text", "json_object", "json_schema"]) }).loose().optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().min(1).optional(),
});

const openAiError = (status: number, message: string, type: string, code: string | null = null, param: string | null = null): Reply =>
  json(status, { error: { message, type, param, code } });

const SENTIMENT: Record<ReplyCategory | "unclear", "positive" | "neutral" | "negative"> = {
  interested: "positive",
  question: "neutral",
  later: "neutral",
  out_of_office: "neutral",
  wrong_person: "neutral",
  not_interested: "negative",
  unsubscribe: "negative",
  complaint: "negative",
  unclear: "neutral",
};

const DRAFTS: Partial<Record<ReplyCategory, string>> = {
  interested: "Mulțumim pentru interes! Vă trimitem astăzi oferta detaliată. Când vă este comod să vorbim la telefon?",
  question: "Bună ziua! Vă răspundem cu drag: un coleg vă sună azi cu prețurile și condițiile de livrare pentru zona dumneavoastră.",
};

const textOf = (content: string | { text?: string }[] | null): string =>
  typeof content === "string" ? content : (content ?? []).map((p) => p.text ?? "").join("\n");

export class LlmSimulator implements ProviderSimulator {
  readonly name = "llm" as const;

  constructor(
    private readonly ctx: SimContext,
    private readonly config: LlmSimConfig,
  ) {}

  errorReply(status: number, message: string): Reply {
    return openAiError(status, message, status === 429 ? "rate_limit_exceeded" : status >= 500 ? "server_error" : "invalid_request_error");
  }

  async handle(req: SimRequest): Promise<Reply> {
    const token = bearerToken(req.headers);
    if (!token || !this.config.apiKeys.includes(token)) {
      return openAiError(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key");
    }
    if (req.method === "GET" && req.path === "/models") {
      return json(200, { object: "list", data: [{ id: "cerniq-sim-1", object: "model", owned_by: "cerniq" }] });
    }
    if (req.path !== "/chat/completions") return openAiError(404, `Unknown request URL: ${req.method} ${req.path}`, "invalid_request_error", "unknown_url");
    if (req.method !== "POST") return openAiError(405, "Method not allowed", "invalid_request_error");
    let raw: unknown;
    try {
      raw = readJson(req);
    } catch (error) {
      if (error instanceof BadJsonError) return openAiError(400, "We could not parse the JSON body of your request.", "invalid_request_error");
      throw error;
    }
    const parsed = requestSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return openAiError(400, `Invalid value for '${issue.path.join(".")}': ${issue.message}`, "invalid_request_error", null, issue.path.join("."));
    }
    const body = parsed.data;
    const allText = body.messages.map((m) => textOf(m.content)).join("\n");
    if (body.response_format?.type === "json_object" && !/json/i.test(allText)) {
      return openAiError(400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", "invalid_request_error", null, "messages");
    }
    const lastUser = [...body.messages].reverse().find((m) => m.role === "user");
    const subject = textOf(lastUser?.content ?? "");
    const verdict = classifyRomanianReply(subject);
    const answer = {
      intent: verdict.category,
      sentiment: SENTIMENT[verdict.category],
      score: verdict.score,
      confidence: verdict.confidence,
      opt_out: verdict.category === "unsubscribe" || verdict.category === "complaint",
      complaint: verdict.category === "complaint",
      keywords: verdict.matched,
      language: "ro",
      reply: verdict.category === "unclear" ? null : (DRAFTS[verdict.category] ?? null),
    };
    const content = JSON.stringify(answer);
    const digest = createHash("sha256").update(body.model).update(allText).digest("hex");
    const promptTokens = Math.ceil(allText.length / 4);
    const completionTokens = Math.ceil(content.length / 4);
    return json(200, {
      id: `chatcmpl-${digest.slice(0, 24)}`,
      object: "chat.completion",
      created: Math.floor(this.ctx.clock.now() / 1000),
      model: body.model,
      system_fingerprint: "fp_cerniq_sim",
      choices: [{ index: 0, message: { role: "assistant", content, refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  }

  async control(): Promise<Reply | undefined> {
    return undefined;
  }

  snapshot() {
    return { deterministic: true };
  }
}
