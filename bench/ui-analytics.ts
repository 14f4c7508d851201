/**
 * `npm run bench:ui:analytics`: the analytics page's report (tRPC `analytics.report`, the procedure the
 * page calls, with its zod output) for the 90-day and 30-day presets on a tenant seeded by the
 * product's own seed (prisma/seed/tenant.ts: BENCH_LEADS leads, default 1,000,000, with its simulated
 * 60-day past, its log, and the daily statistics and breakdowns recomputed from that log).
 * Target (issue 11): 90 days < 200 ms p95, answered from the daily statistics, not by scanning the log.
 *
 * Also printed: the seed's own time, the rows in the statistics tables (what the report reads) beside
 * the log's rows (what it must not read), and one recompute of today (the five-minute job's work).
 *
 * Database: a fresh one on the test server (TEST_PG_ADMIN_URL / DATABASE_ADMIN_URL; when neither is set
 * the project's test Postgres and Redis are started), dropped at the end unless BENCH_KEEP_DB=1 (a later
 * run with BENCH_DB=<its name> measures again without seeding again). BENCH_RUNS (default 60)
 * timed calls per preset after 5 warm-up calls. Exits 0 whatever the figures; targets are printed.
 */
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";

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
type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;
const pg = (await import("pg")).default;

const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const TARGET_P95_MS = 200;

/** BENCH_DB=<name>: measure on a database a previous run kept (BENCH_KEEP_DB=1) instead of seeding again. */
const REUSE = process.env.BENCH_DB;
const KEEP = process.env.BENCH_KEEP_DB === "1" || REUSE !== undefined;
const db = REUSE ? existingDatabase(REUSE) : await createTestDatabase("bench_ua");
await pointAppAt(db);

function existingDatabase(name: string): TestDatabase {
  const adminUrl = new URL(process.env.TEST_PG_ADMIN_URL ?? process.env.DATABASE_ADMIN_URL!);
  adminUrl.pathname = `/${name}`;
  const appUrl = new URL(adminUrl);
  appUrl.username = "cerniq_app";
  appUrl.password = "cerniq_app_local";
  return { name, adminUrl: adminUrl.toString(), appUrl: appUrl.toString(), drop: async () => {} };
}
const { buildTenantSeed, DEMO_TENANTS } = await import("../prisma/seed/tenant");
const { hashPassword } = await import("../server/auth/password.server");
const { appRouter } = await import("../server/trpc/router.server");
const { createCallerFactory } = await import("../server/trpc/init.server");
const { recomputeTenantStatistics } = await import("../server/stats/recompute.server");
const { BREAKDOWN_TABLES } = await import("../server/stats/breakdowns.server");
const { presetPeriod } = await import("../server/stats/periods");
const { localDay } = await import("../server/stats/day");

const admin = new pg.Client({ connectionString: db.adminUrl });
await admin.connect();

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const n = (x: number) => x.toLocaleString("ro-RO");

