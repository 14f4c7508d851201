/**
 * `npm run bench:pipeline`: the WhatsApp send pipeline, end to end, in two shapes.
 *
 *  1. One tenant (BENCH_LEADS COLD leads, default 1,000,000, generated in SQL with the columns dispatch
 *     reads, then ANALYZE and CHECKPOINT; 20 phones):
 *     a. one dispatch run of 100 leads (target ≤ 250 ms), median of 10 runs, each on its own 5-minute slot;
 *     b. sustained end-to-end WhatsApp messages/s over BENCH_SECONDS (default 60), after a warm-up of the
 *        same sending (at least BENCH_WARMUP_SECONDS, default 15, and until as many sends finished as there
 *        are phones; then ANALYZE) so the window sees the steady state, jitter 0, the
 *        TimelinesAI simulator over HTTP in its own process (as the real provider is remote), the real
 *        wa.send job run by the jobs runtime in this process with its registry settings (target ≥ 200/s),
 *        and the CPU per message of this process, Postgres and the simulator (target ≤ 5 ms in all).
 *        The queues are fed by the real dispatch, every BENCH_REFILL_MS (1 s), for the send slots that
 *        are free (dispatch's own cap: 20 queued per phone): each refill dispatches as many leads as the
 *        phones' queues can take, as an operator sizes the batch (a larger batch re-reads and rewrites
 *        leads that cannot be queued yet; earlier versions of this bench dispatched 1,000 a second);
 *     c. pg-boss's own ceiling in the same run: empty jobs on key_strict_fifo queues of the same shape
 *        (one per tenant, the same keys and depth), run by the same runtime with wa.send's worker settings;
 *     d. the cost of one pg-boss fetch from a tenant's send queue (`wa.send.<tenant>`, ADR 0014) with every
 *        phone's queue at its cap (before the run): EXPLAIN (ANALYZE, BUFFERS) of pg-boss's own fetch
 *        statement (batch 20), median of 5, rolled back, median over up to 10 tenants' queues. Buffers do
 *        not depend on what else runs on the machine; milliseconds do;
 *     e. the idle cost of the workers once the queues are empty (CPU ms per second, this process and Postgres).
 *  2. Many tenants (BENCH_TENANTS, default 100; 0 skips it): the same total of leads split over them,
 *     20 phones each (2,000 per-phone keys for 100, in 100 send queues), the queues filled by one
 *     dispatch per tenant, then b–e again. Target: the send rate and the fetch cost within 1.5× of the
 *     one-tenant run.
 *
 * Prints the 1-minute load average before each measured run (this machine is shared: CPU per message is
 * the figure that means something under load) and ends with one JSON line of the figures and targets.
 * Knobs: BENCH_LEADS, BENCH_SECONDS, BENCH_WARMUP_SECONDS, BENCH_REFILL_MS, BENCH_TENANTS, BENCH_CPU_PROF=<dir> (a V8 profile
 * of the simulator; run `node --cpu-prof --import tsx bench/pipeline.ts` for this process's),
 * BENCH_PG_STATEMENTS=1 (top statements of each run from pg_stat_statements, when the server preloads
 * it), BENCH_KEEP_DB=1, BENCH_STEPS (steps of the sequence, default 1: each send then also completes
 * the lead's enrollment).
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
import { statementProfile } from "./support/pg-statements";
import { costsPer, countersNow, describeCosts, type PerUnitCosts } from "./support/pg-counters";
import { countRoundTrips } from "./support/round-trips";

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
/** Sending before the measured window opens (see endToEnd). */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 15);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 100);
const PHONES = 20;
/** Dispatch's production cap of sends queued per phone. */
const QUEUED_PER_PHONE = 20;
/** How often the feeder looks for free send slots during the end-to-end phase (production: every 5 minutes). */
const REFILL_MS = Number(process.env.BENCH_REFILL_MS ?? 1_000);
/**
 * Steps of the bench's sequence. With one (the default) every send is the lead's last step and also
 * completes its enrollment; with more, a send leaves the enrollment ACTIVE, as most sends of a real
 * follow-up sequence do.
 */
