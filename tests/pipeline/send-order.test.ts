/**
 * Follow-ups first on a phone, against real pg-boss 12 and real workers.
 *
 * First what pg-boss itself does on a key_strict_fifo queue (so an upgrade that changes it fails
 * here): `priority` orders the heads of different keys, never the jobs of one key, and the jobs of one
 * insert tie on created_on. Then the pipeline: an initial message and a follow-up both waiting on one
 * phone — the initial one queued first — and the follow-up is sent first, also while the phone's
 * spacing defers both.
 */
import { PgBoss } from "pg-boss";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { configurePipelineDeps } from "../../jobs/pipeline/deps";
import { dispatchJob } from "../../jobs/pipeline/dispatch";
import { waSendJob } from "../../jobs/pipeline/wa-send";
import { startWorkers } from "../../jobs/runtime";
import { getEnv } from "../../server/config/env.server";
import { runDispatch } from "../../server/pipeline/dispatch/dispatch.server";
import { waSendQueue, waSendPayload } from "../../jobs/queues";
import { processWaSend } from "../../server/pipeline/send/whatsapp-send.server";
import { insertEnrollment } from "../support/factories";
import { createWorld, guardianFor, sendDeps, simulatorMessages, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv, type World } from "./support";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";

let env: PipelineEnv;
let worker: PgBoss | null = null;

beforeAll(async () => {
  env = await startPipelineEnv("plso", [dispatchJob, waSendJob] as JobDefinition[]);
});
afterEach(async () => {
  await worker?.stop({ graceful: false, timeout: 2_000 }).catch(() => {});
  worker = null;
  configurePipelineDeps({});
});
afterAll(async () => {
  await env?.close();
});

describe("pg-boss 12, key_strict_fifo", () => {
  it("orders different keys by priority but runs one key's jobs oldest first, whatever their priority", async () => {
    const queue = "test.key-fifo-priority";
    await env.boss.createQueue(queue, { policy: "key_strict_fifo" });
    const older = await env.boss.send(queue, { n: "older, priority 0" }, { singletonKey: "phone-1", priority: 0 });
    const urgent = await env.boss.send(queue, { n: "newer, priority 10" }, { singletonKey: "phone-1", priority: 10 });
    const otherPhone = await env.boss.send(queue, { n: "other key, priority 5" }, { singletonKey: "phone-2", priority: 5 });

    const take = async () => (await env.boss.fetch(queue, { batchSize: 1 })).map((j) => j.id);
    // Across keys priority counts: phone-2's job (5) goes before phone-1's head (0), though newer.
    expect(await take()).toEqual([otherPhone]);
    // Within phone-1 it does not: the older priority-0 job is the head, the priority-10 one waits.
    expect(await take()).toEqual([older]);
    expect(await take()).toEqual([]);
    await env.boss.complete(queue, older!);
    expect(await take()).toEqual([urgent]);
  });

  it("stamps every job of one insert with the same created_on, so insertion order is not run order", async () => {
    const queue = "test.key-fifo-ties";
    await env.boss.createQueue(queue, { policy: "key_strict_fifo" });
    await env.boss.insert(queue, [1, 2, 3].map((n) => ({ data: { n }, singletonKey: "phone-1" })));
    const jobs = await env.boss.findJobs(queue, { key: "phone-1" });
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs.map((j) => j.createdOn.getTime())).size).toBe(1);
  });
});

/**
 * One phone; lead A a new contact, lead B contacted yesterday with step 2 due. A's send is queued by
 * a dispatch run before B's follow-up is queued by the next one, so A is the older job on the phone.
 */
