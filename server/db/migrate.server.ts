// Applies prisma/migrations with nothing but `pg`, then makes sure the app's database role exists
// with exactly the rights row-level security assumes.
//
// Why not `prisma migrate deploy`: Prisma 7 needs its native schema engine for that, which cannot
// be downloaded here, and runtime/deploy should not depend on the Prisma 6 authoring tool
// (docs/decisions/0001-offline-migrations.md). The bookkeeping is Prisma's own — same advisory
// lock, same _prisma_migrations table, same checksums — so Prisma's CLI and this runner can take
// turns on one database.
import { createHash, randomUUID } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/** Prisma Migrate's advisory lock key: this runner and `prisma migrate deploy` exclude each other. */
export const MIGRATION_ADVISORY_LOCK = 72707369;

/**
 * Default schema pg-boss runs in, as the app role. The runner creates it owned by that role, so
 * pg-boss must be constructed with `createSchema: false`: its own `CREATE SCHEMA IF NOT EXISTS`
 * needs CREATE on the database, which the app role deliberately lacks.
 */
export const PGBOSS_SCHEMA = "pgboss";

export interface MigrateOptions {
  /** Owner connection: runs the migrations and owns every table (so it bypasses RLS). */
  adminUrl: string;
  /** The app's connection; its role is created or updated so RLS applies to it. */
  appUrl: string;
  log?: (message: string) => void;
  /** Defaults to `<cwd>/prisma/migrations`. */
  migrationsDir?: string;
  /** Defaults to PGBOSS_SCHEMA. */
  pgBossSchema?: string;
}

export interface MigrateResult {
  /** Names of the migrations applied by this call, in order; empty when there was nothing to do. */
  applied: string[];
}

interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

interface RecordedMigration {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

interface RoleFromUrl {
  user: string;
  password: string | undefined;
  database: string;
}

export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const migrationsDir = options.migrationsDir ?? path.join(process.cwd(), "prisma", "migrations");
  const appRole = roleFromUrl(options.appUrl, "appUrl");
  const local = await readLocalMigrations(migrationsDir);

  const client = new pg.Client({ connectionString: options.adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ user: string; database: string }>(
      `SELECT current_user AS "user", current_database() AS database`,
    );
    const admin = rows[0]!;
    if (appRole.user === admin.user) {
      throw new Error(
        `migrate: DATABASE_URL and DATABASE_ADMIN_URL both log in as "${admin.user}". The app must use ` +
          `a separate role: the owner of the tables bypasses row-level security, so tenant isolation ` +
          `would silently not apply. Point DATABASE_URL at another user (it is created if missing).`,
      );
    }
    if (appRole.database !== admin.database) {
      throw new Error(
        `migrate: DATABASE_URL names database "${appRole.database}" but DATABASE_ADMIN_URL migrates ` +
          `"${admin.database}"; they must be the same database.`,
      );
    }

    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_ADVISORY_LOCK]);
    try {
      await ensureMigrationsTable(client);
      const applied = await applyPending(client, local, log);
      await ensureAppRole(client, appRole, admin, options.pgBossSchema ?? PGBOSS_SCHEMA, log);
      return { applied };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_ADVISORY_LOCK]);
    }
  } finally {
    await client.end();
  }
}

function roleFromUrl(url: string, label: string): RoleFromUrl {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`migrate: ${label} is not a valid postgres:// URL`);
  }
  const user = decodeURIComponent(parsed.username);
  if (!user) throw new Error(`migrate: ${label} must name its user (postgres://user:password@host/db)`);
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  // libpq's default: the database is named after the user when the URL has none.
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || user;
  return { user, password, database };
}

async function readLocalMigrations(dir: string): Promise<LocalMigration[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    throw new Error(`migrate: cannot read migrations folder ${dir}`, { cause: error });
  });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrations: LocalMigration[] = [];
  for (const name of names) {
    const bytes = await readFile(path.join(dir, name, "migration.sql")).catch(() => null);
    if (bytes === null) continue;
    // Prisma's checksum: sha256 of the file's exact bytes, hex.
    migrations.push({ name, sql: bytes.toString("utf8"), checksum: createHash("sha256").update(bytes).digest("hex") });
  }
  return migrations;
}

