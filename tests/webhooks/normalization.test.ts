/**
 * From stored webhook to effect: events go in through the real routes, then through the normalization
 * job's processing (called step by step here, so each test controls order and concurrency; one test
 * runs it through the pg-boss worker to prove the wiring). Real Postgres, pg-boss and Redis.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEBHOOK_NORMALIZE_QUEUE, webhookNormalizePayload } from "../../jobs/queues";
import { processWebhookEvent, processWebhookEvents, RetryLaterError, type ProcessDeps } from "../../server/events/process.server";
import {
  call,
  count,
  createLeadFixture,
  instantlyEvent,
  instantlyRequest,
  loadRoutes,
  one,
  processDeps,
  resendEvent,
  resendRequest,
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
let deps: ProcessDeps;

beforeAll(async () => {
  env = await startWebhookTestEnv("wh_norm");
  routes = await loadRoutes();
  deps = await processDeps(env.boss);
});

afterAll(async () => {
  await env?.close();
});

/** Stores one event through its route and returns the webhook_events id. */
async function ingest(route: keyof Routes, request: Request): Promise<string> {
  const answer = await call(routes[route], request, env.boss);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.eventId!;
}

const process = (f: LeadFixture, eventId: string, finalAttempt = false) => processWebhookEvent(deps, { tenantId: f.tenantId, eventId, finalAttempt });

const message = (id: string) =>
  one<{ status: string; delivered_at: Date | null; read_at: Date | null; opened_at: Date | null; replied_at: Date | null; bounced_at: Date | null; timelinesai_chat_id: string | null; error_message: string | null }>(
    env.admin,
    `SELECT status, delivered_at, read_at, opened_at, replied_at, bounced_at, timelinesai_chat_id, error_message FROM gold_communication_log WHERE id = $1`,
    [id],
  );
const journey = (f: LeadFixture) =>
  one<{ current_state: string; reply_count: number; open_count: number; click_count: number; last_reply_at: Date | null; email_opted_out: boolean; whatsapp_opted_out: boolean }>(
    env.admin,
    `SELECT current_state, reply_count, open_count, click_count, last_reply_at, email_opted_out, whatsapp_opted_out FROM gold_lead_journey WHERE id = $1`,
    [f.journeyId],
  );
const eventStatus = (eventId: string) => one<{ status: string; error: string | null }>(env.admin, `SELECT status, error FROM webhook_events WHERE id = $1`, [eventId]);

describe("a batch: found and locked together, applied in the order received", () => {
  it("many events on one lead's messages in one batch have the effects they have one by one", async () => {
    const f = await createLeadFixture(env.admin);
    await env.admin.query(`UPDATE gold_communication_log SET status = 'QUEUED', sent_at = NULL WHERE id = $1`, [f.whatsapp.logId]);
    const t0 = new Date(Date.now() - 120_000);
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const byProviderIdOnly = { cerniq_tenant: f.tenantId };
    const reply = randomUUID();
    const ids = [
      await ingest("resend", resendRequest(resendEvent(f, "email.delivered", { at: at(0) }))),
      await ingest("resend", resendRequest(resendEvent(f, "email.opened", { at: at(10) }))),
      // The same message again, named by Resend's id alone: found through the one the batch holds.
      await ingest("resend", resendRequest(resendEvent(f, "email.opened", { at: at(20), tags: byProviderIdOnly }))),
      await ingest("resend", resendRequest(resendEvent(f, "email.clicked", { at: at(30) }))),
      await ingest("resend", resendRequest(resendEvent(f, "email.clicked", { at: at(40), tags: byProviderIdOnly }))),
      await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "sent", uid: f.whatsapp.uid, at: at(50) }))),
      await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "received", uid: reply, at: at(60) }))),
      await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "received", uid: reply, eventType: "message:new", at: at(60) }))),
    ];
    const results = await processWebhookEvents(deps, f.tenantId, ids.map((eventId) => ({ tenantId: f.tenantId, eventId, finalAttempt: false })));
    expect(ids.map((id) => (results.get(id) as { status?: string }).status)).toEqual(Array(8).fill("PROCESSED"));

    const email = await one<{ status: string; delivered_at: Date; opened_at: Date; clicked_at: Date }>(env.admin, `SELECT status, delivered_at, opened_at, clicked_at FROM gold_communication_log WHERE id = $1`, [f.warmEmail.logId]);
    expect(email).toEqual({ status: "CLICKED", delivered_at: at(0), opened_at: at(10), clicked_at: at(30) });
    // Opens and clicks count per message: the second of each found the message as the first left it.
    const j = await one<{ open_count: number; click_count: number; reply_count: number; current_state: string; last_open_at: Date }>(
      env.admin,
      `SELECT open_count, click_count, reply_count, current_state, last_open_at FROM gold_lead_journey WHERE id = $1`,
      [f.journeyId],
    );
    expect(j).toEqual({ open_count: 1, click_count: 1, reply_count: 1, current_state: "WARM_REPLY", last_open_at: at(20) });
    expect(await message(f.whatsapp.logId)).toMatchObject({ status: "REPLIED", timelinesai_chat_id: f.whatsapp.chatId });
    expect(await count(env.admin, `SELECT 1 FROM gold_communication_log WHERE journey_id = $1 AND direction = 'INBOUND'`, [f.journeyId])).toBe(1);
  });
});

