/**
 * Shared pieces of the webhook tests: a migrated database per file with pg-boss started, a tenant
 * with one lead on every channel (written through the owner connection, as the send jobs would have
 * written it), request builders that sign or authenticate exactly as each provider does, and the
 * route modules' actions called with a real fetch `Request`.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { UNSAFE_flatRoutes } from "@remix-run/dev";
import type { ActionFunctionArgs, ServerBuild } from "@remix-run/node";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { Webhook } from "svix";
// Renamed on import: it is not a React hook, whatever its name tells the linter.
import { createTestDatabase, useDatabase as pointAppAt, type TestDatabase } from "../support/db";
import { insertCampaign, insertEnrollment, insertLead, insertMessage, insertPhone, insertSequence, insertTenant } from "../support/factories";

export const RESEND_SECRET = "whsec_dGVzdC1yZXNlbmQtd2ViaG9vay1zZWNyZXQtMDEyMzQ1Njc4OQ==";
export const INSTANTLY_SECRET = "test-instantly-webhook-secret-0123456789";
export const INSTANTLY_HEADER = "x-cerniq-webhook-secret";

export interface WebhookTestEnv {
  db: TestDatabase;
  boss: PgBoss;
  /** Owner connection: sees every row, bypasses row-level security. */
  admin: pg.Client;
  close(): Promise<void>;
}

export async function startWebhookTestEnv(prefix: string): Promise<WebhookTestEnv> {
  const db = await createTestDatabase(prefix);
  await pointAppAt(db);
  process.env.RESEND_WEBHOOK_SECRET = RESEND_SECRET;
  process.env.INSTANTLY_WEBHOOK_SECRET = INSTANTLY_SECRET;
  const { resetEnvCache } = await import("../../server/config/env.server");
  resetEnvCache();
  const { startBoss } = await import("../../jobs/boss.server");
  const { ensureQueues } = await import("../../jobs/runtime");
  const { webhookNormalizeJob } = await import("../../jobs/webhooks/normalize");
  const { waStatusSyncJob } = await import("../../jobs/webhooks/status-sync");
  const { aiSentimentQueue } = await import("../../jobs/replies/analyze");
  const boss = await startBoss();
  await ensureQueues(boss, [webhookNormalizeJob, waStatusSyncJob, aiSentimentQueue]);
  const admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  return {
    db,
    boss,
    admin,
    async close() {
      const { stopBoss } = await import("../../jobs/boss.server");
      const { disconnectPrisma } = await import("../../server/db/client.server");
      const { disconnectRedis } = await import("../../server/redis.server");
      const { closeQuotaRedis } = await import("../../server/quota/redis.server");
      const { closeSqlPool } = await import("../../server/db/sql.server");
      await admin.end();
      await closeSqlPool();
      await stopBoss();
      await disconnectPrisma();
      await disconnectRedis();
      await closeQuotaRedis();
      await db.drop();
    },
  };
}

/** What the normalization job wires up, for tests that run processing step by step. */
export async function processDeps(boss: PgBoss) {
  const { pgBossTransactionalQueue } = await import("../../jobs/transactional-queue");
  const { lifecyclePhoneStatusPort } = await import("../../server/events/phone-status.server");
  const { pgBossPendingSends } = await import("../../server/phones/pending-sends.server");
  const { getQuotaStore } = await import("../../server/quota/index.server");
  return {
    queue: pgBossTransactionalQueue(boss),
    phones: lifecyclePhoneStatusPort({ store: getQuotaStore(), pendingSends: pgBossPendingSends(boss), clock: () => new Date() }),
  };
}

// ─── Data ────────────────────────────────────────────────────────────────────────────────────────

