import { createHash, randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { ProviderRateLimitedError, type ProviderName } from "./errors";
import { systemTimekeeper, type Timekeeper } from "../clock";

/**
 * Request pacing shared by every process that talks to a provider (TimelinesAI: ≤ N requests per
 * minute per WhatsApp account). The design keeps Redis for the quota counter only; pacing is the one
 * other use, and it lives here on purpose (ADR 0003): like the quota it is ephemeral, must be atomic
 * across processes, and is consulted before every single HTTP request, where a Postgres row lock per
 * request would serialize all workers on one row and add a round trip to a disk-backed store.
 *
 * Algorithm: a sliding-window log per key (a sorted set of request times). One script checks every
 * key a request needs (e.g. the account and, optionally, the whole workspace) and records the request
 * in all of them only if all have room, so a request never burns a slot it cannot use. Time comes from
 * Redis `TIME`, so workers with skewed clocks still share one window. The script answers {1, granted at}
 * or {0, wait}: the grant's instant on Redis' clock is what the limit is about, whatever the caller's
 * speed (the tests check the limit on these instants).
 */
export const SLIDING_WINDOW_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local wait = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local limit = tonumber(ARGV[2 + i])
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local idx = count - limit
    local entry = redis.call('ZRANGE', key, idx, idx, 'WITHSCORES')
    local w = tonumber(entry[2]) + window - now
    if w < 1 then w = 1 end
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, wait} end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[2])
  redis.call('PEXPIRE', key, window)
end
return {1, now}
`;

const SCRIPT_SHA = createHash("sha1").update(SLIDING_WINDOW_LUA).digest("hex");

export interface PacingSlot {
  /** Logical key, e.g. "account:+40712345678"; the pacer namespaces it. */
  key: string;
  /** Requests allowed per window for this key. */
  limit: number;
}

export interface Pacer {
  /**
   * Resolves when a request may go out now, with the instant of the grant (ms, the pacer's clock);
   * throws ProviderRateLimitedError(scope "local-pacing") past the max wait.
   */
  acquire(slots: readonly PacingSlot[]): Promise<number>;
}

export interface RedisPacerConfig {
  redis: Redis;
  provider: ProviderName;
  windowMs?: number;
  /** Longest a caller waits for a slot before giving the work back to its job (which reschedules). */
  maxWaitMs?: number;
  time?: Timekeeper;
  /** Separates environments/tests sharing one Redis. */
  keyPrefix?: string;
}

export class RedisSlidingWindowPacer implements Pacer {
  private readonly windowMs: number;
  private readonly maxWaitMs: number;
  private readonly time: Timekeeper;
  private readonly prefix: string;

  constructor(private readonly config: RedisPacerConfig) {
    this.windowMs = config.windowMs ?? 60_000;
    this.maxWaitMs = config.maxWaitMs ?? 60_000;
    this.time = config.time ?? systemTimekeeper;
    // The hash tag keeps all of a provider's keys in one Redis Cluster slot, as a multi-key script needs.
    this.prefix = `${config.keyPrefix ?? "pace"}:{${config.provider}}:`;
  }

  async acquire(slots: readonly PacingSlot[]): Promise<number> {
    if (slots.length === 0) return this.time.now();
    const keys = slots.map((s) => this.prefix + s.key);
    const limits = slots.map((s) => String(s.limit));
    const started = this.time.now();
    for (;;) {
      const [granted, value] = await this.tryAcquire(keys, limits);
      if (granted === 1) return value;
      const waitMs = value;
      const waited = this.time.now() - started;
      if (waited + waitMs > this.maxWaitMs) {
        throw new ProviderRateLimitedError(
          `${this.config.provider}: pacing slot not free within ${this.maxWaitMs} ms (${slots.map((s) => s.key).join(", ")})`,
          { provider: this.config.provider, operation: "pacing", retryAfterMs: waitMs, scope: "local-pacing" },
        );
      }
      // A little spread so processes woken for the same freed slot do not all hit Redis at once.
      await this.time.sleep(waitMs + Math.floor(Math.random() * 15));
    }
  }

  /** [1, granted at (Redis ms)] or [0, ms to wait]. */
  private async tryAcquire(keys: string[], limits: string[]): Promise<[number, number]> {
    const args = [String(this.windowMs), randomUUID(), ...limits];
    let answer: unknown;
    try {
      answer = await this.config.redis.evalsha(SCRIPT_SHA, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.includes("NOSCRIPT")) throw error;
      answer = await this.config.redis.eval(SLIDING_WINDOW_LUA, keys.length, ...keys, ...args);
    }
    const [granted, value] = answer as [number, number];
    return [Number(granted), Number(value)];
  }
}
