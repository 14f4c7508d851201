import { createHash } from "node:crypto";
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../server/db/migrate.server";
import { MIGRATIONS_DIR, type TestDatabase, createDatabase, localMigrationNames, withClient } from "./harness";

const migrations = localMigrationNames();

describe("migrate() on an empty database", () => {
  let db: TestDatabase;
  const logs: string[] = [];
  const run = (overrides: { migrationsDir?: string; appUrl?: string } = {}) =>
    migrate({
      adminUrl: db.adminUrl,
      appUrl: overrides.appUrl ?? db.appUrl,
      migrationsDir: overrides.migrationsDir ?? MIGRATIONS_DIR,
      log: (message) => logs.push(message),
    });

  beforeAll(async () => {
    db = await createDatabase("migrate", { migrated: false });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("applies every migration, in name order", async () => {
    expect(migrations.length).toBeGreaterThanOrEqual(2);
    const { applied } = await run();
    expect(applied).toEqual(migrations);
  });

  it("records each one the way Prisma does: sha256 of the file's bytes, finished, one step", async () => {
    const rows = await withClient(db.adminUrl, async (client) => {
      const result = await client.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        rolled_back_at: Date | null;
        applied_steps_count: number;
      }>(`SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count
          FROM "_prisma_migrations" ORDER BY migration_name`);
      return result.rows;
    });
    const expected = await Promise.all(
      migrations.map(async (name) => {
        const bytes = await readFile(path.join(MIGRATIONS_DIR, name, "migration.sql"));
        return { migration_name: name, checksum: createHash("sha256").update(bytes).digest("hex") };
      }),
    );
    expect(rows.map(({ migration_name, checksum }) => ({ migration_name, checksum }))).toEqual(expected);
    for (const row of rows) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("does nothing the second time", async () => {
    const { applied } = await run();
    expect(applied).toEqual([]);
  });

  it("gives the app a role that row-level security applies to", async () => {
    const appUser = decodeURIComponent(new URL(db.appUrl).username);
    const facts = await withClient(db.adminUrl, async (client) => {
      const role = await client.query<{
        rolsuper: boolean;
        rolbypassrls: boolean;
        rolcreatedb: boolean;
        rolcreaterole: boolean;
        rolcanlogin: boolean;
      }>(`SELECT rolsuper, rolbypassrls, rolcreatedb, rolcreaterole, rolcanlogin FROM pg_roles WHERE rolname = $1`, [appUser]);
      const owned = await client.query<{ relname: string }>(
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = $1)
           AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`,
        [appUser],
      );
      const access = await client.query<{ migrations: boolean; memberOfAdmin: boolean; bossOwner: string }>(
        `SELECT has_table_privilege($1, '"_prisma_migrations"', 'SELECT') AS migrations,
                pg_has_role($1, current_user, 'MEMBER') AS "memberOfAdmin",
                (SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'pgboss') AS "bossOwner"`,
        [appUser],
      );
      return { role: role.rows[0], owned: owned.rows.map((row) => row.relname), access: access.rows[0] };
    });
    expect(facts.role).toEqual({
      rolsuper: false,
      rolbypassrls: false,
      rolcreatedb: false,
      rolcreaterole: false,
      rolcanlogin: true,
    });
    expect(facts.owned).toEqual([]);
    expect(facts.access).toEqual({ migrations: false, memberOfAdmin: false, bossOwner: appUser });
  });

  it("refuses an app URL that logs in as the admin, because the owner bypasses RLS", async () => {
    await expect(run({ appUrl: db.adminUrl })).rejects.toThrow(/separate role/);
  });

  it("warns about a migration edited after it was applied, and leaves it alone", async () => {
    const [first] = migrations;
    await withClient(db.adminUrl, (client) =>
      client.query(`UPDATE "_prisma_migrations" SET checksum = repeat('0', 64) WHERE migration_name = $1`, [first]),
    );
    logs.length = 0;
    const { applied } = await run();
    expect(applied).toEqual([]);
    expect(logs.filter((line) => line.startsWith("warning:"))).toEqual([
      expect.stringContaining(`${first} was edited after it was applied`),
    ]);
  });

  it("refuses to go on while a migration is recorded as failed", async () => {
    await withClient(db.adminUrl, (client) =>
      client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs)
         VALUES (gen_random_uuid(), repeat('f', 64), '20000101000000_half_done', 'boom')`,
      ),
    );
    try {
      await expect(run()).rejects.toThrow(/20000101000000_half_done failed earlier/);
    } finally {
      await withClient(db.adminUrl, (client) =>
        client.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = '20000101000000_half_done'`),
      );
    }
  });

  it("rolls a failing migration back completely: no half-made objects, no bookkeeping row", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cerniq-migrations-"));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      await mkdir(path.join(dir, "29991231235959_broken"));
      await writeFile(
        path.join(dir, "29991231235959_broken", "migration.sql"),
        "CREATE TABLE probe_broken (id int);\nSELECT 1 / 0;\n",
      );
      await expect(run({ migrationsDir: dir })).rejects.toThrow(/29991231235959_broken failed and was rolled back: division by zero/);
      const leftovers = await withClient(db.adminUrl, async (client) => {
        const result = await client.query<{ table: string | null; recorded: string }>(
          `SELECT to_regclass('probe_broken')::text AS table,
                  (SELECT count(*) FROM "_prisma_migrations" WHERE migration_name = '29991231235959_broken')::text AS recorded`,
        );
        return result.rows[0];
      });
      expect(leftovers).toEqual({ table: null, recorded: "0" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("migrate() run twice at once", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createDatabase("migrate_race", { migrated: false });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("applies each migration exactly once (Prisma's advisory lock serialises the runs)", async () => {
    const options = { adminUrl: db.adminUrl, appUrl: db.appUrl, migrationsDir: MIGRATIONS_DIR };
    const [a, b] = await Promise.all([migrate(options), migrate(options)]);
    expect([...a.applied, ...b.applied].sort()).toEqual(migrations);
    expect([a.applied.length, b.applied.length]).toContain(0);
  });
});
