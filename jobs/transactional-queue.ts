/** The transactional queue port (server/db/transactional-queue.server.ts) on pg-boss's `db` option. */
import type { PgBoss } from "pg-boss";
import type { TransactionalQueue } from "../server/db/transactional-queue.server";

export function pgBossTransactionalQueue(boss: Pick<PgBoss, "send" | "insert">): TransactionalQueue {
  return {
    async send(db, queue, data, options) {
      const id = await boss.send(queue, data, { id: options.id, singletonKey: options.singletonKey ?? options.id, ...(options.startAfter ? { startAfter: options.startAfter } : {}), db });
      return id !== null;
    },
    async sendMany(db, queue, jobs) {
      if (jobs.length === 0) return;
      await boss.insert(queue, jobs.map((job) => ({ id: job.id, singletonKey: job.singletonKey ?? job.id, data: job.data })), { db });
    },
  };
}
