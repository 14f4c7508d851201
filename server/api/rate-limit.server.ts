/**
 * Requests per minute per API key (docs/decisions/0013): a sliding window in Redis, the same Lua
 * script the provider pacing uses (server/providers/pacing.server.ts), asked once per request and
 * never waited on: over the limit the request is refused with 429 and Retry-After.
 *
 * Why Redis and not Postgres: like pacing it is consulted on every request, must agree across every
 * web process on every host, and is worthless after a minute; a counter row per key in Postgres would
 * be a write per API call on a hot row. If Redis cannot be reached the request is let through (and
 * logged): the limiter protects the system from a runaway integration, it is not worth refusing every
 * integration while Redis restarts.
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { errorFields, logEvent } from "../observability/logger.server";
import { SLIDING_WINDOW_LUA } from "../providers/pacing.server";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Whole seconds until a request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
}

export interface ApiRateLimiter {
  take(apiKeyId: string): Promise<RateDecision>;
}

const WINDOW_MS = 60_000;

export function createApiRateLimiter(redis: Redis, limitPerMinute: number, keyPrefix = "api-rate"): ApiRateLimiter {
  return {
    async take(apiKeyId) {
      try {
        // The script answers {1, grantedAt} when the request fits the window, {0, waitMs} when it does not.
        const [granted, value] = (await redis.eval(SLIDING_WINDOW_LUA, 1, `${keyPrefix}:{${apiKeyId}}`, String(WINDOW_MS), randomUUID(), String(limitPerMinute))) as [number, number];
        const waitMs = granted === 1 ? 0 : Number(value);
        return waitMs === 0 ? { allowed: true, limit: limitPerMinute, retryAfterSeconds: 0 } : { allowed: false, limit: limitPerMinute, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      } catch (error) {
        logEvent("warn", { action: "api.rate_limit_unavailable", error: errorFields(error), metadata: { apiKeyId } });
        return { allowed: true, limit: limitPerMinute, retryAfterSeconds: 0 };
      }
    },
  };
}
