// How rows are tied to their tenant by foreign keys (ADR 0018). The send path's child rows (log,
// enrolment, explain trail, state history) have no foreign key of their own to tenants: they reach it
// through (tenant_id, journey_id) → gold_lead_journey. These tests hold that this loses nothing: a
// row cannot name another tenant than its journey's, and deleting a tenant still deletes them. The
// catalog test keeps every tenant-owned table tied to tenants, directly or through such a key.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestDatabase, createDatabase, expectSqlState, withClient } from "./harness";

let db: TestDatabase;

beforeAll(async () => {
  db = await createDatabase("tenant_keys", { migrated: true });
});
afterAll(async () => {
  await db?.drop();
});

interface Fixture {
  tenant: string;
  company: string;
  journey: string;
  sequence: string;
}

async function seed(client: pg.Client, label: string): Promise<Fixture> {
  const one = async (sql: string, params: unknown[]) => (await client.query<{ id: string }>(sql, params)).rows[0]!.id;
  const tenant = await one(`INSERT INTO tenants (name, slug) VALUES ($1, $2) RETURNING id`, [`Tenant ${label}`, `keys-${label}`]);
  const company = await one(`INSERT INTO gold_companies (tenant_id, denumire, cui) VALUES ($1, $2, $3) RETURNING id`, [tenant, `Ferma ${label} SRL`, `RO9${label}`]);
  const sequence = await one(`INSERT INTO outreach_sequences (tenant_id, name) VALUES ($1, 'Standard') RETURNING id`, [tenant]);
  const journey = await one(`INSERT INTO gold_lead_journey (tenant_id, lead_id) VALUES ($1, $2) RETURNING id`, [tenant, company]);
  return { tenant, company, journey, sequence };
}

/** One row in each of the four tables, for tenant `t` on journey `j` (the lead and sequence are `t`'s). */
const childInserts = (t: string, j: Fixture): Array<[string, string, unknown[]]> => [
  ["gold_communication_log", `INSERT INTO gold_communication_log (tenant_id, journey_id, lead_id, channel, direction) VALUES ($1, $2, $3, 'WHATSAPP', 'OUTBOUND')`, [t, j.journey, j.company]],
  ["sequence_enrollments", `INSERT INTO sequence_enrollments (tenant_id, journey_id, lead_id, sequence_id) VALUES ($1, $2, $3, $4)`, [t, j.journey, j.company, j.sequence]],
  ["lead_decisions", `INSERT INTO lead_decisions (tenant_id, journey_id, stage, result, outcome, at) VALUES ($1, $2, 'dispatch', 'DISPATCHED_WHATSAPP', '{}', now())`, [t, j.journey]],
  ["lead_state_history", `INSERT INTO lead_state_history (tenant_id, journey_id, lead_id, from_state, to_state, actor_type, actor_id) VALUES ($1, $2, $3, 'COLD', 'CONTACTED_WA', 'JOB', 'test')`, [t, j.journey, j.company]],
];

describe("tenant keys", () => {
  it("refuses a send-path row that names another tenant than its journey's", async () => {
    await withClient(db.adminUrl, async (client) => {
      const a = await seed(client, "a");
      const b = await seed(client, "b");
      for (const [table, sql, params] of childInserts(b.tenant, a)) {
        await expectSqlState(client.query(sql, params), "23503").catch((error: unknown) => {
          throw new Error(`${table}: ${String(error)}`);
        });
      }
    });
  });

  it("deletes a tenant's send-path rows with the tenant, and no other tenant's", async () => {
    await withClient(db.adminUrl, async (client) => {
      const a = await seed(client, "c");
      const b = await seed(client, "d");
      for (const f of [a, b]) for (const [, sql, params] of childInserts(f.tenant, f)) await client.query(sql, params);
      await client.query(`DELETE FROM tenants WHERE id = $1`, [a.tenant]);
      for (const [table] of childInserts(a.tenant, a)) {
        const { rows } = await client.query<{ tenant_id: string; n: number }>(`SELECT tenant_id, count(*)::int AS n FROM ${table} WHERE tenant_id = ANY($1::uuid[]) GROUP BY tenant_id`, [[a.tenant, b.tenant]]);
        expect({ table, rows }).toEqual({ table, rows: [{ tenant_id: b.tenant, n: 1 }] });
      }
    });
  });

  it("ties every table with a tenant_id to tenants, directly or through a NOT NULL key to a table that is", async () => {
    const { tables, keys } = await withClient(db.adminUrl, async (client) => {
      const tables = await client.query<{ table: string }>(
        `SELECT c.relname AS table FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attname = 'tenant_id' AND NOT a.attisdropped`,
      );
      // Foreign keys whose columns start with tenant_id and are all NOT NULL (a NULL column skips the check).
      const keys = await client.query<{ from: string; to: string }>(
        `SELECT c.conrelid::regclass::text AS from, c.confrelid::regclass::text AS to
           FROM pg_constraint c
          WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
            AND (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = c.conkey[1]) = 'tenant_id'
            AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) AND NOT a.attnotnull)`,
      );
      return { tables: tables.rows.map((r) => r.table), keys: keys.rows };
    });
    expect(tables.length).toBeGreaterThan(30);
    const tied = new Set(["tenants"]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const k of keys) {
        if (!tied.has(k.to) || tied.has(k.from)) continue;
        tied.add(k.from);
        grew = true;
      }
    }
    expect(tables.filter((t) => !tied.has(t))).toEqual([]);
  });
});
