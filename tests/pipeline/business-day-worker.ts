/**
 * One worker process of the simulated business day (business-day.test.ts forks it; never imported):
 * the real wa.send job through the jobs runtime, against the test database, the quota Redis database
 * and the TimelinesAI simulator named in its environment, on the test's simulated clock (its start in
 * SIM_NOW, each step over IPC; pg-boss reads the same clock in the database: stepped-clock.ts).
 *
 * Instrumentation only, around the real code: the quota guardian reports each decision with the
 * simulated instants around it, and each handled job is reported with its result and duration.
 * On SIGTERM it stops pg-boss gracefully (the send in hand finishes), so the test reads a settled log.
 */
import { Redis } from "ioredis";
import { PgBoss } from "pg-boss";
import { z } from "zod";
import type { WaSendResult } from "../../server/pipeline/send/whatsapp-send.server";
import type { QuotaGuardian } from "../../server/quota/guardian.server";
import { isWaSendQueue, type WaSendPayload } from "../../jobs/queues";
import { toWorker, type FromWorker } from "./business-day-ipc";
import { SteppedClock } from "./stepped-clock";

const env = z
  .object({
    DATABASE_URL: z.string().min(1),
    QUOTA_REDIS_URL: z.string().min(1),
    TIMELINESAI_URL: z.url(),
    SIM_NOW: z.coerce.number().int(),
    PGBOSS_SCHEMA: z.string().default("pgboss"),
  })
  .parse(process.env);

const { configurePipelineDeps } = await import("../../jobs/pipeline/deps");
const { waSendJob } = await import("../../jobs/pipeline/wa-send");
const { startWorkers } = await import("../../jobs/runtime");
const { createQuotaGuardian } = await import("../../server/quota/guardian.server");
const { QuotaStore } = await import("../../server/quota/store.server");
const { TimelinesAiClient } = await import("../../server/providers/timelinesai/client.server");
const { SANDBOX_CREDENTIALS } = await import("../../server/providers/sandbox");

const report = (message: FromWorker) => process.send?.(message);
const time = new SteppedClock(env.SIM_NOW);

const inner = createQuotaGuardian({ store: new QuotaStore(new Redis(env.QUOTA_REDIS_URL)), clock: time.now, logDecisions: false });
const guardian: QuotaGuardian = {
  ...inner,
  async check(input) {
    const before = time.now().getTime();
    const d = await inner.check(input);
    const after = time.now().getTime();
    report({ type: "decision", phoneId: d.phoneId, cost: d.cost, allowed: d.allowed, reason: d.allowed ? null : d.reason, used: d.used, usageDate: d.usageDate, before, after });
    return d;
  },
};
const unused = new Proxy({}, { get: () => () => Promise.reject(new Error("not used by wa.send")) });
configurePipelineDeps({
  guardian,
  timelinesai: new TimelinesAiClient({
    baseUrl: env.TIMELINESAI_URL,
    token: SANDBOX_CREDENTIALS.timelinesaiToken,
    pacer: { acquire: async () => Date.now() },
    timeoutMs: 10_000,
    retryPolicy: { backoffBaseMs: 5, backoffMaxMs: 20, rateLimitWaitMs: 10 },
  }),
  instantly: unused as never,
  resend: unused as never,
  time,
});

// The registered job (queue policy, concurrency, polling), its handler timed.
const timedWaSend = {
  ...waSendJob,
  async handler(data: WaSendPayload, context: Parameters<typeof waSendJob.handler>[1]) {
    const realStart = Date.now();
    const started = performance.now();
    const startedAt = time.now().getTime();
    const result = (await waSendJob.handler(data, context)) as WaSendResult;
    report({
      type: "handled",
      phoneId: data.phoneId,
      send: `${data.journeyId}:${data.stepNumber}`,
      kind: result.kind,
      code: result.kind === "RESCHEDULE" || result.kind === "DONE" ? result.code : null,
      startedAt,
      startAfter: result.kind === "RESCHEDULE" ? result.startAfter.getTime() : null,
      realMs: performance.now() - started,
      realStart,
      realEnd: Date.now(),
    });
    return result;
  },
};

const boss = new PgBoss({ connectionString: env.DATABASE_URL, schema: env.PGBOSS_SCHEMA, createSchema: false, max: 6 });
boss.on("error", () => {});
await boss.start();
await startWorkers(boss, [timedWaSend] as never[]);
process.on("message", (raw) => {
  const message = toWorker.parse(raw);
  if (message.type === "clock") {
    time.set(message.now);
    report({ type: "clock-set", now: message.now });
  } else {
    // The clock moved: every fetch loop of wa.send looks for due jobs now.
    for (const w of boss.getWipData()) if (isWaSendQueue(w.name)) boss.notifyWorker(w.id);
  }
});
process.once("SIGTERM", () => {
  void boss
    .stop({ graceful: true, timeout: 15_000 })
    .catch(() => {})
    .finally(() => {
      const cpu = process.cpuUsage();
      process.send?.({ type: "stopped", cpuMs: (cpu.user + cpu.system) / 1000 } satisfies FromWorker, () => process.exit(0));
    });
});
report({ type: "ready", pid: process.pid });