export interface LeadFixture {
  tenantId: string;
  timelinesSecret: string;
  phoneId: string;
  /** Our sending number. */
  ourPhone: string;
  leadId: string;
  journeyId: string;
  leadPhone: string;
  leadEmail: string;
  campaignId: string;
  sequenceId: string;
  /** Outbound messages already in the log, as the send jobs leave them. */
  whatsapp: { logId: string; uid: string; chatId: string };
  warmEmail: { logId: string; emailId: string };
  coldPlaceholder: { logId: string };
}

let seq = 0;

/** A tenant with one CONTACTED_WA lead who has a WhatsApp message, a warm email and a cold-email placeholder. */
export async function createLeadFixture(admin: pg.Client, opts: { state?: string } = {}): Promise<LeadFixture> {
  seq += 1;
  const n = String(seq).padStart(4, "0");
  const tenantId = randomUUID();
  const tenant = await insertTenant(admin, { id: tenantId, name: `Ferma Test ${n} SRL`, slug: `wh-${tenantId}` });
  const ourPhone = `+407400${n}1`;
  const phoneId = await insertPhone(admin, tenantId, { label: `Vânzări ${n}`, phoneNumber: ourPhone });
  const leadPhone = `+407220${n}9`;
  const leadEmail = `ion.popescu${n}@ferma-test.ro`;
  const { leadId, journeyId } = await insertLead(admin, tenantId, {
    company: { denumire: `Agro ${n} SRL`, telefonPrincipal: leadPhone, emailPrincipal: leadEmail, emailStatus: "VALID" },
    journey: { assignedPhoneId: phoneId, currentState: opts.state ?? "CONTACTED_WA" },
  });
  const sequenceId = await insertSequence(admin, tenantId, { name: "Secvență test" });
  await insertEnrollment(admin, { tenantId, journeyId, leadId, sequenceId, currentStep: 1 });
  const campaignId = randomUUID();
  await insertCampaign(admin, { tenantId, instantlyCampaignId: campaignId, name: "Campanie test", status: "ACTIVE" });

  const whatsapp = { logId: randomUUID(), uid: randomUUID(), chatId: String(100_000 + seq) };
  const warmEmail = { logId: randomUUID(), emailId: randomUUID() };
  const coldPlaceholder = { logId: randomUUID() };
  // As the send jobs leave them: written five minutes ago, sent then (the cold email still queued at Instantly).
  const fiveMinutesAgo = new Date(Date.now() - 300_000);
  const outbound = { tenantId, journeyId, leadId, direction: "OUTBOUND", sequenceStep: 1, createdAt: fiveMinutesAgo } as const;
  await insertMessage(admin, { ...outbound, id: whatsapp.logId, channel: "WHATSAPP", status: "SENT", externalMessageId: whatsapp.uid, recipient: leadPhone, phoneId, sentAt: fiveMinutesAgo });
  await insertMessage(admin, { ...outbound, id: warmEmail.logId, channel: "EMAIL_WARM", status: "SENT", externalMessageId: warmEmail.emailId, recipient: leadEmail, sentAt: fiveMinutesAgo });
  await insertMessage(admin, { ...outbound, id: coldPlaceholder.logId, channel: "EMAIL_COLD", status: "QUEUED", instantlyCampaignId: campaignId, recipient: leadEmail });

  return { tenantId, timelinesSecret: tenant.webhookSecret, phoneId, ourPhone, leadId, journeyId, leadPhone, leadEmail, campaignId, sequenceId, whatsapp, warmEmail, coldPlaceholder };
}

// ─── Payloads, as the providers send them (providers.md) ─────────────────────────────────────────

export function timelinesAt(date: Date): string {
  // "2024-01-08 10:35:18 +0000": TimelinesAI's format; UTC is as valid as any offset.
  return `${date.toISOString().slice(0, 19).replace("T", " ")} +0000`;
}

