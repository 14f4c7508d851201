/**
 * Queue figures read straight from pg-boss 12's job table (the layout pinned with the version,
 * ADR 0005; same approach as server/pipeline/send/send-queue.server.ts): depth and throughput per
 * queue for one tenant (jobs carry `tenantId` in their payload; dead letters inside `payload`), and
 * the dead letters per tenant and per source queue. A tenant's WhatsApp send queue (`wa.send.<tenant>`,
 * ADR 0014) is reported under its family, `wa.send`, everywhere here.
 */
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import { getEnv } from "../config/env.server";
import { OUTREACH_DLQ, queueFamilyOf } from "../../jobs/queues";

export type BossDb = Pick<PgBoss, "getDb">;

/** The tenant a job belongs to, for both job shapes (ours: data.tenantId; dead letters: data.payload.tenantId). */
const TENANT_OF_JOB = "COALESCE(data->>'tenantId', data->'payload'->>'tenantId')";

export interface QueueStat {
  queue: string;
  /** Waiting and due. */
  queued: number;
  /** Waiting for a later start (deferred sends, scheduled retries). */
  deferred: number;
  active: number;
  /** Failed for good in the last 24 hours. */
  failed24h: number;
  /** Completed in the last hour: the queue's throughput. */
  completedLastHour: number;
  /** Age of the oldest job that is due and waiting, in seconds (a stuck queue grows it). */
  oldestWaitingSeconds: number | null;
}

const statRow = z.object({
  queue: z.string(),
  queued: z.number().int(),
  deferred: z.number().int(),
  active: z.number().int(),
  failed24h: z.number().int(),
  completedLastHour: z.number().int(),
  oldestWaitingSeconds: z.number().nullable(),
});

export async function queueStatsForTenant(boss: BossDb, tenantId: string): Promise<QueueStat[]> {
  const schema = getEnv().PGBOSS_SCHEMA;
  const { rows } = await boss.getDb().executeSql(
    `SELECT name AS queue,
            (count(*) FILTER (WHERE state < 'active' AND start_after <= now()))::int AS queued,
            (count(*) FILTER (WHERE state < 'active' AND start_after > now()))::int AS deferred,
            (count(*) FILTER (WHERE state = 'active'))::int AS active,
            (count(*) FILTER (WHERE state = 'failed' AND completed_on > now() - interval '24 hours'))::int AS "failed24h",
            (count(*) FILTER (WHERE state = 'completed' AND completed_on > now() - interval '1 hour'))::int AS "completedLastHour",
            extract(epoch FROM now() - min(created_on) FILTER (WHERE state < 'active' AND start_after <= now()))::float8 AS "oldestWaitingSeconds"
       FROM ${schema}.job
      WHERE ${TENANT_OF_JOB} = $1
        AND (state < 'completed' OR completed_on > now() - interval '24 hours')
      GROUP BY name ORDER BY name`,
    [tenantId],
  );
  // One tenant has one queue of a family, so renaming merges nothing.
  return rows.map((r) => statRow.parse(r)).map((s) => ({ ...s, queue: queueFamilyOf(s.queue) }));
}

const dlqRow = z.object({ tenant_id: z.string().nullable(), source: z.string(), n: z.number().int() });

/** Dead letters waiting for a person, by tenant and by the queue they came from. */
export async function deadLetterCounts(boss: BossDb): Promise<Array<{ tenantId: string | null; source: string; count: number }>> {
  const schema = getEnv().PGBOSS_SCHEMA;
  const { rows } = await boss.getDb().executeSql(
    `SELECT ${TENANT_OF_JOB} AS tenant_id, COALESCE(data->>'queue', source_name, 'unknown') AS source, count(*)::int AS n
       FROM ${schema}.job WHERE name = $1 AND state < 'active'
      GROUP BY 1, 2`,
    [OUTREACH_DLQ],
  );
  return rows.map((r) => dlqRow.parse(r)).map((r) => ({ tenantId: r.tenant_id, source: queueFamilyOf(r.source), count: r.n }));
}

const depthRow = z.object({ queue: z.string(), queued: z.number().int(), deferred: z.number().int(), active: z.number().int() });

/**
 * Jobs waiting and running per queue, all tenants, counted now (pg-boss's own queue counts are
 * refreshed by its supervisor every so often, so they lag behind); a queue family's queues summed.
 */
export async function queueDepths(boss: BossDb): Promise<Array<z.output<typeof depthRow>>> {
  const schema = getEnv().PGBOSS_SCHEMA;
  const { rows } = await boss.getDb().executeSql(
    `SELECT name AS queue,
            (count(*) FILTER (WHERE state < 'active' AND start_after <= now()))::int AS queued,
            (count(*) FILTER (WHERE state < 'active' AND start_after > now()))::int AS deferred,
            (count(*) FILTER (WHERE state = 'active'))::int AS active
       FROM ${schema}.job WHERE state < 'completed' GROUP BY name`,
    [],
  );
  const byQueue = new Map<string, z.output<typeof depthRow>>();
  for (const d of rows.map((r) => depthRow.parse(r))) {
    const queue = queueFamilyOf(d.queue);
    const sum = byQueue.get(queue) ?? { queue, queued: 0, deferred: 0, active: 0 };
    byQueue.set(queue, { queue, queued: sum.queued + d.queued, deferred: sum.deferred + d.deferred, active: sum.active + d.active });
  }
  return [...byQueue.values()];
}
