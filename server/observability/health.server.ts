import type { Redis } from "ioredis";
import type { PgBoss } from "pg-boss";
import type { PrismaClient } from "../generated/prisma/client";
import { readQuotaStoreState } from "../quota/heal.server";

export interface HealthCheck {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  /** ok: everything answers and the quota store holds its data; degraded: something does not. */
  status: "ok" | "degraded";
  /**
   * The HTTP status /healthz answers: 503 only when this process cannot work (database, Redis or the
   * queue unreachable). A quota store that lost its data is "degraded" with 200: the process is fine
   * and the monitors are rebuilding the data (server/quota/heal.server.ts); taking the process out of
   * a load balancer would not help.
   */
  httpStatus: 200 | 503;
  checks: { database: HealthCheck; redis: HealthCheck; queue: HealthCheck; quotaStore: HealthCheck };
}

async function timed(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<HealthCheck> {
  const started = performance.now();
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}

/**
 * Checks every dependency in parallel; database, Redis or the queue failing makes /healthz answer 503.
 * A dependency slower than `timeoutMs` (default 2 s: what a load balancer's probe waits) counts as down.
 */
export async function checkHealth(deps: { prisma: PrismaClient; redis: Redis; boss: PgBoss | null }, options: { timeoutMs?: number } = {}): Promise<HealthReport> {
  const limit = options.timeoutMs ?? 2000;
  const [database, redis, queue, quotaStore] = await Promise.all([
    timed(() => deps.prisma.$queryRaw`SELECT 1`, limit),
    timed(() => deps.redis.ping(), limit),
    timed(async () => {
      if (!deps.boss) throw new Error("pg-boss not started in this process");
      await deps.boss.getQueues();
    }, limit),
    timed(async () => {
      const s = await readQuotaStoreState(deps.redis);
      if (s.state === "LOST") throw new Error("quota data lost (sentinel missing): being rebuilt from the log");
      if (s.state === "HEALING") throw new Error("quota data being rebuilt from the log");
      if (s.state === "UNREACHABLE") throw new Error(s.error);
    }, limit),
  ]);
  const checks = { database, redis, queue, quotaStore };
  const ok = Object.values(checks).every((c) => c.ok);
  return { status: ok ? "ok" : "degraded", httpStatus: database.ok && redis.ok && queue.ok ? 200 : 503, checks };
}
