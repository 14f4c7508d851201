/**
 * Runbook §6.1 from the workers' side: Postgres restarts under a running worker process (the real
 * `npm run worker` entry, jobs/worker.ts). The worker must not die with its connections: it reconnects
 * and keeps taking jobs. A private Postgres cluster (its own data folder and port) is restarted, so the
 * shared test server that other files use is never touched.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, expect, it } from "vitest";
import { PROJECT_ROOT } from "../../scripts/lib/layout";
import { ensurePostgres } from "../../scripts/lib/services";
import { migrate } from "../../server/db/migrate.server";
import { QUOTA_RESYNC_QUEUE } from "../../jobs/queues";
import { insertPhone, insertTenant } from "../support/factories";
import { startPrivateRedis, type PrivateRedis } from "../quota/support/index";

let root: string;
let postgres: Awaited<ReturnType<typeof ensurePostgres>>;
let redis: PrivateRedis;
let worker: ChildProcess;
let boss: PgBoss;
let output = "";
// Below the kernel's ephemeral range (32768–60999): a port there can be taken at any moment by one of
// the suite's own client connections, and the postmaster then fails to bind.
const layout = () => ({ root, pgPort: 29_600 + Math.floor(Math.random() * 300), redisPort: 0, database: "cerniq_restart" });

/** A private Postgres; a port someone else holds is tried again elsewhere. */
async function startPostgres(): Promise<Awaited<ReturnType<typeof ensurePostgres>>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensurePostgres(layout());
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

beforeAll(async () => {
  root = mkdtempSync(path.join(PROJECT_ROOT, ".data", "pg-restart-"));
  postgres = await startPostgres();
  await migrate({ adminUrl: postgres.adminUrl, appUrl: postgres.appUrl });
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  const tenant = await insertTenant(admin, { name: "Agro Repornire SRL", slug: "agro-repornire" });
  await insertPhone(admin, tenant.id, { label: "Vânzări 1", phoneNumber: "+40740009991" });
  await admin.end();
  redis = await startPrivateRedis();
  worker = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: postgres.appUrl, DATABASE_ADMIN_URL: postgres.adminUrl, REDIS_URL: redis.url, LOG_LEVEL: "warn", LOG_FORMAT: "json", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  worker.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  worker.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  boss = new PgBoss({ connectionString: postgres.appUrl, schema: "pgboss", createSchema: false, max: 2 });
  boss.on("error", () => undefined);
}, 120_000);

afterAll(async () => {
  await boss?.stop({ graceful: false, timeout: 2_000 }).catch(() => undefined);
  if (worker && worker.exitCode === null) {
    worker.kill("SIGTERM");
    await new Promise((r) => worker.once("exit", r));
  }
  postgres?.stop();
  await redis?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function completed(jobId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await boss.getJobById(QUOTA_RESYNC_QUEUE, jobId).catch(() => null);
    if (job?.state === "completed") return;
    if (job?.state === "failed") throw new Error(`job failed: ${JSON.stringify(job.output)}`);
    if (worker.exitCode !== null) throw new Error(`the worker exited (${worker.exitCode}):\n${output.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`job ${jobId} not completed in time (state ${job?.state}):\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

it("a worker survives a Postgres restart and goes on taking jobs", { timeout: 240_000 }, async () => {
  // The worker's own start-up resync is done once the queue exists and its job completed.
  await boss.start();
  const deadline = Date.now() + 90_000;
  while (!(await boss.getQueue(QUOTA_RESYNC_QUEUE))) {
    if (Date.now() > deadline || worker.exitCode !== null) throw new Error(`worker did not start:\n${output.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const before = await boss.send(QUOTA_RESYNC_QUEUE, { reason: "operator" });
  await completed(before!, 60_000);

  // pg_ctl stop -m fast terminates every connection (the worker's pools among them), then start again.
  await boss.stop({ graceful: false, timeout: 2_000 });
  postgres.stop();
  postgres = await ensurePostgres({ ...layout(), pgPort: Number(new URL(postgres.adminUrl).port) });
  expect(worker.exitCode).toBeNull();

  boss = new PgBoss({ connectionString: postgres.appUrl, schema: "pgboss", createSchema: false, max: 2 });
  boss.on("error", () => undefined);
  await boss.start();
  const after = await boss.send(QUOTA_RESYNC_QUEUE, { reason: "operator" });
  await completed(after!, 90_000);
  expect(worker.exitCode).toBeNull();

  // The job did its work after the restart: Redis has the phone's mirror and the sentinel is OK.
  const { Redis } = await import("ioredis");
  const r = new Redis(redis.url);
  expect(await r.hget("quota:sentinel", "state")).toBe("ok");
  expect(Number(await r.exists(...(await r.keys("phone:status:*"))))).toBe(1);
  r.disconnect();
});
