/**
 * The webhook pipeline shared by the three provider routes, and by both ways a request reaches it:
 * the Remix resource routes (route.server.ts) and the Express fast path the server mounts in front of
 * Remix (express.server.ts; docs/decisions/0006-webhook-fast-path.md). Order, and why:
 *
 *  1. POST only (405).
 *  2. Credentials that need no body: URL secret, secret header, signature headers present (401).
 *     Checked before reading the body, so unauthenticated senders cost us no more than headers.
 *  3. Content type (415) and size (413), the size enforced while streaming.
 *  4. Credentials over the exact bytes: the Svix signature (401).
 *  5. JSON and the provider's schema (400). Malformed-but-authentic bodies are stored with the error:
 *     in webhook_events as REJECTED when the tenant is already known (TimelinesAI), else in
 *     webhook_rejections.
 *  6. Attribution. An authentic event no tenant owns (another system's mail in the Resend account,
 *     an Instantly campaign we do not track) is stored in webhook_rejections and answered 202:
 *     a 4xx would make the provider retry it for days and eventually disable the webhook.
 *  7. INSERT … ON CONFLICT DO NOTHING on (provider, provider_event_id) and, in the same transaction,
 *     the normalization job (grouped with concurrent requests: group-commit.server.ts): 200
 *     "accepted". A replay is answered 200 "duplicate" and queues nothing.
 *
 * Unauthenticated requests (401) and oversize bodies (413) are logged and counted but not stored:
 * nobody who lacks our secret should be able to write into our database.
 */
import { createHash } from "node:crypto";
import type { WebhookProvider } from "../generated/prisma/enums";
import { errorFields, logEvent } from "../observability/logger.server";
import { declaredTooLarge, isJsonContentType, parseStorableJson, MAX_WEBHOOK_BODY_BYTES } from "./body";
import { methodNotAllowed, refuse, webhookAnswer, type RejectionCode, type WebhookAnswer } from "./reply";
import type { EventSink } from "./group-commit.server";
import type { Credentials, WebhookRequest, WebhookSource } from "./source";
import { storeWebhookEvent, storeWebhookRejection } from "./store.server";

export interface IngestDeps {
  /** Where accepted events go (group-commit.server.ts). Null when this process has no started
   * pg-boss: then nothing is stored, and the provider retries. */
  sink: EventSink | null;
}

/** Longest provider event id / event type we store; longer ones are malformed (and would not fit a B-tree entry). */
const MAX_EVENT_ID_LENGTH = 256;
const MAX_EVENT_TYPE_LENGTH = 128;

/** Headers worth keeping for inspection. Never the secret header or cookies. */
const KEPT_HEADERS = ["content-type", "content-length", "user-agent", "svix-id", "svix-timestamp", "svix-signature", "x-forwarded-for", "x-request-id"];

/** One webhook delivery, whichever HTTP server received it (source.ts: WebhookRequest). */
export async function ingestWebhook<C extends Credentials, P>(source: WebhookSource<C, P>, request: WebhookRequest, deps: IngestDeps): Promise<WebhookAnswer> {
  // Latency and status per provider are recorded by the HTTP layer (cerniq_http_request_duration_seconds,
  // route /webhooks/<provider>): this module runs inside the Remix bundle, whose metric registry is
  // not the one /metrics serves.
  return run(source, request, deps).catch((error: unknown) => {
    // Only infrastructure can get here (database down, pg-boss gone): the provider retries a 503.
    logEvent("error", { action: "webhook.ingest_failed", channel: source.provider, error: errorFields(error) });
    return refuse(503, "TEMPORARILY_UNAVAILABLE", "temporarily unable to store the event; retry later");
  });
}

