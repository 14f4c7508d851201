/**
 * The hot paths' way into the database: plain `pg`, no Prisma (ADR 0007).
 *
 * Why a second way in: the webhook receiver and the WhatsApp send run thousands of times a minute, and
 * a Prisma interactive transaction costs about 1–2 ms of CPU before its first query, a model query
 * about 0.5 ms more; the same statements through `pg` cost a tenth of that (measured on this machine:
 * withTenant + one findUnique 2.1 ms CPU, BEGIN + set_config + SELECT + COMMIT with `pg` 0.25 ms).
 * The tenant guarantee is withTenant's (server/db/client.server.ts): the app role, one transaction,
 * `app.tenant_id` set with set_config(…, true) so it cannot outlive it; row-level security does the
 * rest. Everything that is not a hot path keeps using Prisma.
 */
import pg from "pg";
import { getEnv } from "../config/env.server";
import { sqlLiteral, type LiteralValue } from "./literal.server";

const { escapeIdentifier } = pg;

let pool: pg.Pool | undefined;

/**
 * `date` columns come back as their 'YYYY-MM-DD' text: pg's default turns them into a Date at local
 * midnight, which is a different day east of Greenwich.
 */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.DATE ? (value: string) => value : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function sqlPool(): pg.Pool {
  if (!pool) {
    const env = getEnv();
    pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE, application_name: "cerniq-hot-path", types });
    // An idle client dropped by the server must not crash the process; the next checkout reconnects.
    pool.on("error", () => undefined);
  }
  return pool;
}