const SEQUENCE_STEPS = Number(process.env.BENCH_STEPS ?? 1);
const FETCH_BATCH = 20;
/** How long the idle cost of the workers is measured after each run. */
const IDLE_SECONDS = 10;
/** Tuesday 10:00 in Bucharest: the dispatch runs of 1a. Each end-to-end run has its own later day, from 09:00. */
const TUESDAY_10_00 = new Date("2026-06-09T07:00:00Z");
const DAY_MS = 24 * 3600_000;
const TARGET = { messagesPerSec: 200, cpuMsPerMessage: 5, dispatchMs: 250, manyTenantRatio: 1.5 };

const db = await createTestDatabase("bench_pl");
await pointAppAt(db);
const { startBoss, stopBoss } = await import("../jobs/boss.server");
const { ensureQueues, startWorkers } = await import("../jobs/runtime");
const { defineJob } = await import("../jobs/definition");
const { waSendQueue } = await import("../jobs/queues");
const { ensureTenantSendQueues } = await import("../jobs/pipeline/wa-send-queue");
const { dispatchJob } = await import("../jobs/pipeline/dispatch");
const { pgBossTransactionalQueue } = await import("../jobs/transactional-queue");
const { waSendJob } = await import("../jobs/pipeline/wa-send");
const { configurePipelineDeps } = await import("../jobs/pipeline/deps");
const { runDispatch } = await import("../server/pipeline/dispatch/dispatch.server");
const { queuedSendsPerPhone } = await import("../server/pipeline/send/send-queue.server");
const { pipelinePorts } = await import("../server/pipeline/adapters.server");
const { createQuotaGuardian } = await import("../server/quota/guardian.server");
const { QuotaStore } = await import("../server/quota/store.server");
const { TimelinesAiClient } = await import("../server/providers/timelinesai/client.server");
const { SANDBOX_CREDENTIALS } = await import("../server/providers/sandbox");
const { withTenant, disconnectPrisma } = await import("../server/db/client.server");
const { createTemplate } = await import("../server/templates/templates.server");
const { createSequence } = await import("../server/sequences/sequences.server");
// pg-boss's own fetch statement, to measure one fetch at the run's queue shape (no exports map: a deep import).
const { fetchNextJob } = (await import("pg-boss/dist/plans.js" as string)) as { fetchNextJob: (options: object) => { text: string; values: unknown[] } };

interface BenchTenant {
  id: string;
  phoneIds: string[];
}

/** Every phone of every tenant, as the simulator's accounts: +407 and 8 digits, unique across tenants. */
const phoneNumber = (n: number) => `+407${String(10_000_000 + n).slice(-8)}`;
const tenantsOne: BenchTenant[] = [{ id: randomUUID(), phoneIds: Array.from({ length: PHONES }, () => randomUUID()) }];
const tenantsMany: BenchTenant[] = Array.from({ length: TENANTS }, () => ({ id: randomUUID(), phoneIds: Array.from({ length: PHONES }, () => randomUUID()) }));
const accounts = Array.from({ length: PHONES * (1 + TENANTS) }, (_, n) => phoneNumber(n + 1));