describe("a batch's journey counters, written once at its end", () => {
  it("add up across the batch, each last time being the latest whatever the order of arrival", async () => {
    const f = await createLeadFixture(env.admin);
    // Whole seconds: TimelinesAI's times have no milliseconds.
    const t0 = new Date(Math.floor(Date.now() / 1000 - 300) * 1000);
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const reply = (s: number) => ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "received", uid: randomUUID(), at: at(s) })));
    const ids = [await reply(60), await ingest("resend", resendRequest(resendEvent(f, "email.opened", { at: at(50) }))), await reply(30), await reply(45)];
    const results = await processWebhookEvents(deps, f.tenantId, ids.map((eventId) => ({ tenantId: f.tenantId, eventId })));
    expect(ids.map((id) => (results.get(id) as { status?: string }).status)).toEqual(Array(4).fill("PROCESSED"));
    const j = await one<{ reply_count: number; open_count: number; last_reply_at: Date; last_open_at: Date }>(
      env.admin,
      `SELECT reply_count, open_count, last_reply_at, last_open_at FROM gold_lead_journey WHERE id = $1`,
      [f.journeyId],
    );
    expect(j).toEqual({ reply_count: 3, open_count: 1, last_reply_at: at(60), last_open_at: at(50) });
  });
});

describe("ordering: status only moves forward", () => {
  it("OPENED then a late DELIVERED stays OPENED, and the delivery time is still recorded", async () => {
    const f = await createLeadFixture(env.admin);
    const t0 = new Date(Date.now() - 60_000);
    const opened = await ingest("resend", resendRequest(resendEvent(f, "email.opened", { at: new Date(t0.getTime() + 30_000) })));
    const delivered = await ingest("resend", resendRequest(resendEvent(f, "email.delivered", { at: t0 })));
    await process(f, opened);
    await process(f, delivered);
    const row = await message(f.warmEmail.logId);
    expect(row.status).toBe("OPENED");
    expect(row.delivered_at?.toISOString()).toBe(t0.toISOString());
    expect((await journey(f)).open_count).toBe(1);
  });

  it("READ and a late DELIVERED processed at the same moment, many times over, always end READ", async () => {
    const { applyEvent } = await import("../../server/events/apply.server");
    const { withTenant } = await import("../../server/db/client.server");
    const f = await createLeadFixture(env.admin);
    const at = new Date();
    for (let round = 0; round < 10; round++) {
      await env.admin.query(`UPDATE gold_communication_log SET status = 'SENT', delivered_at = NULL, read_at = NULL WHERE id = $1`, [f.whatsapp.logId]);
      const event = (type: "READ" | "DELIVERED") =>
        withTenant(f.tenantId, (tx) =>
          applyEvent(tx, { tenantId: f.tenantId, queue: deps.queue }, {
            type,
            provider: "TIMELINESAI",
            channel: "WHATSAPP",
            occurredAt: at,
            message: { externalId: f.whatsapp.uid },
            lead: {},
            raw: { source: "status-sync", messageUid: f.whatsapp.uid },
          }),
        );
      await Promise.all(round % 2 ? [event("READ"), event("DELIVERED")] : [event("DELIVERED"), event("READ")]);
      const row = await message(f.whatsapp.logId);
      expect(row.status, `round ${round}`).toBe("READ");
      expect(row.delivered_at).not.toBeNull();
      expect(row.read_at).not.toBeNull();
    }
  });

  it("a bounce ends a delivered email; a later open neither revives it nor counts", async () => {
    const f = await createLeadFixture(env.admin);
    const bounced = await ingest(
      "resend",
      resendRequest(resendEvent(f, "email.bounced", { extra: { bounce: { message: "550 5.1.1 mailbox does not exist", type: "Permanent", subType: "General" } } })),
    );
    await process(f, bounced);
    await process(f, await ingest("resend", resendRequest(resendEvent(f, "email.opened"))));
    const row = await message(f.warmEmail.logId);
    expect(row.status).toBe("BOUNCED");
    expect(row.error_message).toContain("mailbox does not exist");
    expect(row.opened_at).not.toBeNull();
    const company = await one<{ email_status: string }>(env.admin, `SELECT email_status FROM gold_companies WHERE id = $1`, [f.leadId]);
    expect(company.email_status).toBe("BOUNCED");
  });
});

