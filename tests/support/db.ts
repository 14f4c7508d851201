/**
 * Each integration test file gets its own freshly migrated database, so files can run in parallel
 * and never see each other's rows. `npm test` provides TEST_PG_ADMIN_URL (the project's test server).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../../server/db/migrate.server";

export interface TestDatabase {
  name: string;
  adminUrl: string;
  appUrl: string;
  /** Drops the database (connections are terminated first). */
  drop: () => Promise<void>;
}

function serverAdminUrl(): string {
  const url = process.env.TEST_PG_ADMIN_URL ?? process.env.DATABASE_ADMIN_URL;
  if (!url) throw new Error("TEST_PG_ADMIN_URL is not set: run the suite with `npm test` (or export the URLs from `npm run services -- start test`)");
  return url;
}

/** A client of the test server's maintenance database, for tests that need Postgres but no tables. */
export async function serverClient(): Promise<pg.Client> {
  const url = new URL(serverAdminUrl());
  url.pathname = "/postgres";
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

export async function createTestDatabase(prefix = "t"): Promise<TestDatabase> {
  const base = new URL(serverAdminUrl());
  const name = `${prefix}_${randomBytes(5).toString("hex")}`.toLowerCase();
  const maintenance = new URL(base);
  maintenance.pathname = "/postgres";
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();

  const adminUrl = new URL(base);
  adminUrl.pathname = `/${name}`;
  const appUrl = new URL(adminUrl);
  appUrl.username = "cerniq_app";
  appUrl.password = "cerniq_app_local";
  await migrate({ adminUrl: adminUrl.toString(), appUrl: appUrl.toString() });

  return {
    name,
    adminUrl: adminUrl.toString(),
    appUrl: appUrl.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: maintenance.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Points the app's singletons (getEnv, getPrisma) at a test database for in-process tests. */
export async function useDatabase(db: TestDatabase): Promise<void> {
  const { resetEnvCache } = await import("../../server/config/env.server");
  const { disconnectPrisma } = await import("../../server/db/client.server");
  const { closeSqlPool } = await import("../../server/db/sql.server");
  await Promise.all([disconnectPrisma(), closeSqlPool()]);
  process.env.DATABASE_URL = db.appUrl;
  process.env.DATABASE_ADMIN_URL = db.adminUrl;
  process.env.SESSION_SECRET ??= "test-session-secret-test-session-secret-0123456789";
  resetEnvCache();
}
