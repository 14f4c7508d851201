/**
 * What is waiting on a tenant's wa.send queue, read straight from pg-boss 12's job table.
 *
 * Not `findJobs`: it returns whole rows (payloads included) of the queue's entire history that match,
 * and the send path and dispatch only need counts. These statements use the predicates of pg-boss's
 * own key_strict_fifo fetch — queued (`state < 'active'`), not blocked, per singleton key — so the
 * partial index job_i10 (name, singleton_key, …) answers them without touching completed jobs.
 * They depend on pg-boss 12's table layout, pinned with the version (ADR 0005), and run in
 * tests/pipeline/send-order.test.ts and dispatch.test.ts against the real tables.
 */
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import { getEnv } from "../../config/env.server";
import { waSendQueue } from "../../../jobs/queues";

export type BossDb = Pick<PgBoss, "getDb">;

const countRow = z.object({ key: z.string(), n: z.number().int() });

/** Sends queued per phone (due or deferred), for dispatch's cap on what waits behind each phone. */
export async function queuedSendsPerPhone(boss: BossDb, tenantId: string, phoneIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map(phoneIds.map((id) => [id, 0]));
  if (phoneIds.length === 0) return counts;
  const schema = getEnv().PGBOSS_SCHEMA;
  const { rows } = await boss.getDb().executeSql(
    `SELECT singleton_key AS key, count(*)::int AS n FROM ${schema}.job
      WHERE name = $1 AND singleton_key = ANY($2::text[]) AND state < 'active' AND NOT blocked AND policy = 'key_strict_fifo'
      GROUP BY singleton_key`,
    [waSendQueue(tenantId), phoneIds],
  );
  for (const row of rows) {
    const r = countRow.parse(row);
    counts.set(r.key, r.n);
  }
  return counts;
}

/**
 * Whether a follow-up is queued on this phone and due now (start_after reached on pg-boss's clock,
 * job_now()): an initial message that became the phone's head then gives way (send-order.ts).
 */
export async function dueFollowUpWaiting(boss: BossDb, tenantId: string, phoneId: string): Promise<boolean> {
  const { rows } = await boss.getDb().executeSql(`SELECT ${dueFollowUpWaitingSql("$1", "$2")} AS waiting`, [waSendQueue(tenantId), phoneId]);
  return z.object({ waiting: z.boolean() }).parse(rows[0]).waiting;
}

/**
 * dueFollowUpWaiting as a boolean SQL expression over two text parameters (the tenant's send queue,
 * the phone id), for a statement that reads it with other things: the WhatsApp send's context
 * (whatsapp-send-store.server.ts) saves a round trip per message that way.
 */
export function dueFollowUpWaitingSql(queueParam: string, phoneParam: string): string {
  const schema = getEnv().PGBOSS_SCHEMA;
  return `EXISTS (SELECT 1 FROM ${schema}.job
      WHERE name = ${queueParam} AND singleton_key = ${phoneParam} AND state < 'active' AND NOT blocked AND policy = 'key_strict_fifo'
        AND start_after <= ${schema}.job_now() AND data @> '{"followUp": true}'::jsonb)`;
}
