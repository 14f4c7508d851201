// `npm run db:migrate`: apply pending migrations and ensure the app role (server/db/migrate.server.ts).
//   DATABASE_ADMIN_URL  owner of the schema (runs the migrations)
//   DATABASE_URL        the app's login; its role is created if missing and granted what RLS expects
//   PGBOSS_SCHEMA       optional, default "pgboss": created owned by the app role
import { migrate } from "../server/db/migrate.server";
import { loadDotEnv } from "./lib/env-file";
import { PROJECT_ROOT } from "./lib/layout";

loadDotEnv(PROJECT_ROOT);

const adminUrl = process.env.DATABASE_ADMIN_URL;
const appUrl = process.env.DATABASE_URL;
const missing = [!adminUrl && "DATABASE_ADMIN_URL", !appUrl && "DATABASE_URL"].filter(Boolean);
if (!adminUrl || !appUrl) {
  console.error(`db:migrate: set ${missing.join(" and ")} (see docs/decisions/0002-tenant-isolation-rls.md)`);
  process.exit(64);
}

try {
  const { applied } = await migrate({
    adminUrl,
    appUrl,
    pgBossSchema: process.env.PGBOSS_SCHEMA,
    migrationsDir: `${PROJECT_ROOT}/prisma/migrations`,
    log: (message) => console.log(message),
  });
  console.log(applied.length === 0 ? "no pending migrations" : `applied ${applied.length} migration(s)`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
