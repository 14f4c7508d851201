/**
 * /metrics: the seeds' metric names (messages total, WhatsApp quota usage, reply rate) and the
 * operational ones (queue depth and dead letters per queue, webhook ingest and normalization,
 * classifications), read from the shared stores so they count what every worker process did; and the
 * access rule: a bearer token when METRICS_TOKEN is set, loopback only when it is not.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { Redis } from "ioredis";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricsAccess } from "../../server/observability/ops-metrics.server";
import { createTestDatabase, useDatabase as pointAppAt, type TestDatabase } from "../support/db";
import { insertLead, insertMessage, insertPhone } from "../support/factories";
import { createTenantFixture, type TenantFixture } from "../support/fixtures";
import { sharedRedisUrl } from "../quota/support/index";

describe("who may read /metrics", () => {
  it("with a token: only a matching bearer; without one: loopback only", () => {
    const token = "s3cret-metrics-token-0123";
    expect(metricsAccess({ token, authorization: `Bearer ${token}`, remoteAddress: "10.0.0.7" })).toBe("allowed");
    expect(metricsAccess({ token, authorization: "Bearer wrong-token-wrong-token", remoteAddress: "127.0.0.1" })).toBe("unauthorized");
    expect(metricsAccess({ token, authorization: undefined, remoteAddress: "127.0.0.1" })).toBe("unauthorized");
    expect(metricsAccess({ token: undefined, authorization: undefined, remoteAddress: "127.0.0.1" })).toBe("allowed");
    expect(metricsAccess({ token: undefined, authorization: undefined, remoteAddress: "::ffff:127.0.0.1" })).toBe("allowed");
    expect(metricsAccess({ token: undefined, authorization: undefined, remoteAddress: "::1" })).toBe("allowed");
    expect(metricsAccess({ token: undefined, authorization: `Bearer ${token}`, remoteAddress: "192.168.1.20" })).toBe("forbidden");
  });
});

describe("/metrics content", () => {
  let db: TestDatabase;
  let boss: PgBoss;
  let admin: pg.Client;
  let redis: Redis;
  let server: Server;
  let origin: string;
  let t: TenantFixture;

  beforeAll(async () => {
    db = await createTestDatabase("metrics");
    await pointAppAt(db);
    const { startBoss } = await import("../../jobs/boss.server");
    const { ensureQueues } = await import("../../jobs/runtime");
    const { queueRegistry } = await import("../../jobs/registry");
    boss = await startBoss();
    await ensureQueues(boss, queueRegistry);
    admin = new pg.Client({ connectionString: db.adminUrl });
    await admin.connect();
    redis = new Redis(await sharedRedisUrl(8));
    t = await createTenantFixture(db.adminUrl, `metrics-${randomUUID().slice(0, 6)}`);
    const { metricsRoute } = await import("../../server/observability/ops-metrics.server");
    const app = express();
    app.get("/metrics", metricsRoute(boss, () => redis));
    server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    const { stopBoss } = await import("../../jobs/boss.server");
    const { disconnectPrisma } = await import("../../server/db/client.server");
    await stopBoss();
    await disconnectPrisma();
    await redis.flushdb();
    redis.disconnect();
    await admin.end();
    await db.drop();
  });

  it("counts messages, quota use, replies, queues, dead letters, webhooks and classifications from the shared stores", async () => {
    const phoneId = await insertPhone(admin, t.tenantId, { label: "Vânzări 7", phoneNumber: "+40740007007" });
    const lead = await insertLead(admin, t.tenantId, { company: { denumire: "Ferma Metrici SRL" } });
    const log = async (direction: "INBOUND" | "OUTBOUND", status: string, n: number, analysis: { sentimentScore?: number; intent?: string } = {}) => {
      for (let i = 0; i < n; i++) await insertMessage(admin, { tenantId: t.tenantId, ...lead, channel: "WHATSAPP", direction, status, phoneId, ...analysis });
    };
    await log("OUTBOUND", "DELIVERED", 8);
    await log("OUTBOUND", "READ", 2);
    await log("INBOUND", "REPLIED", 2, { sentimentScore: 80, intent: "interested" });
    await admin.query(`INSERT INTO webhook_events (tenant_id, provider, provider_event_id, event_type, payload, raw_body, status) SELECT $1, 'TIMELINESAI', 'e' || g, 'message:new', '{}', '{}', 'PROCESSED' FROM generate_series(1, 3) g`, [t.tenantId]);
    await admin.query(`INSERT INTO webhook_events (tenant_id, provider, provider_event_id, event_type, payload, raw_body) VALUES ($1, 'RESEND', 'r1', 'email.sent', '{}', '{}')`, [t.tenantId]);
    await boss.send("dlq.outreach", { queue: `wa.send.${t.tenantId}`, code: "X", reason: "y", payload: { tenantId: t.tenantId } });
    // A tenant's send queue counts under its family, `wa.send` (ADR 0014).
    const { ensureTenantSendQueues } = await import("../../jobs/pipeline/wa-send-queue");
    await ensureTenantSendQueues(boss, [t.tenantId]);
    await boss.send(`wa.send.${t.tenantId}`, { tenantId: t.tenantId }, { singletonKey: phoneId });
    const { QuotaStore } = await import("../../server/quota/store.server");
    const { calendarFor } = await import("../../server/quota/window");
    const { DEFAULT_QUOTA_SETTINGS } = await import("../../server/quota/settings");
    const store = new QuotaStore(redis);
    await store.writeMirrors([{ phoneId, status: "ACTIVE", enabled: true, limit: 200 }]);
    await store.setUsage({ tenantId: t.tenantId, phoneId, usageDate: calendarFor(DEFAULT_QUOTA_SETTINGS.window).localDate(new Date()) }, 37, "set");
    const { resetMetricsCache } = await import("../../server/observability/ops-metrics.server");
    resetMetricsCache();

    const res = await fetch(`${origin}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const slug = (await admin.query(`SELECT slug FROM tenants WHERE id = $1`, [t.tenantId])).rows[0].slug as string;
    expect(text).toContain("# TYPE cerniq_outreach_messages_total counter");
    expect(text).toContain(`cerniq_outreach_messages_total{tenant="${slug}",channel="WHATSAPP",direction="OUTBOUND",status="DELIVERED"} 8`);
    expect(text).toContain(`cerniq_wa_quota_usage{tenant="${slug}",phone="${phoneId}",label="Vânzări 7"} 37`);
    expect(text).toContain(`cerniq_wa_quota_limit{tenant="${slug}",phone="${phoneId}",label="Vânzări 7"} 200`);
    // 2 replies over 10 messages handed to the provider.
    expect(text).toContain(`cerniq_outreach_reply_rate{tenant="${slug}",channel="WHATSAPP"} 0.2`);
    expect(text).toMatch(/cerniq_queue_jobs\{queue="wa\.send",state="queued"\} 1/);
    expect(text).toContain(`cerniq_dead_letters{queue="wa.send"} 1`);
    expect(text).toContain(`cerniq_webhook_events_ingested_total{provider="TIMELINESAI"} 3`);
    expect(text).toContain(`cerniq_webhook_events_total{provider="TIMELINESAI",status="PROCESSED"} 3`);
    expect(text).toContain(`cerniq_webhook_events_total{provider="RESEND",status="RECEIVED"} 1`);
    expect(text).toContain(`cerniq_reply_classifications_total{tenant="${slug}",channel="WHATSAPP",intent="interested",sentiment="positive"} 2`);
    expect(text).toContain("cerniq_quota_store_ok 0");
  });

  it("asks for the token when METRICS_TOKEN is set", async () => {
    const { resetEnvCache } = await import("../../server/config/env.server");
    process.env.METRICS_TOKEN = "metrics-token-for-the-test-0001";
    resetEnvCache();
    try {
      const refused = await fetch(`${origin}/metrics`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toContain("Bearer");
      const ok = await fetch(`${origin}/metrics`, { headers: { authorization: "Bearer metrics-token-for-the-test-0001" } });
      expect(ok.status).toBe(200);
    } finally {
      delete process.env.METRICS_TOKEN;
      resetEnvCache();
    }
  });
});