describe("replies", () => {
  it("one WhatsApp reply delivered as message:new, message:received:new and a replay counts once, processed concurrently", async () => {
    const f = await createLeadFixture(env.admin);
    const uid = randomUUID();
    const ids = await Promise.all(
      ["message:new", "message:received:new"].map((eventType) =>
        ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "received", uid, eventType, replyTo: f.whatsapp.uid }))),
      ),
    );
    const replay = await call(routes.timelinesai, timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "received", uid, eventType: "message:new" })), env.boss);
    expect(replay.body.status).toBe("duplicate");

    const outcomes = await Promise.all([...ids, ...ids].map((id) => process(f, id)));
    expect(outcomes.filter((o) => o.status === "PROCESSED")).toHaveLength(2);
    expect(outcomes.filter((o) => o.status === "ALREADY_DONE")).toHaveLength(2);

    expect(await count(env.admin, `SELECT 1 FROM gold_communication_log WHERE journey_id = $1 AND direction = 'INBOUND'`, [f.journeyId])).toBe(1);
    const j = await journey(f);
    expect(j).toMatchObject({ current_state: "WARM_REPLY", reply_count: 1 });
    expect(j.last_reply_at).not.toBeNull();
    expect(await count(env.admin, `SELECT 1 FROM lead_state_history WHERE journey_id = $1 AND to_state = 'WARM_REPLY' AND actor_type = 'WEBHOOK'`, [f.journeyId])).toBe(1);
    expect((await message(f.whatsapp.logId)).status).toBe("REPLIED");
    const enrollment = await one<{ status: string; stopped_reason: string }>(env.admin, `SELECT status, stopped_reason FROM sequence_enrollments WHERE journey_id = $1`, [f.journeyId]);
    expect(enrollment).toEqual({ status: "STOPPED", stopped_reason: "Lead-ul a răspuns (WHATSAPP)" });

    const inbound = await one<{ id: string; phone_id: string; content_preview: string; status: string }>(
      env.admin,
      `SELECT id, phone_id, content_preview, status FROM gold_communication_log WHERE journey_id = $1 AND direction = 'INBOUND'`,
      [f.journeyId],
    );
    expect(inbound).toMatchObject({ phone_id: f.phoneId, status: "REPLIED" });
    expect(inbound.content_preview).toContain("ne interesează oferta");
    // The reply-understanding job waits in its queue, keyed by the inbound message: one per reply.
    const jobs = await env.admin.query<{ id: string; data: Record<string, unknown> }>(`SELECT id, data FROM pgboss.job WHERE name = 'ai.sentiment.analyze' AND data->>'journeyId' = $1`, [f.journeyId]);
    expect(jobs.rows).toEqual([{ id: inbound.id, data: { tenantId: f.tenantId, messageId: inbound.id, journeyId: f.journeyId, leadId: f.leadId, channel: "WHATSAPP" } }]);
  });

  it("recognises our own outbound echo (from_me): SENT, the chat remembered, never a reply", async () => {
    const f = await createLeadFixture(env.admin);
    await env.admin.query(`UPDATE gold_communication_log SET status = 'QUEUED', sent_at = NULL WHERE id = $1`, [f.whatsapp.logId]);
    const echo = await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "sent", uid: f.whatsapp.uid })));
    expect(await process(f, echo)).toMatchObject({ status: "PROCESSED" });
    const row = await message(f.whatsapp.logId);
    expect(row).toMatchObject({ status: "SENT", timelinesai_chat_id: f.whatsapp.chatId });
    expect(await journey(f)).toMatchObject({ current_state: "CONTACTED_WA", reply_count: 0 });
    expect(await count(env.admin, `SELECT 1 FROM gold_communication_log WHERE journey_id = $1 AND direction = 'INBOUND'`, [f.journeyId])).toBe(0);
  });

  it("an echo of a message we have not logged yet is retried, then closed as IGNORED on the last attempt", async () => {
    const f = await createLeadFixture(env.admin);
    const echo = await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "sent", uid: randomUUID() })));
    await expect(process(f, echo)).rejects.toBeInstanceOf(RetryLaterError);
    expect((await eventStatus(echo)).status).toBe("RECEIVED");
    expect(await process(f, echo, true)).toMatchObject({ status: "IGNORED" });
    expect((await eventStatus(echo)).error).toMatch(/^unmatched: no WHATSAPP message/);
  });

  it("a reply from a number that is no lead of the tenant is ignored with the reason", async () => {
    const f = await createLeadFixture(env.admin);
    const stranger = timelinesMessage(f, { direction: "received" });
    stranger.message.sender.phone = "+40799999999";
    stranger.chat.phone = "+40799999999";
    stranger.chat.chat_id = 999_999;
    const id = await ingest("timelinesai", timelinesRequest(f.timelinesSecret, stranger));
    expect(await process(f, id)).toMatchObject({ status: "IGNORED" });
    expect((await eventStatus(id)).error).toContain("not a lead of this tenant");
  });

  it("a lead that a person already moved on (NEGOTIATION) keeps its state; the reply is still logged and analysed", async () => {
    const f = await createLeadFixture(env.admin, { state: "NEGOTIATION" });
    const id = await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "received" })));
    await process(f, id);
    expect(await journey(f)).toMatchObject({ current_state: "NEGOTIATION", reply_count: 1 });
    expect(await count(env.admin, `SELECT 1 FROM pgboss.job WHERE name = 'ai.sentiment.analyze' AND data->>'journeyId' = $1`, [f.journeyId])).toBe(1);
  });
});

