/**
 * The Redis connection of the quota system (Redis holds nothing else: design card).
 *
 * Settings chosen for a check that must be fast and must never guess: a command that cannot reach
 * Redis within 2 s fails (seeds: guardian timeout 2000 ms, no retries) instead of queueing forever,
 * and the caller treats a failure as "not allowed now" (the send job retries later). The quota is
 * never granted without Redis having counted it.
 */
import { Redis } from "ioredis";
import { getEnv } from "../config/env.server";

export const QUOTA_COMMAND_TIMEOUT_MS = 2_000;

export function createQuotaRedis(url: string, options: { connectionName?: string } = {}): Redis {
  return new Redis(url, {
    connectionName: options.connectionName ?? "cerniq-quota",
    commandTimeout: QUOTA_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    enableAutoPipelining: true,
    // Reconnect quickly after a Redis restart; resync (runbook §6.2) restores the data.
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
}

let shared: Redis | undefined;

export function getQuotaRedis(): Redis {
  shared ??= createQuotaRedis(getEnv().REDIS_URL);
  return shared;
}

export async function closeQuotaRedis(): Promise<void> {
  if (shared) {
    const r = shared;
    shared = undefined;
    await r.quit();
  }
}
