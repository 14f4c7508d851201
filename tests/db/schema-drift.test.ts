// Proves that the database the migrations build is the one prisma/schema.prisma describes, twice
// over: Prisma's own diff (the same check CI and `npm run db:check-migrations` run), and an
// independent comparison of the Prisma datamodel with pg_catalog, so a bug or blind spot in the
// Prisma 6 authoring tool cannot hide drift from the Prisma 7 client that runs in production.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, type TestDatabase, createDatabase, serverAdminUrl, withClient } from "./harness";

describe("migrations vs prisma/schema.prisma", () => {
  it("`new-migration.sh --check` finds nothing to generate", () => {
    const result = spawnSync("bash", [path.join(ROOT, "tools/prisma-migrate/new-migration.sh"), "--check"], {
      cwd: ROOT,
      env: { ...process.env, MIGRATION_SCRATCH_URL: serverAdminUrl() },
      encoding: "utf8",
      timeout: 120_000,
    });
    const output = `${result.stdout}\n${result.stderr}`.trim();
    expect(result.status, output).toBe(0);
    expect(output).toContain("no schema changes");
  }, 150_000);
});

// ─── The Prisma datamodel (DMMF) ───────────────────────────────────────────────────────────────

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  hasDefaultValue: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  dbName?: string | null;
  fields: Array<{ name: string; sortOrder?: "asc" | "desc" }>;
}
interface Datamodel {
  models: DmmfModel[];
  enums: Array<{ name: string; dbName?: string | null; values: Array<{ name: string; dbName?: string | null }> }>;
  indexes: DmmfIndex[];
}

/** Runs `prisma generate` (Prisma 7, offline) with a generator that just saves the DMMF. */
async function loadDatamodel(): Promise<Datamodel> {
  const dir = await mkdtemp(path.join(tmpdir(), "cerniq-dmmf-"));
  try {
    const schema = await readFile(path.join(ROOT, "prisma/schema.prisma"), "utf8");
    const generator = `generator dmmf {\n  provider = ${JSON.stringify(`node ${path.join(ROOT, "tests/db/dmmf-generator.js")}`)}\n  output   = ${JSON.stringify(path.join(dir, "out"))}\n}`;
    const withDumpGenerator = schema.replace(/^generator client \{[^}]*\}/m, generator);
    if (withDumpGenerator === schema) throw new Error("could not find the `generator client` block in schema.prisma");
    await writeFile(path.join(dir, "schema.prisma"), withDumpGenerator);
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules/prisma/build/index.js"), "generate", "--schema", path.join(dir, "schema.prisma")],
      { cwd: ROOT, env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", CHECKPOINT_DISABLE: "1" }, encoding: "utf8", timeout: 60_000 },
    );
    if (result.status !== 0) throw new Error(`prisma generate failed:\n${result.stdout}\n${result.stderr}`);
    return JSON.parse(await readFile(path.join(dir, "out", "datamodel.json"), "utf8")) as Datamodel;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// What pg_catalog.format_type() prints for a Prisma field. Anything not listed makes the test fail
// and ask for a line here, rather than silently skip a column.
const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Uuid: () => "uuid",
  Text: () => "text",
  VarChar: (args) => (args.length ? `character varying(${args[0]})` : "character varying"),
  Char: (args) => `character(${args[0] ?? 1})`,
  SmallInt: () => "smallint",
  Integer: () => "integer",
  BigInt: () => "bigint",
  Decimal: (args) => (args.length ? `numeric(${args.join(",")})` : "numeric"),
  DoublePrecision: () => "double precision",
  Real: () => "real",
  Boolean: () => "boolean",
  Date: () => "date",
  Timestamptz: (args) => `timestamp(${args[0] ?? 6}) with time zone`,
  Timestamp: (args) => `timestamp(${args[0] ?? 6}) without time zone`,
  JsonB: () => "jsonb",
  Json: () => "json",
  ByteA: () => "bytea",
};
const PRISMA_DEFAULT_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  Bytes: "bytea",
};
const ON_DELETE: Record<string, string> = { Cascade: "c", NoAction: "a", Restrict: "r", SetNull: "n", SetDefault: "d" };

// ─── The migrated database (pg_catalog) ────────────────────────────────────────────────────────

interface DbColumn {
  table: string;
  column: string;
  type: string;
  not_null: boolean;
  has_default: boolean;
}
interface DbIndex {
  table: string;
  name: string;
  columns: string[];
  descending: boolean[];
  is_unique: boolean;
  is_primary: boolean;
}
interface DbForeignKey {
  table: string;
  columns: string[];
  target: string;
  target_columns: string[];
  on_delete: string;
}

