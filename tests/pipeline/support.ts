/**
 * The pipeline's integration world: a migrated database per file (app role, row-level security),
 * pg-boss on it, the quota guardian on its own Redis logical database (13), the provider simulators
 * over HTTP on an ephemeral port, and a TimelinesAI client pointed at them. Data is written through
 * the owner connection, sequences and templates through their own domain functions.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import type { JobDefinition } from "../../jobs/definition";
import type { PipelinePorts } from "../../server/pipeline/ports";
import type { TimelinesPort, WaSendDeps } from "../../server/pipeline/send/whatsapp-send.server";
import { TimelinesAiClient } from "../../server/providers/timelinesai/client.server";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { createQuotaGuardian, type QuotaGuardian } from "../../server/quota/guardian.server";
import { QuotaStore } from "../../server/quota/store.server";
import type { Clock } from "../../server/clock";
import { runDispatch } from "../../server/pipeline/dispatch/dispatch.server";
import { waSendPayload, waSendQueue, type WaSendPayload } from "../../jobs/queues";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";
import { DEFAULT_ACCOUNTS, startSimulators, type RunningSimulators } from "../../server/sandbox/launcher";
import { createTestDatabase, useDatabase as pointAppAt, type TestDatabase } from "../support/db";
import { insertLeads, insertPhone, insertTenant } from "../support/factories";
import { deleteOwnKeys, manualClock, sharedRedisUrl } from "../quota/support/index";

export { manualClock };
/** Wednesday 10 June 2026, 10:00 Bucharest: inside the default window. */
export const WEDNESDAY_10_00 = new Date("2026-06-10T07:00:00Z");

export interface PipelineEnv {
  db: TestDatabase;
  boss: PgBoss;
  admin: pg.Client;
  redis: Redis;
  store: QuotaStore;
  sims: RunningSimulators;
  timelinesai: TimelinesAiClient;
  ports: PipelinePorts;
  tenants: string[];
  phones: string[];
  close(): Promise<void>;
}

export async function startPipelineEnv(prefix: string, jobs: JobDefinition[] = []): Promise<PipelineEnv> {
  const db = await createTestDatabase(prefix);
  await pointAppAt(db);
  const { startBoss } = await import("../../jobs/boss.server");
  const { ensureQueues } = await import("../../jobs/runtime");
  const { pipelinePorts } = await import("../../server/pipeline/adapters.server");
  const boss = await startBoss();
  await ensureQueues(boss, jobs);
  const admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  const redis = new Redis(await sharedRedisUrl(13));
  const store = new QuotaStore(redis);
  const sims = await startSimulators({ port: 0, scenario: { replies: { probability: 0 } } });
  const timelinesai = new TimelinesAiClient({
    baseUrl: sims.urls.timelinesai,
    token: SANDBOX_CREDENTIALS.timelinesaiToken,
    pacer: { acquire: async () => Date.now() },
    timeoutMs: 1_500,
    retryPolicy: { backoffBaseMs: 5, backoffMaxMs: 20, rateLimitWaitMs: 10 },
  });
  const env: PipelineEnv = {
    db,
    boss,
    admin,
    redis,
    store,
    sims,
    timelinesai,
    ports: pipelinePorts,
    tenants: [],
    phones: [],
    async close() {
      const { stopBoss } = await import("../../jobs/boss.server");
      const { disconnectPrisma } = await import("../../server/db/client.server");
      const { disconnectRedis } = await import("../../server/redis.server");
      await deleteOwnKeys(redis, env.tenants, env.phones);
      await redis.quit();
      await sims.close();
      await admin.end();
      await stopBoss();
      await disconnectPrisma();
      await disconnectRedis();
      await db.drop();
    },
  };
  return env;
}

export function guardianFor(env: PipelineEnv, clock: Clock): QuotaGuardian {
  return createQuotaGuardian({ store: env.store, clock, logDecisions: false });
}

export function sendDeps(env: PipelineEnv, clock: Clock, extra: Partial<WaSendDeps> = {}): WaSendDeps {
  return { guardian: guardianFor(env, clock), timelinesai: env.timelinesai, ports: env.ports, clock, ...extra };
}