const admin = new pg.Client({ connectionString: db.adminUrl });
const roundTrips = countRoundTrips([admin]);
await admin.connect();
const postmaster = await parentPid((await admin.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid);
const redisUrl = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
redisUrl.pathname = "/14";
const redis = new Redis(redisUrl.toString());
const store = new QuotaStore(redis);
const sims = await startSimulatorProcess({ accounts, scenario: { replies: { probability: 0 }, whatsapp: { sendSpacingMs: { min: 0, max: 0 } } } });
const boss = await startBoss();
await ensureQueues(boss, [dispatchJob, waSendJob] as never[]);
const statements = statementProfile(admin);
const clockAt = (ms: number) => () => new Date(ms);
const guardianAt = (clock: () => Date) => createQuotaGuardian({ store, clock, logDecisions: false });
const round = (n: number, digits: number) => Number(n.toFixed(digits));
const loadNow = () => round(loadavg()[0]!, 2);

interface RunFigures {
  tenants: number;
  keys: number;
  loadAvg1mBefore: number;
  loadAvg1mAfter: number;
  /** Sent in the warm-up, before the window, and how long it lasted. */
  warmupMessages: number;
  warmupSeconds: number;
  messages: number;
  messagesPerSec: number;
  cpuMsPerMessage: { bench: number; postgres: number; simulator: number; total: number };
  /** Queries this process sent to Postgres per message (bench/support/round-trips.ts). */
  pgRoundTripsPerMessage: number;
  /** Postgres' work per message, from its counters (bench/support/pg-counters.ts): independent of load. */
  pgPerMessage: PerUnitCosts;
  ceilingJobsPerSec: number;
  fetch: { ms: number; buffers: number; queued: number; queuedAll: number; queuesMeasured: number };
  idleCpuMsPerSec: { bench: number; postgres: number };
}

let figuresOne: (RunFigures & { dispatch100MedianMs: number }) | undefined;
let figuresMany: RunFigures | undefined;
try {
  console.log(`pipeline bench: ${LEADS.toLocaleString("en")} leads, ${PHONES} phones per tenant, ${cpus().length} cores; one tenant, then ${TENANTS} tenants`);
  let t0 = performance.now();
  await createTenants(tenantsOne, LEADS, 0);
  console.log(`  one tenant: data ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // 1a. Dispatch of 100 leads.
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const clock = clockAt(TUESDAY_10_00.getTime() + i * 5 * 60_000);
    t0 = performance.now();
    await runDispatch({ guardian: guardianAt(clock), boss, queue: pgBossTransactionalQueue(boss), sequences: pipelinePorts.sequences, clock, options: { maxPendingPerPhone: 1_000_000 } }, { tenantId: tenantsOne[0]!.id });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const dispatch100MedianMs = round(times[5]!, 0);
  console.log(`  dispatch of 100 leads: median ${dispatch100MedianMs} ms, best ${times[0]!.toFixed(0)} ms (target ≤ ${TARGET.dispatchMs} ms)`);
  await admin.query(`DELETE FROM pgboss.job WHERE name = $1`, [waSendQueue(tenantsOne[0]!.id)]);

  // 1b–d.
  figuresOne = { ...(await endToEnd("one tenant", tenantsOne, 1)), dispatch100MedianMs };

  // 2. Many tenants, the same total of leads.
  if (TENANTS > 0) {
    t0 = performance.now();
    await createTenants(tenantsMany, LEADS, PHONES);
    console.log(`  ${TENANTS} tenants: data ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    figuresMany = await endToEnd(`${TENANTS} tenants`, tenantsMany, 2);
  }
} finally {
  await stopBoss();
  sims.close();
  await redis.quit();
  await admin.end();
  await disconnectPrisma();
  if (process.env.BENCH_KEEP_DB === "1") console.log(`  kept database ${db.adminUrl}`);
  else await db.drop();
  // Leave nothing running that this run started.
  stopOwnServices();
}

if (figuresOne) {
  const one = figuresOne;
  const many = figuresMany;
  const ratio = many
    ? { messagesPerSec: round(one.messagesPerSec / Math.max(many.messagesPerSec, 1e-9), 2), fetchMs: round(many.fetch.ms / Math.max(one.fetch.ms, 1e-9), 2), fetchBuffers: round(many.fetch.buffers / Math.max(one.fetch.buffers, 1), 2) }
    : null;
  const met = {
    messagesPerSec: one.messagesPerSec >= TARGET.messagesPerSec,
    cpuMsPerMessage: one.cpuMsPerMessage.total <= TARGET.cpuMsPerMessage,
    dispatch100: one.dispatch100MedianMs <= TARGET.dispatchMs,
    manyTenant: ratio ? ratio.messagesPerSec <= TARGET.manyTenantRatio && ratio.fetchMs <= TARGET.manyTenantRatio : null,
  };
  console.log(
    `  targets: ≥ ${TARGET.messagesPerSec} messages/s ${met.messagesPerSec ? "met" : "MISSED"}; ≤ ${TARGET.cpuMsPerMessage} ms CPU per message ${met.cpuMsPerMessage ? "met" : "MISSED"}; ` +
      `dispatch ≤ ${TARGET.dispatchMs} ms ${met.dispatch100 ? "met" : "MISSED"}` +
      (ratio ? `; many tenants within ${TARGET.manyTenantRatio}× (rate ×${ratio.messagesPerSec} slower, fetch ×${ratio.fetchMs} in ms, ×${ratio.fetchBuffers} in buffers) ${met.manyTenant ? "met" : "MISSED"}` : ""),
  );
  console.log(JSON.stringify({ bench: "pipeline", leads: LEADS, phonesPerTenant: PHONES, ...one, manyTenant: many ?? null, manyTenantRatio: ratio, targets: TARGET, met }));
}

// ─── Data ────────────────────────────────────────────────────────────────────────────────────────

/** Tenants with their phones (mirrored in Redis), one template and default one-step sequence each, and `leads` COLD leads split over them. */
async function createTenants(tenants: BenchTenant[], leads: number, firstPhone: number): Promise<void> {
  const phones: Array<{ phoneId: string; status: "ACTIVE"; enabled: true; limit: number }> = [];
  let n = firstPhone;
  for (const t of tenants) {
    await admin.query(`INSERT INTO tenants (id, name, slug, jitter_min_seconds, jitter_max_seconds) VALUES ($1, $2, $3, 0, 0)`, [t.id, `Bench ${t.id.slice(0, 8)} SRL`, `bench-${t.id}`]);
    await admin.query(
      `INSERT INTO wa_phone_numbers (id, tenant_id, label, phone_number, timelinesai_account_id, daily_quota_limit)
       SELECT id, $2, 'P' || k, num, substr(num, 2) || '@s.whatsapp.net', 1000000 FROM unnest($1::uuid[], $3::text[]) WITH ORDINALITY AS u(id, num, k)`,
      [t.phoneIds, t.id, t.phoneIds.map(() => accounts[n++]!)],
    );
    phones.push(...t.phoneIds.map((phoneId) => ({ phoneId, status: "ACTIVE" as const, enabled: true as const, limit: 1_000_000 })));
    await withTenant(t.id, async (tx) => {
      const template = await createTemplate(tx, t.id, { name: "Bench", channel: "WHATSAPP", content: "{Bună ziua|Salut}, {{companyName}}!", variables: [{ name: "companyName", required: true }] });
      // Each lead gets step 1 in the window; later steps (BENCH_STEPS) fall due a day later, after it.
      const steps = Array.from({ length: SEQUENCE_STEPS }, (_, i) => ({ stepNumber: i + 1, channel: "WHATSAPP" as const, templateId: template.id, delayHours: i === 0 ? 0 : 24, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true }));
      await createSequence(tx, t.id, { name: "Bench", isDefault: true, steps });
    });
  }
  await store.writeMirrors(phones);
  const ids = tenants.map((t) => t.id);
  // What adding their phones does: each tenant's WhatsApp send queue (ADR 0014).
  await ensureTenantSendQueues(boss, ids);
  for (let done = 0; done < leads; done += 100_000) {
    const count = Math.min(100_000, leads - done);
    await admin.query(
      `WITH t AS (SELECT id, k - 1 AS k FROM unnest($1::uuid[]) WITH ORDINALITY AS u(id, k)),
       c AS (
         INSERT INTO gold_companies (tenant_id, denumire, telefon_principal, hlr_reachable, judet)
         SELECT t.id, 'Ferma ' || g || ' SRL', '+4072' || lpad(g::text, 7, '0'), true, 'Iași'
           FROM generate_series($2::int, $3::int) g JOIN t ON t.k = g % $4::int
         RETURNING id, tenant_id)
       INSERT INTO gold_lead_journey (tenant_id, lead_id) SELECT tenant_id, id FROM c`,
      [ids, done + 1, done + count, ids.length],
    );
  }
  await admin.query("ANALYZE");
  // The load writes ~0.5 GB of WAL, which starts a checkpoint that Postgres spreads over the next
  // minute and a half: across the measured window, which then counted the flushing of the load's
  // pages as the sending's Postgres CPU. Flushed here instead; the sending's own checkpoints come
  // every few minutes in steady state (checkpoint_timeout), rarely inside a 30 s window.
  await admin.query("CHECKPOINT");
}

// ─── The end-to-end run ──────────────────────────────────────────────────────────────────────────

async function endToEnd(label: string, tenants: BenchTenant[], runNumber: number): Promise<RunFigures> {
  const phoneIds = tenants.flatMap((t) => t.phoneIds);
  const tenantIds = tenants.map((t) => t.id);
  // Inside the window, on a day of its own (09:00 Bucharest), so quota days and dispatch slots never mix
  // between runs; dispatch slots advance 5 minutes per refill (9 hours of window: 108 refills).
  const offset = TUESDAY_10_00.getTime() + runNumber * DAY_MS - 3600_000 - Date.now();
  const clock = () => new Date(Date.now() + offset);
  const timelinesai = new TimelinesAiClient({ baseUrl: sims.urls.timelinesai, token: SANDBOX_CREDENTIALS.timelinesaiToken, pacer: { acquire: async () => Date.now() } });
  configurePipelineDeps({ guardian: guardianAt(clock), timelinesai, clock, instantly: {} as never, resend: {} as never });

  let slot = 0;
  /** Dispatches every tenant whose phones' queues have at least `min` free send slots, for exactly those slots. */
  const refill = async (min: number) => {
    const queued = new Map<string, number>();
    for (const t of tenants) for (const [id, n] of await queuedSendsPerPhone(boss, t.id, t.phoneIds)) queued.set(id, n);
    for (const t of tenants) {
      const free = t.phoneIds.reduce((sum, id) => sum + QUEUED_PER_PHONE - Math.min(QUEUED_PER_PHONE, queued.get(id) ?? 0), 0);
      if (free < min) continue;
      await admin.query(`UPDATE tenants SET dispatch_batch_size = $2 WHERE id = $1`, [t.id, free]);
      const c = () => new Date(clock().getTime() + slot * 5 * 60_000);
      await runDispatch({ guardian: guardianAt(c), boss, queue: pgBossTransactionalQueue(boss), sequences: pipelinePorts.sequences, clock: c, options: { maxPendingPerPhone: QUEUED_PER_PHONE } }, { tenantId: t.id }).catch((error: unknown) =>
        console.log(`  dispatch failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
    slot += 1;
  };
  // Fill every queue first, then top them up while the workers drain them: the measurement is the send
  // path with dispatch running. With many tenants the first fill lasts the whole run (2,000 phones × 20).
  await refill(1);
  // The fetch's cost with every phone's queue at its cap, the shape the run starts from (after the run
  // the queues may be nearly empty, which says nothing about a fetch under load). Measured once the job
  // table is vacuumed and analysed, in both modes: the 40,000 jobs the 100-tenant fill inserts leave it
  // due for autovacuum (which may run meanwhile) and planned on the statistics of a nearly empty table.
  // Measured right away, one 100-tenant fetch read ×1.6 the buffers of one tenant's in ×1.7–3.1 its
  // time; after the vacuum, ×1.12 the buffers in ×0.67–1.19 the time (issue #14 runs).
  await admin.query("VACUUM (ANALYZE) pgboss.job");
  const fetch = await fetchCost(tenants.map((t) => waSendQueue(t.id)));
  const sentCount = async () =>
    Number((await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM gold_communication_log WHERE tenant_id = ANY($1::uuid[]) AND status = 'SENT'`, [tenantIds])).rows[0]!.n);
  const loadAvg1mBefore = loadNow();
  console.log(`  ${label}: ${phoneIds.length} phones; warming up ≥ ${WARMUP_SECONDS} s, then measuring ${SECONDS} s; 1-min load average before: ${loadAvg1mBefore}`);
  /** Sends and refills, as in production, until `seconds` have passed and `until` (if given) holds. */
  const drive = async (seconds: number, until?: { done: () => Promise<boolean>; maxSeconds: number }) => {
    const started = performance.now();
    const end = started + seconds * 1000;
    for (;;) {
      const now = performance.now();
      if (now >= end && (!until || now >= started + until.maxSeconds * 1000 || (await until.done()))) return (now - started) / 1000;
      await new Promise((r) => setTimeout(r, REFILL_MS));
      await refill(Math.min(100, (PHONES * QUEUED_PER_PHONE) / 4));
    }
  };
  const stopWorkers = await startWorkers(boss, [waSendJob] as never[]);
  // The warm-up: started cold, every phone's first send is fetched at once (2,000 with 100 tenants)
  // and they all finish late together, so a window opened with the workers counted the work of
  // thousands of sends still in flight at its end against the few finished (issue #14 runs: ×2.1–2.4
  // slower with 100 tenants). So it lasts until as many sends finished as there are phones (capped at
  // four times its length), and the window measures the steady state that follows.
  const warm0 = await sentCount();
  const warmedSeconds = await drive(WARMUP_SECONDS, { done: async () => (await sentCount()) - warm0 >= phoneIds.length, maxSeconds: 4 * WARMUP_SECONDS });
  // Then the statistics autovacuum gathers within a minute of a table starting to fill (its analyze
  // also drops the cached plans): planned on the message log while it was still empty, the intent's
  // same-content check keeps a sequential scan, whose cost grows with every message (5,089 buffers
  // per message in one 30 s window; 613 in the next run, analysed after its warm-up).
  await admin.query("ANALYZE");
  const before = await sentCount();
  const warmupMessages = before - warm0;
  const profiling = process.env.BENCH_PG_STATEMENTS === "1" && (await statements.reset());
  const counters0 = await countersNow(admin);
  const cpu0 = await cpuNow();
  const trips0 = roundTrips();
  const startedAt = performance.now();
  await drive(SECONDS);
  const messages = (await sentCount()) - before;
  const messagesPerSec = messages / ((performance.now() - startedAt) / 1000);
  const cpu = cpuSince(cpu0, await cpuNow());
  const pgRoundTripsPerMessage = round((roundTrips() - trips0) / Math.max(1, messages), 2);
  const loadAvg1mAfter = loadNow();
  // The workers stop once their sends in flight have finished (pg-boss's offWork waits for them); then
  // Postgres' counters, per message sent by then, after a moment for the other connections' table
  // counters to reach pg_stat_user_tables.
  await stopWorkers();
  await new Promise((r) => setTimeout(r, 1_500));
  const sent = (await sentCount()) - before;
  const pgPerMessage = await costsPer(admin, counters0, await countersNow(admin), sent);
  if (profiling) for (const line of await statements.report(30, { name: "message", count: sent })) console.log(`  pg: ${line}`);
  // What the workers cost with nothing to send: every tenant's queue emptied and fresh workers polling
  // them (a queue per tenant, ADR 0014), over IDLE_SECONDS; CPU milliseconds per second of this process and Postgres.
  await admin.query(`DELETE FROM pgboss.job WHERE name = ANY($1::text[])`, [tenants.map((t) => waSendQueue(t.id))]);
  const stopIdleWorkers = await startWorkers(boss, [waSendJob] as never[]);
  await new Promise((r) => setTimeout(r, 2_000));
  const idle0 = await cpuNow();
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const idleCpu = cpuSince(idle0, await cpuNow());
  const idleCpuMsPerSec = { bench: round((1000 * idleCpu.bench) / IDLE_SECONDS, 1), postgres: round((1000 * idleCpu.postgres) / IDLE_SECONDS, 1) };
  await stopIdleWorkers();

  const ceilingJobsPerSec = await ceiling(tenants.length, PHONES, `bench.empty.${runNumber}`);
  const per = (seconds: number) => round((1000 * seconds) / Math.max(1, messages), 2);
  const cpuMsPerMessage = { bench: per(cpu.bench), postgres: per(cpu.postgres), simulator: per(cpu.simulator), total: per(cpu.bench + cpu.postgres + cpu.simulator) };
  console.log(
    `  ${label}: ${messagesPerSec.toFixed(1)} messages/s end to end over ${SECONDS} s (target ≥ ${TARGET.messagesPerSec}/s; ${warmupMessages} sent in the ${Math.round(warmedSeconds)} s warm-up before); ` +
      `CPU per message ${cpuMsPerMessage.total} ms (this process: workers + dispatch ${cpuMsPerMessage.bench}, Postgres ${cpuMsPerMessage.postgres}, simulator ${cpuMsPerMessage.simulator}; target ≤ ${TARGET.cpuMsPerMessage} ms); ` +
      `1-min load average ${loadAvg1mBefore} → ${loadAvg1mAfter} on ${cpus().length} cores`,
  );
  console.log(
    `  ${label}: one pg-boss fetch of ${FETCH_BATCH} from a tenant's send queue at ${fetch.queued} queued sends (${fetch.queuedAll} in all ${tenants.length} queues; median over ${fetch.queuesMeasured} queues): ${fetch.ms} ms, ${fetch.buffers} buffers; ` +
      `ceiling (pg-boss empty jobs, ${tenants.length} queue(s) × ${PHONES} keys, ~${QUEUED_PER_PHONE} queued per key): ${ceilingJobsPerSec.toFixed(0)} jobs/s`,
  );
  console.log(`  ${label}: idle workers (${tenants.length} empty send queue(s) polled): ${idleCpuMsPerSec.bench} ms CPU/s in this process, ${idleCpuMsPerSec.postgres} ms CPU/s in Postgres`);
  console.log(`  ${label}: round trips to Postgres per message, from this process (workers, dispatch, pg-boss): ${pgRoundTripsPerMessage}`);
  for (const line of describeCosts(pgPerMessage, "message")) console.log(`  ${label}: Postgres ${line}`);
  return { tenants: tenants.length, keys: phoneIds.length, loadAvg1mBefore, loadAvg1mAfter, warmupMessages, warmupSeconds: Math.round(warmedSeconds), messages, messagesPerSec: round(messagesPerSec, 1), cpuMsPerMessage, pgRoundTripsPerMessage, pgPerMessage, ceilingJobsPerSec: Math.round(ceilingJobsPerSec), fetch, idleCpuMsPerSec };
}

/**
 * One fetch as the workers run it (pg-boss's own statement, batch FETCH_BATCH) from a tenant's send
 * queue, under EXPLAIN (ANALYZE, BUFFERS) in a transaction that is rolled back: median of 5 per queue,
 * then the median over up to 10 of the queues (spread over the list). Each fetch reads one queue.
 */
async function fetchCost(queues: string[]): Promise<{ ms: number; buffers: number; queued: number; queuedAll: number; queuesMeasured: number }> {
  const queuedAll = Number((await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM pgboss.job WHERE name = ANY($1::text[]) AND state < 'active'`, [queues])).rows[0]!.n);
  const step = Math.max(1, Math.floor(queues.length / 10));
  const sample = queues.filter((_, i) => i % step === 0).slice(0, 10);
  const perQueue: Array<{ ms: number; buffers: number; queued: number }> = [];
  for (const queue of sample) {
    const { rows: q } = await admin.query<{ policy: string; table_name: string }>(`SELECT policy, table_name FROM pgboss.queue WHERE name = $1`, [queue]);
    const queued = Number((await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM pgboss.job WHERE name = $1 AND state < 'active'`, [queue])).rows[0]!.n);
    const plan = fetchNextJob({ schema: "pgboss", table: q[0]!.table_name, name: queue, policy: q[0]!.policy, limit: FETCH_BATCH, ignoreSingletons: null });
    const runs: Array<{ ms: number; buffers: number }> = [];
    for (let i = 0; i < 5; i++) {
      await admin.query("BEGIN");
      try {
        const { rows } = await admin.query<{ "QUERY PLAN": Array<{ Plan: { "Shared Hit Blocks": number; "Shared Read Blocks": number }; "Execution Time": number; "Planning Time": number }> }>(
          `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${plan.text}`,
          plan.values,
        );
        const p = rows[0]!["QUERY PLAN"][0]!;
        runs.push({ ms: p["Execution Time"] + p["Planning Time"], buffers: p.Plan["Shared Hit Blocks"] + p.Plan["Shared Read Blocks"] });
      } finally {
        await admin.query("ROLLBACK");
      }
    }
    runs.sort((a, b) => a.ms - b.ms);
    perQueue.push({ ...runs[2]!, queued });
  }
  const median = <T>(xs: T[], by: (x: T) => number) => [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)]!;
  return {
    ms: round(median(perQueue, (r) => r.ms).ms, 3),
    buffers: median(perQueue, (r) => r.buffers).buffers,
    queued: median(perQueue, (r) => r.queued).queued,
    queuedAll,
    queuesMeasured: perQueue.length,
  };
}

