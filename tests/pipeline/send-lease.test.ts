/**
 * The send attempt's lease (server/pipeline/rules/lease.ts): pg-boss can run a second attempt of a
 * WhatsApp send while the first is still alive (a job retried after a stall past its heartbeat). The
 * second must never send while the first may still be calling TimelinesAI, and of the two exactly one
 * owns the message. The first attempt is held at chosen points of its send (support.ts `holding`: the
 * real client against the simulator over HTTP); both attempts read one manual clock. A person's
 * message (manual-send) has the same lease: tests/pipeline/manual-decision.test.ts; an answer to a reply
 * has it too (below).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { dispatchJob } from "../../jobs/pipeline/dispatch";
import { waSendJob } from "../../jobs/pipeline/wa-send";
import { runSendJob } from "../../jobs/pipeline/send-outcome";
import { DEFAULT_QUOTA_SETTINGS } from "../../server/quota/settings";
import { SEND_LEASE, waitForLease } from "../../server/pipeline/rules/lease";
import { processWaSend } from "../../server/pipeline/send/whatsapp-send.server";
import { processWaAnswer, type WaAnswerDeps } from "../../server/replies/answers/send-whatsapp.server";
import { waAnswerPayload } from "../../jobs/queues";
import { addFault, createWorld, dispatchedWaSends, guardianFor, holding, manualClock, type HoldPoint, sendDeps, simulatorMessages, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv } from "./support";

let env: PipelineEnv;

beforeAll(async () => {
  env = await startPipelineEnv("pll", [dispatchJob, waSendJob] as JobDefinition[]);
});
afterAll(async () => {
  await env?.close();
});

const T0 = WEDNESDAY_10_00.getTime();
const at = (ms: number) => new Date(T0 + ms);

async function oneLead() {
  const w = await createWorld(env, { phones: 1, leads: 1 });
  const clock = manualClock(WEDNESDAY_10_00);
  const [p] = await dispatchedWaSends(env, w, clock);
  const lead = w.leads[0]!;
  const sentTo = async () => (await simulatorMessages(env)).filter((m) => m.to === lead.phone);
  const row = async () =>
    (await env.admin.query(`SELECT status, external_message_id, quota_cost, metadata FROM gold_communication_log WHERE journey_id = $1`, [lead.journeyId])).rows;
  const used = async () => (await guardianFor(env, clock).usage(w.tenantId, w.phoneIds, DEFAULT_QUOTA_SETTINGS))[0]!.used;
  /** An attempt of the send, its client held at `points`; `running` is its result. */
  const attempt = (points: HoldPoint[]) => {
    const held = holding(env, points);
    return { ...held, running: processWaSend(sendDeps(env, clock, { timelinesai: held.port }), p!, { jobId: "job-1" }) };
  };
  return { w, clock, p: p!, lead, sentTo, row, used, attempt };
}

