/**
 * Worker process entry (`npm run worker`): runs every queue's handlers against the shared Postgres
 * and Redis. Start as many as you like on as many machines as you like: pg-boss (singleton keys,
 * SKIP LOCKED) and the Redis Lua quota script are the only coordination, nothing is in-process.
 */
import { getEnv } from "../server/config/env.server";
import { logger } from "../server/observability/logger.server";
import { startBoss, stopBoss } from "./boss.server";
import { jobRegistry, queueRegistry, startupJobs } from "./registry";
import { enqueueStartupJobs, ensureQueues, ensureSchedules, startWorkers } from "./runtime";
import { disconnectPrisma } from "../server/db/client.server";
import { closeSqlPool } from "../server/db/sql.server";
import { closeQuotaRedis, getQuotaRedis } from "../server/quota/redis.server";
import { startQuotaStoreWatch } from "./quota/watch";
import { moveSharedQueueSends, tenantsWithPhones } from "./pipeline/wa-send-queue";

getEnv();
const boss = await startBoss();
// Every queue, and the WhatsApp send queue of every tenant with phones (ADR 0014).
await ensureQueues(boss, queueRegistry, await tenantsWithPhones());
// Sends left on the one queue of before ADR 0014 go to their tenants' queues (a no-op once it is empty).
await moveSharedQueueSends(boss);
await ensureSchedules(boss, jobRegistry);
const stopWorkers = await startWorkers(boss, jobRegistry);
await enqueueStartupJobs(boss, startupJobs);
const stopWatch = startQuotaStoreWatch(boss, getQuotaRedis());
logger.info({ action: "worker.started", metadata: { queues: jobRegistry.map((j) => j.name) } }, "worker started");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ action: "worker.stopping", metadata: { signal } }, "worker stopping");
  stopWatch();
  // The handlers told to stop and the queue families' timers cleared first (a look-out firing after
  // pg-boss closed its pool only logs noise); pg-boss's graceful stop then waits for running jobs.
  await stopWorkers({ wait: false });
  await stopBoss();
  await Promise.all([disconnectPrisma(), closeSqlPool(), closeQuotaRedis()]);
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