try {
  const now = new Date();
  let seedSeconds = 0;
  let tenantId: string;
  if (REUSE) {
    tenantId = (await admin.query<{ id: string }>("SELECT id FROM tenants WHERE slug = $1", [DEMO_TENANTS[0]!.slug])).rows[0]!.id;
    process.stdout.write(`[bench:ui:analytics] measuring on the kept database ${REUSE}\n`);
  } else {
    process.stdout.write(`[bench:ui:analytics] seeding ${n(LEADS)} leads with the product's seed (its 60-day past and statistics)…\n`);
    const seedStarted = performance.now();
    await admin.query("SET synchronous_commit = off");
    if (LEADS > 50_000) await admin.query("SET session_replication_role = replica").catch(() => undefined);
    await admin.query("BEGIN");
    const seeded = await buildTenantSeed(admin, { tenant: DEMO_TENANTS[0]!, tenantIndex: 0, seed: 1000, leadCount: LEADS, passwordHash: await hashPassword("bench"), now });
    await admin.query("COMMIT");
    await admin.query("RESET session_replication_role");
    await admin.query("ANALYZE");
    seedSeconds = (performance.now() - seedStarted) / 1000;
    tenantId = seeded.tenantId;
  }
  const leads = Number((await admin.query<{ n: string }>("SELECT count(*)::text AS n FROM gold_companies WHERE tenant_id = $1", [tenantId])).rows[0]!.n);

  const count = async (table: string) => Number((await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)).rows[0]!.n);
  const logRows = await count("gold_communication_log");
  let statRows = 0;
  for (const table of ["outreach_daily_stats", ...BREAKDOWN_TABLES]) statRows += await count(table);
  process.stdout.write(`[bench:ui:analytics] ${REUSE ? "kept database" : `seeded in ${seedSeconds.toFixed(0)} s`}: ${n(leads)} leads, ${n(logRows)} log rows, ${n(statRows)} statistics rows (daily + breakdowns)\n`);

  const manager = (
    await admin.query<{ id: string; email: string; name: string }>("SELECT id, email, name FROM users WHERE tenant_id = $1 AND role = 'MANAGER' ORDER BY email LIMIT 1", [tenantId])
  ).rows[0]!;
  const caller = createCallerFactory(appRouter)({
    user: { id: manager.id, tenantId: tenantId, tenantName: DEMO_TENANTS[0]!.name, role: "MANAGER", name: manager.name, email: manager.email, locale: "ro", sessionId: "bench" },
    requestId: "bench",
    ip: null,
    boss: null,
    clock: () => now,
  });


  const zone = (await admin.query<{ timezone: string }>("SELECT timezone FROM tenants WHERE id = $1", [tenantId])).rows[0]!.timezone;
  const figures: Record<string, number> = {};
  for (const preset of ["90d", "30d"] as const) {
    const input = presetPeriod(preset, localDay(zone, now));
    for (let i = 0; i < 5; i++) await caller.analytics.report(input);
    const times: number[] = [];
    let sent = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const report = await caller.analytics.report(input);
      times.push(performance.now() - t0);
      sent = report.totals.sent;
    }
    times.sort((a, b) => a - b);
    figures[`report_${preset}_p50_ms`] = percentile(times, 50);
    figures[`report_${preset}_p95_ms`] = percentile(times, 95);
    process.stdout.write(
      `  analytics.report ${preset.padEnd(4)} p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, max ${ms(times[times.length - 1]!)} over ${RUNS} calls (sent in the period: ${n(sent)})` +
        (preset === "90d" ? `   target p95 < ${TARGET_P95_MS} ms ${percentile(times, 95) < TARGET_P95_MS ? "OK" : "MISSED"}` : "") +
        "\n",
    );
  }
  // One recompute of today: what the five-minute statistics job does per tenant (after the report's
  // calls, so the connection pool is warm and the figure is the statements' cost).
  const recompute = await recomputeTenantStatistics(tenantId, { kind: "today" }, { clock: () => now });
  process.stdout.write(`  recompute of today (statistics job, per tenant): ${ms(recompute.durationMs)}\n`);
  const load = loadavg().map((x) => Number(x.toFixed(2)));
  process.stdout.write(`  load average ${load.join(" ")}\n`);
  process.stdout.write(
    JSON.stringify({
      bench: "ui-analytics",
      leads,
      log_rows: logRows,
      stats_rows: statRows,
      runs: RUNS,
      ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Number(v.toFixed(1))])),
      target_90d_p95_ms: TARGET_P95_MS,
      ok: figures.report_90d_p95_ms! < TARGET_P95_MS,
      recompute_today_ms: Math.round(recompute.durationMs),
      seed_s: Math.round(seedSeconds),
      loadavg: load,
    }) + "\n",
  );
} finally {
  await admin.end();
  if (KEEP) process.stdout.write(`[bench:ui:analytics] database kept: BENCH_DB=${db.name} (drop it when done)\n`);
  else await db.drop();
  stopOwnServices();
}
