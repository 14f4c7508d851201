/**
 * `npm run bench:pipeline`:
 *
 *  1. one dispatch run of 100 leads (target ≤ 250 ms) on a tenant with BENCH_LEADS COLD leads
 *     (default 1,000,000, generated in SQL: same columns dispatch reads as the seed's leads),
 *     median of 10 runs, each on its own 5-minute slot;
 *  2. sustained end-to-end WhatsApp messages/s over BENCH_SECONDS (default 60) with jitter 0, 20
 *     phones, the TimelinesAI simulator over HTTP in its own process (as the real provider is
 *     remote), the real wa.send job run by the jobs runtime in this process, with its registry
 *     settings (target ≥ 200/s). Dispatch, with its production cap of 20 queued sends per phone,
 *     tops the queues up every BENCH_REFILL_MS (default 1 s; the cron's 5 minutes could not feed
 *     200/s), in this process too; the CPU per message of this process, Postgres and the simulator
 *     is printed beside the rate;
 *  3. the ceiling, in the same run: pg-boss's own send→complete rate for empty jobs on a
 *     key_strict_fifo queue with 20 keys kept ~20 deep (as the send queue was), run by the same
 *     runtime with wa.send's worker settings, for max(10, BENCH_SECONDS / 2) s.
 *
 * BENCH_CPU_PROF=<dir> also writes a V8 CPU profile of the simulator process there (run the bench
 * itself with `node --cpu-prof --import tsx bench/pipeline.ts` for this process's).
 *
 * Database: a fresh one on the test server (TEST_PG_ADMIN_URL / DATABASE_ADMIN_URL; when neither is set
 * the project's test Postgres and Redis are started), dropped at the end. Redis: REDIS_URL, logical DB 14.
 * Exits 0 whatever the figures; targets are printed beside them.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { cpuSeconds, parentPid, postgresCpuSeconds } from "./support/process-cpu";

process.env.LOG_LEVEL ??= "silent";
let stopOwnServices = () => {};
if (!process.env.TEST_PG_ADMIN_URL && !process.env.DATABASE_ADMIN_URL) {
  const { ensureServices } = await import("../scripts/lib/services");
  const { TEST_LAYOUT } = await import("../scripts/lib/layout");
  const services = await ensureServices(TEST_LAYOUT);
  process.env.TEST_PG_ADMIN_URL = services.adminUrl;
  process.env.REDIS_URL ??= services.redisUrl;
  stopOwnServices = services.stopStarted;
}
process.env.SESSION_SECRET ??= "bench-session-secret-bench-session-secret-0123456789";
const { createTestDatabase, useDatabase: pointAppAt } = await import("../tests/support/db");
const { Redis } = await import("ioredis");
const pg = (await import("pg")).default;

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const PHONES = 20;
/** How often dispatch tops the queues up during the end-to-end phase (production: every 5 minutes). */
const REFILL_MS = Number(process.env.BENCH_REFILL_MS ?? 1_000);
const WEDNESDAY_10_00 = new Date("2026-06-10T07:00:00Z");

const db = await createTestDatabase("bench_pl");
await pointAppAt(db);
const { startBoss, stopBoss } = await import("../jobs/boss.server");
const { ensureQueues, startWorkers } = await import("../jobs/runtime");
const { defineJob } = await import("../jobs/definition");
const { WA_SEND_QUEUE } = await import("../jobs/queues");
const { dispatchJob } = await import("../jobs/pipeline/dispatch");
const { pgBossTransactionalQueue } = await import("../jobs/transactional-queue");
const { waSendJob } = await import("../jobs/pipeline/wa-send");
const { configurePipelineDeps } = await import("../jobs/pipeline/deps");
const { runDispatch } = await import("../server/pipeline/dispatch/dispatch.server");
const { pipelinePorts } = await import("../server/pipeline/adapters.server");
const { createQuotaGuardian } = await import("../server/quota/guardian.server");
const { QuotaStore } = await import("../server/quota/store.server");
const { TimelinesAiClient } = await import("../server/providers/timelinesai/client.server");
const { SANDBOX_CREDENTIALS } = await import("../server/providers/sandbox");
const { DEFAULT_ACCOUNTS } = await import("../server/sandbox/launcher");
const { withTenant, disconnectPrisma } = await import("../server/db/client.server");
const { createTemplate } = await import("../server/templates/templates.server");
const { createSequence } = await import("../server/sequences/sequences.server");

