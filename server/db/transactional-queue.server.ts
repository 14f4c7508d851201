import { createHash } from "node:crypto";
import type pg from "pg";
import type { TenantTx } from "./client.server";

/**
 * Enqueueing inside the caller's database transaction: the job exists if and only if the transaction
 * commits. That is what lets a webhook be "stored once and queued" without an outbox sweeper, a
 * reply's analysis job appear exactly when the reply's log row does, and dispatch's send jobs exist
 * exactly when its decisions do. Every producer enqueues this way; the pg-boss implementation is
 * jobs/transactional-queue.ts (pg-boss's `db` option), queue names are in jobs/queues.ts.
 */

/** A statement runner bound to an open transaction; the shape pg-boss's `db` option takes. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The caller's Prisma transaction as a statement runner (what pg-boss's own fromPrisma does). */
export const prismaExecutor = (tx: TenantTx): SqlExecutor => ({
  executeSql: async (text, values) => {
    const rows: unknown = await tx.$queryRawUnsafe(text, ...(values ?? []));
    return { rows: Array.isArray(rows) ? rows : [] };
  },
});

/**
 * pg-boss builds the same few statements (its job insert is a large INSERT … SELECT over
 * json_to_recordset) on every call and sends them unnamed, so Postgres parsed and planned one per
 * group commit. Named after their text, each pooled connection prepares each statement once. The use
 * cases that run on a `pg` client (server/db/executor.server.ts) go through here too: their texts are
 * constants, a few hundred at most; past the cap a text is sent unnamed.
 */
const statementNames = new Map<string, string>();
const MAX_STATEMENT_NAMES = 512;

function statementName(text: string): string | undefined {
  const known = statementNames.get(text);
  if (known !== undefined || statementNames.size >= MAX_STATEMENT_NAMES) return known;
  const name = `tq_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
  statementNames.set(text, name);
  return name;
}

export const pgExecutor = (client: pg.ClientBase): SqlExecutor => ({
  executeSql: async (text, values) => {
    const name = statementName(text);
    return { rows: (await client.query(name === undefined ? { text, values } : { name, text, values })).rows };
  },
});

export interface TransactionalQueue {
  /**
   * `id` is the job's id (a UUID). pg-boss keys jobs by (queue, id) and inserts with ON CONFLICT DO
   * NOTHING, so sending the same id twice is harmless: returns false the second time.
   */
  send(db: SqlExecutor, queue: string, data: object, options: { id: string; singletonKey?: string; startAfter?: Date }): Promise<boolean>;
  /** Many jobs in one statement, same id rule; `singletonKey` defaults to the id. */
  sendMany(db: SqlExecutor, queue: string, jobs: ReadonlyArray<{ id: string; data: object; singletonKey?: string }>): Promise<void>;
}
