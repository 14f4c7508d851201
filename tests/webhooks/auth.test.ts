/**
 * Webhook authentication and the ingest contract, through the route modules' actions with real
 * Requests against a real database and pg-boss: who gets in (valid credentials only), what is stored
 * (once per provider event id), what is queued (one normalization job per stored event), and what
 * every refusal says.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  call,
  count,
  createLeadFixture,
  instantlyEvent,
  instantlyRequest,
  INSTANTLY_HEADER,
  loadRoutes,
  one,
  post,
  resendEvent,
  resendRequest,
  signResend,
  startWebhookTestEnv,
  timelinesAccountEvent,
  timelinesMessage,
  timelinesRequest,
  type LeadFixture,
  type Routes,
  type WebhookTestEnv,
} from "./support";

let env: WebhookTestEnv;
let routes: Routes;
let lead: LeadFixture;

beforeAll(async () => {
  env = await startWebhookTestEnv("wh_auth");
  routes = await loadRoutes();
  lead = await createLeadFixture(env.admin);
});

afterAll(async () => {
  await env?.close();
});

const storedEvents = (providerEventId: string) => count(env.admin, `SELECT 1 FROM webhook_events WHERE provider_event_id = $1`, [providerEventId]);
/** Normalization jobs naming the event (one job names the events of one group commit, ADR 0017). */
const queuedJobs = (eventId: string) => count(env.admin, `SELECT 1 FROM pgboss.job WHERE name = 'webhook.normalize' AND data->'eventIds' ? $1`, [eventId]);
const rejections = (reasonPrefix: string) => count(env.admin, `SELECT 1 FROM webhook_rejections WHERE reason LIKE $1`, [`${reasonPrefix}%`]);

