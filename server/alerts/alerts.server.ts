/**
 * Alerts (runbook §7): raised by monitors and the phone lifecycle, deduplicated while open, shown in
 * the app (bell and alerts page), acknowledged and resolved by people, and sent out once by the
 * notification outbox (notify.server.ts).
 *
 * Deduplication: an alert is identified by its `dedupe_key` (e.g. `phone:offline:<phoneId>`). While
 * one with that key is open, raising it again only counts another occurrence and refreshes the text;
 * once resolved, the next raise opens a new alert. Concurrent raisers (several worker processes) are
 * serialised by a transaction-level advisory lock on (tenant, key), so two cannot both find "none
 * open" and insert twice.
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { notFound } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { logEvent } from "../observability/logger.server";
import { ALERT_SEVERITIES, alertRule, alertStatus, responseDueAt, type AlertSeverity, type AlertType } from "./catalog";
import type { AlertCounts, AlertView } from "./schemas";

export interface NewAlert {
  tenantId: string;
  type: AlertType;
  /** Defaults to the catalog's severity for the type. */
  severity?: AlertSeverity;
  title: string;
  message: string;
  dedupeKey: string;
  phoneId?: string | null;
  metadata?: Record<string, unknown>;
}

export interface RaiseResult {
  alertId: string;
  /** False when an open alert with the same key existed and only its occurrence count moved. */
  raised: boolean;
}

const json = (value: unknown): Prisma.InputJsonValue => JSON.parse(JSON.stringify(value ?? {})) as Prisma.InputJsonValue;

