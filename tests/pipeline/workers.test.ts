/**
 * Real pg-boss workers in three PgBoss instances (as three worker processes would run them) draining
 * the send queue of one dispatch: never two sends in flight on one phone, consecutive sends on a phone
 * spaced by the tenant's jitter (1–2 s here, on the injected clock), the quota never exceeded, every
 * lead contacted at most once, and the simulator's log agreeing with ours.
 */
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { configurePipelineDeps } from "../../jobs/pipeline/deps";
import { dispatchJob } from "../../jobs/pipeline/dispatch";
import { waSendJob } from "../../jobs/pipeline/wa-send";
import { startWorkers } from "../../jobs/runtime";
import { getEnv } from "../../server/config/env.server";
import { runDispatch } from "../../server/pipeline/dispatch/dispatch.server";
import type { TimelinesPort } from "../../server/pipeline/send/whatsapp-send.server";
import { DEFAULT_QUOTA_SETTINGS } from "../../server/quota/settings";
import { createWorld, guardianFor, simulatorMessages, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv } from "./support";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";

let env: PipelineEnv;
const workers: PgBoss[] = [];

beforeAll(async () => {
  env = await startPipelineEnv("plk", [dispatchJob, waSendJob] as JobDefinition[]);
});
afterAll(async () => {
  for (const b of workers) await b.stop({ graceful: false, timeout: 2_000 }).catch(() => {});
  configurePipelineDeps({});
  await env?.close();
});

it("serialises sends per phone across three worker instances and never exceeds the quota", { timeout: 120_000 }, async () => {
  const LIMIT = 4;
  const w = await createWorld(env, { phones: 4, leads: 20, phoneLimit: LIMIT, jitter: [1, 2] });
  // Real time, shifted into Wednesday 10:00 Bucharest: pg-boss waits in real seconds.
  const offset = WEDNESDAY_10_00.getTime() - Date.now();
  const clock = () => new Date(Date.now() + offset);
  const guardian = guardianFor(env, clock);

  const inflight = new Map<string, number>();
  let maxInflight = 0;
  const sendTimes = new Map<string, number[]>();
  const timelinesai: TimelinesPort = {
    listChats: (f) => env.timelinesai.listChats(f),
    listChatMessages: (id, f) => env.timelinesai.listChatMessages(id, f),
    async sendToPhone(input) {
      const n = (inflight.get(input.accountPhone) ?? 0) + 1;
      inflight.set(input.accountPhone, n);
      maxInflight = Math.max(maxInflight, n);
      sendTimes.set(input.accountPhone, [...(sendTimes.get(input.accountPhone) ?? []), clock().getTime()]);
      try {
        // Long enough that a second concurrent send on the phone would overlap.
        await new Promise((r) => setTimeout(r, 150));
        return await env.timelinesai.sendToPhone(input);
      } finally {
        inflight.set(input.accountPhone, (inflight.get(input.accountPhone) ?? 1) - 1);
      }
    },
  };
  configurePipelineDeps({ guardian, timelinesai, clock });

  const result = await runDispatch({ guardian, boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock }, { tenantId: w.tenantId });
  expect(result).toMatchObject({ status: "DONE", summary: { dispatchedToWhatsApp: 16, outcomes: { SKIPPED_QUOTA_EXCEEDED: 4 } } });
  // Another process used 2 of phone 0's units after dispatch: two of its four sends must be refused.
  await env.store.setUsage({ tenantId: w.tenantId, phoneId: w.phoneIds[0]!, usageDate: "2026-06-10" }, 2, "set");

  for (let i = 0; i < 3; i++) {
    const boss = new PgBoss({ connectionString: env.db.appUrl, schema: getEnv().PGBOSS_SCHEMA, createSchema: false, max: 5 });
    boss.on("error", () => {});
    await boss.start();
    await startWorkers(boss, [waSendJob] as JobDefinition[]);
    workers.push(boss);
  }

  const deadline = Date.now() + 90_000;
  for (;;) {
    const { rows } = await env.admin.query(
      `SELECT count(*) FILTER (WHERE last_dispatch_outcome->>'stage' = 'send')::int AS done FROM gold_lead_journey WHERE tenant_id = $1 AND last_dispatch_outcome->>'result' <> 'SKIPPED_QUOTA_EXCEEDED'`,
      [w.tenantId],
    );
    if (rows[0].done >= 16 || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }

  expect(maxInflight).toBe(1);
  const log = await env.admin.query(`SELECT journey_id, phone_id, status, quota_cost, external_message_id FROM gold_communication_log WHERE tenant_id = $1 AND status = 'SENT'`, [w.tenantId]);
  expect(log.rows).toHaveLength(14);
  expect(new Set(log.rows.map((r) => r.journey_id)).size).toBe(14);
  const perPhone = new Map<string, number>();
  for (const r of log.rows) perPhone.set(r.phone_id, (perPhone.get(r.phone_id) ?? 0) + r.quota_cost);
  expect(perPhone.get(w.phoneIds[0]!)).toBe(2);
  for (const n of perPhone.values()) expect(n).toBeLessThanOrEqual(LIMIT);
  const usage = await guardian.usage(w.tenantId, w.phoneIds, DEFAULT_QUOTA_SETTINGS);
  expect(usage.map((u) => u.used)).toEqual([LIMIT, LIMIT, LIMIT, LIMIT]);

  // The simulator's own log agrees with ours, message for message.
  const sim = (await simulatorMessages(env)).filter((m) => w.phoneNumbers.includes(m.from));
  expect(sim.map((m) => m.id).sort()).toEqual(log.rows.map((r) => r.external_message_id).sort());
  expect(new Set(sim.map((m) => m.to)).size).toBe(sim.length);

  for (const times of sendTimes.values()) {
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1_000);
  }
  const refused = await env.admin.query(`SELECT count(*)::int AS n FROM gold_lead_journey WHERE tenant_id = $1 AND last_dispatch_outcome->>'result' = 'REFUSED_QUOTA_EXHAUSTED' AND assigned_phone_id IS NULL`, [w.tenantId]);
  expect(refused.rows[0].n).toBe(2);
});

