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
  const tenantId = randomUUID();
  if (accountOffset >= DEFAULT_ACCOUNTS.length) throw new Error("no simulator account left");
  const ourPhone = DEFAULT_ACCOUNTS[accountOffset++]!;
  const extra = Object.entries({ auto_answer_mode: "AUTO", ...columns });
  await admin.query(
    `INSERT INTO tenants (id, name, slug, sending_days, sending_start_hour, sending_end_hour, jitter_min_seconds, jitter_max_seconds, settings${extra.map(([k]) => `, ${k}`).join("")})
     VALUES ($1, 'AgroVerde Test SRL', $2, '{1,2,3,4,5,6,7}', 0, 24, 0, 0, '{"holidayCountry": null}'${extra.map((_, i) => `, $${i + 3}`).join("")})`,
    [tenantId, `rw-${tenantId}`, ...extra.map(([, v]) => v)],
  );
  const secret = (await admin.query<{ s: string }>(`SELECT timelinesai_webhook_secret AS s FROM tenants WHERE id = $1`, [tenantId])).rows[0]!.s;
  const hash = await hashPassword("parola-de-test-123");
  const user = async (role: "SALES_REP" | "MANAGER", name: string): Promise<SessionUser> => {
    const email = `${name.toLowerCase().replace(/\s+/g, ".")}.${tenantId.slice(0, 6)}@agroverde.test`;
    const id = (await admin.query<{ id: string }>(`INSERT INTO users (tenant_id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [tenantId, email, name, hash, role])).rows[0]!.id;
    return { id, tenantId, tenantName: "AgroVerde Test SRL", role, name, email, locale: "ro", sessionId: "none" };
  };
  const users = { rep: await user("SALES_REP", "Ana Rep"), rep2: await user("SALES_REP", "Bogdan Rep"), manager: await user("MANAGER", "Maria Manager") };
  const phoneId = randomUUID();
  await admin.query(`INSERT INTO wa_phone_numbers (id, tenant_id, label, phone_number, timelinesai_account_id) VALUES ($1, $2, 'Vânzări 1', $3, $4)`, [phoneId, tenantId, ourPhone, `${ourPhone.slice(1)}@s.whatsapp.net`]);
  const waTemplateId = randomUUID();
  const emailTemplateId = randomUUID();
  await admin.query(`INSERT INTO outreach_templates (id, tenant_id, name, channel, content, variables) VALUES ($1, $2, 'Revenire WA', 'WHATSAPP', 'Revenim cu oferta pentru {{companyName}}.', '[{"name":"companyName","required":true}]')`, [waTemplateId, tenantId]);
  await admin.query(`INSERT INTO outreach_templates (id, tenant_id, name, channel, subject, content, variables) VALUES ($1, $2, 'Revenire email', 'EMAIL_WARM', 'Oferta pentru {{companyName}}', 'Bună ziua, {{companyName}}!', '[{"name":"companyName","required":true}]')`, [emailTemplateId, tenantId]);
  await admin.query(
    `INSERT INTO template_versions (tenant_id, template_id, version_number, subject, content) SELECT tenant_id, id, 1, subject, content FROM outreach_templates WHERE id = ANY($1::uuid[])`,
    [[waTemplateId, emailTemplateId]],
  );
  const sequenceId = randomUUID();
  await admin.query(`INSERT INTO outreach_sequences (id, tenant_id, name, is_default) VALUES ($1, $2, 'Implicită', true)`, [sequenceId, tenantId]);
  await admin.query(
    `INSERT INTO outreach_sequence_steps (tenant_id, sequence_id, step_number, channel, template_id, delay_hours) VALUES ($1, $2, 1, 'WHATSAPP', $3, 0), ($1, $2, 2, 'WHATSAPP', $3, 24), ($1, $2, 3, 'EMAIL_WARM', $4, 48)`,
    [tenantId, sequenceId, waTemplateId, emailTemplateId],
  );
  return { tenantId, secret, phoneId, ourPhone, sequenceId, waTemplateId, emailTemplateId, users };
}

async function createLead(admin: pg.Client, t: ReplyTenant, o: { state?: string; humanControlled?: { by: string } }): Promise<ReplyLead> {
  leadSeq += 1;
  const n = String(leadSeq).padStart(4, "0");
  const leadId = randomUUID();
  const journeyId = randomUUID();
  const phone = `+40745${n}${String(accountOffset).padStart(2, "0")}1`;
  const email = `ion.popescu${n}@ferma-${t.tenantId.slice(0, 6)}.ro`;
  await admin.query(
    `INSERT INTO gold_companies (id, tenant_id, denumire, judet, telefon_principal, hlr_reachable, email_principal, email_status, contact_principal_nume) VALUES ($1, $2, $3, 'Iași', $4, true, $5, 'VALID', 'Ion Popescu')`,
    [leadId, t.tenantId, `Ferma Popescu ${n} SRL`, phone, email],
  );
  const sentAt = new Date(Date.now() - 3_600_000);
  const nextAt = new Date(Date.now() + 23 * 3_600_000);
  await admin.query(
    `INSERT INTO gold_lead_journey (id, tenant_id, lead_id, assigned_phone_id, assigned_at, current_state, previous_state, is_new_contact, current_sequence_id, sequence_step,
        next_action_at, next_action_reason, first_contact_at, first_contact_channel, last_contact_at, last_channel_used, is_human_controlled, assigned_to_user)
     VALUES ($1, $2, $3, $4, $5, $6, 'COLD', false, $7, 1, $8, 'sequence step 2', $5, 'WHATSAPP', $5, 'WHATSAPP', $9, $10)`,
    [journeyId, t.tenantId, leadId, t.phoneId, sentAt, o.state ?? "CONTACTED_WA", t.sequenceId, nextAt, Boolean(o.humanControlled), o.humanControlled?.by ?? null],
  );
  const enrollmentId = (
    await admin.query<{ id: string }>(
      `INSERT INTO sequence_enrollments (tenant_id, journey_id, lead_id, sequence_id, status, current_step, next_step_at, last_step_at, enrolled_at) VALUES ($1, $2, $3, $4, 'ACTIVE', 1, $5, $6, $6) RETURNING id`,
      [t.tenantId, journeyId, leadId, t.sequenceId, nextAt, sentAt],
    )
  ).rows[0]!.id;
  await admin.query(
    `INSERT INTO gold_communication_log (tenant_id, journey_id, lead_id, channel, direction, status, external_message_id, recipient, phone_id, sequence_id, sequence_step, template_id, idempotency_key, content_preview, sent_at, created_at)
     VALUES ($1, $2, $3, 'WHATSAPP', 'OUTBOUND', 'DELIVERED', $4, $5, $6, $7, 1, $8, $9, 'Bună ziua! Avem semințe certificate pentru primăvară. Vă interesează o ofertă?', $10, $10)`,
    [t.tenantId, journeyId, leadId, randomUUID(), phone, t.phoneId, t.sequenceId, t.waTemplateId, `${journeyId}:1:WHATSAPP`, sentAt],
  );
  return { leadId, journeyId, phone, email, enrollmentId };
}