describe("Instantly campaign events", () => {
  it("email_sent claims the campaign's placeholder; a later step's email_sent logs a new message; opens count per message", async () => {
    const f = await createLeadFixture(env.admin, { state: "CONTACTED_EMAIL" });
    const step1 = randomUUID();
    const step2 = randomUUID();
    await process(f, await ingest("instantly", instantlyRequest(instantlyEvent(f, "email_sent", { emailId: step1 }))));
    const claimed = await one<{ external_message_id: string; status: string }>(env.admin, `SELECT external_message_id, status FROM gold_communication_log WHERE id = $1`, [f.coldPlaceholder.logId]);
    expect(claimed).toEqual({ external_message_id: step1, status: "SENT" });

    await process(f, await ingest("instantly", instantlyRequest(instantlyEvent(f, "email_sent", { emailId: step2, extra: { step: 2, is_first: false } }))));
    expect(await count(env.admin, `SELECT 1 FROM gold_communication_log WHERE journey_id = $1 AND channel = 'EMAIL_COLD' AND direction = 'OUTBOUND'`, [f.journeyId])).toBe(2);

    for (let i = 0; i < 3; i++) {
      await process(f, await ingest("instantly", instantlyRequest(instantlyEvent(f, "email_opened", { emailId: step1, at: new Date(Date.now() + i * 1000) }))));
    }
    await process(f, await ingest("instantly", instantlyRequest(instantlyEvent(f, "email_opened", { emailId: step2 }))));
    expect((await journey(f)).open_count).toBe(2);
  });

  it("reply_received makes the lead warm; auto_reply_received is logged but is not a reply", async () => {
    const f = await createLeadFixture(env.admin, { state: "CONTACTED_EMAIL" });
    await process(f, await ingest("instantly", instantlyRequest(instantlyEvent(f, "auto_reply_received", { extra: { reply_text: "Sunt în concediu până pe 10." } }))));
    expect(await journey(f)).toMatchObject({ current_state: "CONTACTED_EMAIL", reply_count: 0 });
    await process(f, await ingest("instantly", instantlyRequest(instantlyEvent(f, "reply_received", { extra: { reply_text: "Da, trimiteți-mi oferta." } }))));
    expect(await journey(f)).toMatchObject({ current_state: "WARM_REPLY", reply_count: 1 });
    expect(await count(env.admin, `SELECT 1 FROM gold_communication_log WHERE journey_id = $1 AND direction = 'INBOUND' AND channel = 'EMAIL_COLD'`, [f.journeyId])).toBe(2);
  });

  it("lead_unsubscribed opts the lead out of email and lists the address; Instantly's own lead labels are ignored", async () => {
    const f = await createLeadFixture(env.admin);
    const label = await ingest("instantly", instantlyRequest(instantlyEvent(f, "lead_interested")));
    expect(await process(f, label)).toMatchObject({ status: "IGNORED" });
    await process(f, await ingest("instantly", instantlyRequest(instantlyEvent(f, "lead_unsubscribed"))));
    expect(await journey(f)).toMatchObject({ email_opted_out: true, whatsapp_opted_out: false });
    expect(await count(env.admin, `SELECT 1 FROM do_not_contact WHERE tenant_id = $1 AND type = 'EMAIL' AND value = $2 AND source = 'webhook:unsubscribe'`, [f.tenantId, f.leadEmail])).toBe(1);
  });

  it("a spam complaint (Resend) stops outreach on every channel", async () => {
    const f = await createLeadFixture(env.admin);
    await process(f, await ingest("resend", resendRequest(resendEvent(f, "email.complained"))));
    expect(await journey(f)).toMatchObject({ email_opted_out: true, whatsapp_opted_out: true });
    expect(await count(env.admin, `SELECT 1 FROM do_not_contact WHERE tenant_id = $1 AND source = 'webhook:complaint'`, [f.tenantId])).toBe(1);
  });
});

