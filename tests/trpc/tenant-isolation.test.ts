/**
 * Tenant isolation through the procedures themselves (the database-level proof is tests/db/rls.test.ts):
 * two fully seeded tenants, and tenant A's users try to read and change tenant B's rows by id.
 */
import pg from "pg";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../../server/auth/roles";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { adminQuery } from "../support/fixtures";
import { buildTenantSeed, DEMO_TENANTS } from "../../prisma/seed/tenant";

let db: TestDatabase;
const tenants: Array<{ tenantId: string; admin: SessionUser; phoneIds: string[]; leads: number }> = [];

beforeAll(async () => {
  db = await createTestDatabase("isolation");
  await useDatabase(db);
  const client = new pg.Client({ connectionString: db.adminUrl });
  await client.connect();
  for (const [i, tenant] of DEMO_TENANTS.entries()) {
    const seeded = await buildTenantSeed(client, { tenant, seed: 77 + i, leadCount: 300 + i * 200, passwordHash: "x", now: new Date() });
    const admin = (await client.query<{ id: string; name: string; email: string }>("SELECT id, name, email FROM users WHERE tenant_id = $1 AND role = 'ADMIN' LIMIT 1", [seeded.tenantId])).rows[0]!;
    const phoneIds = (await client.query<{ id: string }>("SELECT id FROM wa_phone_numbers WHERE tenant_id = $1", [seeded.tenantId])).rows.map((r) => r.id);
    tenants.push({
      tenantId: seeded.tenantId,
      leads: seeded.companies,
      phoneIds,
      admin: { id: admin.id, tenantId: seeded.tenantId, tenantName: tenant.name, role: "ADMIN", name: admin.name, email: admin.email, locale: "ro", sessionId: "s" },
    });
  }
  await client.end();
});

afterAll(async () => {
  const { disconnectPrisma } = await import("../../server/db/client.server");
  await disconnectPrisma();
  await db.drop();
});

async function callerFor(user: SessionUser) {
  const { appRouter } = await import("../../server/trpc/router.server");
  const { createCallerFactory } = await import("../../server/trpc/init.server");
  return createCallerFactory(appRouter)({ user, requestId: "isolation", ip: null, boss: null });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  return error instanceof TRPCError ? error.code : `no error (${String(error)})`;
}

describe("tenant A cannot see or change tenant B through any procedure", () => {
  it("dashboard counts only the caller's leads", async () => {
    const [a, b] = tenants;
    const summary = await (await callerFor(a!.admin)).dashboard.summary();
    expect(summary.leads.total).toBe(a!.leads);
    expect(summary.leads.total).not.toBe(a!.leads + b!.leads);
  });

  it("phones.list returns only the caller's phones", async () => {
    const [a, b] = tenants;
    const list = await (await callerFor(a!.admin)).phones.list();
    const ids = list.phones.map((p: { id: string }) => p.id).sort();
    expect(ids).toEqual([...a!.phoneIds].sort());
    expect(ids.some((id: string) => b!.phoneIds.includes(id))).toBe(false);
  });

  it("phone mutations on B's phone ids answer NOT_FOUND and change nothing", async () => {
    const [a, b] = tenants;
    const caller = await callerFor(a!.admin);
    const target = b!.phoneIds[0]!;
    const before = await adminQuery(db.adminUrl, "SELECT status, is_enabled, updated_at FROM wa_phone_numbers WHERE id = $1", [target]);
    expect(await codeOf(caller.phones.changeStatus({ phoneId: target, status: "PAUSED", reason: "încercare din alt tenant" }))).toBe("NOT_FOUND");
    expect(await codeOf(caller.phones.setEnabled({ phoneId: target, enabled: false, reason: null }))).toBe("NOT_FOUND");
    expect(await codeOf(caller.phones.adjustQuota({ phoneId: target, used: 0, reason: "încercare din alt tenant" }))).toBe("NOT_FOUND");
    const after = await adminQuery(db.adminUrl, "SELECT status, is_enabled, updated_at FROM wa_phone_numbers WHERE id = $1", [target]);
    expect(after).toEqual(before);
    const audit = await adminQuery<{ n: string }>(db.adminUrl, "SELECT count(*)::text AS n FROM audit_log WHERE entity_id = $1", [target]);
    expect(audit[0]?.n).toBe("0");
  });

  it("session.setLocale changes only the caller's own user", async () => {
    const [a, b] = tenants;
    await (await callerFor(a!.admin)).session.setLocale({ locale: "en" });
    const rows = await adminQuery<{ tenant_id: string; locale: string }>(db.adminUrl, "SELECT tenant_id, locale FROM users WHERE locale = 'en' AND role = 'ADMIN'");
    expect(rows.map((r) => r.tenant_id)).toEqual([a!.tenantId]);
    expect(rows.some((r) => r.tenant_id === b!.tenantId)).toBe(false);
  });
});