describe("Resend (Svix signature)", () => {
  it("accepts a correctly signed event, stores it with its svix-id and queues one normalization job", async () => {
    const id = `msg_${randomUUID()}`;
    const answer = await call(routes.resend, resendRequest(resendEvent(lead, "email.delivered"), { id }), env.boss);
    expect(answer).toMatchObject({ status: 200, body: { status: "accepted" } });
    const row = await one<{ id: string; tenant_id: string; event_type: string; status: string; headers: Record<string, string> }>(
      env.admin,
      `SELECT id, tenant_id, event_type, status, headers FROM webhook_events WHERE provider = 'RESEND' AND provider_event_id = $1`,
      [id],
    );
    expect(row).toMatchObject({ id: answer.body.eventId, tenant_id: lead.tenantId, event_type: "email.delivered", status: "RECEIVED" });
    expect(row.headers["svix-id"]).toBe(id);
    expect(await queuedJobs(row.id)).toBe(1);
  });

  it("refuses a signature made with another secret, and stores nothing", async () => {
    const id = `msg_${randomUUID()}`;
    const answer = await call(routes.resend, resendRequest(resendEvent(lead, "email.delivered"), { id, secret: "whsec_b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldC0wMTIzNDU=" }), env.boss);
    expect(answer.status).toBe(401);
    expect(answer.body.reason).toEqual({ code: "UNAUTHORIZED", message: expect.stringContaining("does not match") });
    expect(await storedEvents(id)).toBe(0);
  });

  it("refuses a body altered after signing", async () => {
    const id = `msg_${randomUUID()}`;
    const body = JSON.stringify(resendEvent(lead, "email.opened"));
    const headers = signResend(body, { id });
    const answer = await call(routes.resend, post("/webhooks/resend", body.replace("email.opened", "email.clicked"), headers), env.boss);
    expect(answer.status).toBe(401);
    expect(await storedEvents(id)).toBe(0);
  });

  it("refuses a stale timestamp (over 5 minutes) even with a valid signature for it", async () => {
    const id = `msg_${randomUUID()}`;
    const answer = await call(routes.resend, resendRequest(resendEvent(lead, "email.delivered"), { id, at: new Date(Date.now() - 6 * 60_000) }), env.boss);
    expect(answer.status).toBe(401);
    expect(answer.body.reason?.message).toContain("more than 5 minutes old");
    expect(await storedEvents(id)).toBe(0);
  });

  it("refuses a timestamp from the future", async () => {
    const answer = await call(routes.resend, resendRequest(resendEvent(lead, "email.delivered"), { at: new Date(Date.now() + 6 * 60_000) }), env.boss);
    expect(answer.status).toBe(401);
    expect(answer.body.reason?.message).toContain("in the future");
  });

  it("refuses a request without the svix headers", async () => {
    const answer = await call(routes.resend, post("/webhooks/resend", JSON.stringify(resendEvent(lead, "email.sent"))), env.boss);
    expect(answer).toMatchObject({ status: 401, body: { reason: { message: "missing svix-id, svix-timestamp or svix-signature header" } } });
  });

  it("acknowledges a replay once more as a duplicate: one row, one job, same event id", async () => {
    const id = `msg_${randomUUID()}`;
    const payload = resendEvent(lead, "email.opened");
    const first = await call(routes.resend, resendRequest(payload, { id }), env.boss);
    // Resend's retry: same svix-id, fresh timestamp and signature.
    const retry = await call(routes.resend, resendRequest(payload, { id, at: new Date(Date.now() + 1000) }), env.boss);
    const replay = await call(routes.resend, resendRequest(payload, { id }), env.boss);
    expect(first.body.status).toBe("accepted");
    expect(retry).toEqual({ status: 200, body: { status: "duplicate", eventId: first.body.eventId } });
    expect(replay).toEqual({ status: 200, body: { status: "duplicate", eventId: first.body.eventId } });
    expect(await storedEvents(id)).toBe(1);
    expect(await queuedJobs(first.body.eventId!)).toBe(1);
  });

  it("settles concurrent deliveries of one event in one group commit: one accepted, the rest duplicates of it", async () => {
    const id = `msg_${randomUUID()}`;
    const payload = resendEvent(lead, "email.clicked");
    const others = Array.from({ length: 10 }, () => resendRequest(resendEvent(lead, "email.opened")));
    const answers = await Promise.all([...Array.from({ length: 5 }, () => resendRequest(payload, { id })), ...others].map((r) => call(routes.resend, r, env.boss)));
    const same = answers.slice(0, 5);
    expect(same.filter((a) => a.body.status === "accepted")).toHaveLength(1);
    expect(same.filter((a) => a.body.status === "duplicate")).toHaveLength(4);
    expect(new Set(same.map((a) => a.body.eventId)).size).toBe(1);
    expect(answers.slice(5).every((a) => a.body.status === "accepted")).toBe(true);
    expect(await storedEvents(id)).toBe(1);
    for (const a of answers) expect(await queuedJobs(a.body.eventId!)).toBe(1);
  });

  it("attributes by the email id when the send carried no tenant tag", async () => {
    const answer = await call(routes.resend, resendRequest(resendEvent(lead, "email.delivered", { tags: {} })), env.boss);
    expect(answer.status).toBe(200);
    const row = await one<{ tenant_id: string }>(env.admin, `SELECT tenant_id FROM webhook_events WHERE id = $1`, [answer.body.eventId]);
    expect(row.tenant_id).toBe(lead.tenantId);
  });

  it("acknowledges an authentic event of mail no tenant sent with 202, kept in webhook_rejections as UNKNOWN_TENANT", async () => {
    const before = await rejections("UNKNOWN_TENANT");
    const answer = await call(routes.resend, resendRequest(resendEvent(lead, "email.delivered", { emailId: randomUUID(), tags: {} })), env.boss);
    expect(answer).toMatchObject({ status: 202, body: { status: "ignored", reason: { code: "UNKNOWN_TENANT" } } });
    expect(await rejections("UNKNOWN_TENANT")).toBe(before + 1);
  });

  it("does not trust a tag naming a tenant that does not exist", async () => {
    const answer = await call(routes.resend, resendRequest(resendEvent(lead, "email.delivered", { emailId: randomUUID(), tags: { cerniq_tenant: randomUUID() } })), env.boss);
    expect(answer.body.reason?.code).toBe("UNKNOWN_TENANT");
  });

  it("acknowledges Resend event types we do not use (contact.created) without processing them", async () => {
    const answer = await call(routes.resend, resendRequest({ type: "contact.created", created_at: new Date().toISOString(), data: { id: randomUUID() } }), env.boss);
    expect(answer).toMatchObject({ status: 202, body: { status: "ignored", reason: { code: "UNSUPPORTED_EVENT" } } });
  });

  it("answers 400 to an authentic but malformed event and keeps it with the error", async () => {
    const before = await rejections("INVALID_PAYLOAD");
    const answer = await call(routes.resend, resendRequest({ type: "email.delivered", created_at: "x", data: { email_id: 42 } }), env.boss);
    expect(answer.status).toBe(400);
    expect(answer.body.reason?.code).toBe("INVALID_PAYLOAD");
    expect(answer.body.reason?.message).toMatch(/data\./);
    expect(await rejections("INVALID_PAYLOAD")).toBe(before + 1);
  });
});

