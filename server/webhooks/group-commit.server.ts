/**
 * Group commit for accepted webhooks. Requests that reach the store in the same turn of the event
 * loop share one transaction per tenant: one multi-row INSERT … ON CONFLICT DO NOTHING, one
 * normalization job naming the group's new events (ADR 0017), one COMMIT; then each request gets its
 * own answer.
 *
 * Why: under a burst the receiver's cost is round trips, not work. Alone, each webhook needs four
 * (BEGIN+tenant, INSERT, job INSERT, COMMIT); in a group of twenty, the twenty share four. Nothing is
 * weakened: a request is answered only after the transaction holding its row committed, so "200"
 * still means "stored and queued". At low traffic a group is one request and waits for nothing (the
 * flush is scheduled with setImmediate, not a timer).
 *
 * Duplicates, within a group or against stored rows, are settled by the unique key: ON CONFLICT DO
 * NOTHING skips them, and they are answered with the id of the row that exists. If a group's
 * transaction fails, its requests are retried one by one, so one bad row cannot fail its neighbours.
 */
import type pg from "pg";
import type { PgBoss } from "pg-boss";
import { errorFields, logEvent } from "../observability/logger.server";
import { WEBHOOK_EVENTS_PER_JOB, WEBHOOK_NORMALIZE_QUEUE, type WebhookNormalizePayload } from "../../jobs/queues";
import { pgExecutor, type TransactionalQueue } from "../db/transactional-queue.server";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";
import { pgText, storeWebhookEvent, type NewWebhookEvent, type StoredEvent } from "./store.server";
import { withTenantSql } from "../db/sql.server";

/** Where accepted events go; the ingest pipeline does not care whether they are grouped. */
export interface EventSink {
  /** Stores a RECEIVED event once and queues its normalization in the same transaction. */
  store(event: NewWebhookEvent): Promise<StoredEvent>;
}

/** One sink per pg-boss (per process, in practice), so concurrent requests of all routes group together. */
const sinks = new WeakMap<PgBoss, EventSink>();

/** The sink both HTTP adapters hand to the pipeline; null without a started pg-boss (ingest answers 503). */
export function eventSinkFor(boss: PgBoss | null): EventSink | null {
  if (!boss) return null;
  let sink = sinks.get(boss);
  if (!sink) {
    sink = groupCommitSink(pgBossTransactionalQueue(boss));
    sinks.set(boss, sink);
  }
  return sink;
}

interface Waiting {
  event: NewWebhookEvent;
  resolve: (stored: StoredEvent) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Rows per transaction. */
  maxGroup?: number;
  /** Group transactions open at once (each holds a pool connection); the rest wait and grow. */
  maxInFlight?: number;
}

export function groupCommitSink(queue: TransactionalQueue, options: GroupCommitOptions = {}): EventSink {
  // A group's new events are one normalization job, which names at most WEBHOOK_EVENTS_PER_JOB.
  const maxGroup = Math.min(options.maxGroup ?? WEBHOOK_EVENTS_PER_JOB, WEBHOOK_EVENTS_PER_JOB);
  const maxInFlight = options.maxInFlight ?? 4;
  let waiting: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled || waiting.length === 0 || inFlight >= maxInFlight) return;
    scheduled = true;
    setImmediate(flush);
  };

  function flush(): void {
    scheduled = false;
    const taken = waiting;
    waiting = [];
    const byTenant = new Map<string, Waiting[]>();
    for (const item of taken) {
      const group = byTenant.get(item.event.tenantId) ?? [];
      group.push(item);
      byTenant.set(item.event.tenantId, group);
    }
    for (const [tenantId, items] of byTenant) {
      for (let i = 0; i < items.length; i += maxGroup) {
        const group = items.slice(i, i + maxGroup);
        inFlight++;
        void commitGroup(queue, tenantId, group).finally(() => {
          inFlight--;
          schedule();
        });
      }
    }
  }

  return {
    store(event) {
      if (event.status !== "RECEIVED") return storeWebhookEvent(event);
      return new Promise<StoredEvent>((resolve, reject) => {
        waiting.push({ event, resolve, reject });
        schedule();
      });
    },
  };
}

