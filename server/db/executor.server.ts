/**
 * One way for a use case to run its SQL inside the caller's tenant transaction, whichever kind it is:
 * a Prisma interactive transaction (the UI's procedures, `withTenant`) or a plain `pg` client in a
 * tenant transaction (the hot paths, ADR 0007). A use case written against `Db` is ONE implementation
 * for both: the reply a rep logs by hand and the thousands a minute the webhook normalization records
 * run the same statements, in the same order, under the same row-level security.
 *
 * The rules: write SQL with explicit casts on every parameter ($1::uuid, $2::timestamptz, $3::jsonb —
 * Prisma sends parameters typed, pg untyped), pass JSON as a string, and select only types both
 * drivers return alike (text, uuid, int4, bool, timestamptz, jsonb; int8 and date cast to int/text).
 */
import type { TenantTx } from "./client.server";
import { pgExecutor, prismaExecutor, type SqlExecutor } from "./transactional-queue.server";
import type pg from "pg";

/** The caller's open tenant transaction: Prisma's, or a statement runner on a `pg` client. */
export type Db = TenantTx | SqlExecutor;

const isExecutor = (db: Db): db is SqlExecutor => typeof (db as Partial<SqlExecutor>).executeSql === "function";

/** The transaction as a statement runner (what pg-boss's `db` option takes, too). */
export function sqlOf(db: Db): SqlExecutor {
  return isExecutor(db) ? db : prismaExecutor(db);
}

/** A `pg` client inside a tenant transaction, as a `Db`; its statements are prepared once per connection. */
export function pgDb(client: pg.ClientBase): SqlExecutor {
  return pgExecutor(client);
}

/** Runs one statement and returns its rows. */
export async function query<R>(db: Db, text: string, values: unknown[] = []): Promise<R[]> {
  if (isExecutor(db)) return (await db.executeSql(text, values)).rows as R[];
  return db.$queryRawUnsafe<R[]>(text, ...values);
}

/**
 * State that lives exactly as long as one transaction (the transaction object is the key): which
 * journeys it has locked already, so taking the lock again costs no round trip.
 */
const perTransaction = new WeakMap<object, Map<string, unknown>>();

export function transactionMemo<T>(db: Db, name: string): Map<string, T> {
  let all = perTransaction.get(db);
  if (!all) {
    all = new Map();
    perTransaction.set(db, all);
  }
  let memo = all.get(name) as Map<string, T> | undefined;
  if (!memo) {
    memo = new Map();
    all.set(name, memo);
  }
  return memo;
}
