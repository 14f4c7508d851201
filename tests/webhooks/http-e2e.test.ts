/**
 * End to end over real HTTP, nothing built: the real Express app (server/http/app.server.ts) as the
 * server runs it, so the webhooks reach the Express fast path in front of Remix (adapters.test.ts
 * holds it to the Remix routes' URLs and answers), and the provider simulators sending their webhooks
 * to it, authenticated as the real providers do.
 *
 * A WhatsApp message goes out through the TimelinesAI client; its echo arrives by webhook, delivery
 * and read are learnt by the status sync polling the simulator, the lead's reply arrives by webhook
 * (twice: message:new and message:received:new) and makes the lead warm, once. A warm email goes out
 * through Resend with our attribution tags; its Svix-signed events walk the message to CLICKED.
 * An account disconnect takes the phone OFFLINE.
 */
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApp } from "../../server/http/app.server";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";
import { syncWhatsAppStatuses, type StatusHistorySource } from "../../server/events/status-sync.server";
import { RedisSlidingWindowPacer } from "../../server/providers/pacing.server";
import { ResendClient } from "../../server/providers/resend/client.server";
import { TimelinesAiClient } from "../../server/providers/timelinesai/client.server";
import { TIMELINES_ACCOUNT_EVENTS } from "../../server/providers/timelinesai/webhooks";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { startSimulators, type RunningSimulators } from "../../server/sandbox/launcher";
import { resendAttributionTags } from "../../server/webhooks/attribution";
import { insertMessage } from "../support/factories";
import { count, createLeadFixture, INSTANTLY_HEADER, INSTANTLY_SECRET, one, RESEND_SECRET, startWebhookTestEnv, webhookBuild, type LeadFixture, type WebhookTestEnv } from "./support";

let env: WebhookTestEnv;
let server: Server;
let origin: string;
let sim: RunningSimulators;
let redis: Redis;
let lead: LeadFixture;

async function control<T = unknown>(method: string, pathname: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sim.origin}/__control${pathname}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${method} ${pathname} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Advances simulated time, then waits until every webhook the jump caused got its answer. */
async function advance(ms: number): Promise<void> {
  await control("POST", "/clock/advance", { ms });
  await sim.idle();
}