const admin = new pg.Client({ connectionString: db.adminUrl });
await admin.connect();
const postmaster = await parentPid((await admin.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid);
const redisUrl = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
redisUrl.pathname = "/14";
const redis = new Redis(redisUrl.toString());
const store = new QuotaStore(redis);
const sims = await startSimulatorProcess({ scenario: { replies: { probability: 0 }, whatsapp: { sendSpacingMs: { min: 0, max: 0 } } } });
const boss = await startBoss();
await ensureQueues(boss, [dispatchJob, waSendJob] as never[]);

const tenantId = randomUUID();
const phoneIds = Array.from({ length: PHONES }, () => randomUUID());
try {
  console.log(`pipeline bench: ${LEADS.toLocaleString("en")} leads, ${PHONES} phones, ${cpus().length} cores`);
  await admin.query(`INSERT INTO tenants (id, name, slug, jitter_min_seconds, jitter_max_seconds) VALUES ($1, 'Bench SRL', $2, 0, 0)`, [tenantId, `bench-${tenantId}`]);
  for (let i = 0; i < PHONES; i++) {
    const n = DEFAULT_ACCOUNTS[i]!;
    await admin.query(`INSERT INTO wa_phone_numbers (id, tenant_id, label, phone_number, timelinesai_account_id, daily_quota_limit) VALUES ($1, $2, $3, $4, $5, 1000000)`, [phoneIds[i], tenantId, `P${i}`, n, `${n.slice(1)}@s.whatsapp.net`]);
  }
  await store.writeMirrors(phoneIds.map((phoneId) => ({ phoneId, status: "ACTIVE" as const, enabled: true, limit: 1_000_000 })));
  await withTenant(tenantId, async (tx) => {
    const t = await createTemplate(tx, tenantId, { name: "Bench", channel: "WHATSAPP", content: "{Bună ziua|Salut}, {{companyName}}!", variables: [{ name: "companyName", required: true }] });
    await createSequence(tx, tenantId, { name: "Bench", isDefault: true, steps: [{ stepNumber: 1, channel: "WHATSAPP", templateId: t.id, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true }] });
  });
  let t0 = performance.now();
  for (let done = 0; done < LEADS; done += 100_000) {
    const n = Math.min(100_000, LEADS - done);
    await admin.query(
      `WITH c AS (
         INSERT INTO gold_companies (tenant_id, denumire, telefon_principal, hlr_reachable, judet)
         SELECT $1, 'Ferma ' || g || ' SRL', '+4072' || lpad(g::text, 7, '0'), true, 'Iași' FROM generate_series($2::int, $3::int) g
         RETURNING id)
       INSERT INTO gold_lead_journey (tenant_id, lead_id) SELECT $1, id FROM c`,
      [tenantId, done + 1, done + n],
    );
  }
  await admin.query("ANALYZE");
  console.log(`  data: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // 1. Dispatch of 100 leads.
  const clockAt = (ms: number) => () => new Date(ms);
  const guardianAt = (clock: () => Date) => createQuotaGuardian({ store, clock, logDecisions: false });
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const clock = clockAt(WEDNESDAY_10_00.getTime() + i * 5 * 60_000);
    t0 = performance.now();
    await runDispatch({ guardian: guardianAt(clock), boss, queue: pgBossTransactionalQueue(boss), sequences: pipelinePorts.sequences, clock, options: { maxPendingPerPhone: 1_000_000 } }, { tenantId });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`  dispatch of 100 leads: median ${times[5]!.toFixed(0)} ms, best ${times[0]!.toFixed(0)} ms (target ≤ 250 ms)`);
  await boss.deleteAllJobs?.(WA_SEND_QUEUE).catch(() => {});

  // 2. End to end: dispatch keeps the queues full, the real wa.send job drains them.
  const offset = WEDNESDAY_10_00.getTime() + 3600_000 - Date.now();
  const clock = () => new Date(Date.now() + offset);
  const timelinesai = new TimelinesAiClient({ baseUrl: sims.urls.timelinesai, token: SANDBOX_CREDENTIALS.timelinesaiToken, pacer: { acquire: async () => Date.now() } });
  configurePipelineDeps({ guardian: guardianAt(clock), timelinesai, clock, instantly: {} as never, resend: {} as never });
  await admin.query(`UPDATE tenants SET dispatch_batch_size = 1000 WHERE id = $1`, [tenantId]);
  let slot = 0;
  const dispatchOnce = async () => {
    const c = () => new Date(clock().getTime() + slot * 5 * 60_000);
    slot += 1;
    await runDispatch({ guardian: guardianAt(c), boss, queue: pgBossTransactionalQueue(boss), sequences: pipelinePorts.sequences, clock: c, options: {} }, { tenantId }).catch(() => {});
  };
  // Fill the queues first (dispatch's own cap: 20 queued per phone), then top them up every
  // REFILL_MS while the workers drain them, so the measurement is the send path with dispatch running.
  await dispatchOnce();
  const sentCount = async () => Number((await admin.query(`SELECT count(*) AS n FROM gold_communication_log WHERE tenant_id = $1 AND status = 'SENT'`, [tenantId])).rows[0].n);
  const before = await sentCount();
  const cpu0 = await cpuNow();
  await startWorkers(boss, [waSendJob] as never[]);
  const startedAt = performance.now();
  const end = startedAt + SECONDS * 1000;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, REFILL_MS));
    await dispatchOnce();
  }
  const sent = (await sentCount()) - before;
  const e2e = sent / ((performance.now() - startedAt) / 1000);
  const cpu = cpuSince(cpu0, await cpuNow());
  await boss.offWork(WA_SEND_QUEUE);

  // 3. Ceiling: empty jobs on a key_strict_fifo queue, 20 keys, wa.send's worker settings.
  let completed = 0;
  const { schedule: _none, ...settings } = waSendJob;
  const emptyJob = defineJob({
    ...settings,
    name: "bench.empty",
    payload: z.object({}),
    handler: async () => {
      completed += 1;
    },
  });
  await ensureQueues(boss, [emptyJob] as never[]);
  // The same depth as the send queue had: about 20 queued per key, topped up as they complete.
  let inserted = 0;
  const topUp = async () => {
    const missing = PHONES * 20 - (inserted - completed);
    if (missing <= 0) return;
    await boss.insert("bench.empty", Array.from({ length: missing }, (_, k) => ({ data: {}, singletonKey: `k${(inserted + k) % PHONES}` })));
    inserted += missing;
  };
  await topUp();
  const ceilingSeconds = Math.max(10, SECONDS / 2);
  t0 = performance.now();
  await startWorkers(boss, [emptyJob] as never[]);
  while (performance.now() - t0 < ceilingSeconds * 1000) {
    await new Promise((r) => setTimeout(r, 20));
    await topUp();
  }
  const ceiling = completed / ((performance.now() - t0) / 1000);
  const perMessage = (seconds: number) => `${((1000 * seconds) / Math.max(1, sent)).toFixed(2)} ms`;
  console.log(`  end to end: ${e2e.toFixed(1)} messages/s over ${SECONDS} s (target ≥ 200/s); ceiling (pg-boss empty jobs, key_strict_fifo, 20 keys, ~20 queued per key): ${ceiling.toFixed(0)} jobs/s`);
  console.log(
    `  CPU per message during end to end: this process (workers + dispatch) ${perMessage(cpu.bench)}, Postgres ${perMessage(cpu.postgres)}, ` +
      `simulator ${perMessage(cpu.simulator)}; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cores`,
  );
} finally {
  await stopBoss();
  sims.close();
  await redis.quit();
  await admin.end();
  await disconnectPrisma();
  await db.drop();
  // Leave nothing running that this run started.
  stopOwnServices();
}

interface CpuSnapshot {
  bench: number;
  postgres: number;
  simulator: number;
}

async function cpuNow(): Promise<CpuSnapshot> {
  const own = process.cpuUsage();
  return { bench: (own.user + own.system) / 1e6, postgres: await postgresCpuSeconds(postmaster), simulator: await cpuSeconds(sims.pid) };
}

function cpuSince(a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot {
  return { bench: b.bench - a.bench, postgres: b.postgres - a.postgres, simulator: b.simulator - a.simulator };
}

/** The simulators as their own process (scripts/simulators.ts), on a free port, with this scenario. */
async function startSimulatorProcess(config: object): Promise<{ urls: { timelinesai: string }; pid: number | undefined; close: () => void }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "bench-sims-")), "simulators.json");
  writeFileSync(file, JSON.stringify(config));
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", "scripts/simulators.ts"], {
    env: { ...process.env, SIMULATOR_PORT: "0", SIMULATOR_CONFIG: file, LOG_LEVEL: "silent" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const timelinesai = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /TimelinesAI\s+(\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.once("exit", (code) => reject(new Error(`simulators exited (${code}) before listening:\n${out}`)));
  });
  return { urls: { timelinesai }, pid: child.pid, close: () => void child.kill("SIGTERM") };
}