export function timelinesMessage(
  f: LeadFixture,
  o: { eventType?: string; direction: "sent" | "received"; uid?: string; text?: string; at?: Date; replyTo?: string | null },
) {
  const lead = { full_name: "Ion Popescu", phone: f.leadPhone };
  const us = { full_name: "Agent vânzări", phone: f.ourPhone };
  return {
    event_type: o.eventType ?? (o.direction === "received" ? "message:received:new" : "message:sent:new"),
    chat: { full_name: "Ion Popescu", chat_url: `https://app.timelines.ai/chat/${f.whatsapp.chatId}/messages/`, chat_id: Number(f.whatsapp.chatId), is_group: false, phone: f.leadPhone, responsible_name: null, responsible_email: null },
    whatsapp_account: { full_name: "Agent vânzări", email: "vanzari@cerniq.local", phone: f.ourPhone },
    message: {
      text: o.text ?? (o.direction === "received" ? "Bună ziua, ne interesează oferta. Ce preț aveți la semințe?" : "Bună ziua!"),
      direction: o.direction,
      origin: o.direction === "received" ? "WhatsApp" : "Public API",
      timestamp: timelinesAt(o.at ?? new Date()),
      message_uid: o.uid ?? randomUUID(),
      sender: o.direction === "received" ? lead : us,
      recipient: o.direction === "received" ? us : lead,
      reply_to_uid: o.replyTo ?? null,
      attachments: [],
    },
  };
}

export function timelinesAccountEvent(f: LeadFixture, status: "connected" | "disconnected" | "suspended" | "resumed", at = new Date()) {
  const stamp = timelinesAt(at);
  return {
    event_type: `whatsapp:account:${status}`,
    whatsapp_account: {
      id: `${f.ourPhone.slice(1)}@s.whatsapp.net`,
      phone: f.ourPhone,
      connected_on: status === "connected" || status === "resumed" ? stamp : timelinesAt(new Date(at.getTime() - 86_400_000)),
      ...(status === "disconnected" || status === "suspended" ? { disconnected_on: stamp } : {}),
      status: status === "connected" || status === "resumed" ? "Active" : status === "disconnected" ? "Disconnected" : "Suspended",
      account_name: "Cerniq 01",
      owner_name: "Agent vânzări",
      owner_email: "vanzari@cerniq.local",
    },
  };
}

export function resendEvent(f: LeadFixture, type: string, o: { emailId?: string; tags?: Record<string, string>; at?: Date; extra?: Record<string, unknown> } = {}) {
  const at = o.at ?? new Date();
  return {
    type,
    created_at: at.toISOString(),
    data: {
      created_at: at.toISOString(),
      email_id: o.emailId ?? f.warmEmail.emailId,
      from: "AgroVerde <vanzari@agroverde.ro>",
      to: [f.leadEmail],
      subject: "Ofertă semințe certificate",
      message_id: `<${randomUUID()}@resend.dev>`,
      tags: o.tags ?? { cerniq_tenant: f.tenantId, cerniq_message: f.warmEmail.logId },
      ...o.extra,
    },
  };
}

export function instantlyEvent(f: LeadFixture, eventType: string, o: { emailId?: string; at?: Date; extra?: Record<string, unknown> } = {}) {
  return {
    timestamp: (o.at ?? new Date()).toISOString(),
    event_type: eventType,
    workspace: randomUUID(),
    campaign_id: f.campaignId,
    campaign_name: "Campanie test",
    lead_email: f.leadEmail,
    email_account: "vanzari@agroverde-mail.ro",
    step: 1,
    variant: 1,
    is_first: true,
    email_id: o.emailId ?? randomUUID(),
    email_subject: "Semințe pentru sezonul de primăvară",
    firstName: "Ion",
    companyName: "Agro SRL",
    ...o.extra,
  };
}

// ─── Requests ────────────────────────────────────────────────────────────────────────────────────

export const BASE = "http://cerniq.test";

export function signResend(body: string, o: { secret?: string; id?: string; at?: Date } = {}): Record<string, string> {
  const id = o.id ?? `msg_${randomUUID().replaceAll("-", "")}`;
  const at = o.at ?? new Date();
  return {
    "svix-id": id,
    "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
    "svix-signature": new Webhook(o.secret ?? RESEND_SECRET).sign(id, at, body),
  };
}