/** Runs the tenant's dispatch at `clock` and takes the wa.send jobs it queued off the queue: their payloads, for the test to run. */
export async function dispatchedWaSends(env: PipelineEnv, w: World, clock: Clock): Promise<WaSendPayload[]> {
  await runDispatch({ guardian: guardianFor(env, clock), boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock }, { tenantId: w.tenantId });
  const all: WaSendPayload[] = [];
  for (const phoneId of w.phoneIds) {
    const jobs = await env.boss.findJobs(waSendQueue(w.tenantId), { key: phoneId, queued: true });
    for (const j of jobs) {
      all.push(waSendPayload.parse(j.data));
      await env.boss.deleteJob(waSendQueue(w.tenantId), j.id);
    }
  }
  return all;
}

export interface World {
  tenantId: string;
  phoneIds: string[];
  phoneNumbers: string[];
  sequenceId: string;
  templateId: string;
  leads: Array<{ leadId: string; journeyId: string; phone: string }>;
}

let leadSeq = 0;
/** The simulator knows 20 accounts and phone numbers are unique: each world takes the next ones. */
let phoneOffset = 0;

/**
 * A tenant with `phones` phones (the simulator's own accounts), a default two-step WhatsApp sequence
 * (step 2 a day later) and `leads` COLD leads with verified numbers, never scheduled (due now).
 */
export async function createWorld(
  env: PipelineEnv,
  o: { phones: number; leads: number; phoneLimit?: number; jitter?: [number, number]; batchSize?: number; email?: boolean },
): Promise<World> {
  const { withTenant } = await import("../../server/db/client.server");
  const { createTemplate } = await import("../../server/templates/templates.server");
  const { createSequence } = await import("../../server/sequences/sequences.server");
  const tenantId = randomUUID();
  env.tenants.push(tenantId);
  const [jMin, jMax] = o.jitter ?? [30, 150];
  await insertTenant(env.admin, { id: tenantId, name: `Agro ${tenantId.slice(0, 6)} SRL`, slug: `pl-${tenantId}`, jitterMinSeconds: jMin, jitterMaxSeconds: jMax, dispatchBatchSize: o.batchSize ?? 100 });
  const phoneIds: string[] = [];
  if (phoneOffset + o.phones > DEFAULT_ACCOUNTS.length) throw new Error("this test file used up the simulator's 20 accounts");
  const phoneNumbers = DEFAULT_ACCOUNTS.slice(phoneOffset, phoneOffset + o.phones);
  phoneOffset += o.phones;
  for (const number of phoneNumbers) {
    phoneIds.push(await insertPhone(env.admin, tenantId, { label: `Vânzări ${number.slice(-3)}`, phoneNumber: number, dailyQuotaLimit: o.phoneLimit ?? 200 }));
  }
  env.phones.push(...phoneIds);
  // What adding a phone does in production (server/phones/lifecycle.server.ts): the tenant's send queue.
  const { ensureTenantSendQueues } = await import("../../jobs/pipeline/wa-send-queue");
  await ensureTenantSendQueues(env.boss, [tenantId]);
  await env.store.writeMirrors(phoneIds.map((phoneId) => ({ phoneId, status: "ACTIVE" as const, enabled: true, limit: o.phoneLimit ?? 200 })));

  const { templateId, sequenceId } = await withTenant(tenantId, async (tx) => {
    if (o.email) {
      // Email only: a cold email, then a warm one a day later.
      const cold = await createTemplate(tx, tenantId, {
        name: "Email rece",
        channel: "EMAIL_COLD",
        subject: "{Ofertă|Propunere} pentru {{companyName}}",
        content: "Bună ziua, {{companyName}}! Vă scriem despre semințe pentru {{judet}}.",
        variables: [{ name: "companyName", required: true }, { name: "judet", required: false, default: "zona dumneavoastră" }],
      });
      const warm = await createTemplate(tx, tenantId, {
        name: "Email cald",
        channel: "EMAIL_WARM",
        subject: "Revenim: {{companyName}}",
        content: "Bună ziua din nou, {{companyName}}!",
        variables: [{ name: "companyName", required: true }],
      });
      const s = await createSequence(tx, tenantId, {
        name: "Email",
        isDefault: true,
        steps: [
          { stepNumber: 1, channel: "EMAIL_COLD", templateId: cold.id, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true },
          { stepNumber: 2, channel: "EMAIL_WARM", templateId: warm.id, delayHours: 24, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true },
        ],
      });
      return { templateId: cold.id, sequenceId: s.id };
    }
    const t = await createTemplate(tx, tenantId, {
      name: "Prim contact",
      channel: "WHATSAPP",
      content: "{Bună ziua|Salut}, {{companyName}}! Avem oferte pentru {{judet}}.",
      variables: [
        { name: "companyName", required: true },
        { name: "judet", required: false, default: "zona dumneavoastră" },
      ],
    });
    const followUp = await createTemplate(tx, tenantId, {
      name: "Revenire",
      channel: "WHATSAPP",
      content: "Revenim cu oferta pentru {{companyName}}. Vă interesează?",
      variables: [{ name: "companyName", required: true }],
    });
    const s = await createSequence(tx, tenantId, {
      name: "Implicită",
      isDefault: true,
      steps: [
        { stepNumber: 1, channel: "WHATSAPP", templateId: t.id, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true },
        { stepNumber: 2, channel: "WHATSAPP", templateId: followUp.id, delayHours: 24, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true },
      ],
    });
    return { templateId: t.id, sequenceId: s.id };
  });

  // Verified WhatsApp numbers (or, for an email world, valid addresses), imported in order a millisecond apart.
  const importedAt = Date.now();
  const phones = Array.from({ length: o.leads }, () => `+4072${String(++leadSeq).padStart(7, "0")}`);
  const rows = await insertLeads(
    env.admin,
    tenantId,
    phones.map((phone, i) => ({
      company: {
        denumire: `Ferma ${i + 1} SRL`,
        telefonPrincipal: phone,
        hlrReachable: !o.email,
        judet: "Iași",
        emailPrincipal: o.email ? `contact${i + 1}@ferma-${tenantId.slice(0, 6)}.ro` : null,
        emailStatus: o.email ? "VALID" : "UNKNOWN",
      },
      journey: { createdAt: new Date(importedAt + i) },
    })),
  );
  const leads = rows.map((r, i) => ({ ...r, phone: phones[i]! }));
  return { tenantId, phoneIds, phoneNumbers: [...phoneNumbers], sequenceId, templateId, leads };
}

