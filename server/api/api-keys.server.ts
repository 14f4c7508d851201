/**
 * Per-tenant REST API keys: created by an admin (the key is shown once), stored as a SHA-256 hash,
 * scoped READ or WRITE, acting with a role for the procedure tiers, revocable, with the time of last
 * use. Authentication looks the hash up before a tenant is known (auth_api_key_lookup, SECURITY
 * DEFINER, like the session lookup) and turns the key into the caller the procedures already know: the
 * issuing admin with the key's role, the key named in every audit row (server/audit/actor.ts `via`).
 *
 * Keys are 32 random bytes (base64url) behind a fixed prefix: enough entropy that a fast hash is the
 * right hash (no per-key salt or bcrypt needed: nothing to guess), and the lookup is one index probe.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import { roleAtLeast, type Role, type SessionUser } from "../auth/roles";
import { getPrisma, withTenant, type TenantTx } from "../db/client.server";
import { DomainError, notFound } from "../errors";
import type { ApiKeyCaller } from "../trpc/init.server";
import type { ApiKeyView } from "./schemas";

export const API_KEY_PREFIX = "ck_live_";
const SHOWN_PREFIX_LENGTH = API_KEY_PREFIX.length + 6;
/** last_used_at is written at most this often per key: a busy integration does not write on every call. */
const TOUCH_EVERY_MS = 60_000;

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

const VIEW_SELECT = {
  id: true,
  name: true,
  prefix: true,
  scope: true,
  role: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdByUser: { select: { name: true } },
  revokedByUser: { select: { name: true } },
} as const;

function toView(row: {
  id: string;
  name: string;
  prefix: string;
  scope: "READ" | "WRITE";
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdByUser: { name: string };
  revokedByUser: { name: string } | null;
}): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope,
    role: row.role,
    createdAt: row.createdAt,
    createdBy: row.createdByUser.name,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedByUser?.name ?? null,
  };
}

export async function listApiKeys(tx: TenantTx): Promise<ApiKeyView[]> {
  const rows = await tx.apiKey.findMany({ select: VIEW_SELECT, orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }] });
  return rows.map(toView);
}

/** Only an admin issues keys, and never one with more rights than their own role. */
export async function createApiKey(
  tx: TenantTx,
  input: { tenantId: string; actor: Actor & { type: "USER" }; name: string; scope: "READ" | "WRITE"; role: Role },
): Promise<{ key: string; apiKey: ApiKeyView }> {
  if (input.actor.via) throw new DomainError("FORBIDDEN", "API_KEY_CANNOT_ISSUE_KEYS", "an API key cannot issue API keys");
  if (!roleAtLeast(input.actor.role, "ADMIN") || !roleAtLeast(input.actor.role, input.role)) {
    throw new DomainError("FORBIDDEN", "API_KEY_ROLE_FORBIDDEN", `role ${input.actor.role} cannot issue a key with role ${input.role}`);
  }
  const key = generateApiKey();
  const row = await tx.apiKey.create({
    data: { tenantId: input.tenantId, name: input.name, prefix: key.slice(0, SHOWN_PREFIX_LENGTH), keyHash: hashApiKey(key), scope: input.scope, role: input.role, createdBy: input.actor.userId },
    select: VIEW_SELECT,
  });
  await recordAudit(tx, { tenantId: input.tenantId, actor: input.actor, action: "api_key.create", entityType: "api_key", entityId: row.id, after: { name: row.name, prefix: row.prefix, scope: row.scope, role: row.role } });
  return { key, apiKey: toView(row) };
}

/** Revoked keys stop working at once (the lookup ignores them) and stay listed for the record. Idempotent. */
export async function revokeApiKey(tx: TenantTx, input: { tenantId: string; actor: Actor & { type: "USER" }; apiKeyId: string }, now: Date = new Date()): Promise<ApiKeyView> {
  const current = await tx.apiKey.findUnique({ where: { id: input.apiKeyId }, select: { id: true, revokedAt: true, name: true } });
  if (!current) throw notFound("api_key", input.apiKeyId);
  if (!current.revokedAt) {
    await tx.apiKey.update({ where: { id: current.id }, data: { revokedAt: now, revokedBy: input.actor.userId }, select: { id: true } });
    await recordAudit(tx, { tenantId: input.tenantId, actor: input.actor, action: "api_key.revoke", entityType: "api_key", entityId: current.id, before: { revoked: false }, after: { revoked: true, name: current.name } });
  }
  return toView(await tx.apiKey.findUniqueOrThrow({ where: { id: current.id }, select: VIEW_SELECT }));
}

export interface ApiKeyPrincipal {
  user: SessionUser;
  apiKey: ApiKeyCaller;
}

interface LookupRow {
  key_id: string;
  tenant_id: string;
  tenant_name: string;
  name: string;
  scope: "READ" | "WRITE";
  role: Role;
  created_by: string;
  creator_name: string;
  creator_email: string;
}

/** The caller behind a presented key, or null for an unknown or revoked key (the caller answers 401). */
export async function authenticateApiKey(key: string, now: Date = new Date()): Promise<ApiKeyPrincipal | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const rows = await getPrisma().$queryRaw<LookupRow[]>`
    SELECT key_id, tenant_id, tenant_name, name, scope::text AS scope, role::text AS role, created_by, creator_name, creator_email
    FROM auth_api_key_lookup(${hashApiKey(key)})`;
  const row = rows[0];
  if (!row) return null;
  await withTenant(row.tenant_id, (tx) =>
    tx.apiKey.updateMany({
      where: { id: row.key_id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - TOUCH_EVERY_MS) } }] },
      data: { lastUsedAt: now },
    }),
  );
  return {
    user: { id: row.created_by, tenantId: row.tenant_id, tenantName: row.tenant_name, role: row.role, name: `${row.name} (cheie API, emisă de ${row.creator_name})`, email: row.creator_email, locale: "ro", sessionId: `api-key:${row.key_id}` },
    apiKey: { id: row.key_id, name: row.name, scope: row.scope },
  };
}