/**
 * pg-boss's send→complete rate for empty jobs on key_strict_fifo queues shaped like the run's: one
 * queue per tenant (`queues`), `keys` keys each kept ~QUEUED_PER_PHONE deep, worked as wa.send is.
 */
async function ceiling(queues: number, keys: number, name: string): Promise<number> {
  let completed = 0;
  const { schedule: _none, schedules: _noneEither, batchHandler: _batch, perTenant: _family, ...settings } = waSendJob;
  const queueNames = Array.from({ length: queues }, (_, i) => `${name}.${i}`);
  const emptyJob = defineJob({
    ...settings,
    name,
    perTenant: { queueFor: (i: string) => `${name}.${i}`, tenantOf: (q: string) => (queueNames.includes(q) ? q : undefined) },
    payload: z.object({}),
    handler: async () => {
      completed += 1;
    },
  });
  await ensureQueues(boss, [emptyJob] as never[], queueNames.map((_, i) => String(i)));
  let inserted = 0;
  const topUp = async () => {
    const missing = queues * keys * QUEUED_PER_PHONE - (inserted - completed);
    if (missing <= 0) return;
    // Key k belongs to queue k % queues: `keys` keys per queue.
    const perQueue: Array<Array<{ data: object; singletonKey: string }>> = queueNames.map(() => []);
    for (let k = 0; k < missing; k++) {
      const key = (inserted + k) % (queues * keys);
      perQueue[key % queues]!.push({ data: {}, singletonKey: `k${key}` });
    }
    for (let q = 0; q < queues; q++) {
      const own = perQueue[q]!;
      for (let i = 0; i < own.length; i += 5_000) await boss.insert(queueNames[q]!, own.slice(i, i + 5_000));
    }
    inserted += missing;
  };
  await topUp();
  const seconds = Math.max(10, SECONDS / 2);
  const t0 = performance.now();
  const stop = await startWorkers(boss, [emptyJob] as never[]);
  while (performance.now() - t0 < seconds * 1000) {
    await new Promise((r) => setTimeout(r, 20));
    await topUp();
  }
  const rate = completed / ((performance.now() - t0) / 1000);
  await stop();
  await admin.query(`DELETE FROM pgboss.job WHERE name = ANY($1::text[])`, [queueNames]);
  return rate;
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

/** The simulators as their own process (scripts/simulators.ts), on a free port, with this configuration. */
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
