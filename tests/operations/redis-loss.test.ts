/**
 * Runbook §6.2 as the issue tried it: FLUSHALL on Redis while workers send. Nobody presses anything:
 * the workers' watcher notices the sentinel is gone, the quota-store monitor raises redis:lost once and
 * rebuilds counters and phone mirrors from the communication log, a second pass follows, sends resume.
 * Afterwards every counter equals the log's new contacts exactly, every mirror equals the phone row,
 * and no lead got a message twice (the simulator's own log agrees with ours).
 */
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { startPrivateRedis, type PrivateRedis } from "../quota/support/index";
import type { PipelineEnv } from "../pipeline/support";

let redis: PrivateRedis;
let env: PipelineEnv;
const workers: PgBoss[] = [];
const stops: Array<() => void> = [];

beforeAll(async () => {
  // Before any quota client exists in this process: every quota path (the send job, the monitors,
  // the resync job) uses the process's store on this private server, which the test may flush.
  redis = await startPrivateRedis();
  process.env.REDIS_URL = redis.url;
  const { startPipelineEnv } = await import("../pipeline/support");
  const { dispatchJob } = await import("../../jobs/pipeline/dispatch");
  const { waSendJob } = await import("../../jobs/pipeline/wa-send");
  const { queueRegistry } = await import("../../jobs/registry");
  env = await startPipelineEnv("redisloss", queueRegistry as JobDefinition[]);
  void dispatchJob;
  void waSendJob;
}, 120_000);

afterAll(async () => {
  for (const stop of stops) stop();
  for (const b of workers) await b.stop({ graceful: false, timeout: 2_000 }).catch(() => {});
  const { configurePipelineDeps } = await import("../../jobs/pipeline/deps");
  const { configureMonitoringDeps } = await import("../../jobs/monitoring/deps");
  configurePipelineDeps({});
  configureMonitoringDeps({});
  const { closeQuotaRedis } = await import("../../server/quota/redis.server");
  await closeQuotaRedis();
  await env?.close();
  await redis?.stop();
});

