/** The transactional queue port (server/db/transactional-queue.server.ts) on pg-boss's `db` option. */
import type { PgBoss } from "pg-boss";
import type { TransactionalQueue } from "../server/db/transactional-queue.server";
import { tenantOfWaSendQueue } from "./queues";
import { ensureTenantSendQueues, type QueueAdmin } from "./pipeline/wa-send-queue";

export function pgBossTransactionalQueue(boss: Pick<PgBoss, "send" | "insert"> & QueueAdmin): TransactionalQueue {
  return {
    async send(db, queue, data, options) {
      const id = await withQueue(boss, queue, () => boss.send(queue, data, { id: options.id, singletonKey: options.singletonKey ?? options.id, ...(options.startAfter ? { startAfter: options.startAfter } : {}), db }));
      return id !== null;
    },
    async sendMany(db, queue, jobs) {
      if (jobs.length === 0) return;
      await withQueue(boss, queue, () => boss.insert(queue, jobs.map((job) => ({ id: job.id, singletonKey: job.singletonKey ?? job.id, data: job.data })), { db }));
    },
  };
}

/**
 * A tenant's send queue is created when the tenant gets a phone and at every worker start; a send for
 * a tenant whose phones came some other way (a database restore, a script) would meet no queue. pg-boss
 * says so before it runs any statement (its queue cache), so the caller's transaction is intact:
 * the queue is created through ensureQueues and the send made again.
 */
async function withQueue<T>(boss: QueueAdmin, queue: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const tenantId = tenantOfWaSendQueue(queue);
    if (!tenantId || !(error instanceof Error) || error.message !== `Queue ${queue} does not exist`) throw error;
    await ensureTenantSendQueues(boss, [tenantId]);
    return send();
  }
}
