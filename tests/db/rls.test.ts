// Tenant isolation as the app role sees it (docs/decisions/0002-tenant-isolation-rls.md).
// Tables are enumerated from pg_catalog, not listed here, so a table added later without a policy,
// or without a fixture row below, fails this file.
import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestDatabase, createDatabase, expectSqlState, withClient } from "./harness";

// Tables outside the tenant rule, each for a stated reason.
const NOT_TENANT_OWNED = new Map([
  ["_prisma_migrations", "migration bookkeeping; the app role has no access at all"],
  ["webhook_rejections", "webhooks no tenant could be found for; the app role may only INSERT"],
  ["monitor_runs", "the last run of each monitor: counts across all tenants, no tenant data"],
  ["provider_health", "a provider account's health (failed probes, back-off): one per provider, shared by all tenants"],
]);

const DEFINER_FUNCTIONS = [
  "auth_api_key_lookup",
  "auth_session_lookup",
  "auth_user_for_login",
  "gdpr_scrub_webhook_rejections",
  "lead_search_ids",
  "system_active_tenant_ids",
  "system_ops_metrics",
  "tenant_for_external_message",
  "tenant_for_instantly_campaign",
  "tenant_for_timelinesai_secret",
];

interface TenantFixture {
  id: string;
  label: string;
  secret: string;
  companyId: string;
}

const sessionHash = (token: string) => createHash("sha256").update(token).digest("hex");