describe("the send attempt's lease", () => {
  it("a retry while the first attempt is calling TimelinesAI waits for its lease instead of sending: one message", async () => {
    const { clock, p, sentTo, used, attempt } = await oneLead();
    const first = attempt(["afterLeaseCheck"]);
    const running = first.running;
    await first.reached("afterLeaseCheck");

    const retry = await processWaSend(sendDeps(env, clock), p, { jobId: "job-1" });
    expect(retry).toEqual(waitForLease(at(SEND_LEASE.leaseMs + SEND_LEASE.skewMs)));

    first.release("afterLeaseCheck");
    expect(await running).toMatchObject({ kind: "SENT", reconciled: false });
    clock.set(at(SEND_LEASE.leaseMs + SEND_LEASE.skewMs));
    expect(await processWaSend(sendDeps(env, clock), p, { jobId: "job-1" })).toMatchObject({ kind: "ALREADY_SENT" });
    expect(await sentTo()).toHaveLength(1);
    expect(await used()).toBe(1);
  });

  it("an attempt stalled past its lease sends nothing and writes nothing; the attempt that took over sends once", async () => {
    const { clock, p, sentTo, row, used, attempt } = await oneLead();
    const first = attempt(["beforeLeaseCheck"]);
    const running = first.running;
    await first.reached("beforeLeaseCheck");

    // The first attempt's process is frozen here; its lease runs out, the job is retried.
    clock.set(at(SEND_LEASE.leaseMs + SEND_LEASE.skewMs + 1_000));
    const retry = await processWaSend(sendDeps(env, clock), p, { jobId: "job-1" });
    expect(retry).toMatchObject({ kind: "SENT", reconciled: false });

    first.release("beforeLeaseCheck");
    expect(await running).toMatchObject({ kind: "DONE", code: "SEND_SUPERSEDED" });
    const messages = await sentTo();
    expect(messages).toHaveLength(1);
    expect((await row())[0]).toMatchObject({ status: "SENT", external_message_id: messages[0]!.id, quota_cost: 1 });
    // The first attempt's unit is the send's: the take-over did not consume another, and nothing was given back.
    expect(await used()).toBe(1);
  });

  it("a slow attempt renews its lease before its request; a retry meanwhile waits for the renewed lease", async () => {
    const { clock, p, sentTo, row, attempt } = await oneLead();
    const first = attempt(["beforeLeaseCheck", "afterLeaseCheck"]);
    const running = first.running;
    await first.reached("beforeLeaseCheck");
    const [{ metadata: written }] = await row();
    expect(written.leaseUntil).toBe(at(SEND_LEASE.leaseMs).toISOString());

    // Less than a request's budget left: the check renews the lease instead of letting the request start.
    clock.set(at(100_000));
    first.release("beforeLeaseCheck");
    await first.reached("afterLeaseCheck");
    const [{ metadata: renewed }] = await row();
    expect(renewed).toMatchObject({ attemptId: written.attemptId, leaseUntil: at(100_000 + SEND_LEASE.leaseMs).toISOString() });

    // Past the first lease's end, not the renewed one's.
    clock.set(at(SEND_LEASE.leaseMs + SEND_LEASE.skewMs + 10_000));
    expect(await processWaSend(sendDeps(env, clock), p, { jobId: "job-1" })).toEqual(waitForLease(at(100_000 + SEND_LEASE.leaseMs + SEND_LEASE.skewMs)));

    first.release("afterLeaseCheck");
    expect(await running).toMatchObject({ kind: "SENT" });
    expect(await sentTo()).toHaveLength(1);
  });

  it("a take-over is fenced: the first attempt renewing between the retry's look in the chat and its write wins", async () => {
    const { clock, p, sentTo, used, attempt } = await oneLead();
    const first = attempt(["beforeLeaseCheck", "afterLeaseCheck"]);
    const running = first.running;
    await first.reached("beforeLeaseCheck");

    clock.set(at(SEND_LEASE.leaseMs + SEND_LEASE.skewMs + 1_000));
    const second = holding(env, ["listChats"]);
    const retrying = processWaSend(sendDeps(env, clock, { timelinesai: second.port }), p, { jobId: "job-1" });
    // The retry has read the row (lease over) and is looking in the chat: nothing there yet.
    await second.reached("listChats");
    // Meanwhile the first attempt wakes up, renews its lease (still its own) and is about to send.
    first.release("beforeLeaseCheck");
    await first.reached("afterLeaseCheck");
    second.release("listChats");
    const retry = await retrying;
    expect(retry).toMatchObject({ kind: "WAIT", code: "SEND_IN_FLIGHT" });

    first.release("afterLeaseCheck");
    expect(await running).toMatchObject({ kind: "SENT" });
    expect(await sentTo()).toHaveLength(1);
    expect(await used()).toBe(1);
  });

  it("a late failure of a superseded attempt writes nothing and gives no unit back: the row is the take-over's", async () => {
    const { clock, p, sentTo, row, used, attempt } = await oneLead();
    const first = attempt(["afterLeaseCheck"]);
    const running = first.running;
    await first.reached("afterLeaseCheck");
    clock.set(at(SEND_LEASE.leaseMs + SEND_LEASE.skewMs + 1_000));
    const second = holding(env, ["afterLeaseCheck"]);
    const retrying = processWaSend(sendDeps(env, clock, { timelinesai: second.port }), p, { jobId: "job-1" });
    await second.reached("afterLeaseCheck");

    // The first attempt's request is refused (certainly not sent) while the take-over is about to send.
    await addFault(env, { provider: "timelinesai", method: "POST", path: "/messages", kind: "status", status: 422, times: 1 });
    first.release("afterLeaseCheck");
    expect(await running).toMatchObject({ kind: "DONE", code: "SEND_SUPERSEDED" });
    const [mid] = await row();
    expect(mid).toMatchObject({ status: "QUEUED", quota_cost: 1 });
    expect(mid.metadata.attemptAt).toBe(at(SEND_LEASE.leaseMs + SEND_LEASE.skewMs + 1_000).toISOString());
    expect(await used()).toBe(1);

    second.release("afterLeaseCheck");
    expect(await retrying).toMatchObject({ kind: "SENT" });
    expect(await sentTo()).toHaveLength(1);
    expect((await row())[0]).toMatchObject({ status: "SENT", quota_cost: 1 });
    expect(await used()).toBe(1);
  });
});