describe("Instantly (secret header)", () => {
  it("accepts the registered header value and attributes by campaign", async () => {
    const answer = await call(routes.instantly, instantlyRequest(instantlyEvent(lead, "email_opened")), env.boss);
    expect(answer.status).toBe(200);
    const row = await one<{ tenant_id: string; provider_event_id: string }>(env.admin, `SELECT tenant_id, provider_event_id FROM webhook_events WHERE id = $1`, [answer.body.eventId]);
    expect(row.tenant_id).toBe(lead.tenantId);
    expect(row.provider_event_id).toMatch(/^instantly:[0-9a-f]{64}$/);
  });

  it("refuses a wrong or missing secret header", async () => {
    const wrong = await call(routes.instantly, instantlyRequest(instantlyEvent(lead, "email_opened"), "guess"), env.boss);
    expect(wrong).toMatchObject({ status: 401, body: { reason: { message: `wrong ${INSTANTLY_HEADER} header` } } });
    const missing = await call(routes.instantly, post("/webhooks/instantly", JSON.stringify(instantlyEvent(lead, "email_opened"))), env.boss);
    expect(missing).toMatchObject({ status: 401, body: { reason: { message: `missing ${INSTANTLY_HEADER} header` } } });
  });

  it("recognises Instantly's retry of the same occurrence (no event id of its own) as a duplicate", async () => {
    const payload = instantlyEvent(lead, "email_link_clicked");
    const first = await call(routes.instantly, instantlyRequest(payload), env.boss);
    // Lead fields merged into the payload may differ between deliveries; the occurrence does not.
    const again = await call(routes.instantly, instantlyRequest({ ...payload, companyName: "Agro SRL (actualizat)" }), env.boss);
    expect(first.body.status).toBe("accepted");
    expect(again.body).toEqual({ status: "duplicate", eventId: first.body.eventId });
  });

  it("acknowledges a campaign no tenant tracks with 202 UNKNOWN_TENANT", async () => {
    const answer = await call(routes.instantly, instantlyRequest({ ...instantlyEvent(lead, "email_sent"), campaign_id: randomUUID() }), env.boss);
    expect(answer).toMatchObject({ status: 202, body: { reason: { code: "UNKNOWN_TENANT" } } });
  });
});