describe("account status → phone lifecycle", () => {
  const phone = (f: LeadFixture) => one<{ status: string; paused_reason: string | null }>(env.admin, `SELECT status, paused_reason FROM wa_phone_numbers WHERE id = $1`, [f.phoneId]);

  it("disconnected → OFFLINE with the runbook's alert; connected → ACTIVE again; a stale disconnect is skipped", async () => {
    const f = await createLeadFixture(env.admin);
    const t = Date.now();
    await process(f, await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesAccountEvent(f, "disconnected", new Date(t + 1000)))));
    expect((await phone(f)).status).toBe("OFFLINE");
    expect(await count(env.admin, `SELECT 1 FROM alerts WHERE phone_id = $1 AND type = 'phone:offline'`, [f.phoneId])).toBe(1);

    await process(f, await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesAccountEvent(f, "connected", new Date(t + 5000)))));
    expect((await phone(f)).status).toBe("ACTIVE");

    const stale = await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesAccountEvent(f, "disconnected", new Date(t - 60_000))));
    expect(await process(f, stale)).toMatchObject({ status: "IGNORED" });
    expect((await phone(f)).status).toBe("ACTIVE");
  });

  it("suspended → BANNED (leads unassigned); a later 'connected' does not lift a ban", async () => {
    const f = await createLeadFixture(env.admin);
    const t = Date.now() + 1000;
    await process(f, await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesAccountEvent(f, "suspended", new Date(t)))));
    expect((await phone(f)).status).toBe("BANNED");
    const assigned = await one<{ assigned_phone_id: string | null }>(env.admin, `SELECT assigned_phone_id FROM gold_lead_journey WHERE id = $1`, [f.journeyId]);
    expect(assigned.assigned_phone_id).toBeNull();
    await process(f, await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesAccountEvent(f, "connected", new Date(t + 5000)))));
    expect((await phone(f)).status).toBe("BANNED");
  });

  it("a manually PAUSED phone stays PAUSED through disconnect and reconnect", async () => {
    const f = await createLeadFixture(env.admin);
    await env.admin.query(`UPDATE wa_phone_numbers SET status = 'PAUSED', status_changed_at = now() - interval '1 hour' WHERE id = $1`, [f.phoneId]);
    await process(f, await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesAccountEvent(f, "disconnected"))));
    expect((await phone(f)).status).toBe("PAUSED");
  });
});