async function initialThenFollowUp(clock: () => Date): Promise<{ w: World; initial: World["leads"][number]; followUp: World["leads"][number] }> {
  const w = await createWorld(env, { phones: 1, leads: 2, jitter: [1, 2] });
  const [initial, followUp] = w.leads as [World["leads"][number], World["leads"][number]];
  const yesterday = new Date(clock().getTime() - 86_400_000);
  await env.admin.query(`UPDATE gold_lead_journey SET current_state = 'CONTACTED_WA', is_new_contact = false, assigned_phone_id = $2, next_action_at = $3 WHERE id = $1`, [
    followUp.journeyId,
    w.phoneIds[0],
    new Date(clock().getTime() + 3600_000),
  ]);
  await insertEnrollment(env.admin, { tenantId: w.tenantId, journeyId: followUp.journeyId, leadId: followUp.leadId, sequenceId: w.sequenceId, currentStep: 1, enrolledAt: yesterday, lastStepAt: yesterday });
  const deps = { guardian: guardianFor(env, clock), boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock };
  expect(await runDispatch(deps, { tenantId: w.tenantId, slot: WEDNESDAY_10_00 })).toMatchObject({ summary: { dispatchedToWhatsApp: 1 } });
  await env.admin.query(`UPDATE gold_lead_journey SET next_action_at = $2 WHERE id = $1`, [followUp.journeyId, new Date(clock().getTime() - 1000)]);
  expect(await runDispatch(deps, { tenantId: w.tenantId, slot: new Date(WEDNESDAY_10_00.getTime() + 5 * 60_000) })).toMatchObject({ summary: { dispatchedToWhatsApp: 1 } });

  const queued = (await env.boss.findJobs(waSendQueue(w.tenantId), { key: w.phoneIds[0]!, queued: true })).map((j) => ({ createdOn: j.createdOn, data: waSendPayload.parse(j.data) }));
  expect(queued.map((j) => [j.data.journeyId, j.data.followUp])).toEqual(
    expect.arrayContaining([
      [initial.journeyId, false],
      [followUp.journeyId, true],
    ]),
  );
  const created = (journeyId: string) => queued.find((j) => j.data.journeyId === journeyId)!.createdOn.getTime();
  // Without anything else, pg-boss would run the initial message first.
  expect(created(initial.journeyId)).toBeLessThan(created(followUp.journeyId));
  return { w, initial, followUp };
}

async function startWorker(clock: () => Date): Promise<void> {
  configurePipelineDeps({ guardian: guardianFor(env, clock), timelinesai: env.timelinesai, clock });
  worker = new PgBoss({ connectionString: env.db.appUrl, schema: getEnv().PGBOSS_SCHEMA, createSchema: false, max: 4 });
  worker.on("error", () => {});
  await worker.start();
  await startWorkers(worker, [waSendJob] as JobDefinition[]);
}