export function post(path: string, body: string | Uint8Array, headers: Record<string, string> = {}): Request {
  // A copy, typed as backed by a plain ArrayBuffer, which is what fetch's BodyInit accepts.
  const bytes = typeof body === "string" ? body : new Uint8Array(body);
  return new Request(`${BASE}${path}`, { method: "POST", body: bytes, headers: { "content-type": "application/json", ...headers } });
}

export const resendRequest = (payload: unknown, o: { id?: string; at?: Date; secret?: string } = {}) => {
  const body = JSON.stringify(payload);
  return post("/webhooks/resend", body, signResend(body, o));
};
export const instantlyRequest = (payload: unknown, secret = INSTANTLY_SECRET) =>
  post("/webhooks/instantly", JSON.stringify(payload), { [INSTANTLY_HEADER]: secret });
export const timelinesRequest = (secret: string, payload: unknown) => post(`/webhooks/timelinesai/${secret}`, JSON.stringify(payload));

type Action = (args: ActionFunctionArgs) => Promise<Response> | Response;

export interface Routes {
  resend: Action;
  instantly: Action;
  timelinesai: Action;
}

/** The route modules exactly as Remix loads them. */
export async function loadRoutes(): Promise<Routes> {
  const [resend, instantly, timelinesai] = await Promise.all([
    import("../../app/routes/webhooks.resend"),
    import("../../app/routes/webhooks.instantly"),
    import("../../app/routes/webhooks.timelinesai.$secret"),
  ]);
  return { resend: resend.action, instantly: instantly.action, timelinesai: timelinesai.action };
}

const APP_DIR = path.resolve(import.meta.dirname, "../../app");

/** The webhook routes as Remix's flat-routes convention derives them from app/routes (id, URL path, file). */
export function remixWebhookRoutes() {
  const manifest = UNSAFE_flatRoutes(APP_DIR, ["**/.*", "**/*.test.{ts,tsx}"]);
  return Object.values(manifest).filter((route) => route.id.startsWith("routes/webhooks."));
}

/** The server build Remix would compile, limited to the webhook routes (no UI, so no bundler needed). */
export async function webhookBuild(): Promise<ServerBuild> {
  const routes: ServerBuild["routes"] = { root: { id: "root", path: "", module: { default: () => null } } };
  for (const route of remixWebhookRoutes()) {
    const module = (await import(path.join(APP_DIR, route.file))) as ServerBuild["routes"][string]["module"];
    routes[route.id] = { id: route.id, parentId: route.parentId, path: route.path, index: route.index, module };
  }
  return {
    mode: "production",
    entry: { module: { default: () => new Response("document requests are not part of this test", { status: 500 }) } },
    routes,
    assets: { entry: { imports: [], module: "" }, routes: {}, url: "", version: "test" },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true, v3_singleFetch: true, unstable_optimizeDeps: false, unstable_routeConfig: false },
    isSpaMode: false,
  } as ServerBuild;
}

export interface Answer {
  status: number;
  body: { status: string; eventId?: string; reason?: { code: string; message: string } };
}

export async function call(action: Action, request: Request, boss: PgBoss | null, params: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(request.url);
  const secret = /^\/webhooks\/timelinesai\/([^/]*)$/.exec(url.pathname)?.[1];
  const response = await action({ request, params: { ...(secret !== undefined ? { secret } : {}), ...params }, context: { boss } });
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}

// ─── Looking at the database ─────────────────────────────────────────────────────────────────────

export async function count(admin: pg.Client, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM (${sql}) q`, params);
  return Number(rows[0]!.n);
}

export async function one<T extends pg.QueryResultRow>(admin: pg.Client, sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await admin.query<T>(sql, params);
  if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${sql}`);
  return rows[0]!;
}
