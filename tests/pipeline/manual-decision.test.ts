/**
 * A person's message from the lead page is a decision too: queued, sent, deferred by the window or the
 * quota, refused for do-not-contact — each becomes the lead's last decision (what the lead page and the
 * explain trail show) and a row of the trail, with who asked and on which channel, in the shape of the
 * automation's own decisions. Against a real database, pg-boss, the quota guardian on Redis and the
 * TimelinesAI simulator over HTTP; the send use case and the send job are called as the app calls them.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { waSendJob } from "../../jobs/pipeline/wa-send";
import { waManualSendPayload, waSendQueue, type WaManualSendPayload } from "../../jobs/queues";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";
import { withTenant } from "../../server/db/client.server";
import { getLeadDetail } from "../../server/leads/lead-detail.server";
import { checkLeadSend, sendLeadMessage, type QueueMessageInput } from "../../server/leads/send-message.server";
import { pgBossPendingSends } from "../../server/phones/pending-sends.server";
import { leadTimeline } from "../../server/leads/timeline.server";
import { explainLead } from "../../server/pipeline/dispatch/explain.server";
import { processManualWaSend } from "../../server/pipeline/send/manual-send.server";
import { SEND_LEASE, waitForLease } from "../../server/pipeline/rules/lease";
import { createWorld, guardianFor, holding, manualClock, sendDeps, simulatorMessages, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv, type World } from "./support";


let env: PipelineEnv;

beforeAll(async () => {
  env = await startPipelineEnv("pmd", [waSendJob] as JobDefinition[]);
});
afterAll(async () => {
  await env?.close();
});

/** A sales rep of the world's tenant, by name: the decisions say who asked. */
async function rep(w: World, name: string): Promise<{ id: string; name: string }> {
  const { rows } = await env.admin.query<{ id: string }>(`INSERT INTO users (tenant_id, email, name, password_hash, role) VALUES ($1, $2, $3, 'x', 'SALES_REP') RETURNING id`, [
    w.tenantId,
    `${randomUUID()}@agro.test`,
    name,
  ]);
  return { id: rows[0]!.id, name };
}

function send(w: World, clock: () => Date, by: { id: string }, leadId: string, text = "Bună ziua, revin cu oferta discutată.") {
  const input: QueueMessageInput = { tenantId: w.tenantId, leadId, channel: "WHATSAPP", text, requestId: randomUUID(), actor: { type: "USER", userId: by.id, role: "SALES_REP", ip: null }, now: clock() };
  return sendLeadMessage((fn) => withTenant(w.tenantId, fn), { guardian: guardianFor(env, clock), queue: pgBossTransactionalQueue(env.boss) }, input);
}

/** The wa.send job the request queued (taken off the queue: the test runs it as the worker would). */
async function queuedJob(w: World, messageId: string): Promise<WaManualSendPayload> {
  for (const phoneId of w.phoneIds) {
    for (const job of await env.boss.findJobs(waSendQueue(w.tenantId), { key: phoneId, queued: true })) {
      if ((job.data as { manual?: { messageId?: string } }).manual?.messageId !== messageId) continue;
      await env.boss.deleteJob(waSendQueue(w.tenantId), job.id);
      return waManualSendPayload.parse(job.data);
    }
  }
  throw new Error(`no wa.send job for message ${messageId}`);
}

const detail = (w: World, leadId: string) => withTenant(w.tenantId, (tx) => getLeadDetail(tx, leadId));
const explain = (w: World, leadId: string) => withTenant(w.tenantId, (tx) => explainLead(tx, leadId));
const nextAction = async (journeyId: string) =>
  (await env.admin.query<{ next_action_at: Date | null; next_action_reason: string | null }>(`SELECT next_action_at, next_action_reason FROM gold_lead_journey WHERE id = $1`, [journeyId])).rows[0];

