/**
 * What the reply worker runs with: the understanding engine the environment asks for
 * (server/replies/understanding/engine.server.ts: the LLM when configured, else the built-in rules),
 * the matching drafter (the LLM's drafts with the intent templates as fallback, or the templates), the
 * transactional queue on the process's pg-boss and the system clock. Tests replace parts.
 */
import { systemClock, type Clock } from "../../server/clock";
import { getEnv } from "../../server/config/env.server";
import type { TransactionalQueue } from "../../server/db/transactional-queue.server";
import { logEvent } from "../../server/observability/logger.server";
import { createLlmClient, llmBaseUrl } from "../../server/providers/factory.server";
import { RedisSlidingWindowPacer } from "../../server/providers/pacing.server";
import { getRedis } from "../../server/redis.server";
import { LlmDrafter, TemplateDrafter, type AnswerDrafter } from "../../server/replies/answers/draft.server";
import type { ReplyHandlingDeps } from "../../server/replies/handle-reply.server";
import { createReplyUnderstandingEngine, replyEngineChoice } from "../../server/replies/understanding/engine.server";
import type { ReplyUnderstandingEngine } from "../../server/replies/understanding";
import { pgBossTransactionalQueue } from "../transactional-queue";

export interface ReplyDepsOverrides {
  engine?: ReplyUnderstandingEngine;
  drafter?: AnswerDrafter;
  queue?: TransactionalQueue;
  clock?: Clock;
}

let overrides: ReplyDepsOverrides = {};
let built: Omit<ReplyHandlingDeps, "queue"> | undefined;

function buildDrafter(): AnswerDrafter {
  const env = getEnv();
  if (replyEngineChoice(env) !== "llm") return new TemplateDrafter();
  return new LlmDrafter({
    client: createLlmClient(env),
    pacer: new RedisSlidingWindowPacer({ redis: getRedis(), provider: "llm", maxWaitMs: 10_000 }),
    pacingKey: `chat:${new URL(llmBaseUrl(env)).host}`,
    requestsPerMinute: env.LLM_REQUESTS_PER_MINUTE,
    onFallback: (reason, error) => logEvent("warn", { worker: "ai.sentiment.analyze", action: "draft.fallback", metadata: { reason }, ...(error instanceof Error ? { error: { code: "LLM_FALLBACK", message: error.message } } : {}) }),
  });
}

export function replyDeps(boss: Parameters<typeof pgBossTransactionalQueue>[0]): ReplyHandlingDeps {
  if (!built) {
    built = {
      engine:
        overrides.engine ??
        createReplyUnderstandingEngine({
          redis: getRedis(),
          onFallback: (reason, error) => logEvent("warn", { worker: "ai.sentiment.analyze", action: "understanding.fallback", metadata: { reason }, ...(error instanceof Error ? { error: { code: "LLM_FALLBACK", message: error.message } } : {}) }),
        }),
      drafter: overrides.drafter ?? buildDrafter(),
      clock: overrides.clock ?? systemClock,
    };
  }
  return { ...built, queue: overrides.queue ?? pgBossTransactionalQueue(boss) };
}

export function configureReplyDeps(next: ReplyDepsOverrides): void {
  overrides = next;
  built = undefined;
}