export async function closeSqlPool(): Promise<void> {
  const pools = [tenantsPool, pool].filter((p): p is pg.Pool => p !== undefined);
  pool = undefined;
  tenantsPool = undefined;
  await Promise.all(pools.map((p) => p.end()));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A client inside a tenant-bound transaction. */
export type TenantSql = pg.PoolClient;

/** withTenant's contract on a `pg` client: one transaction, row-level security bound to `tenantId`. */
export async function withTenantSql<T>(tenantId: string, fn: (client: TenantSql) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error(`withTenantSql: not a tenant id: ${tenantId}`);
  // The id matched the UUID pattern above, so inlining it is inert text.
  return inTransaction(await sqlPool().connect(), `BEGIN; SELECT set_config('app.tenant_id', '${tenantId}', true)`, fn);
}

/** Rows a hot-path transaction may open with a lock on (a fixed list: the name is inlined in SQL). */
export type LockableRow = { table: "gold_lead_journey"; id: string };

/**
 * A transaction on a connection bound to `tenantId` (see tenantSql) that starts by locking one row
 * (`SELECT … FOR NO KEY UPDATE`, the lock order's journey lock, ADR 0008: unlike FOR UPDATE it does not
 * hold up the KEY SHARE lock that inserting a child row takes), sent together with BEGIN: the lock
 * costs no round trip of its own. Only the statements that follow see what a concurrent holder of the lock committed (READ COMMITTED takes a
 * snapshot per statement), which is why the lock comes first. A row that is not there (or not the
 * tenant's) is simply not locked; the statements that follow decide what that means.
 */
export async function withLockedRow<T>(tenantId: string, lock: LockableRow, fn: (client: TenantSql) => Promise<T>): Promise<T> {
  if (!UUID.test(lock.id)) throw new Error(`withLockedRow: not a row id: ${lock.id}`);
  // The table is from the fixed list above and the id matched the UUID pattern: inert text.
  return inTransaction(await boundClient(tenantId), `BEGIN; SELECT 1 FROM ${lock.table} WHERE id = '${lock.id}' FOR NO KEY UPDATE`, fn);
}

/**
 * withLockedRow for a transaction of one prepared statement, in one round trip instead of three:
 * `BEGIN; EXECUTE <lock>(id); EXECUTE <statement>(literals…); COMMIT` as one simple-protocol query.
 * The lock is its own statement before the one that reads and writes, so that one's snapshot sees
 * what a concurrent holder of the lock committed, as with withLockedRow. Both are prepared with SQL
 * PREPARE once per connection (then bound and run from their cached generic plans, like `pg`'s
 * named statements); the parameters travel as literals (server/db/literal.server.ts). The statement
 * must decide on its own what to write: the transaction commits whatever it returns. An error rolls
 * it back and is thrown. A round trip costs both processes CPU (each wakes the other; the loopback
 * socket's work runs in the write): one transaction like this measured ~100 µs of CPU against ~200 µs
 * for the three (docs/decisions/0020).
 */
export async function lockedStatement<R extends pg.QueryResultRow>(tenantId: string, lock: LockableRow, statement: TripStatement): Promise<pg.QueryResult<R>> {
  if (!UUID.test(lock.id)) throw new Error(`lockedStatement: not a row id: ${lock.id}`);
  const lockStatement = { name: `lock.${lock.table}`, text: `SELECT 1 FROM ${lock.table} WHERE id = $1 FOR NO KEY UPDATE` };
  return rolledBackOnError(await boundClient(tenantId), async (client) => {
    await prepareOnce(client, lockStatement);
    await prepareOnce(client, statement);
    // EXECUTE takes no parentheses when there are no parameters.
    const args = statement.values.length > 0 ? `(${statement.values.map(sqlLiteral).join(", ")})` : "";
    const results = (await client.query(
      `BEGIN; EXECUTE ${tripName(lockStatement.name)}(${sqlLiteral(lock.id)}); EXECUTE ${tripName(statement.name)}${args}; COMMIT`,
    )) as unknown as pg.QueryResult<R>[];
    return results[2]!;
  });
}

/** A statement for lockedStatement: its name must stand for one text, as for PreparedStatement. */
export interface TripStatement {
  name: string;
  text: string;
  values: LiteralValue[];
}

/** SQL-level prepared statements of each connection, by name (their text, to catch a name reused for another). */
const preparedOn = new WeakMap<pg.PoolClient, Map<string, string>>();

/** PREPARE'd names live beside `pg`'s protocol-level ones on the connection: a prefix keeps them apart. */
const tripName = (name: string) => escapeIdentifier(`trip:${name}`);

async function prepareOnce(client: pg.PoolClient, statement: { name: string; text: string }): Promise<void> {
  let prepared = preparedOn.get(client);
  if (!prepared) preparedOn.set(client, (prepared = new Map()));
  const known = prepared.get(statement.name);
  if (known === statement.text) return;
  if (known !== undefined) throw new Error(`lockedStatement: ${statement.name} already names another statement`);
  await client.query(`PREPARE ${tripName(statement.name)} AS ${statement.text}`);
  prepared.set(statement.name, statement.text);
}

/**
 * A transaction on a connection bound to `tenantId` (see tenantSql): BEGIN is its only opening
 * statement. For hot paths that write a batch in one transaction.
 */
export async function withTenantTransaction<T>(tenantId: string, fn: (client: TenantSql) => Promise<T>): Promise<T> {
  return inTransaction(await boundClient(tenantId), "BEGIN", fn);
}

/**
 * Runs `fn` in a transaction opened by `opening`: BEGIN plus what must come with it, in one round trip
 * (a simple-protocol query may carry several statements, but no parameters, hence inlined values).
 */
async function inTransaction<T>(client: pg.PoolClient, opening: string, fn: (client: TenantSql) => Promise<T>): Promise<T> {
  return rolledBackOnError(client, async () => {
    await client.query(opening);
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  });
}

/**
 * Runs `work` on a checked-out client, then releases it; on an error, rolls back whatever transaction
 * is open first (a ROLLBACK with none open is only a warning) and rethrows.
 */
async function rolledBackOnError<T>(client: pg.PoolClient, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let broken = false;
  try {
    return await work(client);
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    // A client whose rollback failed is in an unknown state: destroy it rather than reuse it.
    client.release(broken);
  }
}

/** Anything that runs one statement: a tenant pool (autocommit) or a client inside withTenantSql. */
export interface Sql {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(statement: PreparedStatement): Promise<pg.QueryResult<R>>;
}

/**
 * A statement prepared once per connection under `name` and then only bound and executed: Postgres
 * skips parsing, and after a few runs planning, of the hot paths' large statements (the send's
 * finalisation was planned anew on every message, about as costly as running it). The name must
 * stand for one text: a different text under a name already prepared on a connection is an error.
 */
export interface PreparedStatement {
  name: string;
  text: string;
  values: unknown[];
}

/**
 * The tenant each connection of the tenant pool is bound to: `app.tenant_id` set for the session
 * (set_config(…, false)), outside any transaction, so no later rollback can undo it.
 */
const boundTo = new WeakMap<pg.PoolClient, string>();
let tenantsPool: pg.Pool | undefined;

function tenantPool(): pg.Pool {
  if (!tenantsPool) {
    const env = getEnv();
    tenantsPool = new pg.Pool({
      connectionString: env.DATABASE_URL,
      max: env.DATABASE_POOL_SIZE,
      idleTimeoutMillis: 10_000,
      application_name: "cerniq-hot-path",
      // Generic plans, always: a prepared statement is planned once per connection, then neither
      // parsed nor planned again. The hot paths' statements are written for it (no `$4 IS NULL OR
      // id <> $4`, whose generic plan read 13× the buffers): planning anew was 40 % of Postgres' time
      // per webhook event and a third of the send's finalisation (docs/decisions/0015). Postgres'
      // default ("auto") went back to planning the send's context read and intent on almost every
      // call with 100 tenants (1.6 and 0.5 ms each); forced, that run sent 208 messages/s instead of
      // 123–184 (docs/decisions/0015, addendum).
      options: "-c plan_cache_mode=force_generic_plan",
      types,
    });
    tenantsPool.on("error", () => undefined);
  }
  return tenantsPool;
}

/**
 * A connection of the tenant pool bound to `tenantId`: as it was left when it served the same tenant
 * last (no round trip), or switched to it first (one round trip). A connection whose switch failed
 * is destroyed, never handed out with another tenant's binding.
 */
async function boundClient(tenantId: string): Promise<pg.PoolClient> {
  if (!UUID.test(tenantId)) throw new Error(`tenantSql: not a tenant id: ${tenantId}`);
  const client = await tenantPool().connect();
  if (boundTo.get(client) === tenantId) return client;
  boundTo.delete(client);
  try {
    await client.query("SELECT set_config('app.tenant_id', $1, false)", [tenantId]);
  } catch (error) {
    client.release(true);
    throw error;
  }
  boundTo.set(client, tenantId);
  return client;
}

/**
 * Single statements for a tenant, for hot paths that need no transaction: one round trip instead of
 * three (BEGIN + set_config, the statement, COMMIT), on a connection of one pool shared by every
 * tenant and bound to this tenant when checked out (boundClient). Row-level security applies as
 * everywhere. One pool for all tenants, so a process serving many tenants (ADR 0014) keeps its
 * connections instead of opening a pool per tenant; a connection changes tenant only between statements.
 */
export function tenantSql(tenantId: string): Sql {
  const query = async (textOrStatement: string | PreparedStatement, values?: unknown[]) => {
    const client = await boundClient(tenantId);
    try {
      const result = typeof textOrStatement === "string" ? await client.query(textOrStatement, values) : await client.query(textOrStatement);
      client.release();
      return result;
    } catch (error) {
      // As pg's own pool.query: a connection that failed a statement is not reused.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  };
  return { query } as Sql;
}
