/**
 * Redis for the quota tests. Each test file picks its own logical database and its own random
 * tenant/phone ids, and deletes only the keys it made, so files run in parallel against one server
 * (the project's test Redis, started here if nobody exported a URL).
 *
 * Tests that restart Redis or flush its script cache get a private redis-server instead, so they
 * cannot disturb anyone else.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Redis } from "ioredis";
import { ensureRedis, portOpen } from "../../../scripts/lib/services";
import { TEST_LAYOUT } from "../../../scripts/lib/layout";
import { phoneStatusKey, tenantQuotaPattern } from "../../../server/quota/keys";

export async function sharedRedisUrl(logicalDb: number): Promise<string> {
  const base = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? (await ensureRedis(TEST_LAYOUT)).redisUrl;
  const url = new URL(base);
  url.pathname = `/${logicalDb}`;
  return url.toString();
}

/** Deletes a test's own keys: its tenants' counters and its phones' mirrors. */
export async function deleteOwnKeys(redis: Redis, tenantIds: readonly string[], phoneIds: readonly string[]): Promise<void> {
  const keys = phoneIds.map(phoneStatusKey);
  for (const tenantId of tenantIds) {
    let cursor = "0";
    do {
      const [next, batch] = await redis.scan(cursor, "MATCH", tenantQuotaPattern(tenantId), "COUNT", 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== "0");
  }
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface PrivateRedis {
  url: string;
  /** Kills the server (SIGKILL: nothing is saved, like a crash) and starts a new empty one on the same port. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "quota-redis-"));
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: "ignore" });
    const deadline = Date.now() + 10_000;
    while (!(await portOpen(port))) {
      if (Date.now() > deadline) throw new Error("private redis-server did not start");
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill("SIGKILL");
    });
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    restart: async () => {
      await kill();
      await start();
    },
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
