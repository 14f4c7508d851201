/**
 * The hot paths' tenant-bound connections (server/db/sql.server.ts, ADR 0007 addendum): one pool for
 * every tenant, a connection switched to the tenant it is checked out for. What must hold: a statement
 * sees only its tenant's rows, whichever tenant the connection served before, after a rolled-back
 * transaction and after a failed statement; and more tenants than the old per-tenant pools' cap (16)
 * are served by the same few connections.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

describe("lockedStatement: BEGIN, the lock, one prepared statement and COMMIT in one round trip", () => {
  let journeyId: string;
  beforeAll(async () => {
    const tenantId = tenants[0]!;
    const company = (await admin.query<{ id: string }>(`INSERT INTO gold_companies (tenant_id, denumire, cui) VALUES ($1, 'Ferma Lacăt SRL', 'RO7001') RETURNING id`, [tenantId])).rows[0]!.id;
    journeyId = (await admin.query<{ id: string }>(`INSERT INTO gold_lead_journey (tenant_id, lead_id) VALUES ($1, $2) RETURNING id`, [tenantId, company])).rows[0]!.id;
  });
  const decisions = async () => Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM lead_decisions WHERE journey_id = $1`, [journeyId])).rows[0]!.n);

  it("runs the statement after the lock is granted, so it sees what the lock's holder committed", async () => {
    const { lockedStatement } = await import("../../server/db/sql.server");
    const tenantId = tenants[0]!;
    const holder = new pg.Client({ connectionString: db.adminUrl });
    await holder.connect();
    try {
      const before = await decisions();
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM gold_lead_journey WHERE id = $1 FOR NO KEY UPDATE", [journeyId]);
      await holder.query(`INSERT INTO lead_decisions (tenant_id, journey_id, stage, result, outcome, at) VALUES ($1, $2, 'probe', 'HELD', '{}', now())`, [tenantId, journeyId]);
      const counted = lockedStatement<{ n: number; bound: string }>(tenantId, { table: "gold_lead_journey", id: journeyId }, {
        name: "test.count-decisions",
        text: "SELECT count(*)::int AS n, current_setting('app.tenant_id') AS bound FROM lead_decisions WHERE journey_id = $1",
        values: [journeyId],
      });
      // Commit only once the statement's transaction is waiting for the lock.
      for (;;) {
        const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
        if (Number(rows[0]!.n) > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await holder.query("COMMIT");
      expect((await counted).rows[0]).toEqual({ n: before + 1, bound: tenantId });
    } finally {
      await holder.end();
    }
  });

  it("commits what the statement writes, writes nothing when it fails, and leaves the connection bound", async () => {
    const { lockedStatement, tenantSql } = await import("../../server/db/sql.server");
    const [a, b] = tenants as [string, string];
    const insert = {
      name: "test.insert-decision",
      text: `INSERT INTO lead_decisions (tenant_id, journey_id, stage, result, outcome, at)
             SELECT $1, $2, $3, 'WRITTEN', $4, now() WHERE 1 / $5::int = 1 RETURNING stage, outcome`,
    };
    const before = await decisions();
    const written = await lockedStatement<{ stage: string; outcome: unknown }>(a, { table: "gold_lead_journey", id: journeyId }, { ...insert, values: [a, journeyId, "it's ș", { note: "a'b\\c" }, 1] });
    expect(written.rows).toEqual([{ stage: "it's ș", outcome: { note: "a'b\\c" } }]);
    expect(await decisions()).toBe(before + 1);

    await expect(lockedStatement(a, { table: "gold_lead_journey", id: journeyId }, { ...insert, values: [a, journeyId, "fails", {}, 0] })).rejects.toThrow(/division by zero/);
    expect(await decisions()).toBe(before + 1);
    // Another tenant's statement on the same connections, then this one's: each sees only its own.
    expect((await tenantSql(b).query<{ visible: string[] }>(seen)).rows[0]!.visible).toEqual([b]);
    expect((await tenantSql(a).query<{ visible: string[] }>(seen)).rows[0]!.visible).toEqual([a]);
  });

  it("refuses a statement name already standing for another text", async () => {
    const { lockedStatement } = await import("../../server/db/sql.server");
    const a = tenants[0]!;
    const lock = { table: "gold_lead_journey" as const, id: journeyId };
    await lockedStatement(a, lock, { name: "test.one-name", text: "SELECT 1 AS one", values: [] });
    await expect(lockedStatement(a, lock, { name: "test.one-name", text: "SELECT 2 AS two", values: [] })).rejects.toThrow(/already names another statement/);
  });
});