describe("retries, counted on each event (ADR 0017)", () => {
  /** The normalization jobs naming an event besides the one the receiver queued, and their delay in seconds. */
  const retryJobs = (eventId: string) =>
    env.admin
      .query<{ data: unknown; delay: number }>(
        `SELECT data, extract(epoch FROM start_after - created_on)::float8 AS delay FROM pgboss.job
          WHERE name = $1 AND data->'eventIds' ? $2 AND id <> $2::uuid ORDER BY start_after`,
        [WEBHOOK_NORMALIZE_QUEUE, eventId],
      )
      .then((r) => r.rows);
  const attempts = (eventId: string) => one<{ attempts: number }>(env.admin, `SELECT attempts FROM webhook_events WHERE id = $1`, [eventId]).then((r) => r.attempts);

  it("an unmatched event is tried again after 5, 10, 20, 40 and 80 s, one job each; the sixth attempt closes it", async () => {
    const f = await createLeadFixture(env.admin);
    const echo = await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "sent", uid: randomUUID() })));
    for (let attempt = 1; attempt <= 5; attempt++) {
      await expect(process(f, echo)).rejects.toBeInstanceOf(RetryLaterError);
      expect(await attempts(echo)).toBe(attempt);
      expect((await eventStatus(echo)).status).toBe("RECEIVED");
    }
    const jobs = await retryJobs(echo);
    expect(jobs.map((j) => j.data)).toEqual(Array.from({ length: 5 }, () => ({ tenantId: f.tenantId, eventIds: [echo] })));
    // start_after is set from the worker's clock after the transaction began (created_on): never early.
    jobs.forEach((j, i) => {
      expect(j.delay).toBeGreaterThanOrEqual(5 * 2 ** i);
      expect(j.delay).toBeLessThan(5 * 2 ** i + 60);
    });
    expect(await process(f, echo)).toMatchObject({ status: "IGNORED" });
    expect(await attempts(echo)).toBe(6);
    expect(await retryJobs(echo)).toHaveLength(5);
  });

  it("an event that fails with an error is counted and tried again; after the last attempt it is FAILED with a dead letter; its neighbours are done", async () => {
    const { normalizeJobs } = await import("../../jobs/webhooks/normalize");
    const f = await createLeadFixture(env.admin);
    const account = await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesAccountEvent(f, "disconnected")));
    const reply = await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "received" })));
    const failing: ProcessDeps = { ...deps, phones: { applyAccountStatus: () => Promise.reject(new Error("lifecycle unavailable")) } };
    const job = { id: randomUUID(), data: { tenantId: f.tenantId, eventIds: [account, reply] }, retryCount: 0 };

    expect(await normalizeJobs(failing, [job])).toEqual([{ id: job.id, output: { processed: 1, ignored: 0, alreadyDone: 0, missing: 0, retryLater: 0, failed: 1 } }]);
    expect(await eventStatus(reply)).toEqual({ status: "PROCESSED", error: null });
    expect(await eventStatus(account)).toEqual({ status: "RECEIVED", error: "Error: lifecycle unavailable" });
    expect(await attempts(account)).toBe(1);
    expect((await retryJobs(account)).map((j) => j.data)).toEqual([{ tenantId: f.tenantId, eventIds: [account] }]);

    // The fifth failure is followed by a last attempt; that one failing closes the event.
    await env.admin.query(`UPDATE webhook_events SET attempts = 5 WHERE id = $1`, [account]);
    expect(await normalizeJobs(failing, [job])).toEqual([{ id: job.id, output: { processed: 0, ignored: 0, alreadyDone: 1, missing: 0, retryLater: 0, failed: 1 } }]);
    expect(await eventStatus(account)).toEqual({ status: "FAILED", error: "Error: lifecycle unavailable" });
    expect(await retryJobs(account)).toHaveLength(1);
    const letters = await env.admin.query<{ data: unknown }>(`SELECT data FROM pgboss.job WHERE name = 'dlq.outreach' AND data->'payload'->'eventIds' ? $1`, [account]);
    expect(letters.rows).toEqual([
      { data: { queue: WEBHOOK_NORMALIZE_QUEUE, code: "WEBHOOK_EVENT_FAILED", reason: "Error: lifecycle unavailable", payload: { tenantId: f.tenantId, eventIds: [account] } } },
    ]);
    // What the dead letter's "retry" sends back is a job the queue accepts.
    expect(webhookNormalizePayload.parse((letters.rows[0]!.data as { payload: unknown }).payload)).toEqual({ tenantId: f.tenantId, eventIds: [account] });
  });

  it("an event named by two jobs of one fetch is applied once, and each job answers for it", async () => {
    const { normalizeJobs } = await import("../../jobs/webhooks/normalize");
    const f = await createLeadFixture(env.admin);
    const reply = await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "received" })));
    const jobs = [randomUUID(), randomUUID()].map((id) => ({ id, data: { tenantId: f.tenantId, eventIds: [reply] }, retryCount: 0 }));
    const answers = await normalizeJobs(deps, jobs);
    expect(answers.map((a) => ("output" in a ? a.output : a))).toEqual([
      { processed: 1, ignored: 0, alreadyDone: 0, missing: 0, retryLater: 0, failed: 0 },
      { processed: 1, ignored: 0, alreadyDone: 0, missing: 0, retryLater: 0, failed: 0 },
    ]);
    expect(await journey(f)).toMatchObject({ reply_count: 1 });
  });

  it("a job of one event, as queued before ADR 0017, is still read", () => {
    const tenantId = randomUUID();
    const eventId = randomUUID();
    expect(webhookNormalizePayload.parse({ tenantId, eventId })).toEqual({ tenantId, eventIds: [eventId] });
    expect(webhookNormalizePayload.safeParse({ tenantId, eventIds: [] }).success).toBe(false);
    expect(webhookNormalizePayload.safeParse({ tenantId, eventIds: Array.from({ length: 101 }, () => randomUUID()) }).success).toBe(false);
  });
});

describe("the pg-boss worker", () => {
  it("processes what the route queued, once", async () => {
    const { startWorkers } = await import("../../jobs/runtime");
    const { webhookNormalizeJob } = await import("../../jobs/webhooks/normalize");
    const f = await createLeadFixture(env.admin);
    await startWorkers(env.boss, [webhookNormalizeJob] as never[]);
    const id = await ingest("timelinesai", timelinesRequest(f.timelinesSecret, timelinesMessage(f, { direction: "received" })));
    const deadline = Date.now() + 15_000;
    while ((await eventStatus(id)).status === "RECEIVED" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await eventStatus(id)).toEqual({ status: "PROCESSED", error: null });
    expect(await journey(f)).toMatchObject({ current_state: "WARM_REPLY", reply_count: 1 });
    await env.boss.offWork(WEBHOOK_NORMALIZE_QUEUE);
  });
});
