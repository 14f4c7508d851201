import { createHash } from "node:crypto";
import { fromPrisma, type PgBoss } from "pg-boss";
import type pg from "pg";
import type { TenantTx } from "../db/client.server";

/**
 * Enqueueing inside the caller's database transaction (pg-boss's `db` option): the job exists if and
 * only if the transaction commits. That is what lets a webhook be "stored once and queued" without
 * an outbox sweeper, and lets a reply's analysis job appear exactly when the reply's log row does.
 */

/** A statement runner bound to an open transaction; the shape pg-boss's `db` option takes. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export const prismaExecutor = (tx: TenantTx): SqlExecutor => fromPrisma(tx);

/**
 * pg-boss builds the same few statements (its job insert is a large INSERT … SELECT over
 * json_to_recordset) on every call and sends them unnamed, so Postgres parsed and planned one per
 * group commit. Named after their text, each pooled connection prepares each statement once.
 */
const statementNames = new Map<string, string>();
const MAX_STATEMENT_NAMES = 64;

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
  send(db: SqlExecutor, queue: string, data: object, options: { id: string; singletonKey?: string }): Promise<boolean>;
  /** Many jobs in one statement, same id rule (the id doubles as singletonKey). */
  sendMany(db: SqlExecutor, queue: string, jobs: ReadonlyArray<{ id: string; data: object }>): Promise<void>;
}

export function pgBossTransactionalQueue(boss: Pick<PgBoss, "send" | "insert">): TransactionalQueue {
  return {
    async send(db, queue, data, options) {
      const id = await boss.send(queue, data, { id: options.id, singletonKey: options.singletonKey ?? options.id, db });
      return id !== null;
    },
    async sendMany(db, queue, jobs) {
      if (jobs.length === 0) return;
      await boss.insert(queue, jobs.map((job) => ({ id: job.id, singletonKey: job.id, data: job.data })), { db });
    },
  };
}
