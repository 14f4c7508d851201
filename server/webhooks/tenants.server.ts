/**
 * Whose webhook is this? Answered before any tenant is set, through the narrow SECURITY DEFINER
 * lookups of the tenant_isolation / webhook_attribution migrations, with positive answers cached
 * (tenant-cache.ts explains why that is safe).
 *
 * - TimelinesAI: the secret in the URL (compared by digest, in constant time).
 * - Instantly: account-wide webhooks; the campaign id maps to exactly one tenant's email_campaigns row.
 * - Resend: account-wide webhooks, and the account may also carry mail that is not ours. Our sends
 *   carry the tenant as a tag (attribution.ts), which is authentic because the body is signed; the
 *   tag also covers the race where Resend's `email.sent` arrives before the send job has written
 *   the email id into the log. Without the tag, the email id is looked up in the communication log.
 */
import { z } from "zod";
import { digest } from "./secrets.server";
import { sqlPool, withTenantSql } from "../db/sql.server";
import { TtlCache } from "./tenant-cache";

const cache = new TtlCache<string>(60_000, 10_000);

const uuid = z.uuid();
/** Provider ids are UUIDs or short tokens; anything longer is not one of ours and is not looked up. */
const MAX_LOOKUP_KEY = 256;
const lookupRow = z.array(z.object({ tenant_id: z.string().nullable() }));

async function cached(key: string, lookup: () => Promise<string | null>): Promise<string | null> {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const tenantId = await lookup();
  if (tenantId !== null) cache.set(key, tenantId);
  return tenantId;
}

export function tenantForTimelinesSecret(secret: string): Promise<string | null> {
  // Keyed by digest: the cache's own string hashing and comparison never see the secret.
  return cached(`tl:${digest(secret).toString("hex")}`, async () => {
    const { rows } = await sqlPool().query("SELECT tenant_for_timelinesai_secret($1) AS tenant_id", [secret]);
    return lookupRow.parse(rows)[0]?.tenant_id ?? null;
  });
}

export async function tenantForInstantlyCampaign(campaignId: string): Promise<string | null> {
  if (campaignId.length > MAX_LOOKUP_KEY) return null;
  return cached(`in:${campaignId}`, async () => {
    const { rows } = await sqlPool().query("SELECT tenant_for_instantly_campaign($1) AS tenant_id", [campaignId]);
    return lookupRow.parse(rows)[0]?.tenant_id ?? null;
  });
}

export async function tenantForResendEmail(emailId: string, tenantTag: string | undefined): Promise<string | null> {
  if (tenantTag !== undefined && uuid.safeParse(tenantTag).success) {
    const tagged = await cached(`rs-tenant:${tenantTag}`, () => activeTenant(tenantTag));
    if (tagged) return tagged;
  }
  if (emailId.length > MAX_LOOKUP_KEY) return null;
  return cached(`rs-email:${emailId}`, async () => {
    const { rows } = await sqlPool().query("SELECT tenant_for_external_message($1) AS tenant_id", [emailId]);
    return lookupRow.parse(rows)[0]?.tenant_id ?? null;
  });
}

/**
 * The tag's tenant, if it exists and is active. No definer function needed: with app.tenant_id set
 * to the candidate, row-level security shows exactly that tenant's own row or nothing.
 */
async function activeTenant(tenantId: string): Promise<string | null> {
  const { rows } = await withTenantSql(tenantId, (client) => client.query<{ id: string }>("SELECT id FROM tenants WHERE id = $1 AND is_active", [tenantId]));
  return rows[0]?.id ?? null;
}
