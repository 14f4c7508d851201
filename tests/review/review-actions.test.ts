/**
 * The review queue's actions against the real reply path (issue 15): double approve sends once (two
 * clicks, two browsers); a takeover stops the pipeline for the lead and a release resumes it (dispatch
 * and a queued send, real); the SLA breach fires at the due time on an injected clock, once, with its
 * alert, notifications and Slack post (a tiny local HTTP server); assignment by claim, by a manager and
 * automatically under the per-rep cap; outcomes through changeLeadState; notes and escalation; audit.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eventually, startReplyWorld, type ReplyLead, type ReplyWorld } from "../replies/support";

// Real workers and simulators on a shared 2-core machine: generous limits, no timing asserted.
vi.setConfig({ testTimeout: 180_000 });

let w: ReplyWorld;
let slack: Server;
const slackPosts: string[] = [];

beforeAll(async () => {
  w = await startReplyWorld("review_actions", { tenant: { auto_answer_mode: "APPROVAL" } });
  const { slackNotifyJob } = await import("../../jobs/notifications/slack");
  await w.startReplyWorkers([slackNotifyJob] as never[]);
  slack = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      slackPosts.push(body);
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, "127.0.0.1", () => resolve()));
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (slack ? slack.close(() => resolve()) : resolve()));
  await w?.close();
});

async function caller(user: ReplyWorld["tenant"]["users"]["rep"], clock?: () => Date) {
  const { appRouter } = await import("../../server/trpc/router.server");
  const { createCallerFactory } = await import("../../server/trpc/init.server");
  return createCallerFactory(appRouter)({ user, requestId: "test", ip: null, boss: w.boss, ...(clock ? { clock } : {}) });
}

async function itemFor(lead: ReplyLead, text: string) {
  await w.leadWrites(lead, text);
  return eventually(
    () => w.rows<{ id: string; kind: string; priority: string; created_at: Date; sla_due_at: Date; answer_id: string | null }>(`SELECT id, kind, priority, created_at, sla_due_at, answer_id FROM human_review_queue WHERE journey_id = $1`, [lead.journeyId]).then((r) => r[0]),
    "the review item",
  );
}

const failure = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string; cause?: { code?: string } }) => ({ code: e.code, domainCode: e.cause?.code }));

describe("approve", () => {
  it("sends exactly once when clicked twice, and when two browsers approve at the same moment", async () => {
    for (const pair of ["same person twice", "two people"] as const) {
      const lead = await w.lead();
      const item = await itemFor(lead, "Da, suntem interesați. Când putem discuta la telefon?");
      expect(item.kind).toBe("APPROVAL");
      const a = await caller(w.tenant.users.rep);
      const b = pair === "two people" ? await caller(w.tenant.users.manager) : a;
      const results = await Promise.allSettled([a.reviews.approve({ reviewId: item.id }), b.reviews.approve({ reviewId: item.id })]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: "CONFLICT", cause: { code: "REVIEW_RESOLVED" } });
      expect(await w.rows(`SELECT id FROM pgboss.job WHERE name = $2 AND data->>'answerId' = $1`, [item.answer_id, `wa.send.${w.tenant.tenantId}`])).toHaveLength(1);
      const sent = await eventually(() => w.rows<{ id: string }>(`SELECT id FROM gold_communication_log WHERE idempotency_key = $1 AND status = 'SENT'`, [`answer:${item.answer_id}`]).then((r) => r.length > 0 && r), "the answer to go out");
      expect(sent).toHaveLength(1);
      const body = (await w.one<{ body: string }>(`SELECT body FROM reply_answers WHERE id = $1`, [item.answer_id])).body;
      const messages = await w.control<Array<{ text?: string }>>("GET", "/messages?provider=timelinesai&direction=outbound");
      expect(messages.filter((m) => m.text === body)).toHaveLength(1);
      expect(await w.one(`SELECT status, resolution FROM human_review_queue WHERE id = $1`, [item.id])).toEqual({ status: "RESOLVED", resolution: "APPROVED" });
      expect(await w.rows(`SELECT id FROM audit_log WHERE action = 'review.approve' AND entity_id = $1`, [item.id])).toHaveLength(1);
    }
  });

  it("edit and send: the person's text goes out, recorded as EDITED_AND_SENT; a manual reply too, once per request id", async () => {
    const lead = await w.lead();
    const item = await itemFor(lead, "Mă interesează, trimiteți-mi detalii pe email vă rog.");
    const rep = await caller(w.tenant.users.rep);
    await rep.reviews.claim({ reviewId: item.id });
    const text = "Bună ziua, domnule Popescu! Vă sun mâine la ora 10 cu detaliile. Cu stimă, Ana";
    expect(await rep.reviews.approve({ reviewId: item.id, body: text })).toMatchObject({ resolution: "EDITED_AND_SENT", channel: "WHATSAPP" });
    expect(await w.one(`SELECT mode, body, released_by FROM reply_answers WHERE id = $1`, [item.answer_id])).toEqual({ mode: "EDITED", body: text, released_by: w.tenant.users.rep.id });

    const other = await w.lead();
    const triage = await itemFor(other, "Nu suntem interesați, mulțumim.");
    const requestId = randomUUID();
    const reply = "Vă mulțumim pentru răspuns! Nu vă mai deranjăm.";
    const [first, second] = await Promise.allSettled([rep.reviews.replyManually({ reviewId: triage.id, body: reply, requestId }), rep.reviews.replyManually({ reviewId: triage.id, body: reply, requestId })]);
    expect([first.status, second.status].sort()).toEqual(["fulfilled", "rejected"]);
    expect(await w.rows(`SELECT id FROM reply_answers WHERE idempotency_key = $1`, [`person:${requestId}`])).toHaveLength(1);
  });
});

describe("take over and release", () => {
  it("a person holding the lead stops dispatch and a queued send; release lets the sequence go on", async () => {
    const lead = await w.lead();
    const due = new Date(Date.now() - 60_000);
    await w.admin.query(`UPDATE gold_lead_journey SET next_action_at = $2 WHERE id = $1`, [lead.journeyId, due]);
    await w.admin.query(`UPDATE sequence_enrollments SET next_step_at = $2 WHERE id = $1`, [lead.enrollmentId, due]);
    const rep = await caller(w.tenant.users.rep);
    expect(await rep.reviews.takeOver({ leadId: lead.leadId })).toEqual({ leadId: lead.leadId, changed: true });

    // A send queued just before the takeover stands down when it runs.
    const { waSendQueue } = await import("../../jobs/queues");
    const jobId = await w.boss.send(waSendQueue(w.tenant.tenantId), { tenantId: w.tenant.tenantId, journeyId: lead.journeyId, leadId: lead.leadId, phoneId: w.tenant.phoneId, sequenceId: w.tenant.sequenceId, stepNumber: 2, templateId: w.tenant.waTemplateId, attempts: {}, deferrals: 0, followUp: true }, { singletonKey: w.tenant.phoneId });
    await eventually(async () => (await w.boss.getJobById(waSendQueue(w.tenant.tenantId), jobId!))?.state === "completed", "the queued send to run");
    const stepTwo = () => w.rows<{ status: string }>(`SELECT status FROM gold_communication_log WHERE idempotency_key = $1`, [`${lead.journeyId}:2:WHATSAPP`]);
    expect(await stepTwo()).toEqual([]);

    const { runDispatch } = await import("../../server/pipeline/dispatch/dispatch.server");
    const { pgBossTransactionalQueue } = await import("../../jobs/transactional-queue");
    const { pipelinePorts } = await import("../../server/pipeline/adapters.server");
    const { pipelineDeps } = await import("../../jobs/pipeline/deps");
    const deps = { guardian: pipelineDeps().guardian, boss: w.boss, queue: pgBossTransactionalQueue(w.boss), sequences: pipelinePorts.sequences, clock: () => new Date() };
    const queuedFor = () => w.rows(`SELECT id FROM pgboss.job WHERE name = $3 AND data->>'journeyId' = $1 AND data->>'stepNumber' = '2' AND id <> $2`, [lead.journeyId, jobId, waSendQueue(w.tenant.tenantId)]);
    await runDispatch(deps, { tenantId: w.tenant.tenantId, slot: new Date() });
    expect(await queuedFor()).toHaveLength(0);
    // The queued send said why it stood down (the lead page shows it).
    const held = await w.one<{ last_dispatch_outcome: { result: string; summary: string } }>(`SELECT last_dispatch_outcome FROM gold_lead_journey WHERE id = $1`, [lead.journeyId]);
    expect(held.last_dispatch_outcome).toMatchObject({ result: "NO_LONGER_ELIGIBLE", summary: "a person took over the lead" });

    expect(await rep.reviews.release({ leadId: lead.leadId })).toEqual({ leadId: lead.leadId, changed: true });
    await runDispatch(deps, { tenantId: w.tenant.tenantId, slot: new Date(Date.now() + 5 * 60_000) });
    expect(await queuedFor()).toHaveLength(1);
    await eventually(() => stepTwo().then((r) => r[0]?.status === "SENT"), "step 2 to go out after the release");
    expect(await w.rows(`SELECT action FROM audit_log WHERE entity_id = $1 AND action IN ('lead.take_over', 'lead.release') ORDER BY created_at`, [lead.journeyId])).toEqual([{ action: "lead.take_over" }, { action: "lead.release" }]);
  });

  it("taking over from a review item resolves it (TAKEN_OVER) and cancels its draft", async () => {
    const lead = await w.lead();
    const item = await itemFor(lead, "Da, suntem interesați. Când putem discuta la telefon?");
    const rep = await caller(w.tenant.users.rep);
    await rep.reviews.takeOver({ leadId: lead.leadId, reviewId: item.id });
    expect(await w.one(`SELECT status, resolution FROM human_review_queue WHERE id = $1`, [item.id])).toEqual({ status: "RESOLVED", resolution: "TAKEN_OVER" });
    expect(await w.one(`SELECT status FROM reply_answers WHERE id = $1`, [item.answer_id])).toEqual({ status: "CANCELLED" });
    expect(await w.one(`SELECT is_human_controlled, assigned_to_user, requires_human_review FROM gold_lead_journey WHERE id = $1`, [lead.journeyId])).toEqual({ is_human_controlled: true, assigned_to_user: w.tenant.users.rep.id, requires_human_review: false });
  });
});

describe("SLA", () => {
  it("the breach fires at the due time on an injected clock, once: flag, one alert, the managers notified, Slack told", async () => {
    await w.admin.query(`UPDATE tenants SET slack_webhook_url = $2 WHERE id = $1`, [w.tenant.tenantId, `http://127.0.0.1:${(slack.address() as AddressInfo).port}/hooks/T000/B000/secret`]);
    const lead = await w.lead();
    const item = await itemFor(lead, "Nu suntem interesați, mulțumim.");
    expect(item.priority).toBe("URGENT");
    const created = item.created_at.getTime();
    const { configureReviewClock, reviewSlaSweepJob, reviewSlaJob } = await import("../../jobs/review/sla");
    let now = created;
    configureReviewClock(() => new Date(now));
    const ctx = { jobId: "test", retryCount: 0, boss: w.boss, signal: new AbortController().signal };
    const state = () => w.one<{ sla_breached: boolean; sla_warned_at: Date | null; sla_breached_at: Date | null }>(`SELECT sla_breached, sla_warned_at, sla_breached_at FROM human_review_queue WHERE id = $1`, [item.id]);

    now = created + 44 * 60_000;
    await reviewSlaSweepJob.handler({ tenantId: w.tenant.tenantId }, ctx);
    expect(await state()).toEqual({ sla_breached: false, sla_warned_at: null, sla_breached_at: null });
    now = created + 45 * 60_000; // 75 % of an hour: almost due
    await reviewSlaJob.handler({ tenantId: w.tenant.tenantId, reviewId: item.id, check: "DUE_SOON", dueAt: item.sla_due_at.toISOString() }, ctx);
    expect((await state()).sla_warned_at).toEqual(new Date(now));
    now = created + 59 * 60_000 + 59_000;
    expect(await reviewSlaJob.handler({ tenantId: w.tenant.tenantId, reviewId: item.id, check: "BREACH", dueAt: item.sla_due_at.toISOString() }, ctx)).toEqual({ outcome: "not_due" });
    expect((await state()).sla_breached).toBe(false);
    now = created + 60 * 60_000;
    expect(await reviewSlaJob.handler({ tenantId: w.tenant.tenantId, reviewId: item.id, check: "BREACH", dueAt: item.sla_due_at.toISOString() }, ctx)).toEqual({ outcome: "breached" });
    now = created + 61 * 60_000;
    await reviewSlaSweepJob.handler({ tenantId: w.tenant.tenantId }, ctx);
    expect(await state()).toEqual({ sla_breached: true, sla_warned_at: new Date(created + 45 * 60_000), sla_breached_at: new Date(created + 60 * 60_000) });
    expect(await w.rows(`SELECT severity, type FROM alerts WHERE dedupe_key = $1`, [`sla:breach:${item.id}`])).toEqual([{ severity: "MEDIUM", type: "sla:breach" }]);
    const manager = await (await caller(w.tenant.users.manager)).notifications.list({ limit: 50 });
    expect(manager.items.filter((n) => n.reviewId === item.id).map((n) => n.kind).sort()).toEqual(["review.breached", "review.due_soon"]);
    await eventually(async () => slackPosts.some((p) => (JSON.parse(p) as { text: string }).text.includes("Termen depășit")), "the Slack post");
    // Resolving the item resolves its alert.
    await (await caller(w.tenant.users.rep)).reviews.reject({ reviewId: item.id, note: "Nu e cazul" });
    expect((await w.one<{ resolved_at: Date | null }>(`SELECT resolved_at FROM alerts WHERE dedupe_key = $1`, [`sla:breach:${item.id}`])).resolved_at).not.toBeNull();
    configureReviewClock(() => new Date());
  });
});

describe("assignment", () => {
  it("claim, a manager's reassignment, and automatic assignment under the per-rep cap (the rest waits)", async () => {
    const { rep, rep2, manager } = w.tenant.users;
    const items: Array<{ id: string }> = [];
    for (let i = 0; i < 3; i++) items.push(await itemFor(await w.lead(), "Nu suntem interesați, mulțumim."));
    const ana = await caller(rep);
    const bogdan = await caller(rep2);
    const boss = await caller(manager);
    expect(await ana.reviews.claim({ reviewId: items[0]!.id })).toMatchObject({ assignedTo: rep.id, status: "ASSIGNED" });
    expect(await failure(bogdan.reviews.claim({ reviewId: items[0]!.id }))).toEqual({ code: "CONFLICT", domainCode: "REVIEW_ASSIGNED_TO_OTHER" });
    expect(await failure(boss.reviews.assign({ reviewId: items[0]!.id, userId: rep2.id }).then((r) => expect(r.assignedTo).toBe(rep2.id)))).toBeNull();
    expect(await failure(ana.reviews.approve({ reviewId: items[0]!.id }))).toEqual({ code: "FORBIDDEN", domainCode: "REVIEW_ASSIGNED_TO_OTHER" });
    expect((await bogdan.notifications.list({ limit: 50 })).items.some((n) => n.kind === "review.assigned" && n.reviewId === items[0]!.id)).toBe(true);
    expect(await failure(ana.reviews.assign({ reviewId: items[1]!.id, userId: rep.id }))).toMatchObject({ code: "FORBIDDEN" });

    // Automatic: cap 1 per rep, Bogdan already holds one and Ana is available: the oldest goes to Ana, the rest waits.
    await w.admin.query(`UPDATE tenants SET review_rep_open_cap = 1 WHERE id = $1`, [w.tenant.tenantId]);
    await w.admin.query(`UPDATE human_review_queue SET status = 'RESOLVED', resolution = 'NO_ACTION', resolved_at = now() WHERE tenant_id = $1 AND status <> 'RESOLVED' AND id <> ALL($2::uuid[])`, [w.tenant.tenantId, items.map((i) => i.id)]);
    const { withTenant } = await import("../../server/db/client.server");
    const { autoAssignReviews } = await import("../../server/review/assignment.server");
    const run = () => withTenant(w.tenant.tenantId, (tx) => autoAssignReviews(tx, { tenantId: w.tenant.tenantId, now: new Date() }));
    expect(await run()).toEqual({ assigned: [{ reviewId: items[1]!.id, userId: rep.id }], waiting: 1 });
    // Both at the cap now: a run hands out nothing and says one item waits.
    expect(await run()).toEqual({ assigned: [], waiting: 1 });
    // Ana switches herself off; Bogdan's item is resolved: the waiting one goes to Bogdan.
    await ana.reviews.setAvailability({ available: false });
    await bogdan.reviews.reject({ reviewId: items[0]!.id, note: null });
    expect(await run()).toEqual({ assigned: [{ reviewId: items[2]!.id, userId: rep2.id }], waiting: 0 });
    await ana.reviews.setAvailability({ available: true });
    await w.admin.query(`UPDATE tenants SET review_rep_open_cap = 15 WHERE id = $1`, [w.tenant.tenantId]);
  });
});

describe("outcomes, notes, escalation", () => {
  it("NEGOTIATION, back to sequence and DEAD go through the state machine and resolve the item", async () => {
    const rep = await caller(w.tenant.users.rep);
    const cases = [
      { outcome: "NEGOTIATION", state: "NEGOTIATION", enrollment: "STOPPED" },
      { outcome: "BACK_TO_SEQUENCE", state: "CONTACTED_WA", enrollment: "ACTIVE" },
      { outcome: "DEAD", state: "DEAD", enrollment: "STOPPED" },
    ] as const;
    for (const c of cases) {
      const lead = await w.lead();
      const item = await itemFor(lead, "Aveți și motorină? Ce condiții de livrare aveți?");
      expect(await rep.reviews.setOutcome({ reviewId: item.id, outcome: c.outcome, reason: "Discutat la telefon" })).toEqual({ reviewId: item.id, state: c.state });
      expect(await w.one(`SELECT current_state, requires_human_review FROM gold_lead_journey WHERE id = $1`, [lead.journeyId])).toEqual({ current_state: c.state, requires_human_review: false });
      expect((await w.one<{ status: string }>(`SELECT status FROM sequence_enrollments WHERE id = $1`, [lead.enrollmentId])).status).toBe(c.enrollment);
      expect(await w.one(`SELECT status, resolution FROM human_review_queue WHERE id = $1`, [item.id])).toEqual({ status: "RESOLVED", resolution: "NO_ACTION" });
      expect(await w.rows(`SELECT action FROM audit_log WHERE entity_id = $1 AND action = 'review.outcome'`, [item.id])).toHaveLength(1);
    }
  });

  it("a note, then an escalation: one priority up, due sooner, the managers told", async () => {
    const lead = await w.lead();
    const item = await itemFor(lead, "Aveți și motorină? Ce condiții de livrare aveți?");
    const rep = await caller(w.tenant.users.rep);
    await rep.reviews.addNote({ reviewId: item.id, body: "Am încercat să sun, nu răspunde." });
    const before = await w.one<{ priority: string; sla_due_at: Date }>(`SELECT priority, sla_due_at FROM human_review_queue WHERE id = $1`, [item.id]);
    const escalated = await rep.reviews.escalate({ reviewId: item.id, note: "Client mare, vă rog preluați." });
    expect(escalated.priority).toBe({ LOW: "MEDIUM", MEDIUM: "HIGH", HIGH: "URGENT", URGENT: "URGENT" }[before.priority]);
    expect(escalated.slaDueAt.getTime()).toBeLessThanOrEqual(before.sla_due_at.getTime());
    const detail = await rep.reviews.get({ reviewId: item.id });
    expect(detail.status).toBe("ESCALATED");
    expect(detail.notes.map((n) => n.body)).toEqual(["Am încercat să sun, nu răspunde.", "Client mare, vă rog preluați."]);
    expect(detail.history.map((h) => h.action)).toEqual(expect.arrayContaining(["review.note", "review.escalate"]));
    const manager = await (await caller(w.tenant.users.manager)).notifications.list({ limit: 50 });
    expect(manager.items.some((n) => n.kind === "review.escalated" && n.reviewId === item.id)).toBe(true);
    const timers = await w.rows(`SELECT id FROM pgboss.job WHERE name = 'human.review.sla' AND data->>'reviewId' = $1 AND data->>'dueAt' = $2`, [item.id, escalated.slaDueAt.toISOString()]);
    expect(timers).toHaveLength(2);
  });
});
