import type { Redis } from "ioredis";
import type { PgBoss } from "pg-boss";
import type { PrismaClient } from "../generated/prisma/client";

export interface HealthReport {
  status: "ok" | "degraded";
  checks: Record<string, { ok: boolean; latencyMs: number; error?: string }>;
}

async function timed(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
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
 * Checks every dependency in parallel; any failure makes /healthz answer 503. A dependency slower than
 * `timeoutMs` (default 2 s: what a load balancer's probe waits) counts as down.
 */
export async function checkHealth(deps: { prisma: PrismaClient; redis: Redis; boss: PgBoss | null }, options: { timeoutMs?: number } = {}): Promise<HealthReport> {
  const limit = options.timeoutMs ?? 2000;
  const [database, redis, queue] = await Promise.all([
    timed(() => deps.prisma.$queryRaw`SELECT 1`, limit),
    timed(() => deps.redis.ping(), limit),
    timed(async () => {
      if (!deps.boss) throw new Error("pg-boss not started in this process");
      await deps.boss.getQueues();
    }, limit),
  ]);
  const checks = { database, redis, queue };
  return { status: Object.values(checks).every((c) => c.ok) ? "ok" : "degraded", checks };
}
