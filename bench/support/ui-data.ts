/**
 * The database `npm run bench:ui` measures: the demo seed with BENCH_LEADS leads for the first tenant
 * (`npm run seed -- --leads 1000000`, the same generator as the demo data), on the project's bench
 * Postgres (.data/bench, BENCH_PG_PORT). Seeding a million leads takes minutes, so the database is kept
 * between runs (`bench_ui_<leads>`) and reused while its seed is complete; BENCH_UI_RESEED=1 rebuilds it.
 * Pending migrations are applied on every run (the runner is a no-op when up to date).
 *
 * Run alone to prepare the data ahead of a measurement: `tsx bench/support/ui-data.ts`.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { migrate } from "../../server/db/migrate.server";
import { PROJECT_ROOT } from "../../scripts/lib/layout";
import { run } from "../../scripts/lib/run";
import { createDatabase, ensureServices } from "../../scripts/lib/services";

export interface BenchUiData {
  adminUrl: string;
  appUrl: string;
  redisUrl: string;
  leads: number;
  /** Whether this run seeded the database (false: reused). */
  seeded: boolean;
  stop: () => void;
}

const say = (msg: string) => process.stdout.write(`[bench:ui] ${msg}\n`);

async function leadCount(adminUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    // The seed writes its first tenant's leads, then the second's (800), then ANALYZE: a complete seed
    // has both tenants and the second one's leads.
    const r = await client.query<{ n: string; tenants: string }>(
      `SELECT (SELECT count(*) FROM tenants)::text AS tenants,
              (SELECT count(*) FROM gold_companies WHERE tenant_id = (SELECT id FROM tenants WHERE slug = 'agroverde'))::text AS n`,
    );
    return Number(r.rows[0]?.tenants) === 2 ? Number(r.rows[0]?.n) : 0;
  } catch {
    return 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function ensureBenchUiData(leads: number): Promise<BenchUiData> {
  const services = await ensureServices({
    root: path.join(PROJECT_ROOT, ".data/bench"),
    pgPort: Number(process.env.BENCH_PG_PORT ?? 54349),
    redisPort: Number(process.env.BENCH_REDIS_PORT ?? 63819),
    database: "cerniq_bench",
  });
  const name = `bench_ui_${leads}`;
  const base = new URL(services.adminUrl);
  base.pathname = `/${name}`;
  let adminUrl = base.toString();
  const reseed = process.env.BENCH_UI_RESEED === "1";
  let have = reseed ? 0 : await leadCount(adminUrl);
  if (have !== leads) {
    say(`${reseed ? "BENCH_UI_RESEED=1" : have === 0 ? "no seeded database yet" : `database has ${have} leads`}: seeding ${leads.toLocaleString("en")} leads (minutes)`);
    adminUrl = createDatabase(services.adminUrl, name, { recreate: true });
  }
  const appUrl = adminUrl.replace(/\/\/[^@]+@/, "//cerniq_app:cerniq_app_local@");
  await migrate({ adminUrl, appUrl });
  let seeded = false;
  if (have !== leads) {
    const t0 = performance.now();
    const code = await run(process.execPath, ["--import", "tsx", "prisma/seed/main.ts", "--leads", String(leads)], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_ADMIN_URL: adminUrl, DATABASE_URL: appUrl },
    });
    if (code !== 0) throw new Error(`seed failed (exit ${code})`);
    have = await leadCount(adminUrl);
    if (have !== leads) throw new Error(`seed wrote ${have} leads, expected ${leads}`);
    say(`seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    seeded = true;
  }
  return { adminUrl, appUrl, redisUrl: services.redisUrl, leads, seeded, stop: services.stopStarted };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const data = await ensureBenchUiData(Number(process.env.BENCH_LEADS ?? 1_000_000));
  say(`ready: ${data.adminUrl} (${data.seeded ? "seeded now" : "reused"}); the bench Postgres keeps running`);
}