async function waitForSends(w: World, n: number): Promise<void> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const { rows } = await env.admin.query(`SELECT count(*)::int AS n FROM gold_communication_log WHERE tenant_id = $1 AND status = 'SENT'`, [w.tenantId]);
    if (rows[0].n >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${rows[0].n} of ${n} sends after 45 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Recipients of the phone's messages, in the order the simulator accepted them. */
async function recipients(w: World): Promise<string[]> {
  return (await simulatorMessages(env)).filter((m) => m.from === w.phoneNumbers[0]).map((m) => m.to);
}

describe("wa.send: follow-ups first", () => {
  it("sends the follow-up before the initial message queued earlier on the same phone", { timeout: 120_000 }, async () => {
    // Real time shifted into Wednesday 10:00 Bucharest: pg-boss waits in real seconds.
    const offset = WEDNESDAY_10_00.getTime() - Date.now();
    const clock = () => new Date(Date.now() + offset);
    const { w, initial, followUp } = await initialThenFollowUp(clock);
    await startWorker(clock);
    await waitForSends(w, 2);

    expect(await recipients(w)).toEqual([followUp.phone, initial.phone]);
    const sent = await env.admin.query(`SELECT journey_id, quota_cost FROM gold_communication_log WHERE tenant_id = $1 ORDER BY sent_at`, [w.tenantId]);
    expect(sent.rows).toEqual([
      { journey_id: followUp.journeyId, quota_cost: 0 },
      { journey_id: initial.journeyId, quota_cost: 1 },
    ]);
    // The initial message gave way by going to the back of the phone's queue: a second job for it.
    const initialJobs = await env.boss.findJobs(waSendQueue(w.tenantId), { key: w.phoneIds[0]!, data: { journeyId: initial.journeyId } });
    expect(initialJobs.length).toBeGreaterThan(1);
  });

  it("gives way before deciding anything: no intent row, no quota, nothing sent", { timeout: 120_000 }, async () => {
    const offset = WEDNESDAY_10_00.getTime() - Date.now();
    const clock = () => new Date(Date.now() + offset);
    const { w, initial, followUp } = await initialThenFollowUp(clock);
    const jobs = await env.boss.findJobs(waSendQueue(w.tenantId), { key: w.phoneIds[0]!, queued: true });
    const payloadOf = (journeyId: string) => waSendPayload.parse(jobs.find((j) => waSendPayload.parse(j.data).journeyId === journeyId)!.data);
    // The send reads "a follow-up waits due on this phone" with its context, for an initial message only.
    expect(await processWaSend(sendDeps(env, clock), payloadOf(initial.journeyId), { jobId: "probe" })).toEqual({ kind: "GIVE_WAY" });
    const logged = await env.admin.query(`SELECT count(*)::int AS n FROM gold_communication_log WHERE tenant_id = $1`, [w.tenantId]);
    expect(logged.rows[0].n).toBe(0);
    expect(await recipients(w)).toEqual([]);
    // The follow-up itself never gives way.
    expect(await processWaSend(sendDeps(env, clock), payloadOf(followUp.journeyId), { jobId: "probe-2" })).toMatchObject({ kind: "SENT" });
  });

  it("does not hold an initial message back for a follow-up deferred to later (a retry back-off)", { timeout: 120_000 }, async () => {
    const offset = WEDNESDAY_10_00.getTime() - Date.now();
    const clock = () => new Date(Date.now() + offset);
    const { w, initial, followUp } = await initialThenFollowUp(clock);
    await env.admin.query(`UPDATE ${getEnv().PGBOSS_SCHEMA}.job SET start_after = now() + interval '1 hour' WHERE name = $1 AND data->>'journeyId' = $2`, [waSendQueue(w.tenantId), followUp.journeyId]);
    await startWorker(clock);
    await waitForSends(w, 1);
    expect(await recipients(w)).toEqual([initial.phone]);
    const initialJobs = await env.boss.findJobs(waSendQueue(w.tenantId), { key: w.phoneIds[0]!, data: { journeyId: initial.journeyId } });
    expect(initialJobs).toHaveLength(1);
  });

  it("keeps the order while the phone's spacing defers both: a deferred follow-up stays a follow-up", { timeout: 120_000 }, async () => {
    const offset = WEDNESDAY_10_00.getTime() - Date.now();
    const clock = () => new Date(Date.now() + offset);
    const { w, initial, followUp } = await initialThenFollowUp(clock);
    // The phone has just sent: every job of it is deferred by 1–2 s first.
    await env.admin.query(`UPDATE wa_phone_numbers SET last_message_sent_at = $2 WHERE id = $1`, [w.phoneIds[0], clock()]);

    const [queuedFollowUp] = await env.boss.findJobs(waSendQueue(w.tenantId), { key: w.phoneIds[0]!, queued: true, data: { journeyId: followUp.journeyId } });
    const deferred = await processWaSend(sendDeps(env, clock), waSendPayload.parse(queuedFollowUp!.data), { jobId: "probe" });
    expect(deferred).toMatchObject({ kind: "RESCHEDULE", code: "DEFERRED_SPACING", payload: { followUp: true, deferrals: 1 } });

    await startWorker(clock);
    await waitForSends(w, 2);
    expect(await recipients(w)).toEqual([followUp.phone, initial.phone]);
  });
});
