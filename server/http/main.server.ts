/**
 * The web process: serves the Remix app (UI, tRPC on /api/trpc, webhooks on /webhooks/*), /healthz and
 * /metrics, and — unless WORKERS_EMBEDDED=false — runs the pg-boss workers in the same process.
 * Expects `remix build` output in build/ (npm start builds it).
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { PgBoss } from "pg-boss";
import { getEnv } from "../config/env.server";
import { logger } from "../observability/logger.server";
import { createHttpApp } from "./app.server";
import { startBoss, stopBoss } from "../../jobs/boss.server";
import { jobRegistry, queueRegistry, startupJobs } from "../../jobs/registry";
import { enqueueStartupJobs, ensureQueues, ensureSchedules, startWorkers } from "../../jobs/runtime";
import { disconnectPrisma } from "../db/client.server";
import { closeSqlPool } from "../db/sql.server";
import { disconnectRedis } from "../redis.server";
import { closeQuotaRedis, getQuotaRedis } from "../quota/redis.server";
import { startQuotaStoreWatch } from "../../jobs/quota/watch";
import { moveSharedQueueSends, tenantsWithPhones } from "../../jobs/pipeline/wa-send-queue";

const env = getEnv();
const root = path.resolve(import.meta.dirname, "../..");
const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;

let boss: PgBoss | null = null;
boss = await startBoss();
// Every queue, and the WhatsApp send queue of every tenant with phones (ADR 0014).
await ensureQueues(boss, queueRegistry, await tenantsWithPhones());
// Sends left on the one queue of before ADR 0014 go to their tenants' queues (a no-op once it is empty).
await moveSharedQueueSends(boss);
await ensureSchedules(boss, jobRegistry);
const stopWorkers = env.WORKERS_EMBEDDED ? await startWorkers(boss, jobRegistry) : null;
await enqueueStartupJobs(boss, startupJobs);
// Only where workers run: the watcher hurries the quota-store monitor along after a Redis loss.
const stopWatch = env.WORKERS_EMBEDDED ? startQuotaStoreWatch(boss, getQuotaRedis()) : () => undefined;

const app = createHttpApp({ build, publicDir: path.join(root, "public"), boss });
const server = app.listen(env.PORT, env.HOST, () => {
  logger.info({ action: "http.listening", metadata: { url: `http://${env.HOST}:${env.PORT}`, sandbox: env.sandbox, workers: env.WORKERS_EMBEDDED } }, `listening on http://${env.HOST}:${env.PORT}`);
});
server.keepAliveTimeout = 65_000;

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ action: "http.stopping", metadata: { signal } }, "stopping");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  stopWatch();
  // The handlers told to stop and the queue families' timers cleared first (a look-out firing after
  // pg-boss closed its pool only logs noise); pg-boss's graceful stop then waits for running jobs.
  await stopWorkers?.({ wait: false });
  await stopBoss();
  await Promise.all([disconnectPrisma(), closeSqlPool(), disconnectRedis(), closeQuotaRedis()]);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
