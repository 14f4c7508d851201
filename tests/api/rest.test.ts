/**
 * The REST API (/api/v1/outreach/*) over real HTTP: generated from the tRPC procedures, called with
 * per-tenant API keys. Without a key, with a wrong or revoked one, with a read-only one trying to
 * write, against another tenant's data, past the rate limit: every refusal in the one error shape.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { Redis } from "ioredis";
import pg from "pg";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { insertPhone, insertSequence } from "../support/factories";
import { createTenantFixture, type TenantFixture } from "../support/fixtures";
import { sharedRedisUrl } from "../quota/support/index";

let db: TestDatabase;
let boss: PgBoss;
let admin: pg.Client;
let redis: Redis;
let a: TenantFixture;
let b: TenantFixture;
const servers: Server[] = [];
let origin: string;
let limitedOrigin: string;
const keys: Record<string, string> = {};

async function serve(limit: number): Promise<string> {
  const { restApiRouter } = await import("../../server/api/rest.server");
  const { createApiRateLimiter } = await import("../../server/api/rate-limit.server");
  const app = express();
  app.use(restApiRouter({ boss, limiter: createApiRateLimiter(redis, limit, `api-rate-test-${randomUUID()}`) }));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function issue(tenant: TenantFixture, name: string, scope: "READ" | "WRITE", role: "SALES_REP" | "MANAGER" | "ADMIN" = "MANAGER"): Promise<{ key: string; id: string }> {
  const { withTenant } = await import("../../server/db/client.server");
  const { createApiKey } = await import("../../server/api/api-keys.server");
  const admin = tenant.users.ADMIN;
  const r = await withTenant(tenant.tenantId, (tx) => createApiKey(tx, { tenantId: tenant.tenantId, actor: { type: "USER", userId: admin.id, role: "ADMIN", ip: null }, name, scope, role }));
  return { key: r.key, id: r.apiKey.id };
}

beforeAll(async () => {
  db = await createTestDatabase("rest_api");
  await useDatabase(db);
  const { startBoss } = await import("../../jobs/boss.server");
  const { ensureQueues } = await import("../../jobs/runtime");
  const { queueRegistry } = await import("../../jobs/registry");
  boss = await startBoss();
  await ensureQueues(boss, queueRegistry);
  admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  redis = new Redis(await sharedRedisUrl(15));
  a = await createTenantFixture(db.adminUrl, `rest-a-${randomUUID().slice(0, 6)}`);
  b = await createTenantFixture(db.adminUrl, `rest-b-${randomUUID().slice(0, 6)}`);
  for (const [t, n] of [[a, "+40740001001"], [b, "+40740001002"]] as const) {
    await insertPhone(admin, t.tenantId, { label: "Vânzări 1", phoneNumber: n });
  }
  keys.read = (await issue(a, "CRM citire", "READ")).key;
  keys.write = (await issue(a, "CRM scriere", "WRITE")).key;
  keys.rep = (await issue(a, "Raport agent", "READ", "SALES_REP")).key;
  origin = await serve(1_000);
  limitedOrigin = await serve(3);
}, 120_000);

afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  const { stopBoss } = await import("../../jobs/boss.server");
  const { disconnectPrisma } = await import("../../server/db/client.server");
  await stopBoss();
  await disconnectPrisma();
  redis.disconnect();
  await admin.end();
  await db.drop();
});

interface ApiError {
  message: string;
  code: string;
  data: { code: string; httpStatus: number; domainCode: string | null; path?: string | null };
  issues?: unknown[];
}

async function call(path: string, init: { key?: string; method?: string; body?: unknown; base?: string; rawBody?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.body !== undefined || init.rawBody !== undefined) headers["content-type"] = "application/json; charset=utf-8";
  const res = await fetch(`${init.base ?? origin}/api/v1/outreach${path}`, { method: init.method ?? "GET", headers, body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as unknown };
}

function expectError(r: { status: number; body: unknown }, status: number, code: string, domainCode: string | null) {
  expect(r.status).toBe(status);
  const e = r.body as ApiError;
  expect(e).toMatchObject({ code, message: expect.any(String), data: { code, httpStatus: status, domainCode } });
}

describe("the OpenAPI document", () => {
  it("is generated from the procedures: the seeds' modules, bearer security on every operation", async () => {
    const res = await fetch(`${origin}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; servers: Array<{ url: string }>; paths: Record<string, Record<string, { security?: unknown[]; tags?: string[] }>>; components: { securitySchemes: Record<string, unknown> } };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0]!.url).toBe(`${origin}/api/v1/outreach`);
    const tags = new Set(Object.values(doc.paths).flatMap((ops) => Object.values(ops).flatMap((op) => op.tags ?? [])));
    for (const module of ["leads", "sequences", "templates", "phones", "analytics", "alerts", "operations"]) expect(tags).toContain(module);
    for (const ops of Object.values(doc.paths)) for (const op of Object.values(ops)) expect(op.security).toEqual([{ ApiKey: [] }]);
    expect(doc.components.securitySchemes).toHaveProperty("ApiKey");
    // Key management is never on the REST API.
    expect(JSON.stringify(doc.paths)).not.toContain("apiKeys");
  });

  it("has a readable reference page, served without any CDN", async () => {
    const res = await fetch(`${origin}/api/v1/docs`, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/api/v1/docs.html");
    const { readFileSync } = await import("node:fs");
    const page = readFileSync(new URL("../../public/api/v1/docs.html", import.meta.url), "utf8");
    expect(page).toContain("/api/v1/openapi.json");
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)[a-z0-9.-]+\//i);
  });
});

describe("authentication", () => {
  it("refuses a request without a key, with an unknown key and with a revoked one (401, WWW-Authenticate)", async () => {
    const none = await call("/phones");
    expectError(none, 401, "UNAUTHORIZED", "API_KEY_REQUIRED");
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    expectError(await call("/phones", { key: "ck_live_not-a-real-key" }), 401, "UNAUTHORIZED", "API_KEY_INVALID");

    const temporary = await issue(a, "Temporară", "READ");
    expect((await call("/phones", { key: temporary.key })).status).toBe(200);
    const { withTenant } = await import("../../server/db/client.server");
    const { revokeApiKey } = await import("../../server/api/api-keys.server");
    await withTenant(a.tenantId, (tx) => revokeApiKey(tx, { tenantId: a.tenantId, actor: { type: "USER", userId: a.users.ADMIN.id, role: "ADMIN", ip: null }, apiKeyId: temporary.id }));
    expectError(await call("/phones", { key: temporary.key }), 401, "UNAUTHORIZED", "API_KEY_INVALID");
  });

  it("answers with the key's tenant only and records when the key was last used", async () => {
    const r = await call("/phones", { key: keys.read });
    expect(r.status).toBe(200);
    const phones = (r.body as { phones: Array<{ phoneNumber: string; statusChangedAt: string }> }).phones;
    expect(phones.map((p) => p.phoneNumber)).toEqual(["+40740001001"]);
    // Dates travel as ISO text (no superjson on the REST side).
    expect(phones[0]!.statusChangedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const used = await admin.query(`SELECT last_used_at FROM api_keys WHERE name = 'CRM citire'`);
    expect(used.rows[0].last_used_at).toBeInstanceOf(Date);
  });
});

describe("scopes, roles and tenants", () => {
  it("lets a READ key read but not write (403, API_KEY_READ_ONLY)", async () => {
    const r = await call("/phones", { key: keys.read, method: "POST", body: { label: "Nou", phoneNumber: "+40740001009", timelinesaiAccountId: "40740001009@s.whatsapp.net" } });
    expectError(r, 403, "FORBIDDEN", "API_KEY_READ_ONLY");
  });

  it("lets a WRITE key write, audited as the issuing admin through the key", async () => {
    const r = await call("/phones", { key: keys.write, method: "POST", body: { label: "Vânzări API", phoneNumber: "+40740001010", timelinesaiAccountId: "40740001010@s.whatsapp.net" } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ label: "Vânzări API", status: "ACTIVE" });
    const audit = await admin.query(`SELECT actor_type, actor_user_id, after->>'actor' AS via FROM audit_log WHERE action = 'phone.added' AND tenant_id = $1`, [a.tenantId]);
    expect(audit.rows).toEqual([{ actor_type: "USER", actor_user_id: a.users.ADMIN.id, via: "api-key:CRM scriere" }]);
  });

  it("applies the key's role to the procedure tiers", async () => {
    expectError(await call("/operations/health", { key: keys.rep }), 403, "FORBIDDEN", null);
    expect((await call("/phones", { key: keys.rep })).status).toBe(200);
  });

  it("never reaches another tenant's data: B's phone, sequence and alert are not found for A's key", async () => {
    const phone = await admin.query<{ id: string }>(`SELECT id FROM wa_phone_numbers WHERE tenant_id = $1`, [b.tenantId]);
    const sequenceId = await insertSequence(admin, b.tenantId, { name: "Secretă" });
    const alert = await admin.query<{ id: string }>(`INSERT INTO alerts (tenant_id, severity, type, title, message, dedupe_key) VALUES ($1, 'HIGH', 'dlq:overflow', 'x', 'y', 'dlq:overflow') RETURNING id`, [b.tenantId]);
    expectError(await call(`/phones/${phone.rows[0]!.id}/status`, { key: keys.write, method: "PATCH", body: { status: "PAUSED", reason: "test" } }), 404, "NOT_FOUND", "PHONE_NOT_FOUND");
    expect((await call(`/sequences/${sequenceId}`, { key: keys.read })).status).toBe(404);
    expectError(await call(`/alerts/${alert.rows[0]!.id}`, { key: keys.read }), 404, "NOT_FOUND", "ALERT_NOT_FOUND");
    expect((await admin.query(`SELECT status FROM wa_phone_numbers WHERE id = $1`, [phone.rows[0]!.id])).rows[0]).toEqual({ status: "ACTIVE" });
  });
});

describe("errors in one shape", () => {
  it("a bad input, an unknown path and a body that is not JSON", async () => {
    const bad = await call("/alerts?limit=9999", { key: keys.read });
    expectError(bad, 400, "BAD_REQUEST", null);
    expect((bad.body as ApiError).issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: ["limit"] })]));
    expectError(await call("/nothing-here", { key: keys.read }), 404, "NOT_FOUND", null);
    expectError(await call("/phones", { key: keys.write, method: "POST", rawBody: "{not json" }), 400, "PARSE_ERROR", null);
  });
});

describe("rate limit", () => {
  it("refuses past the per-key limit with 429 and Retry-After, other keys unaffected", async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof call>> | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await call("/alerts/counts", { key: keys.read, base: limitedOrigin });
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expectError(limited!, 429, "TOO_MANY_REQUESTS", "API_RATE_LIMITED");
    const retryAfter = Number(limited!.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await call("/alerts/counts", { key: keys.write, base: limitedOrigin })).status).toBe(200);
  });
});