describe("TimelinesAI (secret in the URL)", () => {
  it("accepts the tenant's secret and stores message events under '<event type>:<message uid>'", async () => {
    const payload = timelinesMessage(lead, { direction: "received" });
    const answer = await call(routes.timelinesai, timelinesRequest(lead.timelinesSecret, payload), env.boss);
    expect(answer.status).toBe(200);
    expect(await storedEvents(`message:received:new:${payload.message.message_uid}`)).toBe(1);
  });

  it("refuses an unknown, malformed or another tenant's deactivated secret with the same answer", async () => {
    const other = await createLeadFixture(env.admin);
    await env.admin.query(`UPDATE tenants SET is_active = false WHERE id = $1`, [other.tenantId]);
    const payload = timelinesMessage(lead, { direction: "received" });
    for (const secret of ["0".repeat(64), "not-a-secret", other.timelinesSecret, lead.timelinesSecret.toUpperCase()]) {
      const answer = await call(routes.timelinesai, timelinesRequest(secret, payload), env.boss);
      expect(answer, secret).toEqual({ status: 401, body: { status: "rejected", reason: { code: "UNAUTHORIZED", message: "unknown webhook secret" } } });
    }
  });

  it("stores message:new and message:received:new of one message as two events (both are real deliveries)", async () => {
    const uid = randomUUID();
    for (const eventType of ["message:new", "message:received:new", "message:new"]) {
      await call(routes.timelinesai, timelinesRequest(lead.timelinesSecret, timelinesMessage(lead, { direction: "received", uid, eventType })), env.boss);
    }
    expect(await count(env.admin, `SELECT 1 FROM webhook_events WHERE provider_event_id LIKE $1`, [`%:${uid}`])).toBe(2);
  });

  it("keeps a malformed body under its tenant as REJECTED (the URL already named the tenant)", async () => {
    const answer = await call(routes.timelinesai, timelinesRequest(lead.timelinesSecret, { event_type: "message:new", chat: {} }), env.boss);
    expect(answer.status).toBe(400);
    const row = await one<{ status: string; error: string; tenant_id: string }>(
      env.admin,
      `SELECT status, error, tenant_id FROM webhook_events WHERE provider = 'TIMELINESAI' AND event_type = 'invalid' ORDER BY received_at DESC LIMIT 1`,
    );
    expect(row).toMatchObject({ status: "REJECTED", tenant_id: lead.tenantId });
    expect(row.error).toMatch(/^INVALID_PAYLOAD: /);
  });

  it("stores account events keyed by account and time", async () => {
    const answer = await call(routes.timelinesai, timelinesRequest(lead.timelinesSecret, timelinesAccountEvent(lead, "disconnected")), env.boss);
    expect(answer.status).toBe(200);
  });
});

describe("limits shared by every route", () => {
  it("answers 413 past 1 MiB, whether or not Content-Length says so", async () => {
    const huge = JSON.stringify({ ...timelinesMessage(lead, { direction: "received" }), padding: "x".repeat(1024 * 1024) });
    const declared = await call(routes.timelinesai, timelinesRequest(lead.timelinesSecret, JSON.parse(huge)), env.boss);
    expect(declared).toMatchObject({ status: 413, body: { reason: { code: "PAYLOAD_TOO_LARGE" } } });
    const bytes = new TextEncoder().encode(huge);
    const streamed = new Request(`http://cerniq.test/webhooks/timelinesai/${lead.timelinesSecret}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 65_536) controller.enqueue(bytes.subarray(i, i + 65_536));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect((await call(routes.timelinesai, streamed, env.boss)).status).toBe(413);
  });

  it("answers 415 to a body that is not declared as JSON", async () => {
    const answer = await call(routes.instantly, post("/webhooks/instantly", "a=1", { "content-type": "application/x-www-form-urlencoded", [INSTANTLY_HEADER]: "test-instantly-webhook-secret-0123456789" }), env.boss);
    expect(answer).toMatchObject({ status: 415, body: { reason: { code: "UNSUPPORTED_MEDIA_TYPE" } } });
  });

  it("answers 503 and stores nothing when the process has no job queue (the provider will retry)", async () => {
    const id = `msg_${randomUUID()}`;
    const answer = await call(routes.resend, resendRequest(resendEvent(lead, "email.delivered"), { id }), null);
    expect(answer).toMatchObject({ status: 503, body: { reason: { code: "QUEUE_UNAVAILABLE" } } });
    expect(await storedEvents(id)).toBe(0);
  });

  it("refuses GET with 405", async () => {
    const { loader } = await import("../../app/routes/webhooks.resend");
    const response = loader();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});
