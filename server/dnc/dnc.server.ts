/**
 * The do-not-contact list (suppression list) of a tenant: list with search, add, remove, import.
 * Values are stored as keys (keys.ts), so every check is an exact match on the unique index
 * (tenant_id, type, value). The send paths check it themselves (dispatch, wa.send, email sends, manual
 * sends); this module is the list's management, audited.
 *
 * Audit rows name the entry and its type, never the phone or address itself: the audit log outlives
 * a GDPR erasure and must not be a second copy of the list.
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { DomainError, notFound } from "../errors";
import type { DncType } from "../generated/prisma/enums";
import { dncKey, isHashedValue } from "./keys";
import { MAX_IMPORT_ROWS } from "./limits";

export interface DncEntry {
  id: string;
  type: DncType;
  /** The key, or null for an entry kept hashed after a GDPR erasure (nothing to show). */
  value: string | null;
  hashed: boolean;
  reason: string | null;
  source: string | null;
  createdBy: { id: string; name: string } | null;
  createdAt: Date;
}

export interface DncListInput {
  search?: string;
  type?: DncType;
  page: number;
  pageSize: number;
}

export async function listDoNotContact(tx: TenantTx, input: DncListInput): Promise<{ items: DncEntry[]; total: number }> {
  const search = input.search?.trim();
  // A search for a phone written in any national form finds its key; other text matches anywhere.
  const phone = search ? dncKey("PHONE", search) : null;
  const where = {
    ...(input.type ? { type: input.type } : {}),
    ...(search
      ? {
          OR: [
            { value: { contains: search.toLowerCase(), mode: "insensitive" as const } },
            ...(phone && /\d{6,}/.test(search.replace(/\D/g, "")) ? [{ value: { contains: phone } }] : []),
            { reason: { contains: search, mode: "insensitive" as const } },
            { source: { contains: search, mode: "insensitive" as const } },
          ],
        }
      : {}),
  };
  const rows = await tx.doNotContact.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    skip: (input.page - 1) * input.pageSize,
    take: input.pageSize,
    select: { id: true, type: true, value: true, reason: true, source: true, createdAt: true, createdByUser: { select: { id: true, name: true } } },
  });
  const total = await tx.doNotContact.count({ where });
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      type: r.type,
      value: isHashedValue(r.value) ? null : r.value,
      hashed: isHashedValue(r.value),
      reason: r.reason,
      source: r.source,
      createdBy: r.createdByUser,
      createdAt: r.createdAt,
    })),
  };
}

export interface DncAdd {
  tenantId: string;
  actor: Actor;
  type: DncType;
  value: string;
  reason?: string | null;
  /** e.g. manual, import:<file name>, lead:opt_out, reply:opt_out. */
  source: string;
  now: Date;
}

export function invalidValue(type: DncType): DomainError {
  return new DomainError("BAD_INPUT", "DNC_VALUE_INVALID", `not a valid ${type.toLowerCase()}`, { type });
}

/**
 * Adds one entry (or finds it: adding what is already listed is not an error). In the caller's
 * transaction, so an opt-out writes its entries with the journey's flags or not at all.
 */
