// Shared by tests/db/*: every test file works in databases of its own, created on the server that
// DATABASE_ADMIN_URL points at and dropped afterwards, so files never share state and may run in
// parallel. The app role's credentials come from DATABASE_URL.
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { migrate } from "../../server/db/migrate.server";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");

export interface TestDatabase {
  name: string;
  /** Owner connection to this database. */
  adminUrl: string;
  /** App-role connection to this database. */
  appUrl: string;
  drop(): Promise<void>;
}

function urlFromEnv(name: "DATABASE_ADMIN_URL" | "DATABASE_URL"): URL {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. tests/db needs a Postgres: DATABASE_ADMIN_URL (a role that may CREATE DATABASE) ` +
        `and DATABASE_URL (the app role's login); \`npm test\` provides both.`,
    );
  }
  return new URL(value);
}

function onDatabase(url: URL, database: string): string {
  const copy = new URL(url);
  copy.pathname = `/${database}`;
  return copy.toString();
}

/** The server-level admin URL, for commands that manage databases themselves. */
export function serverAdminUrl(): string {
  return urlFromEnv("DATABASE_ADMIN_URL").toString();
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(prefix: string, options: { migrated: boolean }): Promise<TestDatabase> {
  const admin = urlFromEnv("DATABASE_ADMIN_URL");
  const app = urlFromEnv("DATABASE_URL");
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const quoted = pg.escapeIdentifier(name);
  await withClient(admin.toString(), (client) => client.query(`CREATE DATABASE ${quoted}`));
  const database: TestDatabase = {
    name,
    adminUrl: onDatabase(admin, name),
    appUrl: onDatabase(app, name),
    drop: async () => {
      await withClient(admin.toString(), (client) => client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`));
    },
  };
  if (options.migrated) {
    await migrate({ adminUrl: database.adminUrl, appUrl: database.appUrl, migrationsDir: MIGRATIONS_DIR });
  }
  return database;
}

export function localMigrationNames(): string[] {
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** The SQLSTATE of a pg error (42501 insufficient privilege / RLS violation, 23503 FK violation …). */
export function sqlState(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

export async function expectSqlState(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (sqlState(error) === code) return;
    throw new Error(`expected SQLSTATE ${code}, got ${sqlState(error) ?? "no code"}: ${String(error)}`);
  }
  throw new Error(`expected SQLSTATE ${code}, but the statement succeeded`);
}
