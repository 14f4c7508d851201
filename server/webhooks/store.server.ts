/**
 * Where webhook bodies go: `webhook_events` (attributed to a tenant, stored once per provider event
 * id) or `webhook_rejections` (no tenant could be named; the app role may only insert there).
 * Plain SQL on the receiver's own pool (sql.server.ts says why).
 */
import type pg from "pg";
import type { WebhookProvider } from "../generated/prisma/enums";
import { sqlPool, withTenantSql } from "../db/sql.server";

export interface NewWebhookEvent {
  tenantId: string;
  provider: WebhookProvider;
  providerEventId: string;
  eventType: string;
  /** The parsed body as received (not a schema's transformed output). */
  payload: unknown;
  rawBody: string;
  headers: Record<string, string>;
  /** REJECTED: authentic and attributed, but malformed; kept for inspection, never processed. */
  status: "RECEIVED" | "REJECTED";
  error?: string;
}

export interface StoredEvent {
  eventId: string;
  /** False when this provider event id was already stored (a replay or a provider retry). */
  inserted: boolean;
}

/**
 * Postgres `text` cannot hold NUL, and error messages quote the bytes that broke a parse (a JSON
 * error on a NUL byte contains one). Everything free-form is passed through this before it is stored.
 */
export const pgText = (value: string): string => value.replaceAll("\u0000", "\uFFFD");

/**
 * Inserts the event unless its (provider, provider_event_id) exists, and runs `onInserted` in the same
 * transaction (the caller enqueues processing there), so "stored" and "queued" commit together.
 */
export async function storeWebhookEvent(event: NewWebhookEvent, onInserted?: (client: pg.PoolClient, eventId: string) => Promise<void>): Promise<StoredEvent> {
  return withTenantSql(event.tenantId, async (client) => {
    const inserted = await client.query<{ id: string }>({
      // Named: each pooled connection parses and plans it once, not on every webhook.
      name: "webhook_events_insert",
      text: `INSERT INTO webhook_events (tenant_id, provider, provider_event_id, event_type, payload, raw_body, headers, status, error)
             VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb, $8, $9)
             ON CONFLICT (provider, provider_event_id) DO NOTHING
             RETURNING id`,
      values: [
        event.tenantId,
        event.provider,
        event.providerEventId,
        event.eventType,
        JSON.stringify(event.payload),
        pgText(event.rawBody),
        JSON.stringify(event.headers),
        event.status,
        event.error === undefined ? null : pgText(event.error),
      ],
    });
    const row = inserted.rows[0];
    if (row) {
      await onInserted?.(client, row.id);
      return { eventId: row.id, inserted: true };
    }
    // Stored before. The unique key is global, so in theory the holder could be another tenant
    // (invisible here under RLS); provider ids are per message/delivery, so that would be a collision
    // we still must not process twice: reported as a duplicate without an id.
    const existing = await client.query<{ id: string }>(`SELECT id FROM webhook_events WHERE provider = $1 AND provider_event_id = $2`, [
      event.provider,
      event.providerEventId,
    ]);
    return { eventId: existing.rows[0]?.id ?? "", inserted: false };
  });
}

export interface NewWebhookRejection {
  provider: WebhookProvider;
  /** A code and a sentence, e.g. "UNKNOWN_TENANT: no tenant tracks campaign …". */
  reason: string;
  headers: Record<string, string>;
  body: string;
  remoteIp: string | null;
}

/** Plain INSERT, no RETURNING: the app role holds INSERT only on this table. */
export async function storeWebhookRejection(rejection: NewWebhookRejection): Promise<void> {
  await sqlPool().query(
    `INSERT INTO webhook_rejections (provider, reason, headers, body, remote_ip) VALUES ($1, $2, $3::jsonb, $4, $5)`,
    [rejection.provider, pgText(rejection.reason), JSON.stringify(rejection.headers), pgText(rejection.body), rejection.remoteIp === null ? null : pgText(rejection.remoteIp)],
  );
}
