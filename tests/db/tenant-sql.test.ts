/**
 * The hot paths' tenant-bound connections (server/db/sql.server.ts, ADR 0007 addendum): one pool for
 * every tenant, a connection switched to the tenant it is checked out for. What must hold: a statement
 * sees only its tenant's rows, whichever tenant the connection served before, after a rolled-back
 * transaction and after a failed statement; and more tenants than the old per-tenant pools' cap (16)
 * are served by the same few connections.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
let admin: pg.Client;
const tenants: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase("tenant_sql");
  await useDatabase(db);
  admin = new pg.Client({ connectionString: db.adminUrl });
  await admin.connect();
  for (let i = 0; i < 20; i++) {
    const id = randomUUID();
    await admin.query("INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3)", [id, `Ferma ${i} SRL`, `ferma-${id}`]);
    tenants.push(id);
  }
});

afterAll(async () => {
  const { closeSqlPool } = await import("../../server/db/sql.server");
  await closeSqlPool();
  await admin?.end();
  await db?.drop();
});

const seen = "SELECT pg_backend_pid() AS pid, current_setting('app.tenant_id') AS bound, (SELECT array_agg(id::text) FROM tenants) AS visible";

it("gives every statement its own tenant's rows, on connections shared by 20 tenants", async () => {
  const { tenantSql, withTenantTransaction, withLockedRow } = await import("../../server/db/sql.server");
  const pids = new Set<number>();
  // Three rounds over 20 tenants, one after another: the same connection serves them in turn.
  for (let round = 0; round < 3; round++) {
    for (const tenantId of tenants) {
      const { rows } = await tenantSql(tenantId).query<{ pid: number; bound: string; visible: string[] }>(seen);
      expect(rows[0]).toMatchObject({ bound: tenantId, visible: [tenantId] });
      pids.add(rows[0]!.pid);
    }
  }
  // Statements one at a time need one connection, not a pool per tenant.
  expect(pids.size).toBe(1);

  // Transactions on the same connections see their tenant only, too.
  const [a, b] = tenants as [string, string];
  expect(await withTenantTransaction(a, async (c) => (await c.query<{ visible: string[] }>(seen)).rows[0]!.visible)).toEqual([a]);
  expect(await withLockedRow(b, { table: "gold_lead_journey", id: randomUUID() }, async (c) => (await c.query<{ visible: string[] }>(seen)).rows[0]!.visible)).toEqual([b]);
});

it("keeps the binding right after a rolled-back transaction and a failed statement", async () => {
  const { tenantSql, withTenantTransaction } = await import("../../server/db/sql.server");
  const [a, b] = tenants as [string, string];
  await expect(
    withTenantTransaction(a, async (c) => {
      await c.query("SELECT 1");
      throw new Error("rolled back on purpose");
    }),
  ).rejects.toThrow("rolled back on purpose");
  expect((await tenantSql(b).query<{ visible: string[] }>(seen)).rows[0]!.visible).toEqual([b]);
  expect((await tenantSql(a).query<{ visible: string[] }>(seen)).rows[0]!.visible).toEqual([a]);

  await expect(tenantSql(b).query("SELECT no_such_column FROM tenants")).rejects.toThrow();
  expect((await tenantSql(a).query<{ visible: string[] }>(seen)).rows[0]!.visible).toEqual([a]);
  expect((await tenantSql(b).query<{ visible: string[] }>(seen)).rows[0]!.visible).toEqual([b]);
});

it("serves two tenants at the same moment without mixing them", async () => {
  const { tenantSql } = await import("../../server/db/sql.server");
  const results = await Promise.all(
    Array.from({ length: 200 }, (_, i) => {
      const tenantId = tenants[i % tenants.length]!;
      return tenantSql(tenantId)
        .query<{ visible: string[] }>(seen)
        .then((r) => ({ tenantId, visible: r.rows[0]!.visible }));
    }),
  );
  for (const r of results) expect(r.visible).toEqual([r.tenantId]);
});