describe("a person's WhatsApp message as the lead's decision", () => {
  it("queued, then sent: the last decision and the trail say who, on which channel, and what became of it", async () => {
    const w = await createWorld(env, { phones: 1, leads: 1 });
    const lead = w.leads[0]!;
    const ioana = await rep(w, "Ioana Rusu");
    const clock = manualClock(WEDNESDAY_10_00);
    const before = await nextAction(lead.journeyId);

    const queued = await send(w, clock, ioana, lead.leadId);
    expect(queued.check.when).toBe("NOW");
    const asked = await detail(w, lead.leadId);
    expect(asked.lastDecision.by).toEqual(ioana);
    expect(asked.lastDecision.outcome).toMatchObject({
      stage: "manual",
      result: "DISPATCHED_WHATSAPP",
      manual: { messageId: queued.messageId, requestedBy: ioana.id, channel: "WHATSAPP" },
      phone: { phoneId: w.phoneIds[0], kind: "NEW" },
      quota: { allowed: true, cost: 1 },
      window: { open: true },
      job: { queue: waSendQueue(w.tenantId), jobId: queued.messageId },
    });

    clock.set(new Date(WEDNESDAY_10_00.getTime() + 5_000));
    const job = await queuedJob(w, queued.messageId);
    expect(await processManualWaSend(sendDeps(env, clock), job, { jobId: "manual-1" })).toMatchObject({ kind: "SENT" });
    expect((await simulatorMessages(env)).filter((m) => m.to === lead.phone)).toHaveLength(1);

    const sent = await detail(w, lead.leadId);
    expect(sent.lastDecision.at).toEqual(clock());
    expect(sent.lastDecision.by).toEqual(ioana);
    expect(sent.lastDecision.outcome).toMatchObject({ stage: "manual", result: "SENT", manual: { messageId: queued.messageId, requestedBy: ioana.id, channel: "WHATSAPP" }, quota: { allowed: true, cost: 1 } });
    // The explain trail has both, newest first, and its last decision is the journey's.
    const explained = await explain(w, lead.leadId);
    expect(explained.lastDecision).toMatchObject({ stage: "manual", result: "SENT" });
    expect(explained.trail.map((d) => [d.stage, d.result])).toEqual([
      ["manual", "SENT"],
      ["manual", "DISPATCHED_WHATSAPP"],
    ]);
    // The timeline names the person on each of them.
    const timeline = await withTenant(w.tenantId, (tx) => leadTimeline(tx, { leadId: lead.leadId, limit: 50 }));
    const decisions = timeline.items.filter((i) => i.kind === "decision");
    expect(decisions.map((d) => (d.kind === "decision" ? [d.result, d.by] : null))).toEqual([
      ["SENT", ioana],
      ["DISPATCHED_WHATSAPP", ioana],
    ]);
    // A person's message is not a sequence step: when the automation is due next is left as it was.
    expect(await nextAction(lead.journeyId)).toEqual(before);
  });

  it("refused at the page for a number on the do-not-contact list: nothing queued, the decision says who tried and why", async () => {
    const w = await createWorld(env, { phones: 1, leads: 1 });
    const lead = w.leads[0]!;
    const ana = await rep(w, "Ana Dobre");
    const clock = manualClock(WEDNESDAY_10_00);
    await env.admin.query(`INSERT INTO do_not_contact (tenant_id, type, value, reason, source) VALUES ($1, 'PHONE', $2, 'A cerut să nu fie contactat', 'manual')`, [w.tenantId, lead.phone]);

    await expect(send(w, clock, ana, lead.leadId)).rejects.toMatchObject({ code: "SEND_PHONE_DO_NOT_CONTACT" });
    expect((await env.admin.query(`SELECT id FROM gold_communication_log WHERE journey_id = $1`, [lead.journeyId])).rows).toHaveLength(0);
    expect(await env.boss.findJobs(waSendQueue(w.tenantId), { key: w.phoneIds[0]!, queued: true })).toHaveLength(0);

    const d = await detail(w, lead.leadId);
    expect(d.lastDecision.by).toEqual(ana);
    expect(d.lastDecision.outcome).toMatchObject({
      stage: "manual",
      result: "NO_LONGER_ELIGIBLE",
      manual: { messageId: null, requestedBy: ana.id, channel: "WHATSAPP", blocked: "PHONE_DO_NOT_CONTACT" },
      error: { code: "SEND_PHONE_DO_NOT_CONTACT" },
    });
    expect((await explain(w, lead.leadId)).trail.map((t) => t.result)).toEqual(["NO_LONGER_ELIGIBLE"]);
  });

  it("queued, then the number is put on the list before the job runs: nothing goes out, the decision says why", async () => {
    const w = await createWorld(env, { phones: 1, leads: 2 });
    const [listed, other] = w.leads as [World["leads"][number], World["leads"][number]];
    const ana = await rep(w, "Ana Dobre");
    const clock = manualClock(WEDNESDAY_10_00);
    const a = await send(w, clock, ana, listed.leadId);
    const b = await send(w, clock, ana, other.leadId);
    await env.admin.query(`INSERT INTO do_not_contact (tenant_id, type, value, reason, source) VALUES ($1, 'PHONE', $2, 'A cerut să nu fie contactat', 'manual')`, [w.tenantId, listed.phone]);

    expect(await processManualWaSend(sendDeps(env, clock), await queuedJob(w, a.messageId), { jobId: "dnc-a" })).toMatchObject({ kind: "DONE", code: "NO_LONGER_ELIGIBLE" });
    clock.set(new Date(WEDNESDAY_10_00.getTime() + 200_000));
    expect(await processManualWaSend(sendDeps(env, clock), await queuedJob(w, b.messageId), { jobId: "dnc-b" })).toMatchObject({ kind: "SENT" });
    const sims = await simulatorMessages(env);
    expect(sims.filter((m) => m.to === listed.phone)).toHaveLength(0);
    expect(sims.filter((m) => m.to === other.phone)).toHaveLength(1);

    const d = await detail(w, listed.leadId);
    expect(d.lastDecision.outcome).toMatchObject({ stage: "manual", result: "NO_LONGER_ELIGIBLE", manual: { messageId: a.messageId, requestedBy: ana.id, channel: "WHATSAPP" }, error: { code: "PHONE_DO_NOT_CONTACT" } });
    expect((await env.admin.query(`SELECT status, error_code FROM gold_communication_log WHERE id = $1`, [a.messageId])).rows[0]).toEqual({ status: "FAILED", error_code: "PHONE_DO_NOT_CONTACT" });
  });

  it("outside the window and past the day's quota: queued for later, then deferred by the job, each recorded with its reason", async () => {
    const w = await createWorld(env, { phones: 1, leads: 2, phoneLimit: 1 });
    const [first, second] = w.leads as [World["leads"][number], World["leads"][number]];
    const ana = await rep(w, "Ana Dobre");
    // Saturday: the window is closed until Monday 09:00 Bucharest.
    const clock = manualClock("2026-06-13T09:00:00Z");
    const monday = new Date("2026-06-15T06:00:00Z");
    const weekend = await send(w, clock, ana, first.leadId);
    expect(weekend.check).toMatchObject({ when: "AT_NEXT_OPENING", at: monday });
    expect((await detail(w, first.leadId)).lastDecision.outcome).toMatchObject({
      result: "DISPATCHED_WHATSAPP",
      window: { open: false, nextOpening: monday.toISOString() },
      job: { startAfter: monday.toISOString() },
    });
    const job = await queuedJob(w, weekend.messageId);
    expect(await processManualWaSend(sendDeps(env, clock), job, { jobId: "weekend" })).toMatchObject({ kind: "RESCHEDULE", code: "REFUSED_OUTSIDE_WINDOW", startAfter: monday });
    expect((await detail(w, first.leadId)).lastDecision.outcome).toMatchObject({ stage: "manual", result: "REFUSED_OUTSIDE_WINDOW", quota: { reason: "OUTSIDE_WINDOW" }, nextActionAt: monday.toISOString() });

    // Monday: the first message uses the phone's only new contact of the day; the second waits for Tuesday.
    clock.set(new Date(monday.getTime() + 60_000));
    expect(await processManualWaSend(sendDeps(env, clock), job, { jobId: "monday" })).toMatchObject({ kind: "SENT" });
    clock.set(new Date(monday.getTime() + 10 * 60_000));
    const tuesday = await send(w, clock, ana, second.leadId);
    expect(tuesday.check).toMatchObject({ when: "NEXT_DAY", quota: { cost: 1, used: 1, limit: 1 } });
    expect((await detail(w, second.leadId)).lastDecision.outcome).toMatchObject({
      result: "DISPATCHED_WHATSAPP",
      quota: { allowed: false, reason: "QUOTA_EXHAUSTED", used: 1, limit: 1, cost: 1 },
    });
    expect(await processManualWaSend(sendDeps(env, clock), await queuedJob(w, tuesday.messageId), { jobId: "quota" })).toMatchObject({ kind: "RESCHEDULE", code: "REFUSED_QUOTA_EXHAUSTED" });
    expect((await detail(w, second.leadId)).lastDecision.outcome).toMatchObject({ stage: "manual", result: "REFUSED_QUOTA_EXHAUSTED", manual: { requestedBy: ana.id, channel: "WHATSAPP" }, quota: { allowed: false, reason: "QUOTA_EXHAUSTED" } });
    expect((await simulatorMessages(env)).filter((m) => m.to === second.phone)).toHaveLength(0);
  });

  it("says how many messages wait on the phone before this one: all of them for a first message, only the follow-ups for a follow-up", async () => {
    const w = await createWorld(env, { phones: 1, leads: 3 });
    const clock = manualClock(WEDNESDAY_10_00);
    const ioana = await rep(w, "Ioana Rusu");
    const sends = pgBossPendingSends(env.boss);
    const check = (leadId: string) =>
      withTenant(w.tenantId, (tx) => checkLeadSend(tx, { guardian: guardianFor(env, clock), sends }, { tenantId: w.tenantId, leadId, channel: "WHATSAPP", now: clock() }));
    const { rows } = await env.admin.query<{ min: number; max: number }>(`SELECT jitter_min_seconds AS min, jitter_max_seconds AS max FROM tenants WHERE id = $1`, [w.tenantId]);
    const spacingSeconds = rows[0]!;

    expect(await check(w.leads[2]!.leadId)).toMatchObject({ when: "NOW", queue: { ahead: 0, spacingSeconds } });
    await send(w, clock, ioana, w.leads[0]!.leadId);
    await send(w, clock, ioana, w.leads[1]!.leadId);
    expect(await check(w.leads[2]!.leadId)).toMatchObject({ when: "NOW", queue: { ahead: 2, spacingSeconds } });
    // Contacted on this phone: a follow-up, which the two first messages ahead of it give way to.
    await env.admin.query(`UPDATE gold_lead_journey SET is_new_contact = false, assigned_phone_id = $2 WHERE id = $1`, [w.leads[2]!.journeyId, w.phoneIds[0]]);
    expect(await check(w.leads[2]!.leadId)).toMatchObject({ when: "NOW", queue: { ahead: 0 } });
    // Email says nothing of the phone's queue.
    expect((await withTenant(w.tenantId, (tx) => checkLeadSend(tx, { guardian: guardianFor(env, clock), sends }, { tenantId: w.tenantId, leadId: w.leads[2]!.leadId, channel: "EMAIL", now: clock() }))).queue).toBeNull();
  });

  it("retried while its first attempt is still calling TimelinesAI: the retry waits for that attempt's lease; one message", async () => {
    const w = await createWorld(env, { phones: 1, leads: 1 });
    const lead = w.leads[0]!;
    const clock = manualClock(WEDNESDAY_10_00);
    const queued = await send(w, clock, await rep(w, "Ioana Rusu"), lead.leadId);
    const job = await queuedJob(w, queued.messageId);
    const first = holding(env, ["afterLeaseCheck"]);
    const running = processManualWaSend(sendDeps(env, clock, { timelinesai: first.port }), job, { jobId: "manual-1" });
    await first.reached("afterLeaseCheck");

    const until = new Date(WEDNESDAY_10_00.getTime() + SEND_LEASE.leaseMs + SEND_LEASE.skewMs);
    expect(await processManualWaSend(sendDeps(env, clock), job, { jobId: "manual-1" })).toEqual(waitForLease(until));
    first.release("afterLeaseCheck");
    expect(await running).toMatchObject({ kind: "SENT" });
    clock.set(until);
    expect(await processManualWaSend(sendDeps(env, clock), job, { jobId: "manual-1" })).toMatchObject({ kind: "ALREADY_SENT" });
    expect((await simulatorMessages(env)).filter((m) => m.to === lead.phone)).toHaveLength(1);
  });
});