describe("a send job told to wait", () => {
  const payload = { tenantId: "t", leadId: "l", attempts: {} };
  const time = { now: () => at(0), realInstant: (d: Date) => new Date(d.getTime() - 5_000) };

  it("keeps the job (and its phone) and runs the send again at the lease's end, on the database's clock", async () => {
    const enqueued: unknown[] = [];
    const slept: Date[] = [];
    const answers = [waitForLease(at(180_000)), waitForLease(at(181_000)), { kind: "SENT" as const }];
    const result = await runSendJob(
      { send: async (...args: unknown[]) => (enqueued.push(args), null) },
      { queue: "wa.send.t", jobId: "j", payload, singletonKey: () => "phone", time, log: { channel: "WHATSAPP" }, sleepUntil: async (d) => void slept.push(d) },
      async () => answers.shift()!,
    );
    expect(result).toEqual({ kind: "SENT" });
    expect(slept).toEqual([at(175_000), at(176_000)]);
    expect(enqueued).toEqual([]);
  });

  it("gives the phone back after three waits: the send comes back as a new job at the lease's end", async () => {
    const enqueued: unknown[][] = [];
    const slept: Date[] = [];
    const result = await runSendJob(
      { send: async (...args: unknown[]) => (enqueued.push(args), null) },
      { queue: "wa.send.t", jobId: "j", payload, singletonKey: () => "phone", time, log: { channel: "WHATSAPP" }, sleepUntil: async (d) => void slept.push(d) },
      async () => waitForLease(at(180_000)),
    );
    expect(slept).toHaveLength(3);
    expect(result).toMatchObject({ kind: "RESCHEDULE", code: "SEND_IN_FLIGHT", startAfter: at(180_000), payload });
    expect(enqueued).toEqual([["wa.send.t", payload, { singletonKey: "phone", startAfter: at(175_000) }]]);
  });
});

describe("an answer to a reply has the same lease", () => {
  /** A lead with an answer let out (QUEUED) on its phone, and an attempt of its send held at `points`. */
  async function queuedAnswer() {
    const w = await createWorld(env, { phones: 1, leads: 1 });
    const clock = manualClock(WEDNESDAY_10_00);
    const lead = w.leads[0]!;
    const body = `Bună ziua, revenim cu detalii ${randomUUID().slice(0, 8)}.`;
    const answerId = (
      await env.admin.query<{ id: string }>(
        `INSERT INTO reply_answers (tenant_id, journey_id, lead_id, idempotency_key, channel, body, source, status, mode, phone_id, released_at)
         VALUES ($1, $2, $3, $4, 'WHATSAPP', $5, 'PERSON', 'QUEUED', 'MANUAL', $6, $7) RETURNING id`,
        [w.tenantId, lead.journeyId, lead.leadId, `person:${randomUUID()}`, body, w.phoneIds[0], WEDNESDAY_10_00],
      )
    ).rows[0]!.id;
    const p = waAnswerPayload.parse({ kind: "answer", tenantId: w.tenantId, journeyId: lead.journeyId, leadId: lead.leadId, phoneId: w.phoneIds[0], answerId });
    const deps = (timelinesai: WaAnswerDeps["timelinesai"] = env.timelinesai) => ({ guardian: guardianFor(env, clock), timelinesai, clock });
    const sent = async () => (await simulatorMessages(env)).filter((m) => m.text === body);
    const attempt = (points: HoldPoint[]) => {
      const held = holding(env, points);
      return { ...held, running: processWaAnswer(deps(held.port), p, { jobId: "answer-job-1" }) };
    };
    return { clock, p, deps, sent, attempt, answerId };
  }

  it("a retry while the first attempt is calling TimelinesAI waits for its lease: one message, the answer SENT once", async () => {
    const { clock, p, deps, sent, attempt, answerId } = await queuedAnswer();
    const first = attempt(["afterLeaseCheck"]);
    const running = first.running;
    await first.reached("afterLeaseCheck");

    expect(await processWaAnswer(deps(), p, { jobId: "answer-job-1" })).toEqual(waitForLease(at(SEND_LEASE.leaseMs + SEND_LEASE.skewMs)));

    first.release("afterLeaseCheck");
    expect(await running).toMatchObject({ kind: "SENT" });
    clock.set(at(SEND_LEASE.leaseMs + SEND_LEASE.skewMs));
    expect(await processWaAnswer(deps(), p, { jobId: "answer-job-1" })).toMatchObject({ kind: "ALREADY_SENT" });
    expect(await sent()).toHaveLength(1);
    const answer = await env.admin.query(`SELECT status, sent_message_id FROM reply_answers WHERE id = $1`, [answerId]);
    expect(answer.rows).toMatchObject([{ status: "SENT" }]);
  });

  it("an attempt stalled past its lease sends nothing; the attempt that took over sends once", async () => {
    const { clock, p, deps, sent, attempt } = await queuedAnswer();
    const first = attempt(["beforeLeaseCheck"]);
    const running = first.running;
    await first.reached("beforeLeaseCheck");

    clock.set(at(SEND_LEASE.leaseMs + SEND_LEASE.skewMs + 1_000));
    expect(await processWaAnswer(deps(), p, { jobId: "answer-job-1" })).toMatchObject({ kind: "SENT" });

    first.release("beforeLeaseCheck");
    expect(await running).toMatchObject({ kind: "DONE", code: "SEND_SUPERSEDED" });
    expect(await sent()).toHaveLength(1);
  });
});