export async function addDoNotContact(tx: TenantTx, input: DncAdd, options: { audit?: boolean } = {}): Promise<{ id: string; created: boolean; value: string }> {
  const key = dncKey(input.type, input.value);
  if (!key) throw invalidValue(input.type);
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    INSERT INTO do_not_contact (tenant_id, type, value, reason, source, created_by, created_at)
    VALUES (${input.tenantId}::uuid, ${input.type}::dnc_type_enum, ${key}, ${input.reason ?? null}, ${input.source},
            ${input.actor.type === "USER" ? input.actor.userId : null}::uuid, ${input.now})
    ON CONFLICT (tenant_id, type, value) DO NOTHING
    RETURNING id::text`;
  const created = rows[0];
  if (!created) {
    const existing = await tx.doNotContact.findFirstOrThrow({ where: { type: input.type, value: key }, select: { id: true } });
    return { id: existing.id, created: false, value: key };
  }
  if (options.audit !== false) {
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "dnc.add",
      entityType: "do_not_contact",
      entityId: created.id,
      after: { type: input.type, source: input.source, reason: input.reason ?? null },
    });
  }
  return { id: created.id, created: true, value: key };
}

export async function removeDoNotContact(tx: TenantTx, input: { tenantId: string; actor: Actor; id: string; reason: string }): Promise<{ removed: true }> {
  const entry = await tx.doNotContact.findUnique({ where: { id: input.id }, select: { id: true, type: true, value: true, source: true } });
  if (!entry) throw notFound("do-not-contact entry", input.id);
  // A hashed entry is what is left of a person who asked to be erased: removing it would let a
  // later import contact them again.
  if (isHashedValue(entry.value)) throw new DomainError("PRECONDITION_FAILED", "DNC_ENTRY_ERASED_PERSON", "entries kept after a GDPR erasure cannot be removed");
  await tx.doNotContact.delete({ where: { id: entry.id } });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "dnc.remove",
    entityType: "do_not_contact",
    entityId: entry.id,
    before: { type: entry.type, source: entry.source },
    after: { reason: input.reason },
  });
  return { removed: true };
}

export { MAX_IMPORT_ROWS };

export interface DncImportRow {
  type: DncType;
  value: string;
  reason?: string | null;
}

export interface DncImportResult {
  added: number;
  /** Already on the list, or repeated in the file. */
  duplicates: number;
  invalid: Array<{ row: number; type: DncType; value: string }>;
}

/**
 * A list from a file (the page parses the CSV with papaparse and sends typed rows). All rows in one
 * statement: the import is all or nothing, invalid rows are reported and skipped, never stored.
 */
export async function importDoNotContact(
  tx: TenantTx,
  input: { tenantId: string; actor: Actor; rows: DncImportRow[]; fileName: string; now: Date },
): Promise<DncImportResult> {
  if (input.rows.length > MAX_IMPORT_ROWS) throw new DomainError("BAD_INPUT", "DNC_IMPORT_TOO_LARGE", `at most ${MAX_IMPORT_ROWS} rows per import`);
  const invalid: DncImportResult["invalid"] = [];
  const seen = new Set<string>();
  const types: DncType[] = [];
  const values: string[] = [];
  const reasons: Array<string | null> = [];
  let duplicates = 0;
  input.rows.forEach((r, i) => {
    const key = dncKey(r.type, r.value);
    if (!key) {
      invalid.push({ row: i + 1, type: r.type, value: r.value.slice(0, 200) });
      return;
    }
    if (seen.has(`${r.type}:${key}`)) {
      duplicates += 1;
      return;
    }
    seen.add(`${r.type}:${key}`);
    types.push(r.type);
    values.push(key);
    reasons.push(r.reason?.trim() ? r.reason.trim().slice(0, 500) : null);
  });
  const source = `import:${input.fileName.slice(0, 200)}`;
  const inserted = values.length
    ? await tx.$queryRaw<Array<{ n: number }>>`
        WITH added AS (
          INSERT INTO do_not_contact (tenant_id, type, value, reason, source, created_by, created_at)
          SELECT ${input.tenantId}::uuid, t, v, r, ${source}, ${input.actor.type === "USER" ? input.actor.userId : null}::uuid, ${input.now}
            FROM unnest(${types}::dnc_type_enum[], ${values}::text[], ${reasons}::text[]) AS u(t, v, r)
          ON CONFLICT (tenant_id, type, value) DO NOTHING
          RETURNING 1)
        SELECT count(*)::int AS n FROM added`
    : [{ n: 0 }];
  const added = inserted[0]?.n ?? 0;
  duplicates += values.length - added;
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "dnc.import",
    entityType: "do_not_contact",
    entityId: null,
    after: { source, rows: input.rows.length, added, duplicates, invalid: invalid.length },
  });
  return { added, duplicates, invalid };
}

/** Which of a lead's contacts are listed (plain or hashed), for the lead page and the manual send. */
export async function dncStatusOf(tx: TenantTx, contact: { phone: string | null; email: string | null }): Promise<{ phone: boolean; email: boolean; domain: boolean }> {
  const [row] = await tx.$queryRaw<Array<{ phone: boolean; email: boolean; domain: boolean }>>`
    SELECT
      (${contact.phone}::text IS NOT NULL AND dnc_phone_listed(${contact.phone}::text)) AS phone,
      (${contact.email}::text IS NOT NULL AND EXISTS (SELECT 1 FROM do_not_contact d WHERE d.type = 'EMAIL'
          AND d.value IN (lower(btrim(${contact.email}::text)), dnc_hashed(lower(btrim(${contact.email}::text)))))) AS email,
      (${contact.email}::text IS NOT NULL AND EXISTS (SELECT 1 FROM do_not_contact d WHERE d.type = 'DOMAIN'
          AND d.value IN (lower(split_part(btrim(${contact.email}::text), '@', 2)), dnc_hashed(lower(split_part(btrim(${contact.email}::text), '@', 2)))))) AS domain`;
  return row ?? { phone: false, email: false, domain: false };
}