it("FLUSHALL while workers send: noticed, alerted once, rebuilt exactly from the log, nothing sent twice", { timeout: 240_000 }, async () => {
  const { createWorld, simulatorMessages } = await import("../pipeline/support");
  const { calendarFor } = await import("../../server/quota/window");
  const { DEFAULT_QUOTA_SETTINGS } = await import("../../server/quota/settings");
  const { configurePipelineDeps } = await import("../../jobs/pipeline/deps");
  const { configureMonitoringDeps } = await import("../../jobs/monitoring/deps");
  const { waSendJob } = await import("../../jobs/pipeline/wa-send");
  const { quotaStoreMonitor } = await import("../../jobs/monitoring/monitors");
  const { quotaResyncJob } = await import("../../jobs/quota/resync");
  const { startWorkers } = await import("../../jobs/runtime");
  const { startQuotaStoreWatch } = await import("../../jobs/quota/watch");
  const { runDispatch } = await import("../../server/pipeline/dispatch/dispatch.server");
  const { pgBossTransactionalQueue } = await import("../../jobs/transactional-queue");
  const { getQuotaStore, getQuotaGuardian } = await import("../../server/quota/index.server");
  const { createQuotaGuardian } = await import("../../server/quota/guardian.server");
  const { healQuotaStore, readQuotaStoreState } = await import("../../server/quota/heal.server");
  const { quotaKey } = await import("../../server/quota/keys");
  const { getEnv } = await import("../../server/config/env.server");
  void getQuotaGuardian;

  const store = getQuotaStore();
  env.store = store;
  const LIMIT = 8;
  const w = await createWorld(env, { phones: 4, leads: 40, phoneLimit: LIMIT, jitter: [1, 2] });
  // Real time moved to an hour after a sending day's opening, after today: near the real date, because the
  // database stamps created_at with its own clock. (A day's opening, not "the next open instant": that is
  // now when the window is open, and an hour later may be past its close, whatever hour the suite runs.)
  const calendar = calendarFor(DEFAULT_QUOTA_SETTINGS.window);
  const start = calendar.nextDayOpening(new Date()).getTime() + 3600_000;
  const offset = start - Date.now();
  const clock = () => new Date(Date.now() + offset);
  const usageDate = calendar.localDate(clock());
  const guardian = createQuotaGuardian({ store, clock, logDecisions: false });
  // Deferred sends wait on pg-boss's (real) clock: map the shifted instants back.
  configurePipelineDeps({ guardian, timelinesai: env.timelinesai, time: { now: clock, realInstant: (at) => new Date(at.getTime() - offset) } });
  configureMonitoringDeps({
    clock,
    store,
    guardian,
    tenants: async () => [w.tenantId],
    accounts: { list: async () => [] },
    instantly: { analytics: async () => [], pause: async () => {} },
    notify: { minSeverity: "CRITICAL" },
    followUpResyncSeconds: 1,
  });
  // As a worker's start-up resync leaves it: Redis holds what the log says, and says so.
  await healQuotaStore({ store, clock }, [w.tenantId], { type: "SYSTEM", name: "test" }, "startup");

  const jobs = [waSendJob, quotaStoreMonitor, quotaResyncJob] as JobDefinition[];
  for (let i = 0; i < 2; i++) {
    const boss = new PgBoss({ connectionString: env.db.appUrl, schema: getEnv().PGBOSS_SCHEMA, createSchema: false, max: 5 });
    boss.on("error", () => {});
    await boss.start();
    await startWorkers(boss, jobs);
    stops.push(startQuotaStoreWatch(boss, store.redis, 200));
    workers.push(boss);
  }

  // Each call a run of its own 5-minute slot (a slot runs once: dispatch_runs' deterministic id).
  let slots = 0;
  const dispatch = () => runDispatch({ guardian, boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock }, { tenantId: w.tenantId, slot: new Date(clock().getTime() + slots++ * 5 * 60_000) });
  const sent = async () => (await env.admin.query(`SELECT count(*)::int AS n FROM gold_communication_log WHERE tenant_id = $1 AND status = 'SENT'`, [w.tenantId])).rows[0].n as number;
  const waitUntil = async (what: string, check: () => Promise<boolean>, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) {
        const left = await env.admin.query(`SELECT name, state, start_after, singleton_key, retry_count, output FROM pgboss.job WHERE (name LIKE 'wa.send.%' OR name IN ('monitor.quota.store', 'quota.resync')) AND state < 'completed'`);
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(left.rows)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const queueEmpty = async () =>
    (await env.admin.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE (name LIKE 'wa.send.%' OR name IN ('monitor.quota.store', 'quota.resync')) AND state < 'completed'`)).rows[0].n === 0;

  expect(await dispatch()).toMatchObject({ status: "DONE", summary: { dispatchedToWhatsApp: 32 } });
  await waitUntil("a few sends before the loss", async () => (await sent()) >= 6);

  await store.redis.flushall();
  const lostAt = Date.now();
  expect((await readQuotaStoreState(store.redis)).state).toBe("LOST");

  await waitUntil("the rebuild", async () => (await readQuotaStoreState(store.redis)).state === "OK", 60_000);
  // Noticed by the watcher within seconds, not at the next minute's tick.
  expect(Date.now() - lostAt).toBeLessThan(45_000);

  // Sends refused while Redis was empty released their new leads; the next dispatch hands them out.
  await waitUntil("the first wave", queueEmpty);
  expect(await dispatch()).toMatchObject({ status: "DONE" });
  await waitUntil("the second wave", queueEmpty);

  const alerts = await env.admin.query(`SELECT type, occurrences, message FROM alerts WHERE tenant_id = $1 AND type = 'redis:lost'`, [w.tenantId]);
  expect(alerts.rows).toHaveLength(1);
  expect(alerts.rows[0]).toMatchObject({ occurrences: 1, message: expect.stringContaining("reconstruite automat din jurnal") });

  // Counters exactly the log's new contacts of the day, mirrors exactly the phone rows.
  const log = await env.admin.query<{ phone_id: string; n: number }>(
    `SELECT phone_id, sum(quota_cost)::int AS n FROM gold_communication_log WHERE tenant_id = $1 AND channel = 'WHATSAPP' GROUP BY phone_id`,
    [w.tenantId],
  );
  const fromLog = new Map(log.rows.map((r) => [r.phone_id, r.n]));
  for (const phoneId of w.phoneIds) {
    const counter = Number((await store.redis.get(quotaKey(w.tenantId, phoneId, usageDate))) ?? 0);
    expect(counter, phoneId).toBe(fromLog.get(phoneId) ?? 0);
    expect(counter).toBeLessThanOrEqual(LIMIT);
    expect(await store.readMirror(phoneId)).toEqual({ phoneId, status: "ACTIVE", enabled: true, limit: LIMIT });
  }
  // Every phone used its whole day in the end: the loss cost time, not contacts.
  expect([...fromLog.values()].reduce((a, b) => a + b, 0)).toBe(4 * LIMIT);

  // Nothing sent twice: one SENT row per lead, and the simulator saw exactly what we logged.
  const rows = await env.admin.query<{ journey_id: string; external_message_id: string }>(
    `SELECT journey_id, external_message_id FROM gold_communication_log WHERE tenant_id = $1 AND status = 'SENT'`,
    [w.tenantId],
  );
  expect(new Set(rows.rows.map((r) => r.journey_id)).size).toBe(rows.rows.length);
  const sim = (await simulatorMessages(env)).filter((m) => w.phoneNumbers.includes(m.from));
  expect(sim.map((m) => m.id).sort()).toEqual(rows.rows.map((r) => r.external_message_id).sort());
  expect(new Set(sim.map((m) => m.to)).size).toBe(sim.length);

  // The rebuild and its second pass are on record.
  const audit = await env.admin.query(`SELECT after->>'actor' AS actor FROM audit_log WHERE tenant_id = $1 AND action = 'quota.resync' ORDER BY created_at`, [w.tenantId]);
  expect(audit.rows.map((r) => r.actor)).toEqual(expect.arrayContaining(["monitor.quota.store", "quota.resync (follow-up)"]));
});
