/**
 * The reply world: everything between a lead's reply and our answer, real. A database per file with
 * pg-boss and every queue, the Express app serving the webhook routes, the provider simulators sending
 * their signed webhooks to it (manual clock), the quota guardian on its own Redis database, and the
 * workers of the reply path running: normalization, reply understanding, wa.send and the email queues,
 * automatic assignment, the SLA timers, Slack. Tenants have an always-open sending window and no
 * jitter, so answers go out as soon as their job runs, whatever the hour the suite runs at.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import type { JobDefinition } from "../../jobs/definition";
import { hashPassword } from "../../server/auth/password.server";
import type { SessionUser } from "../../server/auth/roles";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { DEFAULT_ACCOUNTS, startSimulators, type RunningSimulators } from "../../server/sandbox/launcher";
import { createTestDatabase, useDatabase as pointAppAt, type TestDatabase } from "../support/db";
import { deleteOwnKeys, sharedRedisUrl } from "../quota/support/index";
import { QuotaStore } from "../../server/quota/store.server";
import { INSTANTLY_HEADER, INSTANTLY_SECRET, RESEND_SECRET, webhookBuild } from "../webhooks/support";
import { insertEnrollment, insertLead, insertMessage, insertPhone, insertSequence, insertTemplate, insertTenant, insertUser } from "../support/factories";

export interface ReplyTenant {
  tenantId: string;
  secret: string;
  phoneId: string;
  ourPhone: string;
  sequenceId: string;
  waTemplateId: string;
  emailTemplateId: string;
  users: { rep: SessionUser; rep2: SessionUser; manager: SessionUser };
}

export interface ReplyLead {
  leadId: string;
  journeyId: string;
  phone: string;
  email: string;
  enrollmentId: string;
}

export interface ReplyWorld {
  db: TestDatabase;
  boss: PgBoss;
  admin: pg.Client;
  redis: Redis;
  store: QuotaStore;
  sims: RunningSimulators;
  origin: string;
  tenant: ReplyTenant;
  control<T = unknown>(method: string, pathname: string, body?: unknown): Promise<T>;
  /** Advances the simulators' clock and waits until every webhook the jump caused was answered. */
  advance(ms: number): Promise<void>;
  startWorkers(jobs: JobDefinition[]): Promise<void>;
  /** The reply path's workers: normalization, reply understanding and wa.send, and any others given. */
  startReplyWorkers(more?: JobDefinition[]): Promise<void>;
  /** A lead contacted on WhatsApp (step 1 of 2 sent, step 2 due in a day), on the tenant's phone. */
  lead(o?: { state?: string; humanControlled?: { by: string } }): Promise<ReplyLead>;
  /** The lead writes on WhatsApp, through the TimelinesAI simulator and its webhook. */
  leadWrites(lead: ReplyLead, text: string): Promise<void>;
  one<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T>;
  rows<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function eventually<T>(check: () => Promise<T | false | null | undefined>, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let accountOffset = 0;
let leadSeq = 0;

export async function startReplyWorld(prefix: string, o: { tenant?: Record<string, unknown> } = {}): Promise<ReplyWorld> {
  const db = await createTestDatabase(prefix);
  await pointAppAt(db);
  process.env.RESEND_WEBHOOK_SECRET = RESEND_SECRET;
  process.env.INSTANTLY_WEBHOOK_SECRET = INSTANTLY_SECRET;
  delete process.env.LLM_API_KEY;
  const { resetEnvCache } = await import("../../server/config/env.server");
  resetEnvCache();
  const { startBoss } = await import("../../jobs/boss.server");
  const { ensureQueues, startWorkers } = await import("../../jobs/runtime");
  const { queueRegistry } = await import("../../jobs/registry");
  const boss = await startBoss();
  const admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  const redis = new Redis(await sharedRedisUrl(12));
  const store = new QuotaStore(redis);

  const tenant = await createTenant(admin, o.tenant ?? {});
  // Every queue, and the tenant's WhatsApp send queue (it has a phone), as worker start creates them (ADR 0014).
  await ensureQueues(boss, queueRegistry, [tenant.tenantId]);
  await store.writeMirrors([{ phoneId: tenant.phoneId, status: "ACTIVE", enabled: true, limit: 200 }]);

  const { createHttpApp } = await import("../../server/http/app.server");
  const app = createHttpApp({ build: await webhookBuild(), publicDir: mkdtempSync(path.join(tmpdir(), "cerniq-public-")), boss });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sims = await startSimulators({
    port: 0,
    seed: 11,
    clock: { mode: "manual" },
    accounts: [tenant.ourPhone],
    webhooks: {
      timelinesai: [{ url: `${origin}/webhooks/timelinesai/${tenant.secret}`, eventTypes: ["message:new", "message:received:new", "message:sent:new"] }],
      resend: [{ url: `${origin}/webhooks/resend`, secret: RESEND_SECRET }],
      instantly: [{ url: `${origin}/webhooks/instantly`, eventType: "all_events", headers: { [INSTANTLY_HEADER]: INSTANTLY_SECRET } }],
    },
    scenario: { replies: { probability: 0 }, whatsapp: { deliveryDelayMs: { min: 1000, max: 1000 }, readProbability: 0 }, email: { bounceRate: 0, complaintRate: 0, openProbability: 0, clickProbability: 0 } },
  });

  const { configurePipelineDeps } = await import("../../jobs/pipeline/deps");
  const { createQuotaGuardian } = await import("../../server/quota/guardian.server");
  const { TimelinesAiClient } = await import("../../server/providers/timelinesai/client.server");
  const { InstantlyClient } = await import("../../server/providers/instantly/client.server");
  const { ResendClient } = await import("../../server/providers/resend/client.server");
  configurePipelineDeps({
    guardian: createQuotaGuardian({ store, clock: () => new Date(), logDecisions: false }),
    timelinesai: new TimelinesAiClient({ baseUrl: sims.urls.timelinesai, token: SANDBOX_CREDENTIALS.timelinesaiToken, pacer: { acquire: async () => 0 }, timeoutMs: 5_000 }),
    instantly: new InstantlyClient({ baseUrl: sims.urls.instantly, apiKey: SANDBOX_CREDENTIALS.instantlyApiKey }),
    resend: new ResendClient({ baseUrl: sims.urls.resend, apiKey: SANDBOX_CREDENTIALS.resendApiKey, from: "AgroVerde <vanzari@agroverde.ro>" }),
  });
  const { configureReplyDeps } = await import("../../jobs/replies/deps");
  configureReplyDeps({});

  const control = async <T,>(method: string, pathname: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${sims.origin}/__control${pathname}`, { method, headers: body === undefined ? {} : { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`control ${method} ${pathname} → ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const world: ReplyWorld = {
    db,
    boss,
    admin,
    redis,
    store,
    sims,
    origin,
    tenant,
    control,
    async advance(ms) {
      await control("POST", "/clock/advance", { ms });
      await sims.idle();
    },
    startWorkers: async (jobs) => {
      await startWorkers(boss, jobs);
    },
    async startReplyWorkers(more = []) {
      const { webhookNormalizeJob } = await import("../../jobs/webhooks/normalize");
      const { aiSentimentJob } = await import("../../jobs/replies/analyze");
      const { waSendJob } = await import("../../jobs/pipeline/wa-send");
      await startWorkers(boss, [webhookNormalizeJob, aiSentimentJob, waSendJob, ...more] as never[]);
    },
    lead: (l = {}) => createLead(admin, tenant, l),
    async leadWrites(lead, text) {
      await control("POST", "/timelinesai/incoming", { phone: lead.phone, account: tenant.ourPhone, text });
      await world.advance(1_000);
    },
    one: async (sql, params = []) => {
      const r = await admin.query(sql, params);
      if (r.rows.length !== 1) throw new Error(`expected one row, got ${r.rows.length}: ${sql}`);
      return r.rows[0];
    },
    rows: async (sql, params = []) => (await admin.query(sql, params)).rows,
    async close() {
      const { stopBoss } = await import("../../jobs/boss.server");
      const { disconnectPrisma } = await import("../../server/db/client.server");
      const { disconnectRedis } = await import("../../server/redis.server");
      const { closeQuotaRedis } = await import("../../server/quota/redis.server");
      const { closeSqlPool } = await import("../../server/db/sql.server");
      await sims.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await deleteOwnKeys(redis, [tenant.tenantId], [tenant.phoneId]);
      redis.disconnect();
      await stopBoss();
      await admin.end();
      await closeSqlPool();
      await disconnectPrisma();
      await disconnectRedis();
      await closeQuotaRedis();
      await db.drop();
    },
  };
  return world;
}

async function createTenant(admin: pg.Client, columns: Record<string, unknown>): Promise<ReplyTenant> {
  if (accountOffset >= DEFAULT_ACCOUNTS.length) throw new Error("no simulator account left");
  const ourPhone = DEFAULT_ACCOUNTS[accountOffset++]!;
  // Columns come in snake_case from the tests (as the table names them); the factories take camelCase.
  const camel = Object.fromEntries(Object.entries({ auto_answer_mode: "AUTO", ...columns }).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
  const tenant = await insertTenant(admin, {
    name: "AgroVerde Test SRL",
    sendingDays: [1, 2, 3, 4, 5, 6, 7],
    sendingStartHour: 0,
    sendingEndHour: 24,
    jitterMinSeconds: 0,
    jitterMaxSeconds: 0,
    settings: { holidayCountry: null },
    ...camel,
  });
  const tenantId = tenant.id;
  const passwordHash = await hashPassword("parola-de-test-123");
  const user = async (role: "SALES_REP" | "MANAGER", name: string): Promise<SessionUser> => {
    const email = `${name.toLowerCase().replace(/\s+/g, ".")}.${tenantId.slice(0, 6)}@agroverde.test`;
    const id = await insertUser(admin, tenantId, role, { email, name, passwordHash });
    return { id, tenantId, tenantName: "AgroVerde Test SRL", role, name, email, locale: "ro", sessionId: "none" };
  };
  const users = { rep: await user("SALES_REP", "Ana Rep"), rep2: await user("SALES_REP", "Bogdan Rep"), manager: await user("MANAGER", "Maria Manager") };
  const phoneId = await insertPhone(admin, tenantId, { label: "Vânzări 1", phoneNumber: ourPhone });
  const variables = JSON.stringify([{ name: "companyName", required: true }]);
  const waTemplateId = (await insertTemplate(admin, tenantId, { name: "Revenire WA", channel: "WHATSAPP", content: "Revenim cu oferta pentru {{companyName}}.", variables, versions: [{ content: "Revenim cu oferta pentru {{companyName}}." }] })).id;
  const emailTemplateId = (
    await insertTemplate(admin, tenantId, { name: "Revenire email", channel: "EMAIL_WARM", subject: "Oferta pentru {{companyName}}", content: "Bună ziua, {{companyName}}!", variables, versions: [{ subject: "Oferta pentru {{companyName}}", content: "Bună ziua, {{companyName}}!" }] })
  ).id;
  const sequenceId = await insertSequence(admin, tenantId, {
    name: "Implicită",
    isDefault: true,
    steps: [
      { channel: "WHATSAPP", templateId: waTemplateId, delayHours: 0 },
      { channel: "WHATSAPP", templateId: waTemplateId, delayHours: 24 },
      { channel: "EMAIL_WARM", templateId: emailTemplateId, delayHours: 48 },
    ],
  });
  return { tenantId, secret: tenant.webhookSecret, phoneId, ourPhone, sequenceId, waTemplateId, emailTemplateId, users };
}

/** A lead contacted on WhatsApp an hour ago (step 1 of the sequence delivered), step 2 due in 23 hours. */
async function createLead(admin: pg.Client, t: ReplyTenant, o: { state?: string; humanControlled?: { by: string } }): Promise<ReplyLead> {
  leadSeq += 1;
  const n = String(leadSeq).padStart(4, "0");
  const phone = `+40745${n}${String(accountOffset).padStart(2, "0")}1`;
  const email = `ion.popescu${n}@ferma-${t.tenantId.slice(0, 6)}.ro`;
  const sentAt = new Date(Date.now() - 3_600_000);
  const nextAt = new Date(Date.now() + 23 * 3_600_000);
  const { leadId, journeyId } = await insertLead(admin, t.tenantId, {
    company: { denumire: `Ferma Popescu ${n} SRL`, judet: "Iași", telefonPrincipal: phone, hlrReachable: true, emailPrincipal: email, emailStatus: "VALID", contactPrincipalNume: "Ion Popescu" },
    journey: {
      assignedPhoneId: t.phoneId,
      assignedAt: sentAt,
      currentState: o.state ?? "CONTACTED_WA",
      previousState: "COLD",
      isNewContact: false,
      currentSequenceId: t.sequenceId,
      sequenceStep: 1,
      nextActionAt: nextAt,
      nextActionReason: "sequence step 2",
      firstContactAt: sentAt,
      firstContactChannel: "WHATSAPP",
      lastContactAt: sentAt,
      lastChannelUsed: "WHATSAPP",
      isHumanControlled: Boolean(o.humanControlled),
      assignedToUser: o.humanControlled?.by ?? null,
    },
  });
  const enrollmentId = await insertEnrollment(admin, { tenantId: t.tenantId, journeyId, leadId, sequenceId: t.sequenceId, status: "ACTIVE", currentStep: 1, nextStepAt: nextAt, lastStepAt: sentAt, enrolledAt: sentAt });
  await insertMessage(admin, {
    tenantId: t.tenantId,
    journeyId,
    leadId,
    channel: "WHATSAPP",
    direction: "OUTBOUND",
    status: "DELIVERED",
    externalMessageId: randomUUID(),
    recipient: phone,
    phoneId: t.phoneId,
    sequenceId: t.sequenceId,
    sequenceStep: 1,
    templateId: t.waTemplateId,
    idempotencyKey: `${journeyId}:1:WHATSAPP`,
    contentPreview: "Bună ziua! Avem semințe certificate pentru primăvară. Vă interesează o ofertă?",
    sentAt,
    createdAt: sentAt,
  });
  return { leadId, journeyId, phone, email, enrollmentId };
}