/** One row in every tenant-owned table for tenant `label`, written as the owner (RLS not applied). */
async function seedTenant(client: pg.Client, label: string, isActive = true): Promise<TenantFixture> {
  const id = async (sql: string, params: unknown[]) => (await client.query<{ id: string }>(sql, params)).rows[0]!.id;
  const tenant = await client.query<{ id: string; secret: string }>(
    `INSERT INTO tenants (name, slug, is_active) VALUES ($1, $2, $3) RETURNING id, timelinesai_webhook_secret AS secret`,
    [`Tenant ${label}`, `tenant-${label}`, isActive],
  );
  const t = tenant.rows[0]!.id;
  const user = await id(
    `INSERT INTO users (tenant_id, email, name, password_hash, role) VALUES ($1, $2, $3, 'x', 'ADMIN') RETURNING id`,
    [t, `admin@${label}.example`, `Admin ${label}`],
  );
  await client.query(
    `INSERT INTO user_sessions (tenant_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, now() + interval '1 hour')`,
    [t, user, sessionHash(`live-${label}`)],
  );
  const company = await id(`INSERT INTO gold_companies (tenant_id, denumire, cui) VALUES ($1, $2, $3) RETURNING id`, [
    t,
    `Ferma ${label} SRL`,
    `RO${label}`,
  ]);
  const phone = await id(
    `INSERT INTO wa_phone_numbers (tenant_id, label, phone_number, timelinesai_account_id) VALUES ($1, 'P1', $2, $3) RETURNING id`,
    [t, `+4070000${label}`, `4070000${label}@s.whatsapp.net`],
  );
  await client.query(`INSERT INTO wa_quota_usage (tenant_id, phone_id, usage_date) VALUES ($1, $2, current_date)`, [t, phone]);
  const template = await id(
    `INSERT INTO outreach_templates (tenant_id, name, channel, content) VALUES ($1, 'Intro', 'WHATSAPP', '{Bună|Salut}') RETURNING id`,
    [t],
  );
  const version = await id(
    `INSERT INTO template_versions (tenant_id, template_id, version_number, content) VALUES ($1, $2, 1, 'Bună') RETURNING id`,
    [t, template],
  );
  const sequence = await id(`INSERT INTO outreach_sequences (tenant_id, name) VALUES ($1, 'Standard') RETURNING id`, [t]);
  await client.query(
    `INSERT INTO outreach_sequence_steps (tenant_id, sequence_id, step_number, channel, template_id) VALUES ($1, $2, 1, 'WHATSAPP', $3)`,
    [t, sequence, template],
  );
  const journey = await id(
    `INSERT INTO gold_lead_journey (tenant_id, lead_id, assigned_phone_id, current_sequence_id, assigned_to_user)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [t, company, phone, sequence, user],
  );
  await client.query(
    `INSERT INTO sequence_enrollments (tenant_id, journey_id, lead_id, sequence_id) VALUES ($1, $2, $3, $4)`,
    [t, journey, company, sequence],
  );
  const message = await id(
    `INSERT INTO gold_communication_log (tenant_id, journey_id, lead_id, channel, direction, external_message_id,
       idempotency_key, phone_id, sequence_id, template_id, template_version_id, quota_cost)
     VALUES ($1, $2, $3, 'WHATSAPP', 'OUTBOUND', $4, $5, $6, $7, $8, $9, 1) RETURNING id`,
    [t, journey, company, `msg-${label}`, `send-${label}`, phone, sequence, template, version],
  );
  await client.query(
    `INSERT INTO human_review_queue (tenant_id, journey_id, lead_id, reason, priority, sla_due_at, trigger_message_id, assigned_to_user)
     VALUES ($1, $2, $3, 'NEGATIVE_SENTIMENT', 'URGENT', now() + interval '1 hour', $4, $5)`,
    [t, journey, company, message, user],
  );
  await client.query(`INSERT INTO outreach_daily_stats (tenant_id, stat_date) VALUES ($1, current_date)`, [t]);
  await client.query(
    `INSERT INTO webhook_events (tenant_id, provider, provider_event_id, event_type, payload, raw_body)
     VALUES ($1, 'RESEND', $2, 'email.delivered', '{}', '{}')`,
    [t, `evt-${label}`],
  );
  await client.query(
    `INSERT INTO lead_state_history (tenant_id, journey_id, lead_id, from_state, to_state, actor_type, actor_id)
     VALUES ($1, $2, $3, 'COLD', 'CONTACTED_WA', 'JOB', 'q:wa')`,
    [t, journey, company],
  );
  await client.query(
    `INSERT INTO alerts (tenant_id, severity, type, title, message, phone_id, acknowledged_by)
     VALUES ($1, 'HIGH', 'phone:offline', 'Telefon offline', 'P1 offline', $2, $3)`,
    [t, phone, user],
  );
  const campaign = await id(
    `INSERT INTO email_campaigns (tenant_id, instantly_campaign_id, name, sequence_id) VALUES ($1, $2, 'Cold', $3) RETURNING id`,
    [t, `campaign-${label}`, sequence],
  );
  // The analytics breakdowns of the daily statistics.
  await client.query(
    `INSERT INTO outreach_daily_step_stats (tenant_id, stat_date, sequence_id, step_number, channel) VALUES ($1, current_date, $2, 1, 'WHATSAPP')`,
    [t, sequence],
  );
  await client.query(
    `INSERT INTO outreach_daily_template_stats (tenant_id, stat_date, template_id, template_version_id) VALUES ($1, current_date, $2, $3)`,
    [t, template, version],
  );
  await client.query(`INSERT INTO outreach_daily_phone_stats (tenant_id, stat_date, phone_id) VALUES ($1, current_date, $2)`, [t, phone]);
  await client.query(`INSERT INTO outreach_daily_rep_stats (tenant_id, stat_date, user_id) VALUES ($1, current_date, $2)`, [t, user]);
  await client.query(`INSERT INTO outreach_daily_campaign_stats (tenant_id, stat_date, campaign_id) VALUES ($1, current_date, $2)`, [t, campaign]);
  await client.query(`INSERT INTO outreach_daily_channel_stats (tenant_id, stat_date, channel) VALUES ($1, current_date, 'WHATSAPP')`, [t]);
  await client.query(
    `INSERT INTO do_not_contact (tenant_id, type, value, created_by) VALUES ($1, 'PHONE', $2, $3)`,
    [t, `+4079999${label}`, user],
  );
  await client.query(
    `INSERT INTO audit_log (tenant_id, actor_user_id, action, entity_type, entity_id) VALUES ($1, $2, 'lead.update', 'lead', $3)`,
    [t, user, company],
  );
  await client.query(`INSERT INTO dispatch_runs (tenant_id, slot_start, status) VALUES ($1, '2026-06-10T07:00:00Z', 'DONE')`, [t]);
  const operation = await id(
    `INSERT INTO bulk_operations (tenant_id, kind, created_by, lead_ids, total) VALUES ($1, 'PAUSE', $2, ARRAY[$3::uuid], 1) RETURNING id`,
    [t, user, company],
  );
  await client.query(
    `INSERT INTO lead_imports (tenant_id, file_name, content, delimiter, row_count, created_by, operation_id) VALUES ($1, 'ferme.csv', 'Denumire', ',', 0, $2, $3)`,
    [t, user, operation],
  );
  await client.query(
    `INSERT INTO lead_decisions (tenant_id, journey_id, stage, result, outcome, at) VALUES ($1, $2, 'dispatch', 'NO_PHONE', '{"result":"NO_PHONE"}', now())`,
    [t, journey],
  );
  await client.query(`INSERT INTO lead_notes (tenant_id, journey_id, author_id, body) VALUES ($1, $2, $3, 'Sunați după 15:00')`, [t, journey, user]);
  await client.query(`INSERT INTO lead_list_views (tenant_id, owner_id, name, filters, shared) VALUES ($1, $2, 'Iași, reci', '{"county":"Iași"}', true)`, [t, user]);
  const answer = await id(
    `INSERT INTO reply_answers (tenant_id, journey_id, lead_id, idempotency_key, channel, body, source) VALUES ($1, $2, $3, $4, 'WHATSAPP', 'Bună ziua', 'TEMPLATE') RETURNING id`,
    [t, journey, company, `ai:${label}`],
  );
  await client.query(`UPDATE human_review_queue SET answer_id = $2 WHERE tenant_id = $1`, [t, answer]);
  await client.query(`INSERT INTO contact_suggestions (tenant_id, journey_id, lead_id, name) VALUES ($1, $2, $3, 'Andrei')`, [t, journey, company]);
  const review = (await client.query<{ id: string }>(`SELECT id FROM human_review_queue WHERE tenant_id = $1`, [t])).rows[0]!.id;
  await client.query(`INSERT INTO review_notes (tenant_id, review_id, author_id, body) VALUES ($1, $2, $3, 'Sunat')`, [t, review, user]);
  await client.query(`INSERT INTO notifications (tenant_id, user_id, kind, review_id, dedupe_key) VALUES ($1, $2, 'review.assigned', $3, 'k')`, [t, user, review]);
  await client.query(
    `INSERT INTO api_keys (tenant_id, name, prefix, key_hash, scope, created_by) VALUES ($1, 'CRM', 'ck_live_x', $2, 'READ', $3)`,
    [t, sessionHash(`api-key-${label}`), user],
  );
  await client.query(
    `INSERT INTO gold_communication_log_archive (id, tenant_id, journey_id, lead_id, channel, direction, status, quota_cost, metadata, created_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3, 'WHATSAPP', 'OUTBOUND', 'SENT', 0, '{}', now() - interval '100 days', now() - interval '100 days')`,
    [t, journey, company],
  );
  return { id: t, label, secret: tenant.rows[0]!.secret, companyId: company };
}

describe("row-level security for the app role", () => {
  let db: TestDatabase;
  let app: pg.Client;
  let a: TenantFixture;
  let b: TenantFixture;
  let inactive: TenantFixture;
  /** Every table with a tenant_id column, plus tenants itself. */
  let tenantTables: string[];
  const tenantColumn = (table: string) => (table === "tenants" ? "id" : "tenant_id");

  /** Runs fn in a transaction scoped to `tenantId` (or to no tenant), always rolled back. */
  async function asTenant<T>(tenantId: string | null, fn: (client: pg.Client) => Promise<T>): Promise<T> {
    await app.query("BEGIN");
    try {
      if (tenantId) await app.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      return await fn(app);
    } finally {
      await app.query("ROLLBACK");
    }
  }
  const count = async (client: pg.Client, sql: string, params: unknown[] = []) =>
    Number((await client.query<{ n: string }>(sql, params)).rows[0]!.n);

  beforeAll(async () => {
    db = await createDatabase("rls", { migrated: true });
    await withClient(db.adminUrl, async (admin) => {
      a = await seedTenant(admin, "a");
      b = await seedTenant(admin, "b");
      inactive = await seedTenant(admin, "c", false);
      // Sessions that must not resolve: expired, and one of a deactivated user.
      const user = await admin.query<{ id: string }>(`SELECT id FROM users WHERE tenant_id = $1`, [a.id]);
      await admin.query(
        `INSERT INTO user_sessions (tenant_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, now() - interval '1 second')`,
        [a.id, user.rows[0]!.id, sessionHash("expired-a")],
      );
      const off = await admin.query<{ id: string }>(
        `INSERT INTO users (tenant_id, email, name, password_hash, is_active) VALUES ($1, 'off@a.example', 'Off', 'x', false) RETURNING id`,
        [a.id],
      );
      await admin.query(
        `INSERT INTO user_sessions (tenant_id, user_id, token_hash, expires_at) VALUES ($1, $2, $3, now() + interval '1 hour')`,
        [a.id, off.rows[0]!.id, sessionHash("live-a-deactivated-user")],
      );
      const tables = await admin.query<{ table: string }>(
        `SELECT c.relname::text AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
           AND (c.relname = 'tenants' OR EXISTS (
             SELECT 1 FROM pg_attribute x WHERE x.attrelid = c.oid AND x.attname = 'tenant_id' AND NOT x.attisdropped))
         ORDER BY 1`,
      );
      tenantTables = tables.rows.map((row) => row.table);
    });
    app = new pg.Client({ connectionString: db.appUrl });
    await app.connect();
  }, 120_000);

  afterAll(async () => {
    await app?.end();
    await db?.drop();
  });

  describe("catalog", () => {
    it("puts every public table either under the tenant rule or on the short list of exceptions", async () => {
      const all = await withClient(db.adminUrl, async (admin) => {
        const result = await admin.query<{ table: string }>(
          `SELECT c.relname::text AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
        );
        return result.rows.map((row) => row.table);
      });
      expect(tenantTables.length).toBeGreaterThanOrEqual(20);
      expect(all.filter((table) => !tenantTables.includes(table))).toEqual([...NOT_TENANT_OWNED.keys()].sort());
    });

    it("enables (not forces) RLS on every tenant-owned table, with tenant_isolation as its only policy", async () => {
      const facts = await withClient(db.adminUrl, async (admin) => {
        const result = await admin.query<{
          table: string;
          enabled: boolean;
          forced: boolean;
          policies: Array<{ name: string; cmd: string; permissive: string; roles: string[]; qual: string; check: string }>;
        }>(
          `SELECT c.relname::text AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
                  coalesce((SELECT json_agg(json_build_object('name', p.policyname, 'cmd', p.cmd, 'permissive', p.permissive,
                              'roles', p.roles, 'qual', p.qual, 'check', p.with_check))
                            FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname), '[]') AS policies
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relname = ANY($1) ORDER BY 1`,
          [tenantTables],
        );
        return result.rows;
      });
      expect(facts.map((f) => f.table)).toEqual(tenantTables);
      for (const table of facts) {
        const rule = `(${tenantColumn(table.table)} = app_current_tenant_id())`;
        expect({ table: table.table, enabled: table.enabled, forced: table.forced, policies: table.policies }).toEqual({
          table: table.table,
          enabled: true,
          forced: false,
          policies: [{ name: "tenant_isolation", cmd: "ALL", permissive: "PERMISSIVE", roles: ["public"], qual: rule, check: rule }],
        });
      }
    });

    it("has a fixture row for two tenants in every tenant-owned table (extend seedTenant for new tables)", async () => {
      const empty = await withClient(db.adminUrl, async (admin) => {
        const missing: string[] = [];
        for (const table of tenantTables) {
          for (const tenant of [a, b]) {
            const n = await count(admin, `SELECT count(*) AS n FROM ${pg.escapeIdentifier(table)} WHERE ${tenantColumn(table)} = $1`, [tenant.id]);
            if (n === 0) missing.push(`${table} (tenant ${tenant.label})`);
          }
        }
        return missing;
      });
      expect(empty).toEqual([]);
    });
  });

  describe("reads", () => {
    it("sees no row of any tenant-owned table while no tenant is set", async () => {
      const visible = await asTenant(null, async (client) => {
        const counts: Record<string, number> = {};
        for (const table of tenantTables) counts[table] = await count(client, `SELECT count(*) AS n FROM ${pg.escapeIdentifier(table)}`);
        return counts;
      });
      expect(visible).toEqual(Object.fromEntries(tenantTables.map((table) => [table, 0])));
    });

    it("sees exactly tenant A's rows while tenant A is set", async () => {
      const expected = await withClient(db.adminUrl, async (admin) => {
        const counts: Record<string, number> = {};
        for (const table of tenantTables) {
          counts[table] = await count(admin, `SELECT count(*) AS n FROM ${pg.escapeIdentifier(table)} WHERE ${tenantColumn(table)} = $1`, [a.id]);
        }
        return counts;
      });
      const visible = await asTenant(a.id, async (client) => {
        const counts: Record<string, number> = {};
        for (const table of tenantTables) {
          const quoted = pg.escapeIdentifier(table);
          const foreign = await count(client, `SELECT count(*) AS n FROM ${quoted} WHERE ${tenantColumn(table)} <> $1`, [a.id]);
          expect(foreign, `${table} shows another tenant's rows`).toBe(0);
          counts[table] = await count(client, `SELECT count(*) AS n FROM ${quoted}`);
        }
        return counts;
      });
      expect(visible).toEqual(expected);
    });

    it("does not carry the tenant past the transaction that set it", async () => {
      await app.query("BEGIN");
      await app.query(`SELECT set_config('app.tenant_id', $1, true)`, [a.id]);
      expect(await count(app, "SELECT count(*) AS n FROM gold_companies")).toBe(1);
      await app.query("COMMIT");
      expect(await count(app, "SELECT count(*) AS n FROM gold_companies")).toBe(0);
    });
  });

  describe("writes", () => {
    it("updates and deletes none of tenant B's rows while tenant A is set", async () => {
      const touched = await asTenant(a.id, async (client) => {
        const rows: Record<string, number> = {};
        for (const table of tenantTables) {
          const quoted = pg.escapeIdentifier(table);
          const column = tenantColumn(table);
          const updated = await client.query(`UPDATE ${quoted} SET ${column} = ${column} WHERE ${column} = $1`, [b.id]);
          const deleted = await client.query(`DELETE FROM ${quoted} WHERE ${column} = $1`, [b.id]);
          rows[table] = (updated.rowCount ?? 0) + (deleted.rowCount ?? 0);
        }
        return rows;
      });
      expect(touched).toEqual(Object.fromEntries(tenantTables.map((table) => [table, 0])));
    });

    it("rejects inserting a row for tenant B while tenant A is set, in every table", async () => {
      for (const table of tenantTables) {
        const quoted = pg.escapeIdentifier(table);
        // A copy of one of A's own rows, re-labelled as B's (new id so only the policy can object).
        const relabel =
          table === "tenants"
            ? `jsonb_build_object('id', $1::uuid, 'slug', 'stolen')`
            : `jsonb_build_object('id', gen_random_uuid(), 'tenant_id', $1::uuid)`;
        await asTenant(a.id, async (client) => {
          // Generated columns (search_text, state_code …) cannot be written: copy the others.
          const writable = await client.query<{ name: string }>(
            `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
            [table],
          );
          const columns = writable.rows.map((r) => pg.escapeIdentifier(r.name)).join(", ");
          await expectSqlState(
            client.query(
              `INSERT INTO ${quoted} (${columns}) SELECT ${columns} FROM (SELECT (jsonb_populate_record(NULL::${quoted}, to_jsonb(x) || ${relabel})).* FROM ${quoted} x LIMIT 1) r`,
              [b.id],
            ),
            "42501",
          );
        });
      }
    });

    it("rejects moving tenant A's rows to tenant B, in every table", async () => {
      for (const table of tenantTables) {
        const column = tenantColumn(table);
        await asTenant(a.id, (client) =>
          expectSqlState(client.query(`UPDATE ${pg.escapeIdentifier(table)} SET ${column} = $1`, [b.id]), "42501"),
        );
      }
    });

    it("cannot point a row of tenant A at tenant B's data, even knowing its id (composite foreign keys)", async () => {
      await asTenant(a.id, (client) =>
        expectSqlState(client.query(`INSERT INTO gold_lead_journey (tenant_id, lead_id) VALUES ($1, $2)`, [a.id, b.companyId]), "23503"),
      );
    });

    it("enforces the value rules the datamodel cannot express", async () => {
      await asTenant(a.id, async (client) => {
        const cases: Array<[string, unknown[]]> = [
          [`UPDATE gold_communication_log SET quota_cost = 2`, []],
          [`UPDATE gold_lead_journey SET sentiment_score = 101`, []],
          [`UPDATE wa_phone_numbers SET reputation_score = -1`, []],
          [`UPDATE users SET email = 'Mixed@Case.example'`, []],
          [`UPDATE human_review_queue SET reason = NULL`, []],
          [`UPDATE tenants SET sending_days = ARRAY[0]`, []],
        ];
        for (const [sql, params] of cases) {
          await client.query("SAVEPOINT rule");
          await expectSqlState(client.query(sql, params), "23514");
          await client.query("ROLLBACK TO SAVEPOINT rule");
        }
      });
    });
  });

  describe("tables outside the tenant rule", () => {
    it("lets the app add webhook rejections but never read, change or delete them", async () => {
      await app.query(
        `INSERT INTO webhook_rejections (provider, reason, headers, body) VALUES ('TIMELINESAI', 'unknown secret', '{}', 'payload')`,
      );
      await expectSqlState(app.query("SELECT * FROM webhook_rejections"), "42501");
      await expectSqlState(app.query("UPDATE webhook_rejections SET reason = 'x'"), "42501");
      await expectSqlState(app.query("DELETE FROM webhook_rejections"), "42501");
      const stored = await withClient(db.adminUrl, (admin) => count(admin, "SELECT count(*) AS n FROM webhook_rejections"));
      expect(stored).toBe(1);
    });

    it("keeps webhook rejections unreadable even if SELECT is granted later (RLS has no read policy)", async () => {
      const appUser = decodeURIComponent(new URL(db.appUrl).username);
      await withClient(db.adminUrl, (admin) => admin.query(`GRANT SELECT ON webhook_rejections TO ${pg.escapeIdentifier(appUser)}`));
      try {
        expect(await count(app, "SELECT count(*) AS n FROM webhook_rejections")).toBe(0);
      } finally {
        await withClient(db.adminUrl, (admin) => admin.query(`REVOKE SELECT ON webhook_rejections FROM ${pg.escapeIdentifier(appUser)}`));
      }
    });

    it("gives the app no access to the migration bookkeeping", async () => {
      await expectSqlState(app.query(`SELECT * FROM "_prisma_migrations"`), "42501");
    });
  });

  describe("SECURITY DEFINER lookups (before a tenant is known)", () => {
    it("are exactly the expected functions: pinned search_path, not executable by PUBLIC, executable by the app", async () => {
      const appUser = decodeURIComponent(new URL(db.appUrl).username);
      const functions = await withClient(db.adminUrl, async (admin) => {
        const result = await admin.query<{ name: string; config: string[] | null; public_execute: boolean; app_execute: boolean }>(
          `SELECT p.proname::text AS name, p.proconfig AS config,
                  (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) x WHERE x.grantee = 0 AND x.privilege_type = 'EXECUTE'))
                    AS public_execute,
                  has_function_privilege($1, p.oid, 'EXECUTE') AS app_execute
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = 'public' AND p.prosecdef ORDER BY 1`,
          [appUser],
        );
        return result.rows;
      });
      expect(functions).toEqual(
        DEFINER_FUNCTIONS.map((name) => ({ name, config: ["search_path=public, pg_temp"], public_execute: false, app_execute: true })),
      );
    });

    it("auth_user_for_login finds a user by case-insensitive email, folding in tenant deactivation", async () => {
      const found = await app.query(`SELECT tenant_id, role, is_active, name, locale FROM auth_user_for_login($1)`, ["  ADMIN@A.Example "]);
      expect(found.rows).toEqual([{ tenant_id: a.id, role: "ADMIN", is_active: true, name: "Admin a", locale: "ro" }]);
      const ofInactiveTenant = await app.query(`SELECT is_active FROM auth_user_for_login('admin@c.example')`);
      expect(ofInactiveTenant.rows).toEqual([{ is_active: false }]);
      expect((await app.query(`SELECT * FROM auth_user_for_login('nobody@a.example')`)).rows).toEqual([]);
      expect((await app.query(`SELECT * FROM auth_user_for_login('')`)).rows).toEqual([]);
    });

    it("auth_session_lookup resolves only a live session of an active user in an active tenant", async () => {
      const live = await app.query(`SELECT tenant_id, tenant_name, email, role FROM auth_session_lookup($1)`, [sessionHash("live-a")]);
      expect(live.rows).toEqual([{ tenant_id: a.id, tenant_name: "Tenant a", email: "admin@a.example", role: "ADMIN" }]);
      for (const token of ["expired-a", "live-a-deactivated-user", "live-c", "never-issued"]) {
        expect((await app.query(`SELECT * FROM auth_session_lookup($1)`, [sessionHash(token)])).rows, token).toEqual([]);
      }
    });

    it("system_active_tenant_ids lists the active tenants only", async () => {
      const ids = await app.query<{ id: string }>(`SELECT system_active_tenant_ids() AS id`);
      expect(ids.rows.map((row) => row.id)).toEqual([a.id, b.id].sort());
      expect(ids.rows.map((row) => row.id)).not.toContain(inactive.id);
    });

    it("resolve webhook tenants from a TimelinesAI secret, an Instantly campaign or a provider message id", async () => {
      const one = async (sql: string, param: string | null) => (await app.query<{ t: string | null }>(`SELECT ${sql}($1) AS t`, [param])).rows[0]!.t;
      expect(await one("tenant_for_timelinesai_secret", a.secret)).toBe(a.id);
      expect(await one("tenant_for_timelinesai_secret", b.secret)).toBe(b.id);
      expect(await one("tenant_for_timelinesai_secret", inactive.secret)).toBeNull();
      expect(await one("tenant_for_timelinesai_secret", "not-a-secret")).toBeNull();
      expect(await one("tenant_for_timelinesai_secret", "")).toBeNull();
      expect(await one("tenant_for_timelinesai_secret", null)).toBeNull();
      expect(await one("tenant_for_instantly_campaign", "campaign-b")).toBe(b.id);
      expect(await one("tenant_for_instantly_campaign", "campaign-c")).toBeNull();
      expect(await one("tenant_for_instantly_campaign", "campaign-z")).toBeNull();
      expect(await one("tenant_for_external_message", "msg-a")).toBe(a.id);
      expect(await one("tenant_for_external_message", "msg-z")).toBeNull();
    });
  });
});
