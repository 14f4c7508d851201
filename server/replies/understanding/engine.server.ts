import type { Redis } from "ioredis";
import { getEnv, type Env } from "../../config/env.server";
import { createLlmClient, llmBaseUrl, providerModes } from "../../providers/factory.server";
import { RedisSlidingWindowPacer } from "../../providers/pacing.server";
import type { Timekeeper } from "../../clock";
import { BuiltinReplyEngine } from "./builtin-engine";
import { LlmReplyEngine } from "./llm-engine";
import type { ReplyUnderstandingEngine } from "./types";

export type ReplyEngineChoice = "builtin" | "llm";

/** REPLY_ENGINE=auto → the LLM only when a real one is configured (not its sandbox simulator). */
export function replyEngineChoice(env: Env): ReplyEngineChoice {
  if (env.REPLY_ENGINE !== "auto") return env.REPLY_ENGINE;
  return providerModes(env).llm === "live" ? "llm" : "builtin";
}

/**
 * The engine the reply worker uses, from the environment. The LLM engine paces its requests through
 * Redis with one key per LLM endpoint (its host), so every worker process shares LLM_REQUESTS_PER_MINUTE.
 */
export function createReplyUnderstandingEngine(deps: {
  redis: Redis;
  env?: Env;
  time?: Timekeeper;
  pacingKeyPrefix?: string;
  onFallback?: (reason: string, error: unknown) => void;
}): ReplyUnderstandingEngine {
  const env = deps.env ?? getEnv();
  if (replyEngineChoice(env) === "builtin") return new BuiltinReplyEngine();
  const baseUrl = llmBaseUrl(env);
  return new LlmReplyEngine({
    client: createLlmClient(env, deps.time),
    model: env.LLM_MODEL,
    pacer: new RedisSlidingWindowPacer({ redis: deps.redis, provider: "llm", time: deps.time, keyPrefix: deps.pacingKeyPrefix, maxWaitMs: 10_000 }),
    pacingKey: `chat:${new URL(baseUrl).host}`,
    requestsPerMinute: env.LLM_REQUESTS_PER_MINUTE,
    onFallback: deps.onFallback,
  });
}
