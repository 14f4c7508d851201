// Prisma 6.19 configuration used ONLY to author migrations and to check them against
// prisma/schema.prisma (docs/decisions/0001-offline-migrations.md). The app uses Prisma 7 and never
// loads this file.
//
// Why Prisma 6: Prisma 7's migrate commands spawn the native schema engine, which cannot be
// downloaded offline; Prisma 6.19 can run its schema engine as wasm behind a driver adapter.
// It is loaded by Prisma 6's own config loader, so it exports a plain object and must not import
// `prisma/config` (that resolves to Prisma 7).
//
// Everything below patches @prisma/adapter-pg 6.19.3 exactly (pinned as `prisma-adapter-pg6`);
// re-check both workarounds whenever that version changes.
import { createRequire } from "node:module";
import type pg from "pg";
import { PrismaPg } from "prisma-adapter-pg6";

type PgField = { name: string; dataTypeID: number };
type SqlQuery = { sql: string; args: unknown[]; argTypes: unknown[] };
type ResultSet = { columnNames: string[]; columnTypes: number[]; rows: unknown[][] };
type PgAdapter = Awaited<ReturnType<PrismaPg["connect"]>>;
// performIO is private in the adapter's typings; it is what queryRaw calls to reach pg.
type AdapterInternals = {
  performIO(query: SqlQuery): Promise<{ fields: PgField[]; rows: unknown[][] }>;
  queryRaw(query: SqlQuery): Promise<ResultSet>;
  onError(error: unknown): never;
};

// The adapter has no mapping for the catalog types "char" (OID 18) and name (OID 19), which the
// schema engine's introspection selects (pg_constraint.contype, pg_class.relname, …): it throws
// "Column type 'name' could not be deserialized", and if "char" is merely relabelled as text the
// wasm engine panics ("unreachable") as soon as a CHECK constraint exists, because it reads
// contype as a character. Both arrive as plain strings, so: report name as text and "char" as the
// driver-adapter Character type.
const CHAR_OID = 18;
const NAME_OID = 19;
const TEXT_OID = 25;
const adapterRequire = createRequire(createRequire(import.meta.url).resolve("prisma-adapter-pg6"));
const { ColumnTypeEnum } = adapterRequire("@prisma/driver-adapter-utils") as {
  ColumnTypeEnum: { Character: number };
};

function decodeCatalogTypes(queryable: object): void {
  const internals = queryable as AdapterInternals;
  const performIO = internals.performIO.bind(queryable);
  const queryRaw = internals.queryRaw;
  internals.queryRaw = async (query) => {
    const charColumns: number[] = [];
    // A per-call view of the adapter, so concurrent queries never share charColumns.
    const scoped = Object.create(queryable, {
      performIO: {
        value: async (q: SqlQuery) => {
          const result = await performIO(q);
          result.fields.forEach((field, index) => {
            if (field.dataTypeID === CHAR_OID) charColumns.push(index);
            if (field.dataTypeID === CHAR_OID || field.dataTypeID === NAME_OID) field.dataTypeID = TEXT_OID;
          });
          return result;
        },
      },
    }) as AdapterInternals;
    const resultSet = await queryRaw.call(scoped, query);
    for (const index of charColumns) resultSet.columnTypes[index] = ColumnTypeEnum.Character;
    return resultSet;
  };
}

// The adapter applies a migration by splitting the file on ";", which breaks every function body
// and DO block. Send the file as one simple-protocol query instead: that is also how
// server/db/migrate.server.ts applies it, so the replay sees exactly what a deploy sees.
function runScriptsWhole(adapter: PgAdapter): void {
  const internals = adapter as unknown as AdapterInternals;
  adapter.executeScript = async (script: string) => {
    try {
      await (adapter.underlyingDriver() as pg.Pool).query(script);
    } catch (error) {
      internals.onError(error);
    }
  };
}

function scratchUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("tools/prisma-migrate: DATABASE_URL (the scratch database) is not set");
  return url;
}

// Applied to every adapter the schema engine opens.
function patchAdapter(adapter: PgAdapter): PgAdapter {
  decodeCatalogTypes(adapter);
  // Introspection also runs inside transactions, which are separate queryables.
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    const transaction = await startTransaction(isolationLevel);
    decodeCatalogTypes(transaction);
    return transaction;
  };
  runScriptsWhole(adapter);
  return adapter;
}

export default {
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    // allowExitOnIdle: without it the CLI waits ~10 s for idle pool clients before exiting.
    const factory = new PrismaPg({ connectionString: scratchUrl(), allowExitOnIdle: true });
    const connect = factory.connect.bind(factory);
    factory.connect = async () => patchAdapter(await connect());
    // `--from-migrations` replays the migrations into a "shadow" database. The adapter would create
    // prisma_migrate_shadow_db_<uuid> and drop it afterwards, leaking one per crashed run; the
    // scratch database new-migration.sh creates and always drops serves that purpose instead.
    factory.connectToShadowDb = factory.connect;
    return factory;
  },
};
