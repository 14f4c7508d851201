/**
 * `npm run ops -- <command>`: the runbook as commands (scripts/lib/ops-cli.ts; docs/runbook.md).
 * Finds the project's local Postgres and Redis as `npm start` does when DATABASE_URL / REDIS_URL are
 * not set, and stops only what it had to start.
 */
import { findLocalServices } from "./lib/local-env";

const services = await findLocalServices({ start: true });
const { PgBoss } = await import("pg-boss");
const { getEnv } = await import("../server/config/env.server");
const { runOps } = await import("./lib/ops-cli");
const { disconnectPrisma } = await import("../server/db/client.server");
const { closeQuotaRedis } = await import("../server/quota/redis.server");

let code = 1;
const env = getEnv();
// A client only: no supervision, no cron scheduling, no migrations (the app does those).
const boss = new PgBoss({ connectionString: env.DATABASE_URL, schema: env.PGBOSS_SCHEMA, createSchema: false, supervise: false, schedule: false, migrate: false, max: 2 });
boss.on("error", () => undefined);
try {
  await boss.start();
  code = await runOps(process.argv.slice(2), { boss }, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
} catch (error) {
  process.stderr.write(`ops failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  await boss.stop({ graceful: false, timeout: 2_000 }).catch(() => undefined);
  await Promise.all([disconnectPrisma(), closeQuotaRedis()]);
  services.stop();
}
process.exit(code);
