/**
 * One worker process of the kill -9 test (crash.test.ts forks it; never imported): the real wa.send
 * job through the jobs runtime, against the test database, the quota Redis database and the
 * TimelinesAI simulator named in its environment, on the test's shifted clock. It pauses 200 ms after
 * TimelinesAI accepted each message, so a kill often lands between acceptance and the log.
 */
import { Redis } from "ioredis";
import { PgBoss } from "pg-boss";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`worker-child: ${name} is not set`);
  return value;
};

const { configurePipelineDeps } = await import("../../jobs/pipeline/deps");
const { waSendJob } = await import("../../jobs/pipeline/wa-send");
const { startWorkers } = await import("../../jobs/runtime");
const { createQuotaGuardian } = await import("../../server/quota/guardian.server");
const { QuotaStore } = await import("../../server/quota/store.server");
const { TimelinesAiClient } = await import("../../server/providers/timelinesai/client.server");
const { SANDBOX_CREDENTIALS } = await import("../../server/providers/sandbox");

const offset = Number(env("CLOCK_OFFSET_MS"));
const clock = () => new Date(Date.now() + offset);
const store = new QuotaStore(new Redis(env("QUOTA_REDIS_URL")));
const unused = new Proxy({}, { get: () => () => Promise.reject(new Error("not used by wa.send")) });
configurePipelineDeps({
  guardian: createQuotaGuardian({ store, clock, logDecisions: false }),
  timelinesai: new TimelinesAiClient({
    baseUrl: env("TIMELINESAI_URL"),
    token: SANDBOX_CREDENTIALS.timelinesaiToken,
    pacer: { acquire: async () => Date.now() },
    timeoutMs: 1_500,
    retryPolicy: { backoffBaseMs: 5, backoffMaxMs: 20, rateLimitWaitMs: 10 },
  }),
  instantly: unused as never,
  resend: unused as never,
  clock,
  afterProviderAccepted: () => new Promise((r) => setTimeout(r, 200)),
  // Lease times for the 1.5 s timeout above (production's fit its 30 s): an attempt of a killed worker
  // is taken over 5 s after it began, before the queue's 10 s expiry brings its job back.
  lease: { leaseMs: 4_000, requestBudgetMs: 2_000, skewMs: 1_000 },
});

const boss = new PgBoss({ connectionString: env("DATABASE_URL"), schema: process.env.PGBOSS_SCHEMA ?? "pgboss", createSchema: false, max: 4, superviseIntervalSeconds: 1 });
boss.on("error", () => {});
await boss.start();
await startWorkers(boss, [waSendJob] as never[]);
process.send?.({ type: "ready", pid: process.pid });
