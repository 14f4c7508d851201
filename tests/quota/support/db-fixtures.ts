/**
 * Rows for the quota/phone integration tests, written through the owner connection (which bypasses
 * row-level security) so a test can set up any state, then exercised through the app role.
 */
import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { PhoneStatus } from "../../../server/phones/status";

export async function createTenant(admin: pg.Client, overrides: { waDailyQuota?: number } = {}): Promise<string> {
  const id = randomUUID();
  await admin.query(`INSERT INTO tenants (id, name, slug, wa_daily_quota) VALUES ($1, $2, $3, $4)`, [id, `Ferma ${id.slice(0, 6)}`, `t-${id}`, overrides.waDailyQuota ?? 200]);
  return id;
}

export async function createUser(admin: pg.Client, tenantId: string, role: "ADMIN" | "MANAGER" | "SALES_REP"): Promise<string> {
  const id = randomUUID();
  await admin.query(`INSERT INTO users (id, tenant_id, email, name, password_hash, role) VALUES ($1, $2, $3, $4, 'x', $5)`, [id, tenantId, `${id}@example.ro`, `User ${role}`, role]);
  return id;
}

/** Unique within a test file, which is all the unique index needs: each file has its own database. */
let phoneSeq = 0;

export async function createPhone(admin: pg.Client, tenantId: string, o: { status?: PhoneStatus; limit?: number; enabled?: boolean; label?: string } = {}): Promise<string> {
  const id = randomUUID();
  phoneSeq += 1;
  await admin.query(
    `INSERT INTO wa_phone_numbers (id, tenant_id, label, phone_number, timelinesai_account_id, status, daily_quota_limit, is_enabled)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [id, tenantId, o.label ?? `Sales ${phoneSeq}`, `+4079${String(phoneSeq).padStart(7, "0")}`, `${id}@s.whatsapp.net`, o.status ?? "ACTIVE", o.limit ?? 200, o.enabled ?? true],
  );
  return id;
}

export async function createJourney(admin: pg.Client, tenantId: string, phoneId: string | null, state: string): Promise<{ journeyId: string; leadId: string }> {
  const leadId = randomUUID();
  const journeyId = randomUUID();
  await admin.query(`INSERT INTO gold_companies (id, tenant_id, denumire) VALUES ($1, $2, $3)`, [leadId, tenantId, `Agro ${leadId.slice(0, 6)} SRL`]);
  await admin.query(
    `INSERT INTO gold_lead_journey (id, tenant_id, lead_id, assigned_phone_id, assigned_at, current_state) VALUES ($1, $2, $3, $4, $5, $6)`,
    [journeyId, tenantId, leadId, phoneId, phoneId ? new Date() : null, state],
  );
  return { journeyId, leadId };
}

/** One outbound WhatsApp message in the communication log (what the send worker will write). */
export async function logWhatsapp(
  admin: pg.Client,
  row: { tenantId: string; journeyId: string; leadId: string; phoneId: string; quotaCost: 0 | 1; createdAt: Date },
): Promise<void> {
  await admin.query(
    `INSERT INTO gold_communication_log (tenant_id, journey_id, lead_id, channel, direction, status, quota_cost, phone_id, created_at, sent_at)
     VALUES ($1, $2, $3, 'WHATSAPP', 'OUTBOUND', 'SENT', $4, $5, $6, $6)`,
    [row.tenantId, row.journeyId, row.leadId, row.quotaCost, row.phoneId, row.createdAt],
  );
}