async function commitGroup(queue: TransactionalQueue, tenantId: string, group: Waiting[]): Promise<void> {
  try {
    const results = await withTenantSql(tenantId, (client) => insertGroup(client, queue, tenantId, group.map((w) => w.event)));
    group.forEach((w, i) => w.resolve(results[i]!));
  } catch (error) {
    if (group.length === 1) return group[0]!.reject(error);
    logEvent("warn", { action: "webhook.group_commit_failed", tenantId, metadata: { size: group.length }, error: errorFields(error) });
    // One by one: whichever row caused it fails alone.
    await Promise.all(
      group.map((w) =>
        storeWebhookEvent(w.event, async (client, eventId) => {
          await queueNormalization(queue, client, tenantId, [eventId]);
        }).then(w.resolve, w.reject),
      ),
    );
  }
}

/**
 * One job for the events one transaction stored. Its id is the first event's: a fresh id of that
 * transaction, so it names no other job.
 */
async function queueNormalization(queue: TransactionalQueue, client: pg.PoolClient, tenantId: string, eventIds: readonly string[]): Promise<void> {
  const data: WebhookNormalizePayload = { tenantId, eventIds: [...eventIds] };
  await queue.send(pgExecutor(client), WEBHOOK_NORMALIZE_QUEUE, data, { id: eventIds[0]! });
}

const insertSqlBySize = new Map<number, string>();

/**
 * One VALUES row per event, each value its own parameter. Arrays (unnest) would make pg escape every
 * quote of every JSON body into an array literal and Postgres parse it back out; separate parameters
 * travel as they are. Named per group size, so each connection plans each size once (at most
 * maxGroup statements per connection).
 */
function insertGroupSql(size: number): string {
  let sql = insertSqlBySize.get(size);
  if (sql === undefined) {
    const rows = Array.from({ length: size }, (_, i) => {
      const p = 2 + i * 6;
      return `($1::uuid, $${p}::webhook_provider_enum, $${p + 1}, $${p + 2}, $${p + 3}::jsonb, $${p + 4}, $${p + 5}::jsonb, 'RECEIVED'::webhook_status_enum)`;
    });
    sql = `INSERT INTO webhook_events (tenant_id, provider, provider_event_id, event_type, payload, raw_body, headers, status)
           VALUES ${rows.join(", ")}
           ON CONFLICT (provider, provider_event_id) DO NOTHING
           RETURNING id, provider, provider_event_id`;
    insertSqlBySize.set(size, sql);
  }
  return sql;
}

const keyOf = (provider: string, providerEventId: string) => `${provider}\u0001${providerEventId}`;

async function insertGroup(client: pg.PoolClient, queue: TransactionalQueue, tenantId: string, events: NewWebhookEvent[]): Promise<StoredEvent[]> {
  const values: unknown[] = [tenantId];
  for (const e of events) values.push(e.provider, e.providerEventId, e.eventType, JSON.stringify(e.payload), pgText(e.rawBody), JSON.stringify(e.headers));
  const inserted = await client.query<{ id: string; provider: string; provider_event_id: string }>({
    name: `webhook_events_insert_${events.length}`,
    text: insertGroupSql(events.length),
    values,
  });
  const newIds = new Map(inserted.rows.map((r) => [keyOf(r.provider, r.provider_event_id), r.id]));
  // In the order the requests came, so a lead's events are applied in that order.
  const queued = [...new Set(events.flatMap((e) => newIds.get(keyOf(e.provider, e.providerEventId)) ?? []))];
  if (queued.length > 0) await queueNormalization(queue, client, tenantId, queued);

  // Rows that were already there (replays), visible only if they are this tenant's.
  const missing = events.filter((e) => !newIds.has(keyOf(e.provider, e.providerEventId)));
  const existing = new Map<string, string>();
  if (missing.length > 0) {
    const found = await client.query<{ id: string; provider: string; provider_event_id: string }>(
      `SELECT w.id, w.provider, w.provider_event_id FROM webhook_events w
       JOIN unnest($1::webhook_provider_enum[], $2::text[]) AS k(provider, provider_event_id)
         ON w.provider = k.provider AND w.provider_event_id = k.provider_event_id`,
      [missing.map((e) => e.provider), missing.map((e) => e.providerEventId)],
    );
    for (const r of found.rows) existing.set(keyOf(r.provider, r.provider_event_id), r.id);
  }

  // The first request carrying a new key is the one that stored it; any later one in the group repeats it.
  const claimed = new Set<string>();
  return events.map((e) => {
    const key = keyOf(e.provider, e.providerEventId);
    const id = newIds.get(key);
    if (id !== undefined && !claimed.has(key)) {
      claimed.add(key);
      return { eventId: id, inserted: true };
    }
    return { eventId: id ?? existing.get(key) ?? "", inserted: false };
  });
}
