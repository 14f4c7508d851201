/**
 * The monitors' integration world: a migrated database of its own, pg-boss on it with every queue,
 * the quota store on a Redis logical database of its own, the provider simulators over HTTP (manual
 * clock), real provider clients pointed at them, a Slack-compatible receiver, two tenants with users,
 * and the monitors' dependencies wired to all of that with a manual clock.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import type { JobContext, JobDefinition } from "../../jobs/definition";
import { InstantlyClient } from "../../server/providers/instantly/client.server";
import { ResendClient } from "../../server/providers/resend/client.server";
import { TimelinesAiClient } from "../../server/providers/timelinesai/client.server";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { createQuotaGuardian } from "../../server/quota/guardian.server";
import { QuotaStore } from "../../server/quota/store.server";
import { DEFAULT_ACCOUNTS } from "../../server/sandbox/launcher";
import { createTestDatabase, useDatabase as pointAppAt, type TestDatabase } from "../support/db";
import { insertPhone } from "../support/factories";
import { createTenantFixture, type TenantFixture } from "../support/fixtures";
import { FAST_RETRY, startReceiver, startTestSimulators } from "../providers/support";
import { deleteOwnKeys, sharedRedisUrl } from "../quota/support/index";

export { DEFAULT_ACCOUNTS };

export interface ManualClock {
  (): Date;
  set(at: Date | string): void;
  advance(ms: number): void;
}

export function manualClock(start: string): ManualClock {
  let now = new Date(start).getTime();
  const clock = (() => new Date(now)) as ManualClock;
  clock.set = (at) => void (now = new Date(at).getTime());
  clock.advance = (ms) => void (now += ms);
  return clock;
}

export interface MonitorWorld {
  db: TestDatabase;
  boss: PgBoss;
  admin: pg.Client;
  redis: Redis;
  store: QuotaStore;
  sims: Awaited<ReturnType<typeof startTestSimulators>>;
  slack: Awaited<ReturnType<typeof startReceiver>>;
  timelinesai: TimelinesAiClient;
  instantly: InstantlyClient;
  resend: ResendClient;
  clock: ManualClock;
  a: TenantFixture;
  b: TenantFixture;
  phones: string[];
  /** Runs a job definition's handler as pg-boss would, with this world's pg-boss. */
  run<T extends JobDefinition>(job: T, data?: object): Promise<unknown>;
  addPhone(tenantId: string, account: string, o?: { limit?: number; status?: string }): Promise<string>;
  close(): Promise<void>;
}

/** Monday 2 March 2026, 10:00 Bucharest (the simulators' manual clock starts at the same instant). */
export const MONDAY_10_00 = "2026-03-02T08:00:00.000Z";

export async function startMonitorWorld(prefix: string, redisDb = 10): Promise<MonitorWorld> {
  const db = await createTestDatabase(prefix);
  await pointAppAt(db);
  const { startBoss } = await import("../../jobs/boss.server");
  const { ensureQueues } = await import("../../jobs/runtime");
  const { queueRegistry } = await import("../../jobs/registry");
  const { configureMonitoringDeps, alertEmailSender, instantlyCampaignProvider, timelinesAccountSource } = await import("../../jobs/monitoring/deps");
  const boss = await startBoss();
  await ensureQueues(boss, queueRegistry);
  const admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  const redis = new Redis(await sharedRedisUrl(redisDb));
  const store = new QuotaStore(redis);
  const sims = await startTestSimulators({ seed: 12, scenario: { replies: { probability: 0 } } });
  const slack = await startReceiver();
  const clock = manualClock(MONDAY_10_00);
  const timelinesai = new TimelinesAiClient({ baseUrl: sims.urls.timelinesai, token: SANDBOX_CREDENTIALS.timelinesaiToken, pacer: { acquire: async () => 0 }, timeoutMs: 1_500, retryPolicy: FAST_RETRY });
  const instantly = new InstantlyClient({ baseUrl: sims.urls.instantly, apiKey: SANDBOX_CREDENTIALS.instantlyApiKey, retryPolicy: FAST_RETRY, timeoutMs: 2_000 });
  const resend = new ResendClient({ baseUrl: sims.urls.resend, apiKey: SANDBOX_CREDENTIALS.resendApiKey, from: "Cerniq <alerte@sandbox.cerniq.local>", retryPolicy: FAST_RETRY });
  const suffix = randomUUID().slice(0, 6);
  const a = await createTenantFixture(db.adminUrl, `mon-a-${suffix}`);
  const b = await createTenantFixture(db.adminUrl, `mon-b-${suffix}`);
  configureMonitoringDeps({
    clock,
    tenants: async () => [a.tenantId, b.tenantId],
    accounts: timelinesAccountSource(timelinesai),
    instantly: instantlyCampaignProvider(instantly),
    store,
    guardian: createQuotaGuardian({ store, clock, logDecisions: false }),
    notify: { minSeverity: "MEDIUM", slack: (await import("../../server/alerts/notify.server")).slackWebhook(`${slack.origin}/hooks/alerts`), email: alertEmailSender(resend) },
    followUpResyncSeconds: 1,
  });
  const phones: string[] = [];

  const world: MonitorWorld = {
    db, boss, admin, redis, store, sims, slack, timelinesai, instantly, resend, clock, a, b, phones,
    async run(job, data = {}) {
      const context: JobContext = { jobId: randomUUID(), retryCount: 0, boss, signal: new AbortController().signal };
      return job.handler(job.payload.parse(data), context);
    },
    async addPhone(tenantId, account, o = {}) {
      const id = await insertPhone(admin, tenantId, { label: `Vânzări ${account.slice(-3)}`, phoneNumber: account, dailyQuotaLimit: o.limit ?? 200, status: o.status ?? "ACTIVE" });
      await store.writeMirrors([{ phoneId: id, status: (o.status ?? "ACTIVE") as "ACTIVE", enabled: true, limit: o.limit ?? 200 }]);
      phones.push(id);
      return id;
    },
    async close() {
      const { stopBoss } = await import("../../jobs/boss.server");
      const { disconnectPrisma } = await import("../../server/db/client.server");
      configureMonitoringDeps({});
      await deleteOwnKeys(redis, [a.tenantId, b.tenantId], phones);
      await redis.quit();
      await sims.close();
      await slack.close();
      await admin.end();
      await stopBoss();
      await disconnectPrisma();
      await db.drop();
    },
  };
  return world;
}

export async function openAlerts(w: MonitorWorld, tenantId: string, type?: string) {
  const { rows } = await w.admin.query<{ id: string; type: string; dedupe_key: string; occurrences: number; severity: string; title: string; message: string; resolved_at: Date | null }>(
    `SELECT id, type, dedupe_key, occurrences, severity, title, message, resolved_at FROM alerts WHERE tenant_id = $1 AND resolved_at IS NULL ${type ? "AND type = $2" : ""} ORDER BY created_at`,
    type ? [tenantId, type] : [tenantId],
  );
  return rows;
}

export async function allAlerts(w: MonitorWorld, tenantId: string, type: string) {
  const { rows } = await w.admin.query<{ id: string; occurrences: number; resolved_at: Date | null; resolution_note: string | null }>(
    `SELECT id, occurrences, resolved_at, resolution_note FROM alerts WHERE tenant_id = $1 AND type = $2 ORDER BY created_at`,
    [tenantId, type],
  );
  return rows;
}
