/**
 * Demo data: `npm run seed` (or automatically by `npm start` on an empty database).
 * Deterministic (seeded RNG). Connects as the owner (DATABASE_ADMIN_URL), which row-level security does
 * not bind, because it writes for two tenants.
 *   npm run seed                    two tenants, 5,000 + 800 leads, everything the pages show, with a
 *                                   60-day past simulated by the product's own rules (tenant.ts, history.ts)
 *   npm run seed -- --leads 1000000 the same with 1,000,000 leads for tenant 1 (benchmarks)
 *   npm run seed -- --reset         empties the tenant tables first
 */
import { performance } from "node:perf_hooks";
import pg from "pg";
import { hashPassword } from "../../server/auth/password.server";
import { loadDotEnv } from "../../scripts/lib/env-file";
import { PROJECT_ROOT } from "../../scripts/lib/layout";
import { buildTenantSeed, DEMO_PASSWORD, DEMO_TENANTS, HISTORY_DAYS } from "./tenant";

loadDotEnv(PROJECT_ROOT);

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const leadsArg = argValue("--leads") ?? process.env.SEED_LEADS;
const leads = leadsArg ? Number(leadsArg) : 5000;
if (!Number.isInteger(leads) || leads < 100) throw new Error("--leads must be an integer ≥ 100");
const reset = process.argv.includes("--reset");

const adminUrl = process.env.DATABASE_ADMIN_URL;
if (!adminUrl) throw new Error("DATABASE_ADMIN_URL is required (the owner connection); `npm start` sets it for the local database");

const client = new pg.Client({ connectionString: adminUrl });
await client.connect();
const started = performance.now();
try {
  const existing = await client.query<{ n: string }>("SELECT count(*)::text AS n FROM tenants");
  if (Number(existing.rows[0]?.n) > 0) {
    if (!reset) {
      process.stdout.write("[seed] the database already has tenants; use --reset to replace them\n");
      process.exit(0);
    }
    process.stdout.write("[seed] --reset: removing all tenants and their data\n");
    await client.query("TRUNCATE tenants, webhook_rejections CASCADE");
  }

  await client.query("SET synchronous_commit = off");
  if (leads > 50_000) {
    // Benchmark-sized seeds skip per-row foreign-key triggers (the generator builds parents first, and
    // the demo-sized seed, which runs with them on, proves the rows are consistent). Needs superuser;
    // without it the seed just runs slower.
    await client.query("SET session_replication_role = replica").then(
      () => process.stdout.write("[seed] large seed: foreign-key triggers off for this session\n"),
      () => process.stdout.write("[seed] large seed: not superuser, foreign-key triggers stay on (slower)\n"),
    );
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const [index, tenant] of DEMO_TENANTS.entries()) {
    const leadCount = index === 0 ? leads : Math.min(800, leads);
    const t0 = performance.now();
    await client.query("BEGIN");
    const summary = await buildTenantSeed(client, { tenant, tenantIndex: index, seed: 1000 + index, leadCount, passwordHash, now: new Date() });
    await client.query("COMMIT");
    const n = (x: number) => x.toLocaleString("ro-RO");
    process.stdout.write(
      `[seed] ${tenant.name}: ${n(summary.companies)} leads (${n(summary.leadsInHistory)} imported over ${HISTORY_DAYS} days, ${n(summary.contacted)} contacted), ` +
        `${summary.phones} phones, ${n(summary.messages)} messages, ${n(summary.reviews)} review items, statistics for ${summary.statsDays} days (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
  }
  await client.query("ANALYZE");
  const size = await client.query<{ size: string }>("SELECT pg_size_pretty(pg_database_size(current_database())) AS size");
  process.stdout.write(`[seed] done in ${((performance.now() - started) / 1000).toFixed(1)} s; database size ${size.rows[0]?.size}\n\n`);
  process.stdout.write(`Demo logins (password for all: ${DEMO_PASSWORD})\n`);
  for (const tenant of DEMO_TENANTS) {
    process.stdout.write(`  ${tenant.name}\n`);
    for (const role of ["admin", "manager", "rep"] as const) {
      process.stdout.write(`    ${role.padEnd(8)} ${[1, 2, 3].map((n) => `${role}${n}@${tenant.domain}`).join(", ")}\n`);
    }
  }
} catch (error) {
  await client.query("ROLLBACK").catch(() => undefined);
  throw error;
} finally {
  await client.end();
}