// Catalog `name` columns are cast to text: pg parses text[] into arrays but leaves name[] a string.
async function readCatalog(url: string) {
  return withClient(url, async (client) => {
    const tables = await client.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
    );
    const columns = await client.query<DbColumn>(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
              a.attnotnull AS not_null, a.atthasdef AS has_default
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    const indexes = await client.query<DbIndex>(
      `SELECT t.relname AS table, i.relname AS name, x.indisunique AS is_unique, x.indisprimary AS is_primary,
              array_agg(a.attname::text ORDER BY k.ord) AS columns,
              array_agg((x.indoption[k.ord - 1] & 1) = 1 ORDER BY k.ord) AS descending
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       -- Partial indexes are outside what this Prisma can write (and its diff does not see them):
       -- the send path's are checked by name and predicate below.
       WHERE n.nspname = 'public' AND x.indpred IS NULL
       GROUP BY t.relname, i.relname, x.indisunique, x.indisprimary`,
    );
    const foreignKeys = await client.query<DbForeignKey>(
      `SELECT t.relname AS table, r.relname AS target, c.confdeltype AS on_delete,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
              (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS target_columns
       FROM pg_constraint c
       JOIN pg_class t ON t.oid = c.conrelid
       JOIN pg_class r ON r.oid = c.confrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = 'public' AND c.contype = 'f'`,
    );
    const enums = await client.query<{ name: string; labels: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = 'public' GROUP BY t.typname`,
    );
    return {
      tables: new Set(tables.rows.map((row) => row.table)),
      columns: columns.rows,
      indexes: indexes.rows,
      foreignKeys: foreignKeys.rows,
      enums: new Map(enums.rows.map((row) => [row.name, row.labels])),
    };
  });
}

// Prisma's bookkeeping table is created by the migration runner, not by the datamodel.
const TABLES_OUTSIDE_DATAMODEL = new Set(["_prisma_migrations"]);

/** Every difference between datamodel and catalog, one readable line each. */
function compare(datamodel: Datamodel, catalog: Awaited<ReturnType<typeof readCatalog>>): string[] {
  const problems: string[] = [];
  const enumDbName = new Map(datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const modelByName = new Map(datamodel.models.map((m) => [m.name, m]));
  const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
  const columnOf = (model: DmmfModel, fieldName: string) => {
    const field = model.fields.find((f) => f.name === fieldName);
    return field?.dbName ?? fieldName;
  };

  for (const e of datamodel.enums) {
    const name = e.dbName ?? e.name;
    const expected = e.values.map((v) => v.dbName ?? v.name);
    const actual = catalog.enums.get(name);
    if (!actual) problems.push(`enum ${name}: missing`);
    else if (actual.join(",") !== expected.join(",")) problems.push(`enum ${name}: values [${actual}] ≠ datamodel [${expected}]`);
  }
  const enumNames = new Set(datamodel.enums.map((e) => e.dbName ?? e.name));
  for (const name of catalog.enums.keys()) if (!enumNames.has(name)) problems.push(`enum ${name}: in the database but not in the datamodel`);

  const modelTables = new Set(datamodel.models.map(tableOf));
  for (const table of catalog.tables) {
    if (!modelTables.has(table) && !TABLES_OUTSIDE_DATAMODEL.has(table)) problems.push(`table ${table}: in the database but not in the datamodel`);
  }

  for (const model of datamodel.models) {
    const table = tableOf(model);
    if (!catalog.tables.has(table)) {
      problems.push(`table ${table} (model ${model.name}): missing`);
      continue;
    }
    const dbColumns = new Map(catalog.columns.filter((c) => c.table === table).map((c) => [c.column, c]));
    const expectedColumns = new Set<string>();

    for (const field of model.fields) {
      if (field.kind === "object") continue;
      const column = field.dbName ?? field.name;
      expectedColumns.add(column);
      const where = `${table}.${column} (${model.name}.${field.name})`;
      const actual = dbColumns.get(column);
      if (!actual) {
        problems.push(`${where}: missing`);
        continue;
      }
      let type: string;
      if (field.kind === "enum") type = enumDbName.get(field.type) ?? field.type;
      else if (field.nativeType) {
        const [native, args] = field.nativeType;
        const render = NATIVE_TYPES[native];
        if (!render) {
          problems.push(`${where}: native type @db.${native} is unknown to this test; add it to NATIVE_TYPES`);
          continue;
        }
        type = render(args);
      } else {
        const fallback = PRISMA_DEFAULT_TYPES[field.type];
        if (!fallback) {
          problems.push(`${where}: Prisma type ${field.type} is unknown to this test; add it to PRISMA_DEFAULT_TYPES`);
          continue;
        }
        type = fallback;
      }
      if (field.isList) type += "[]";
      if (actual.type !== type) problems.push(`${where}: type ${actual.type} ≠ datamodel ${type}`);
      // Prisma creates list columns nullable whatever the datamodel says.
      const notNull = field.isRequired && !field.isList;
      if (actual.not_null !== notNull) problems.push(`${where}: ${actual.not_null ? "NOT NULL" : "nullable"} ≠ datamodel ${notNull ? "required" : "optional"}`);
      if (actual.has_default !== field.hasDefaultValue) {
        problems.push(`${where}: ${actual.has_default ? "has a default" : "has no default"} ≠ datamodel`);
      }
    }
    for (const column of dbColumns.keys()) {
      if (!expectedColumns.has(column)) problems.push(`${table}.${column}: in the database but not in model ${model.name}`);
    }

    const dbIndexes = catalog.indexes.filter((i) => i.table === table);
    const matched = new Set<string>();
    for (const index of datamodel.indexes.filter((i) => i.model === model.name)) {
      if (index.type === "fulltext") continue;
      const columns = index.fields.map((f) => columnOf(model, f.name));
      const descending = index.fields.map((f) => f.sortOrder === "desc");
      const shown = columns.map((column, i) => (descending[i] ? `${column} DESC` : column));
      const label = `${table} ${index.type} (${shown.join(", ")})${index.dbName ? ` "${index.dbName}"` : ""}`;
      const found = dbIndexes.find(
        (i) =>
          i.columns.join(",") === columns.join(",") &&
          i.descending.join(",") === descending.join(",") &&
          i.is_primary === (index.type === "id") &&
          i.is_unique === (index.type !== "normal") &&
          (!index.dbName || i.name === index.dbName),
      );
      if (!found) problems.push(`${label}: missing`);
      else matched.add(found.name);
    }
    for (const index of dbIndexes) {
      if (!matched.has(index.name)) problems.push(`${table} index "${index.name}" (${index.columns.join(", ")}): in the database but not in the datamodel`);
    }

    const dbForeignKeys = catalog.foreignKeys.filter((fk) => fk.table === table);
    const matchedKeys = new Set<DbForeignKey>();
    for (const field of model.fields) {
      if (field.kind !== "object" || !field.relationFromFields?.length) continue;
      const target = modelByName.get(field.type);
      if (!target) continue;
      const columns = field.relationFromFields.map((name) => columnOf(model, name));
      const targetColumns = (field.relationToFields ?? []).map((name) => columnOf(target, name));
      const label = `${table} FK (${columns.join(", ")}) → ${tableOf(target)} (${targetColumns.join(", ")})`;
      const found = dbForeignKeys.find(
        (fk) => fk.target === tableOf(target) && fk.columns.join(",") === columns.join(",") && fk.target_columns.join(",") === targetColumns.join(","),
      );
      if (!found) {
        problems.push(`${label}: missing`);
        continue;
      }
      matchedKeys.add(found);
      const onDelete = field.relationOnDelete ? ON_DELETE[field.relationOnDelete] : undefined;
      if (onDelete && found.on_delete !== onDelete) problems.push(`${label}: ON DELETE '${found.on_delete}' ≠ datamodel ${field.relationOnDelete}`);
    }
    for (const fk of dbForeignKeys) {
      if (!matchedKeys.has(fk)) problems.push(`${table} FK (${fk.columns.join(", ")}) → ${fk.target}: in the database but not in the datamodel`);
    }
  }
  return problems;
}

describe("migrated database vs Prisma datamodel (pg_catalog introspection)", () => {
  let db: TestDatabase;
  let datamodel: Datamodel;
  let catalog: Awaited<ReturnType<typeof readCatalog>>;

  beforeAll(async () => {
    [db, datamodel] = await Promise.all([createDatabase("drift", { migrated: true }), loadDatamodel()]);
    catalog = await readCatalog(db.adminUrl);
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
  });

  it("reads a non-trivial datamodel (guards against comparing nothing with nothing)", () => {
    expect(datamodel.models.length).toBeGreaterThanOrEqual(20);
    expect(datamodel.indexes.length).toBeGreaterThan(datamodel.models.length);
    expect(catalog.columns.length).toBeGreaterThan(300);
  });

  it("has every table, column (type, nullability, default), enum, index and foreign key — and nothing else", () => {
    expect(compare(datamodel, catalog)).toEqual([]);
  });

  it("keeps the specification's names for the lead-journey indexes, or a wider index that serves the same lookups", () => {
    const indexes = catalog.indexes.filter((i) => i.table === "gold_lead_journey");
    const names = indexes.map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(["idx_unique_lead_journey", "idx_lead_journey_phone", "idx_lead_journey_dispatch"]));
    // Dropped for the send's cost (issue #14, migration send_path_indexes): each is served by an index that
    // starts with its columns (every query of next_action_at is one tenant's, through RLS).
    const startsWith = (columns: string[]) => indexes.some((i) => columns.every((c, k) => i.columns[k] === c));
    expect(startsWith(["tenant_id", "current_state"])).toBe(true);
    // (tenant_id, requires_human_review): the leads waiting for review, the only ones looked up by it, are
    // in a partial index (tenant_id, requires_human_review, next_action_at, id): see the next test.
    expect(startsWith(["tenant_id", "next_action_at"])).toBe(true);
  });

  it("leaves the columns a send advances on the enrollment out of its indexes, with room on its pages (issue #14)", async () => {
    // The finalisation of every WhatsApp send writes these; an index on one of them makes that update
    // non-HOT (an entry in every index per message). Status changes only when the sequence completes.
    const advanced = ["current_step", "last_step_at", "next_step_at", "updated_at", "completed_at"];
    const indexed = catalog.indexes.filter((i) => i.table === "sequence_enrollments").flatMap((i) => i.columns);
    expect(indexed.filter((c) => advanced.includes(c))).toEqual([]);
    // fillfactor is a storage parameter (not in the datamodel, so not compared above): SQL only.
    const { rows } = await withClient(db.adminUrl, (client) =>
      client.query<{ options: string[] | null }>(`SELECT reloptions AS options FROM pg_class WHERE relname = 'sequence_enrollments' AND relkind = 'r'`),
    );
    expect(rows[0]!.options).toEqual(["fillfactor=80"]);
  });

  it("keeps the send path's sparse indexes partial (issue #14, migration send_path_partial_indexes)", async () => {
    // This Prisma cannot write WHERE, so these live in SQL only and the comparison above leaves partial
    // indexes out. Dropping one, or re-creating it whole, would make every send write an entry for an
    // empty value again (or lose the lookup): each must exist with exactly this predicate.
    const expected: Record<string, string> = {
      gold_communication_log_external_message_id_idx: "(external_message_id IS NOT NULL)",
      gold_communication_log_thread_id_idx: "(thread_id IS NOT NULL)",
      gold_communication_log_timelinesai_chat_id_idx: "(timelinesai_chat_id IS NOT NULL)",
      gold_lead_journey_tenant_id_requires_human_review_next_acti_idx: "requires_human_review",
      gold_lead_journey_tenant_id_first_contact_at_idx: "(first_contact_at IS NOT NULL)",
    };
    const { rows } = await withClient(db.adminUrl, (client) =>
      client.query<{ name: string; predicate: string | null }>(
        `SELECT i.relname AS name, pg_get_expr(x.indpred, x.indrelid) AS predicate
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE i.relname = ANY($1::text[])`,
        [Object.keys(expected)],
      ),
    );
    expect(Object.fromEntries(rows.map((r) => [r.name, r.predicate]))).toEqual(expected);
  });

  it("keeps every column of the specification's lead-journey table (seeds F2.1.1.T002)", () => {
    const specified = [
      "id", "tenant_id", "lead_id", "assigned_phone_id", "assigned_at", "current_state", "previous_state",
      "state_changed_at", "state_change_reason", "quota_consumption_date", "is_new_contact", "first_contact_channel",
      "last_channel_used", "preferred_channel", "email_opted_out", "whatsapp_opted_out", "current_sequence_id",
      "sequence_step", "sequence_started_at", "sequence_paused", "next_action_at", "sentiment_score",
      "engagement_score", "reply_count", "open_count", "click_count", "requires_human_review", "human_review_reason",
      "human_review_priority", "is_human_controlled", "assigned_to_user", "first_contact_at", "last_contact_at",
      "last_reply_at", "last_open_at", "converted_at", "tags", "custom_fields", "created_at", "updated_at",
    ];
    const present = new Set(catalog.columns.filter((c) => c.table === "gold_lead_journey").map((c) => c.column));
    expect(specified.filter((column) => !present.has(column))).toEqual([]);
  });

  it("detects drift: a column the datamodel lacks is reported", () => {
    const tampered = {
      ...catalog,
      columns: [...catalog.columns, { table: "alerts", column: "stray", type: "text", not_null: false, has_default: false }],
    };
    expect(compare(datamodel, tampered)).toEqual(["alerts.stray: in the database but not in model Alert"]);
  });
});