async function eventually<T>(check: () => Promise<T | false | null | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const allProcessed = async () =>
  (await count(env.admin, `SELECT 1 FROM webhook_events WHERE tenant_id = $1 AND status IN ('RECEIVED', 'FAILED')`, [lead.tenantId])) === 0;

beforeAll(async () => {
  env = await startWebhookTestEnv("wh_e2e");
  const { startWorkers } = await import("../../jobs/runtime");
  const { webhookNormalizeJob } = await import("../../jobs/webhooks/normalize");
  await startWorkers(env.boss, [webhookNormalizeJob] as never[]);
  lead = await createLeadFixture(env.admin);

  const app = createHttpApp({ build: await webhookBuild(), publicDir: mkdtempSync(path.join(tmpdir(), "cerniq-public-")), boss: env.boss });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  sim = await startSimulators({
    port: 0,
    seed: 7,
    clock: { mode: "manual" },
    accounts: [lead.ourPhone],
    webhooks: {
      timelinesai: [{ url: `${origin}/webhooks/timelinesai/${lead.timelinesSecret}`, eventTypes: ["message:new", "message:received:new", "message:sent:new", ...TIMELINES_ACCOUNT_EVENTS] }],
      resend: [{ url: `${origin}/webhooks/resend`, secret: RESEND_SECRET }],
      instantly: [{ url: `${origin}/webhooks/instantly`, eventType: "all_events", headers: { [INSTANTLY_HEADER]: INSTANTLY_SECRET } }],
    },
    scenario: {
      whatsapp: { sendSpacingMs: { min: 2000, max: 2000 }, deliveryDelayMs: { min: 3000, max: 3000 }, readDelayMs: { min: 60_000, max: 60_000 }, readProbability: 1 },
      replies: { probability: 1, delayMs: { min: 120_000, max: 120_000 }, mix: { interested: 1 } },
      email: { deliveryDelayMs: { min: 1000, max: 1000 }, bounceRate: 0, complaintRate: 0, openProbability: 1, clickProbability: 1, openDelayMs: { min: 60_000, max: 60_000 } },
    },
  });
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:63809");
}, 120_000);

afterAll(async () => {
  await sim?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  redis?.disconnect();
  await env?.close();
});

describe("over HTTP, against the simulators", () => {
  it("serves the routes at their URLs", async () => {
    const get = await fetch(`${origin}/webhooks/resend`);
    expect(get.status).toBe(405);
    const noSecret = await fetch(`${origin}/webhooks/timelinesai`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(noSecret.status).toBe(401);
    expect(await noSecret.json()).toMatchObject({ reason: { code: "UNAUTHORIZED", message: expect.stringContaining("/webhooks/timelinesai/<secret>") } });
  });

  it("WhatsApp: echo by webhook, delivery and read by status sync, the reply by webhook, counted once", async () => {
    const timelines = new TimelinesAiClient({
      baseUrl: sim.urls.timelinesai,
      token: SANDBOX_CREDENTIALS.timelinesaiToken,
      pacer: new RedisSlidingWindowPacer({ redis, provider: "timelinesai", keyPrefix: `test-${randomUUID()}` }),
    });
    const { messageUid } = await timelines.sendToPhone({ phone: lead.leadPhone, text: "Bună ziua! Avem semințe certificate pentru primăvară.", accountPhone: lead.ourPhone });
    // What the send job writes after the provider accepted the message.
    const logId = randomUUID();
    await insertMessage(env.admin, {
      id: logId, tenantId: lead.tenantId, journeyId: lead.journeyId, leadId: lead.leadId, channel: "WHATSAPP", direction: "OUTBOUND", status: "QUEUED",
      externalMessageId: messageUid, recipient: lead.leadPhone, phoneId: lead.phoneId,
    });
    const status = async () =>
      one<{ status: string; timelinesai_chat_id: string | null; delivered_at: Date | null; read_at: Date | null }>(
        env.admin,
        `SELECT status, timelinesai_chat_id, delivered_at, read_at FROM gold_communication_log WHERE id = $1`,
        [logId],
      );

    await advance(1_000); // sent (≈200 ms after the request): message:sent:new + message:new echo
    await eventually(allProcessed, "the echo to be processed");
    expect(await status()).toMatchObject({ status: "SENT", timelinesai_chat_id: expect.any(String) });

    const source: StatusHistorySource = {
      statusHistory: async (uid, account) => (await timelines.getMessageStatusHistory(uid, account ? { account } : {})).map((e) => ({ status: e.status, at: e.timestamp })),
    };
    let clock = Date.now();
    const sync = () => syncWhatsAppStatuses({ source, queue: pgBossTransactionalQueue(env.boss), now: () => new Date(clock) }, lead.tenantId);

    await advance(5_000); // delivered after 3 s; no webhook for that
    expect((await sync()).changed).toBeGreaterThanOrEqual(1);
    expect((await status()).status).toBe("DELIVERED");

    await advance(61_000); // read
    clock += 61_000; // the poll cadence (every minute for a fresh message) allows the next check
    await sync();
    const read = await status();
    expect(read.status).toBe("READ");
    expect(read.delivered_at!.getTime()).toBeLessThan(read.read_at!.getTime());

    await advance(121_000); // the lead answers
    await eventually(allProcessed, "the reply to be processed");
    const journey = await one<{ current_state: string; reply_count: number }>(env.admin, `SELECT current_state, reply_count FROM gold_lead_journey WHERE id = $1`, [lead.journeyId]);
    expect(journey).toEqual({ current_state: "WARM_REPLY", reply_count: 1 });
    expect((await status()).status).toBe("REPLIED");
    expect(await count(env.admin, `SELECT 1 FROM gold_communication_log WHERE journey_id = $1 AND direction = 'INBOUND'`, [lead.journeyId])).toBe(1);
    expect(await count(env.admin, `SELECT 1 FROM webhook_events WHERE tenant_id = $1 AND event_type IN ('message:new', 'message:received:new') AND payload->'message'->>'direction' = 'received'`, [lead.tenantId])).toBe(2);
    expect(await count(env.admin, `SELECT 1 FROM pgboss.job WHERE name = 'ai.sentiment.analyze' AND data->>'journeyId' = $1`, [lead.journeyId])).toBe(1);
    // A READ message is final: the sync stops polling it.
    clock += 3_600_000;
    expect((await sync()).polled).toBe(0);
  });

  it("Resend: signed events walk a tagged email to CLICKED, even when email.sent beats the log update", async () => {
    const resend = new ResendClient({ baseUrl: sim.urls.resend, apiKey: SANDBOX_CREDENTIALS.resendApiKey, from: "AgroVerde <vanzari@agroverde.ro>" });
    const logId = randomUUID();
    await insertMessage(env.admin, { id: logId, tenantId: lead.tenantId, journeyId: lead.journeyId, leadId: lead.leadId, channel: "EMAIL_WARM", direction: "OUTBOUND", status: "QUEUED", recipient: lead.leadEmail });
    const { id } = await resend.send(
      { to: lead.leadEmail, subject: "Oferta promisă", html: '<p>Detalii: <a href="https://agroverde.ro/oferta">oferta</a></p>', tags: resendAttributionTags(lead.tenantId, logId) },
      { idempotencyKey: logId },
    );
    await sim.idle(); // email.sent is already delivered to us, before the log knows Resend's id
    await env.admin.query(`UPDATE gold_communication_log SET external_message_id = $2, resend_email_id = $2 WHERE id = $1`, [logId, id]);
    await advance(2_000); // delivered
    await advance(61_000); // opened
    await advance(21_000); // clicked
    await eventually(allProcessed, "the email events to be processed");
    const row = await one<{ status: string; sent_at: Date | null; delivered_at: Date | null; opened_at: Date | null; clicked_at: Date | null }>(
      env.admin,
      `SELECT status, sent_at, delivered_at, opened_at, clicked_at FROM gold_communication_log WHERE id = $1`,
      [logId],
    );
    expect(row.status).toBe("CLICKED");
    expect([row.sent_at, row.delivered_at, row.opened_at, row.clicked_at].every(Boolean)).toBe(true);
    const deliveries = await control<Array<{ state: string; attempts: Array<{ status?: number }> }>>("GET", "/webhooks?provider=resend");
    expect(deliveries.length).toBeGreaterThanOrEqual(4);
    expect(deliveries.every((d) => d.state === "delivered" && d.attempts.at(-1)?.status === 200)).toBe(true);
  });

  it("an account disconnect takes the phone OFFLINE", async () => {
    await control("POST", `/timelinesai/accounts/${encodeURIComponent(lead.ourPhone)}/status`, { status: "Disconnected" });
    await sim.idle();
    await eventually(async () => (await one<{ status: string }>(env.admin, `SELECT status FROM wa_phone_numbers WHERE id = $1`, [lead.phoneId])).status === "OFFLINE", "the phone to go OFFLINE");
  });

  it("every webhook the simulators sent was answered 2xx within TimelinesAI's 5 s", async () => {
    const deliveries = await control<Array<{ provider: string; state: string; attempts: Array<{ status?: number; durationMs: number }> }>>("GET", "/webhooks");
    expect(deliveries.length).toBeGreaterThan(5);
    for (const d of deliveries) {
      expect(d.state, JSON.stringify(d)).toBe("delivered");
      // TimelinesAI's documented deadline; typically a few milliseconds here.
      expect(Math.max(...d.attempts.map((a) => a.durationMs))).toBeLessThan(5_000);
    }
  });
});