async function lockKey(tx: TenantTx, tenantId: string, dedupeKey: string): Promise<void> {
  const key = `alert:${tenantId}:${dedupeKey}`;
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

export async function raiseAlert(tx: TenantTx, alert: NewAlert, now: Date = new Date()): Promise<RaiseResult> {
  await lockKey(tx, alert.tenantId, alert.dedupeKey);
  const open = await tx.alert.findFirst({ where: { dedupeKey: alert.dedupeKey, resolvedAt: null }, select: { id: true } });
  if (open) {
    await tx.alert.update({
      where: { id: open.id },
      data: { occurrences: { increment: 1 }, lastSeenAt: now, title: alert.title, message: alert.message, ...(alert.metadata ? { metadata: json(alert.metadata) } : {}) },
      select: { id: true },
    });
    return { alertId: open.id, raised: false };
  }
  const severity = alert.severity ?? alertRule(alert.type).severity;
  const created = await tx.alert.create({
    data: {
      tenantId: alert.tenantId,
      type: alert.type,
      severity,
      title: alert.title,
      message: alert.message,
      dedupeKey: alert.dedupeKey,
      phoneId: alert.phoneId ?? null,
      metadata: json(alert.metadata),
      createdAt: now,
      lastSeenAt: now,
    },
    select: { id: true },
  });
  logEvent(severity === "CRITICAL" || severity === "HIGH" ? "warn" : "info", {
    action: "alert.raised",
    tenantId: alert.tenantId,
    phoneId: alert.phoneId ?? undefined,
    metadata: { alertId: created.id, type: alert.type, severity, dedupeKey: alert.dedupeKey },
  });
  return { alertId: created.id, raised: true };
}

/**
 * The condition behind an alert cleared (the phone is back, the queue drained): the monitor resolves
 * the open alert itself, with a note saying why. Returns how many were resolved.
 */
export async function resolveAlertByKey(tx: TenantTx, input: { tenantId: string; dedupeKey: string; note: string }, now: Date = new Date()): Promise<number> {
  await lockKey(tx, input.tenantId, input.dedupeKey);
  const { count } = await tx.alert.updateMany({ where: { dedupeKey: input.dedupeKey, resolvedAt: null }, data: { resolvedAt: now, resolutionNote: input.note } });
  if (count > 0) logEvent("info", { action: "alert.resolved", tenantId: input.tenantId, metadata: { dedupeKey: input.dedupeKey, note: input.note } });
  return count;
}

/** Open alerts whose key starts with `prefix`, e.g. every `quota:exhausted:` of earlier days. */
export async function openAlertKeys(tx: TenantTx, prefix: string): Promise<string[]> {
  const rows = await tx.alert.findMany({ where: { resolvedAt: null, dedupeKey: { startsWith: prefix } }, select: { dedupeKey: true } });
  return rows.map((r) => r.dedupeKey).filter((k): k is string => k !== null);
}

// ─── People acting on alerts (audited) ────────────────────────────────────────────────────────

const ALERT_SELECT = {
  id: true,
  type: true,
  severity: true,
  title: true,
  message: true,
  phoneId: true,
  occurrences: true,
  createdAt: true,
  lastSeenAt: true,
  acknowledgedAt: true,
  resolvedAt: true,
  resolutionNote: true,
  metadata: true,
  acknowledgedUser: { select: { name: true } },
  resolvedUser: { select: { name: true } },
} as const;

type AlertRow = Prisma.AlertGetPayload<{ select: typeof ALERT_SELECT }>;

function toView(row: AlertRow): AlertView {
  const rule = alertRule(row.type);
  return {
    id: row.id,
    type: row.type,
    severity: row.severity,
    status: alertStatus(row),
    title: row.title,
    message: row.message,
    phoneId: row.phoneId,
    occurrences: row.occurrences,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    respondBy: responseDueAt(row.type, row.createdAt),
    responseMinutes: rule.responseMinutes,
    runbook: rule.runbook,
    acknowledgedAt: row.acknowledgedAt,
    acknowledgedBy: row.acknowledgedUser?.name ?? null,
    resolvedAt: row.resolvedAt,
    // A resolution without a person is the monitor seeing the condition clear.
    resolvedBy: row.resolvedUser?.name ?? null,
    resolutionNote: row.resolutionNote,
    metadata: (row.metadata ?? {}) as Record<string, unknown>,
  };
}

export interface AlertActionResult {
  alertId: string;
  status: "OPEN" | "ACKNOWLEDGED" | "RESOLVED";
  changed: boolean;
}

async function lockAlert(tx: TenantTx, alertId: string) {
  const rows = await tx.$queryRaw<Array<{ id: string; acknowledged_at: Date | null; resolved_at: Date | null; type: string }>>`
    SELECT id, acknowledged_at, resolved_at, type FROM alerts WHERE id = ${alertId}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row) throw notFound("alert", alertId);
  return row;
}

/** "I am on it": stops the bell counting it; idempotent. A person only (the audit names them). */
export async function acknowledgeAlert(tx: TenantTx, input: { tenantId: string; actor: Actor; alertId: string }, now: Date = new Date()): Promise<AlertActionResult> {
  const row = await lockAlert(tx, input.alertId);
  if (row.resolved_at) return { alertId: row.id, status: "RESOLVED", changed: false };
  if (row.acknowledged_at) return { alertId: row.id, status: "ACKNOWLEDGED", changed: false };
  await tx.alert.update({
    where: { id: row.id },
    data: { acknowledgedAt: now, acknowledgedBy: input.actor.type === "USER" ? input.actor.userId : null },
    select: { id: true },
  });
  await recordAudit(tx, { tenantId: input.tenantId, actor: input.actor, action: "alert.acknowledge", entityType: "alert", entityId: row.id, before: { status: "OPEN" }, after: { status: "ACKNOWLEDGED", type: row.type } });
  return { alertId: row.id, status: "ACKNOWLEDGED", changed: true };
}

/** Closes the alert (the procedure was followed); a later raise of the same key opens a new one. */
export async function resolveAlert(
  tx: TenantTx,
  input: { tenantId: string; actor: Actor; alertId: string; note?: string | null },
  now: Date = new Date(),
): Promise<AlertActionResult> {
  const row = await lockAlert(tx, input.alertId);
  if (row.resolved_at) return { alertId: row.id, status: "RESOLVED", changed: false };
  const byUser = input.actor.type === "USER" ? input.actor.userId : null;
  await tx.alert.update({
    where: { id: row.id },
    data: {
      resolvedAt: now,
      resolvedBy: byUser,
      resolutionNote: input.note?.trim() || null,
      // Resolving implies having seen it.
      ...(row.acknowledged_at ? {} : { acknowledgedAt: now, acknowledgedBy: byUser }),
    },
    select: { id: true },
  });
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "alert.resolve",
    entityType: "alert",
    entityId: row.id,
    before: { status: row.acknowledged_at ? "ACKNOWLEDGED" : "OPEN" },
    after: { status: "RESOLVED", type: row.type, note: input.note?.trim() || null },
  });
  return { alertId: row.id, status: "RESOLVED", changed: true };
}

// ─── Reading ──────────────────────────────────────────────────────────────────────────────────

export async function listAlerts(
  tx: TenantTx,
  input: { status: "OPEN" | "RESOLVED" | "ALL"; severity?: AlertSeverity; limit: number; cursor?: string },
): Promise<{ items: AlertView[]; nextCursor: string | null }> {
  const where: Prisma.AlertWhereInput = {
    ...(input.status === "OPEN" ? { resolvedAt: null } : input.status === "RESOLVED" ? { resolvedAt: { not: null } } : {}),
    ...(input.severity ? { severity: input.severity } : {}),
  };
  const rows = await tx.alert.findMany({
    where,
    select: ALERT_SELECT,
    // Open alerts: most recently seen first; history: most recently resolved first. The id breaks ties
    // so the cursor is stable.
    orderBy: input.status === "RESOLVED" ? [{ resolvedAt: "desc" }, { id: "desc" }] : [{ lastSeenAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, input.limit);
  return { items: page.map(toView), nextCursor: rows.length > input.limit ? (page[page.length - 1]?.id ?? null) : null };
}

export async function getAlert(tx: TenantTx, alertId: string): Promise<AlertView> {
  const row = await tx.alert.findUnique({ where: { id: alertId }, select: ALERT_SELECT });
  if (!row) throw notFound("alert", alertId);
  return toView(row);
}

export async function alertCounts(tx: TenantTx): Promise<AlertCounts> {
  const rows = await tx.$queryRaw<Array<{ severity: AlertSeverity; total: number; unacknowledged: number }>>`
    SELECT severity::text AS severity, count(*)::int AS total, (count(*) FILTER (WHERE acknowledged_at IS NULL))::int AS unacknowledged
    FROM alerts WHERE resolved_at IS NULL GROUP BY severity`;
  const counts: AlertCounts = { open: 0, unacknowledged: 0, bySeverity: { LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0 }, worst: null };
  for (const r of rows) {
    counts.open += r.total;
    counts.bySeverity[r.severity] += r.total;
    counts.unacknowledged += r.unacknowledged;
    if (r.unacknowledged > 0 && (counts.worst === null || ALERT_SEVERITIES.indexOf(r.severity) > ALERT_SEVERITIES.indexOf(counts.worst))) counts.worst = r.severity;
  }
  return counts;
}