/** Messages the simulator accepted (its own log). */
export async function simulatorMessages(env: PipelineEnv): Promise<Array<{ id: string; from: string; to: string; text: string; at: string }>> {
  const res = await fetch(`${env.sims.origin}/__control/messages?provider=timelinesai&direction=outbound`);
  return (await res.json()) as Array<{ id: string; from: string; to: string; text: string; at: string }>;
}

export async function addFault(env: PipelineEnv, rule: object): Promise<void> {
  const res = await fetch(`${env.sims.origin}/__control/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(rule) });
  if (!res.ok) throw new Error(`fault rejected: ${await res.text()}`);
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

export type HoldPoint = "listChats" | "beforeLeaseCheck" | "afterLeaseCheck";

/**
 * The real TimelinesAI client for one send attempt, held once at each of `points`: `reached(point)` resolves
 * when the attempt gets there, `release(point)` lets it go on. The lease check is the hook the send
 * gives the client (server/pipeline/rules/lease.ts), run just before the HTTP request.
 */
export function holding(env: PipelineEnv, points: HoldPoint[]) {
  const gates = new Map(points.map((point) => [point, { reached: gate(), release: gate() }]));
  const hold = async (point: HoldPoint) => {
    const g = gates.get(point);
    if (!g) return;
    gates.delete(point);
    g.reached.open();
    await g.release.opened;
  };
  const all = new Map(gates);
  const port: TimelinesPort = {
    listChats: async (...args) => {
      await hold("listChats");
      return env.timelinesai.listChats(...args);
    },
    listChatMessages: (...args) => env.timelinesai.listChatMessages(...args),
    sendToPhone: (input) =>
      env.timelinesai.sendToPhone({
        ...input,
        beforeRequest: async () => {
          await hold("beforeLeaseCheck");
          await input.beforeRequest?.();
          await hold("afterLeaseCheck");
        },
      }),
  };
  return { port, reached: (point: HoldPoint) => all.get(point)!.reached.opened, release: (point: HoldPoint) => all.get(point)!.release.open() };
}
