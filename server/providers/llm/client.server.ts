import type { z } from "zod";
import { ProviderResponseError, type ProviderError } from "../errors";
import { decode, defaultHttpError, JsonApi, type ErrorContext, type HttpResponse } from "../http.server";
import type { RetryPolicy } from "../retry";
import type { Timekeeper } from "../../clock";
import { chatCompletionSchema, openAiErrorSchema, type ChatMessage } from "./schemas";

export interface LlmClientConfig {
  /** e.g. https://api.openai.com/v1; the client appends /chat/completions. */
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs?: number;
  retryPolicy?: Partial<RetryPolicy>;
  time?: Timekeeper;
  /**
   * Extra attempts when the answer is not the JSON asked for (truncated output, prose around it).
   * Separate from the HTTP retry policy: the request succeeded, the model did not.
   */
  invalidOutputRetries?: number;
}

export interface JsonCompletion<T> {
  value: T;
  model: string | undefined;
  usage: { promptTokens: number; completionTokens: number } | undefined;
  /** The model's raw text, kept so a classification can be explained later. */
  raw: string;
}

function mapLlmError(res: HttpResponse, ctx: ErrorContext): ProviderError {
  const parsed = openAiErrorSchema.safeParse(res.body);
  const message = parsed.success ? parsed.data.error.message : undefined;
  const code = parsed.success ? String(parsed.data.error.code ?? parsed.data.error.type ?? "") || undefined : undefined;
  return defaultHttpError(res, ctx, message, code);
}

/**
 * Any OpenAI-compatible chat-completions endpoint in JSON mode. The caller gives the zod schema of the
 * answer it expects; a reply that is not JSON or does not match is a ProviderResponseError, never an
 * unchecked object. Chat completions have no side effects, so every failure kind may be retried.
 */
export class LlmClient {
  private readonly api: JsonApi;

  constructor(private readonly config: LlmClientConfig) {
    this.api = new JsonApi({
      provider: "llm",
      baseUrl: config.baseUrl,
      headers: { authorization: `Bearer ${config.apiKey}`, accept: "application/json" },
      timeoutMs: config.timeoutMs ?? 30_000,
      retry: { policy: config.retryPolicy },
      time: config.time,
      mapError: mapLlmError,
    });
  }

  async completeJson<S extends z.ZodType>(
    input: { messages: ChatMessage[]; schema: S; temperature?: number; maxTokens?: number; operation?: string },
  ): Promise<JsonCompletion<z.output<S>>> {
    const operation = input.operation ?? "chatCompletion";
    const extraAttempts = this.config.invalidOutputRetries ?? 1;
    for (let attempt = 0; ; attempt++) {
      const completion = await this.api.call({
        operation,
        method: "POST",
        path: "/chat/completions",
        idempotent: true,
        schema: chatCompletionSchema,
        body: {
          model: this.config.model,
          messages: input.messages,
          response_format: { type: "json_object" },
          temperature: input.temperature ?? 0,
          ...(input.maxTokens ? { max_tokens: input.maxTokens } : {}),
        },
      });
      const raw = completion.choices[0]?.message.content ?? "";
      try {
        const value = decode(input.schema, parseJsonContent(raw, operation), { provider: "llm", operation });
        return {
          value,
          raw,
          model: completion.model,
          usage: completion.usage ? { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens } : undefined,
        };
      } catch (error) {
        if (!(error instanceof ProviderResponseError) || attempt >= extraAttempts) throw error;
      }
    }
  }
}

function parseJsonContent(raw: string, operation: string): unknown {
  // Some compatible servers wrap JSON mode output in a markdown fence; tolerate exactly that.
  const text = raw.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, "$1");
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderResponseError(`llm ${operation}: answer is not JSON`, { provider: "llm", operation, issues: [text.slice(0, 200)] });
  }
}
