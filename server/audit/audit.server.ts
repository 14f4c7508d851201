/**
 * The audit log: one row per human (or operator-command) action, written in the transaction of the
 * change it records, so the log cannot disagree with the data. Every use case that a person triggers
 * calls `recordAudit` itself; routers never do.
 *
 * `before` / `after` are JSON snapshots of what matters to a reader (a state, a reason, counts): never
 * secrets, and never personal data a GDPR erasure would have to chase (say what was erased, not the data).
 */
import type { TenantTx } from "../db/client.server";
import type { Prisma } from "../generated/prisma/client";
import { actorDetails, auditActor, type Actor } from "./actor";

export interface AuditEntry {
  tenantId: string;
  actor: Actor;
  /** `<entity>.<verb>`, e.g. lead.transition, template.update, dead_letter.retry. */
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  userAgent?: string | null;
}

/** Plain JSON (dates as ISO text, undefined dropped), as jsonb stores it. */
const json = (value: unknown): Prisma.InputJsonValue => JSON.parse(JSON.stringify(value ?? null)) as Prisma.InputJsonValue;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export async function recordAudit(tx: TenantTx, entry: AuditEntry): Promise<void> {
  const who = auditActor(entry.actor);
  // The log has a column for a user, not for a job's or a webhook's name: that goes into `after`.
  const named = actorDetails(entry.actor);
  const after = named.actor === undefined ? entry.after : { ...(isRecord(entry.after) ? entry.after : entry.after === undefined ? {} : { value: entry.after }), ...named };
  await tx.auditLog.create({
    data: {
      tenantId: entry.tenantId,
      actorType: who.actorType,
      actorUserId: who.actorUserId,
      ip: who.ip,
      userAgent: entry.userAgent ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      ...(entry.before !== undefined ? { before: json(entry.before) } : {}),
      ...(after !== undefined ? { after: json(after) } : {}),
    },
    select: { id: true },
  });
}

export interface AuditedWrite<T> {
  tenantId: string;
  actor: Actor;
  action: string;
  entityType: string;
  entityId: (result: T) => string | null;
  /** Read before the write (the state a reader compares with); omitted for creations. */
  before?: () => Promise<unknown>;
  /** What to record of the result; the whole result when omitted. */
  after?: (result: T) => unknown;
}

/**
 * A person's write and its audit row in the caller's transaction: what procedures call when the
 * domain operation itself is actor-free (creating a template, pausing one enrollment).
 */
export async function audited<T>(tx: TenantTx, entry: AuditedWrite<T>, write: () => Promise<T>): Promise<T> {
  const before = entry.before ? await entry.before() : undefined;
  const result = await write();
  await recordAudit(tx, {
    tenantId: entry.tenantId,
    actor: entry.actor,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId(result),
    before,
    after: entry.after ? entry.after(result) : result,
  });
  return result;
}