// ADR 0014: a send queue per tenant. The three worker instances above are still running; they find the
// queues of tenants created after they started, and work both tenants' queues side by side.
it("keeps one send in flight per phone and each tenant's quota with two tenants' queues, found by running workers", { timeout: 120_000 }, async () => {
  const LIMIT = 3;
  const worlds = [
    await createWorld(env, { phones: 2, leads: 8, phoneLimit: LIMIT, jitter: [1, 1] }),
    await createWorld(env, { phones: 2, leads: 8, phoneLimit: LIMIT, jitter: [1, 1] }),
  ];
  const offset = WEDNESDAY_10_00.getTime() - Date.now();
  const clock = () => new Date(Date.now() + offset);
  const guardian = guardianFor(env, clock);
  const inflight = new Map<string, number>();
  let maxInflight = 0;
  const timelinesai: TimelinesPort = {
    listChats: (f) => env.timelinesai.listChats(f),
    listChatMessages: (id, f) => env.timelinesai.listChatMessages(id, f),
    async sendToPhone(input) {
      const n = (inflight.get(input.accountPhone) ?? 0) + 1;
      inflight.set(input.accountPhone, n);
      maxInflight = Math.max(maxInflight, n);
      try {
        await new Promise((r) => setTimeout(r, 150));
        return await env.timelinesai.sendToPhone(input);
      } finally {
        inflight.set(input.accountPhone, (inflight.get(input.accountPhone) ?? 1) - 1);
      }
    },
  };
  configurePipelineDeps({ guardian, timelinesai, clock });
  expect(workers).toHaveLength(3);

  for (const w of worlds) {
    const result = await runDispatch({ guardian, boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock }, { tenantId: w.tenantId });
    expect(result).toMatchObject({ status: "DONE", summary: { dispatchedToWhatsApp: 2 * LIMIT } });
  }

  const sentOf = async (tenantId: string) =>
    (await env.admin.query(`SELECT journey_id, phone_id, external_message_id FROM gold_communication_log WHERE tenant_id = $1 AND status = 'SENT'`, [tenantId])).rows as Array<{ journey_id: string; phone_id: string; external_message_id: string }>;
  const deadline = Date.now() + 90_000;
  while ((await sentOf(worlds[0]!.tenantId)).length + (await sentOf(worlds[1]!.tenantId)).length < 4 * LIMIT && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
  }

  expect(maxInflight).toBe(1);
  const sim = await simulatorMessages(env);
  for (const w of worlds) {
    const sent = await sentOf(w.tenantId);
    // Each tenant's queue drained: every send it was given, once each, within each phone's quota.
    expect(sent).toHaveLength(2 * LIMIT);
    expect(new Set(sent.map((r) => r.journey_id)).size).toBe(2 * LIMIT);
    for (const phoneId of w.phoneIds) expect(sent.filter((r) => r.phone_id === phoneId)).toHaveLength(LIMIT);
    const own = sim.filter((m) => w.phoneNumbers.includes(m.from));
    expect(own.map((m) => m.id).sort()).toEqual(sent.map((r) => r.external_message_id).sort());
    expect((await guardian.usage(w.tenantId, w.phoneIds, DEFAULT_QUOTA_SETTINGS)).map((u) => u.used)).toEqual([LIMIT, LIMIT]);
    // The jobs ran on the tenant's own queue.
    const { rows } = await env.admin.query(`SELECT DISTINCT name FROM ${getEnv().PGBOSS_SCHEMA}.job WHERE data->>'tenantId' = $1`, [w.tenantId]);
    expect(rows.map((r) => r.name)).toEqual([`wa.send.${w.tenantId}`]);
  }
});
