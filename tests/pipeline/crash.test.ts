/**
 * kill -9 drill (issue 5 tests): three worker processes drain the send queue of one dispatch while
 * one of them is killed with SIGKILL at a random moment, 20 times, and restarted each time. After:
 * 0 duplicate messages at the simulator, the simulator's log equal to our SENT rows, and every lead
 * either contacted exactly once or not contacted and still on its way (COLD, with a next action).
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { dispatchJob, unblockFailedSends } from "../../jobs/pipeline/dispatch";
import { waSendJob } from "../../jobs/pipeline/wa-send";
import { runDispatch } from "../../server/pipeline/dispatch/dispatch.server";
import { waSendQueue } from "../../jobs/queues";
import { ensureTenantSendQueues } from "../../jobs/pipeline/wa-send-queue";
import { sharedRedisUrl } from "../quota/support/index";
import { createWorld, guardianFor, simulatorMessages, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv } from "./support";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";

let env: PipelineEnv;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  env = await startPipelineEnv("plc", [dispatchJob, waSendJob] as JobDefinition[]);
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await env?.close();
});

it("frees the phone of a worker that died mid-send after a missed heartbeat, not the 15-minute expiry", { timeout: 120_000 }, async () => {
  // What ensureQueues made of the registry entry for a tenant's send queue.
  const tenantId = randomUUID();
  await ensureTenantSendQueues(env.boss, [tenantId]);
  const tenantQueue = waSendQueue(tenantId);
  const queue = await env.boss.getQueue(tenantQueue);
  expect(queue).toMatchObject({ policy: "key_strict_fifo", heartbeatSeconds: 30, expireInSeconds: 900 });
  // pg-boss's minimum heartbeat keeps the test short; a supervisor that looks every second.
  await env.boss.updateQueue(tenantQueue, { heartbeatSeconds: 10, retryDelay: 0, retryBackoff: false });
  const supervisor = new PgBoss({ connectionString: process.env.DATABASE_URL!, schema: process.env.PGBOSS_SCHEMA ?? "pgboss", createSchema: false, superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 });
  supervisor.on("error", () => {});
  await supervisor.start();
  try {
    const phoneId = randomUUID();
    const id = await env.boss.send(tenantQueue, { phoneId }, { singletonKey: phoneId });
    // Claimed as a worker claims it; then the "process" is gone: no heartbeat, no completion.
    const [claimed] = await env.boss.fetch(tenantQueue);
    expect(claimed?.id).toBe(id);
    const started = Date.now();
    let state = "active";
    while (state === "active" && Date.now() - started < 40_000) {
      await new Promise((r) => setTimeout(r, 250));
      state = (await env.boss.getJobById(tenantQueue, id!))!.state;
    }
    expect(state).toBe("retry");
    expect(Date.now() - started).toBeLessThan(25_000);
  } finally {
    await supervisor.stop({ graceful: false });
  }
});

// Two tenants, so two send queues (ADR 0014) drained side by side by the same worker processes.
it("loses and duplicates nothing when workers are killed with SIGKILL 20 times mid-sending, two tenants' queues at once", { timeout: 180_000 }, async () => {
  const worlds = [await createWorld(env, { phones: 2, leads: 20, jitter: [1, 1] }), await createWorld(env, { phones: 2, leads: 20, jitter: [1, 1] })];
  const offset = WEDNESDAY_10_00.getTime() - Date.now();
  const clock = () => new Date(Date.now() + offset);
  for (const w of worlds) {
    // Short expiry and retry delay so killed jobs come back within the test (production: 900 s / 30 s),
    // longer than the workers' send lease (worker-child.ts): a job retried while its first attempt is
    // alive waits for that attempt's lease instead of sending (tests/pipeline/send-lease.test.ts).
    await env.boss.updateQueue(waSendQueue(w.tenantId), { expireInSeconds: 10, retryDelay: 1, retryBackoff: false, retryLimit: 3 });
    const result = await runDispatch({ guardian: guardianFor(env, clock), boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock }, { tenantId: w.tenantId });
    expect(result).toMatchObject({ status: "DONE", summary: { dispatchedToWhatsApp: 20 } });
  }

  const childEnv = {
    ...process.env,
    DATABASE_URL: env.db.appUrl,
    QUOTA_REDIS_URL: await sharedRedisUrl(13),
    TIMELINESAI_URL: env.sims.urls.timelinesai,
    CLOCK_OFFSET_MS: String(offset),
    LOG_LEVEL: "silent",
  };
  const start = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const child = fork(path.join(import.meta.dirname, "worker-child.ts"), { execArgv: ["--import", "tsx"], env: childEnv, stdio: ["ignore", "ignore", "inherit", "ipc"] });
      children.add(child);
      child.once("exit", () => children.delete(child));
      child.once("message", () => resolve(child));
      child.once("error", reject);
    });
  const workers = await Promise.all([start(), start(), start()]);

  let kills = 0;
  while (kills < 20) {
    await new Promise((r) => setTimeout(r, 300 + Math.floor(Math.random() * 900)));
    const i = Math.floor(Math.random() * workers.length);
    workers[i]!.kill("SIGKILL");
    kills += 1;
    workers[i] = await start();
  }

  const deadline = Date.now() + 90_000;
  for (;;) {
    let pending = 0;
    for (const w of worlds) {
      await unblockFailedSends(env.boss, w.tenantId);
      const jobs = (await Promise.all(w.phoneIds.map((id) => env.boss.findJobs(waSendQueue(w.tenantId), { key: id })))).flat();
      pending += jobs.filter((j) => ["created", "retry", "active"].includes(j.state)).length;
    }
    if (pending === 0 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  for (const c of workers) c.kill("SIGKILL");

  const all = await simulatorMessages(env);
  let sentTotal = 0;
  for (const w of worlds) {
    const sim = all.filter((m) => w.phoneNumbers.includes(m.from));
    const perLead = new Map<string, number>();
    for (const m of sim) perLead.set(m.to, (perLead.get(m.to) ?? 0) + 1);
    expect([...perLead.values()].filter((n) => n > 1)).toEqual([]);

    const sent = await env.admin.query(`SELECT journey_id, external_message_id FROM gold_communication_log WHERE tenant_id = $1 AND status = 'SENT'`, [w.tenantId]);
    expect(sent.rows.map((r) => r.external_message_id).sort()).toEqual(sim.map((m) => m.id).sort());

    const journeys = await env.admin.query(`SELECT id, current_state, next_action_at FROM gold_lead_journey WHERE tenant_id = $1`, [w.tenantId]);
    const sentJourneys = new Set(sent.rows.map((r) => r.journey_id));
    for (const j of journeys.rows) {
      if (sentJourneys.has(j.id)) expect(j.current_state).toBe("CONTACTED_WA");
      else expect({ state: j.current_state, scheduled: j.next_action_at !== null }).toEqual({ state: "COLD", scheduled: true });
    }
    sentTotal += sent.rows.length;
  }
  // The drill is meant to disturb, not to stop the work: most leads get their message.
  expect(sentTotal).toBeGreaterThanOrEqual(30);
});