async function ensureMigrationsTable(client: pg.Client): Promise<void> {
  // Column for column what Prisma Migrate creates, so `prisma migrate status` reads it too.
  await client.query(`
    CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum"            VARCHAR(64) NOT NULL,
      "finished_at"         TIMESTAMPTZ,
      "migration_name"      VARCHAR(255) NOT NULL,
      "logs"                TEXT,
      "rolled_back_at"      TIMESTAMPTZ,
      "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
}

async function applyPending(client: pg.Client, local: LocalMigration[], log: (message: string) => void): Promise<string[]> {
  const { rows: recorded } = await client.query<RecordedMigration>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  );

  // Prisma's "failed" state: started, neither finished nor rolled back. Prisma itself refuses to go
  // on from there, because the database may hold half of that migration.
  const failed = recorded.filter((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed.length > 0) {
    const names = failed.map((row) => row.migration_name).join(", ");
    throw new Error(
      `migrate: migration(s) ${names} failed earlier and may be partly applied. Repair the database by ` +
        `hand, then mark them rolled back (UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE ` +
        `migration_name = '…') so they are applied again, or delete the row if the migration is complete.`,
    );
  }

  const done = new Map<string, RecordedMigration>();
  for (const row of recorded) {
    if (row.finished_at !== null && row.rolled_back_at === null) done.set(row.migration_name, row);
  }
  const localNames = new Set(local.map((migration) => migration.name));
  for (const name of done.keys()) {
    if (!localNames.has(name)) log(`warning: migration ${name} is recorded in the database but missing locally`);
  }

  const applied: string[] = [];
  for (const migration of local) {
    const previous = done.get(migration.name);
    if (previous) {
      if (previous.checksum !== migration.checksum) {
        log(
          `warning: migration ${migration.name} was edited after it was applied (checksum differs); ` +
            `the database keeps the applied version. Put further changes in a new migration.`,
        );
      }
      continue;
    }
    // One transaction per migration: a failure leaves no trace, neither schema nor bookkeeping row,
    // so fixing the file and re-running is the whole recovery. (A migration that cannot run in a
    // transaction, e.g. CREATE INDEX CONCURRENTLY, would need an explicit opt-out here.)
    await client.query("BEGIN");
    try {
      await client.query(migration.sql);
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK");
      throw new Error(`migrate: ${migration.name} failed and was rolled back: ${describe(error)}`, { cause: error });
    }
    log(`applied ${migration.name}`);
    applied.push(migration.name);
  }
  return applied;
}

async function ensureAppRole(
  client: pg.Client,
  app: RoleFromUrl,
  admin: { user: string; database: string },
  bossSchema: string,
  log: (message: string) => void,
): Promise<void> {
  const role = pg.escapeIdentifier(app.user);
  const password = app.password === undefined ? "" : ` PASSWORD ${pg.escapeLiteral(app.password)}`;

  // Roles are cluster-wide while the advisory lock is per database, so a runner migrating another
  // database of the same cluster (parallel test files) may be creating or altering this role at the
  // same moment: treat "already exists" as success and retry the catalog-update race.
  const outcome = await withCatalogRetry(async () => {
    const exists = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [app.user]);
    if (exists.rowCount === 0) {
      try {
        await client.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE${password}`);
        return "created";
      } catch (error) {
        if (pgCode(error) !== "42710" && pgCode(error) !== "23505") throw error;
      }
    }
    // Only LOGIN and the password: changing SUPERUSER/BYPASSRLS needs a superuser admin, and a role
    // that has either is refused below instead.
    await client.query(`ALTER ROLE ${role} WITH LOGIN${password}`);
    return "updated";
  });
  log(`${outcome} role ${app.user}`);

  const { rows } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean; member_of_admin: boolean }>(
    `SELECT rolsuper, rolbypassrls, pg_has_role($1, current_user, 'MEMBER') AS member_of_admin
     FROM pg_roles WHERE rolname = $1`,
    [app.user],
  );
  const flags = rows[0]!;
  if (flags.rolsuper || flags.rolbypassrls || flags.member_of_admin) {
    throw new Error(
      `migrate: role "${app.user}" bypasses row-level security (` +
        [flags.rolsuper && "SUPERUSER", flags.rolbypassrls && "BYPASSRLS", flags.member_of_admin && `member of "${admin.user}"`]
          .filter(Boolean)
          .join(", ") +
        `). Use a plain role for DATABASE_URL.`,
    );
  }
  const owned = await client.query<{ relname: string }>(
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)`,
    [app.user],
  );
  if (owned.rowCount) {
    throw new Error(
      `migrate: role "${app.user}" owns ${owned.rows.map((row) => row.relname).join(", ")} in schema public; ` +
        `owners bypass row-level security. Reassign them to "${admin.user}".`,
    );
  }

  const definerFunctions = await client.query<{ signature: string }>(
    `SELECT p.oid::regprocedure::text AS signature
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public' AND p.prosecdef
     ORDER BY 1`,
  );

  await client.query("BEGIN");
  try {
    await client.query(`GRANT CONNECT ON DATABASE ${pg.escapeIdentifier(admin.database)} TO ${role}`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    // Re-granted on every run, so tables added by new migrations are covered without a grant of
    // their own. Rows are still filtered by the tenant_isolation policies.
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await client.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    // The two deliberate exceptions to the blanket grant.
    await client.query(`REVOKE ALL ON TABLE "_prisma_migrations" FROM ${role}`);
    await client.query(`REVOKE SELECT, UPDATE, DELETE ON TABLE webhook_rejections FROM ${role}`);
    // By convention every SECURITY DEFINER function in public is a pre-tenant lookup meant for the
    // app (prisma/migrations/*_tenant_isolation). Their migration revokes them from PUBLIC.
    for (const { signature } of definerFunctions.rows) {
      await client.query(`GRANT EXECUTE ON FUNCTION ${signature} TO ${role}`);
    }
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(bossSchema)} AUTHORIZATION ${role}`);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }

  const bossOwner = await client.query<{ owner: string }>(
    `SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = $1`,
    [bossSchema],
  );
  if (bossOwner.rows[0]?.owner !== app.user) {
    throw new Error(
      `migrate: schema ${bossSchema} exists but belongs to "${bossOwner.rows[0]?.owner}"; pg-boss runs as ` +
        `"${app.user}" and must own it. As the admin: ALTER SCHEMA ${pg.escapeIdentifier(bossSchema)} OWNER TO ${role} ` +
        `(or drop it if it holds no jobs worth keeping).`,
    );
  }
}

async function withCatalogRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      // XX000 "tuple concurrently updated": two sessions altered the same role at once.
      if (tries >= 5 || pgCode(error) !== "XX000") throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * tries));
    }
  }
}

function pgCode(error: unknown): string | undefined {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const position = "position" in error && error.position ? ` (at character ${String(error.position)})` : "";
    return `${error.message}${position}`;
  }
  return String(error);
}