async function run<C extends Credentials, P>(source: WebhookSource<C, P>, request: WebhookRequest, deps: IngestDeps): Promise<WebhookAnswer> {
  const provider = source.provider;
  if (request.method !== "POST") return methodNotAllowed();

  const credentials = await source.checkRequest(request);
  if (!credentials.ok) return unauthorized(provider, credentials.message);
  const creds = credentials.value;
  const headers = keptHeaders(request);
  const remoteIp = clientIp(request);

  // A body we refuse after authentication is stored for inspection: with its tenant when known.
  const reject = async (status: number, code: RejectionCode, message: string, bytes: Buffer): Promise<WebhookAnswer> => {
    // Invalid UTF-8 becomes U+FFFD and NUL is replaced by the store: kept for a person to read, not to replay.
    const text = bytes.toString("utf8");
    if (creds.tenantId) {
      await storeWebhookEvent({
        tenantId: creds.tenantId,
        provider,
        // One row per distinct bad body: a provider retrying the same garbage does not pile up rows.
        providerEventId: `invalid:${createHash("sha256").update(bytes).digest("hex")}`,
        eventType: "invalid",
        payload: null,
        rawBody: text,
        headers,
        status: "REJECTED",
        error: `${code}: ${message}`,
      });
    } else {
      await storeWebhookRejection({ provider, reason: `${code}: ${message}`, headers, body: text, remoteIp });
    }
    logEvent("warn", { action: "webhook.rejected", channel: provider, tenantId: creds.tenantId ?? undefined, metadata: { code, message } });
    return refuse(status, code, message);
  };

  const contentType = request.header("content-type");
  if (!isJsonContentType(contentType)) {
    // Refused before reading, so a large non-JSON upload is never buffered; there is no body to keep.
    logEvent("warn", { action: "webhook.unsupported_media_type", channel: provider, metadata: { contentType } });
    return refuse(415, "UNSUPPORTED_MEDIA_TYPE", `content-type must be application/json, got ${contentType?.slice(0, 100)}`);
  }

  const body = declaredTooLarge(request.header("content-length")) ? ({ ok: false, tooLarge: true } as const) : await request.readBody(MAX_WEBHOOK_BODY_BYTES);
  if (!body.ok) {
    logEvent("warn", { action: "webhook.too_large", channel: provider, metadata: { limit: MAX_WEBHOOK_BODY_BYTES } });
    // The rest of the body is left unread; closing the connection after the answer means it never will be.
    return refuse(413, "PAYLOAD_TOO_LARGE", `body exceeds ${MAX_WEBHOOK_BODY_BYTES} bytes`, { connection: "close" });
  }
  const bytes = body.bytes;

  const signed = source.verifyBody(bytes, creds);
  if (!signed.ok) return unauthorized(provider, signed.message);

  const json = parseStorableJson(bytes);
  if (!json.ok) return reject(400, "INVALID_PAYLOAD", json.error, bytes);
  const interpreted = source.interpret(json.value, bytes, creds);
  if (!interpreted.ok) return reject(400, "INVALID_PAYLOAD", interpreted.message, bytes);
  const { event, payload } = interpreted.value;
  if (event.providerEventId.length === 0 || event.providerEventId.length > MAX_EVENT_ID_LENGTH) {
    return reject(400, "INVALID_PAYLOAD", `event id must be 1–${MAX_EVENT_ID_LENGTH} characters`, bytes);
  }
  if (event.eventType.length > MAX_EVENT_TYPE_LENGTH) {
    return reject(400, "INVALID_PAYLOAD", `event type longer than ${MAX_EVENT_TYPE_LENGTH} characters`, bytes);
  }

  const owner = await source.attribute(event, payload, creds);
  if (owner.tenantId === null) {
    await storeWebhookRejection({ provider, reason: `${owner.code}: ${owner.message}`, headers, body: bytes.toString("utf8"), remoteIp });
    logEvent("info", { action: "webhook.unattributed", channel: provider, metadata: { code: owner.code, eventType: event.eventType } });
    return webhookAnswer(202, { status: "ignored", reason: { code: owner.code, message: owner.message } });
  }

  if (!deps.sink) {
    // Storing without queueing would turn the provider's retry into a "duplicate" that is never processed.
    return refuse(503, "QUEUE_UNAVAILABLE", "job queue not running in this process; retry later");
  }
  const tenantId = owner.tenantId;
  const stored = await deps.sink.store({
    tenantId,
    provider,
    providerEventId: event.providerEventId,
    eventType: event.eventType,
    payload: json.value,
    rawBody: bytes.toString("utf8"),
    headers,
    status: "RECEIVED",
  });
  logEvent("debug", {
    action: stored.inserted ? "webhook.accepted" : "webhook.duplicate",
    channel: provider,
    tenantId,
    metadata: { eventId: stored.eventId, providerEventId: event.providerEventId, eventType: event.eventType },
  });
  return webhookAnswer(200, { status: stored.inserted ? "accepted" : "duplicate", ...(stored.eventId ? { eventId: stored.eventId } : {}) });
}

function unauthorized(provider: WebhookProvider, message: string): WebhookAnswer {
  logEvent("warn", { action: "webhook.unauthorized", channel: provider, metadata: { reason: message } });
  return refuse(401, "UNAUTHORIZED", message);
}

function keptHeaders(request: WebhookRequest): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = request.header(name);
    if (value !== null) kept[name] = value.slice(0, 1024);
  }
  return kept;
}

function clientIp(request: WebhookRequest): string | null {
  const forwarded = request.header("x-forwarded-for")?.split(",", 1)[0]?.trim();
  return forwarded ? forwarded.slice(0, 64) : null;
}
