/**
 * Phone lifecycle (issue 3 §4; runbook §2): add a phone, change its status, enable/disable it, and
 * the emergency quota adjustment. tRPC procedures and jobs (the health monitor, later) call these
 * same functions, so every change is validated, audited and mirrored the same way.
 *
 * Database and Redis mirror "together", without a distributed transaction. Two rules:
 *   1. Mirror writes happen while the phone's row is locked, so Redis sees them in the order the
 *      database committed them (two racing changes cannot leave the older one in Redis).
 *   2. The order of the two writes is chosen so that a failure between them leaves the phone *less*
 *      able to send, never more:
 *      - a change that blocks sending (anything but ACTIVE+enabled) is written to Redis inside the
 *        transaction, under its FOR UPDATE lock, just before commit. If the commit then fails,
 *        Redis is stricter than the database until the next mirror write or resync: nothing escapes.
 *      - a change that allows sending is written after the commit, from the row re-read under a
 *        FOR SHARE lock (which waits for any later change in flight). If that write fails, Redis
 *        still refuses while the database says ACTIVE; the caller gets PHONE_MIRROR_STALE and repeats
 *        the call (a same-status call rewrites the mirror) or runs resync.
 */
import { roleAtLeast } from "../auth/roles";
import { DomainError, notFound } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { logEvent, errorFields } from "../observability/logger.server";
import type { TenantDb } from "../quota/resync.server";
import { loadTenantQuotaSettings } from "../quota/settings.server";
import type { PhoneMirror, QuotaStore } from "../quota/store.server";
import { calendarFor } from "../quota/window";
import type { Clock } from "../clock";
import { actorDetails, type Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { PendingSends } from "./pending-sends.server";
import { raiseAlert, resolveAlertByKey } from "../alerts/alerts.server";
import {
  insertPhone,
  lockPhone,
  unassignJourneys,
  updatePhone,
  type PhoneRow,
} from "./repository.server";
import { ALERTING_STATUSES, UNASSIGN_ON_BAN_STATES, canSend, checkPhoneTransition, type PhoneStatus } from "./status";

export interface PhoneLifecycleDeps {
  store: QuotaStore;
  pendingSends: PendingSends;
  clock: Clock;
}

const mirrorOf = (p: PhoneRow): PhoneMirror => ({ phoneId: p.id, status: p.status, enabled: p.isEnabled, limit: p.dailyQuotaLimit });

/**
 * Runs `work` in the tenant transaction (which must lock the phone FOR UPDATE) and writes the
 * phone's mirror on the safe side of the commit (see the module comment).
 */
async function commitMirrored<T extends { phone: PhoneRow }>(deps: PhoneLifecycleDeps, db: TenantDb, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  const out = await db(async (tx) => {
    const result = await work(tx);
    if (!canSend(result.phone)) await deps.store.writeMirrors([mirrorOf(result.phone)]);
    return result;
  });
  if (canSend(out.phone)) await refreshMirror(deps, db, out.phone.id);
  return out;
}

/** Writes the phone's mirror from its committed row, under a share lock. */
export async function refreshMirror(deps: Pick<PhoneLifecycleDeps, "store">, db: TenantDb, phoneId: string): Promise<void> {
  try {
    await db(async (tx) => {
      const row = await lockPhone(tx, phoneId, "share");
      if (row) await deps.store.writeMirrors([mirrorOf(row)]);
    });
  } catch (error) {
    logEvent("error", { action: "phone.mirror_stale", phoneId, error: errorFields(error) });
    throw new DomainError("UNAVAILABLE", "PHONE_MIRROR_STALE", "saved, but the quota store was not updated: repeat the action or run quota resync", { phoneId });
  }
}

function authorise(actor: Actor, required: "SALES_REP" | "MANAGER" | "ADMIN" | null, what: string): void {
  if (!required) return;
  const ok = actor.type === "USER" ? roleAtLeast(actor.role, required) : required !== "ADMIN";
  if (!ok) throw new DomainError("FORBIDDEN", "PHONE_TRANSITION_FORBIDDEN", `${what} requires role ${required}`);
}

// ---------------------------------------------------------------------------------------------------

export interface StatusChangeInput {
  tenantId: string;
  actor: Actor;
  phoneId: string;
  to: PhoneStatus;
  reason: string | null;
}

export interface StatusChangeResult {
  phone: PhoneRow;
  from: PhoneStatus;
  changed: boolean;
  alertRaised: boolean;
  /** Leads in COLD / CONTACTED_WA taken off a BANNED phone. */
  unassignedLeads: number;
  /** Queued sends cancelled for a BANNED phone; null when cancelling failed (logged; the quota check still refuses them). */
  cancelledSends: number | null;
}

export async function changePhoneStatus(deps: PhoneLifecycleDeps, db: TenantDb, input: StatusChangeInput): Promise<StatusChangeResult> {
  const now = deps.clock();
  const result = await commitMirrored(deps, db, async (tx): Promise<StatusChangeResult> => {
    const current = await lockPhone(tx, input.phoneId);
    if (!current) throw notFound("phone", input.phoneId);
    const check = checkPhoneTransition(current.status, input.to);
    if (!check.ok) throw new DomainError("CONFLICT", check.code, check.message, { from: current.status, to: input.to });
    // Same status: nothing to record. The mirror is still rewritten (by commitMirrored), which is
    // what makes "repeat the action" repair a stale mirror.
    if (check.noop) return { phone: current, from: current.status, changed: false, alertRaised: false, unassignedLeads: 0, cancelledSends: 0 };
    authorise(input.actor, check.requiredRole, `${current.status} → ${input.to}`);

    const data: Prisma.WaPhoneNumberUpdateInput = {
      status: input.to,
      statusChangedAt: now,
      pausedReason: input.to === "ACTIVE" ? null : input.reason,
    };
    if (input.to === "BANNED") Object.assign(data, { banCount: { increment: 1 }, lastBannedAt: now });
    if (input.to === "OFFLINE") data.lastDisconnectedAt = now;
    if (input.to === "ACTIVE" && (current.status === "OFFLINE" || current.status === "RECONNECTING")) data.lastConnectedAt = now;
    const phone = await updatePhone(tx, current.id, data);

    const unassignedLeads = input.to === "BANNED" ? await unassignJourneys(tx, current.id, UNASSIGN_ON_BAN_STATES) : 0;

    let alertRaised = false;
    const alert = ALERTING_STATUSES.get(input.to);
    if (alert) {
      ({ raised: alertRaised } = await raiseAlert(tx, {
        tenantId: input.tenantId,
        severity: alert.severity,
        type: alert.type,
        title: input.to === "BANNED" ? `Telefonul ${phone.label} a fost blocat de WhatsApp` : `Telefonul ${phone.label} este offline`,
        message:
          input.to === "BANNED"
            ? `${phone.phoneNumber}: ${unassignedLeads} lead-uri realocate, trimiterile în așteptare anulate. Runbook §2.2.`
            : `${phone.phoneNumber}: reconectați contul în TimelinesAI. Runbook §2.1.`,
        phoneId: phone.id,
        dedupeKey: `${alert.type}:${phone.id}`,
        metadata: { from: current.status, to: input.to, reason: input.reason, ...actorDetails(input.actor) },
      }, now));
    }
    if (input.to === "ACTIVE") {
      // Back online: the offline alert is over.
      await resolveAlertByKey(tx, { tenantId: input.tenantId, dedupeKey: `phone:offline:${phone.id}`, note: `telefonul este din nou ACTIVE (${input.reason ?? "fără motiv"})` }, now);
    }

    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: "phone.status_changed",
      entityType: "wa_phone_number",
      entityId: phone.id,
      before: { status: current.status },
      after: { status: input.to, reason: input.reason, unassignedLeads },
    });
    return { phone, from: current.status, changed: true, alertRaised, unassignedLeads, cancelledSends: 0 };
  });

  if (result.changed && input.to === "BANNED") {
    try {
      result.cancelledSends = await deps.pendingSends.cancelPendingSends(input.tenantId, input.phoneId);
    } catch (error) {
      result.cancelledSends = null;
      logEvent("error", { action: "phone.cancel_sends_failed", tenantId: input.tenantId, phoneId: input.phoneId, error: errorFields(error) });
    }
  }
  if (result.changed) {
    logEvent(alertsFor(input.to) ? "warn" : "info", {
      action: "phone.status_changed",
      tenantId: input.tenantId,
      phoneId: input.phoneId,
      metadata: { from: result.from, to: input.to, unassignedLeads: result.unassignedLeads, cancelledSends: result.cancelledSends },
    });
  }
  return result;
}

const alertsFor = (status: PhoneStatus) => ALERTING_STATUSES.has(status);

// ---------------------------------------------------------------------------------------------------

export interface AddPhoneInput {
  tenantId: string;
  actor: Actor;
  label: string;
  phoneNumber: string;
  timelinesaiAccountId: string;
  /** Defaults to the tenant's wa_daily_quota. */
  dailyQuotaLimit: number | null;
  /** Runbook §2.3 adds phones ACTIVE; a fresh number may start in QUARANTINE to be warmed up by hand. */
  status: "ACTIVE" | "PAUSED" | "QUARANTINE";
  notes: string | null;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

export async function addPhone(deps: PhoneLifecycleDeps, db: TenantDb, input: AddPhoneInput): Promise<PhoneRow> {
  try {
    const { phone } = await commitMirrored(deps, db, async (tx) => {
      const settings = await loadTenantQuotaSettings(tx, input.tenantId);
      const phone = await insertPhone(tx, {
        tenantId: input.tenantId,
        label: input.label,
        phoneNumber: input.phoneNumber,
        timelinesaiAccountId: input.timelinesaiAccountId,
        status: input.status,
        dailyQuotaLimit: input.dailyQuotaLimit ?? settings.defaultLimit,
        notes: input.notes,
      });
      await recordAudit(tx, {
        tenantId: input.tenantId,
        actor: input.actor,
        action: "phone.added",
        entityType: "wa_phone_number",
        entityId: phone.id,
        after: { label: phone.label, phoneNumber: phone.phoneNumber, status: phone.status, dailyQuotaLimit: phone.dailyQuotaLimit },
      });
      return { phone };
    });
    // The tenant's WhatsApp send queue (ADR 0014), after the commit: queue creation is not part of the
    // transaction. A failure here is logged, not thrown: the phone exists, and the first send queued
    // for the tenant creates the queue (jobs/transactional-queue.ts).
    await deps.pendingSends.openSendQueue(input.tenantId).catch((error: unknown) => {
      logEvent("error", { action: "phone.send_queue_failed", tenantId: input.tenantId, phoneId: phone.id, error: errorFields(error) });
    });
    return phone;
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError("CONFLICT", "PHONE_ALREADY_EXISTS", "a phone with this number or TimelinesAI account already exists");
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------

export async function setPhoneEnabled(
  deps: PhoneLifecycleDeps,
  db: TenantDb,
  input: { tenantId: string; actor: Actor; phoneId: string; enabled: boolean; reason: string | null },
): Promise<{ phone: PhoneRow; changed: boolean }> {
  return commitMirrored(deps, db, async (tx) => {
    const current = await lockPhone(tx, input.phoneId);
    if (!current) throw notFound("phone", input.phoneId);
    if (current.isEnabled === input.enabled) return { phone: current, changed: false };
    const phone = await updatePhone(tx, current.id, { isEnabled: input.enabled });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actor: input.actor,
      action: input.enabled ? "phone.enabled" : "phone.disabled",
      entityType: "wa_phone_number",
      entityId: phone.id,
      before: { isEnabled: current.isEnabled },
      after: { isEnabled: input.enabled, reason: input.reason },
    });
    return { phone, changed: true };
  });
}

// ---------------------------------------------------------------------------------------------------

export interface QuotaAdjustment {
  phoneId: string;
  usageDate: string;
  before: number;
  after: number;
  limit: number;
}

/**
 * Runbook §3.1 step 4, "emergency only": sets today's new-contact count of one phone (e.g. after a
 * proven quota leak). ADMIN only, reason required, audited with before/after. It may lower the
 * count, which resync never does.
 */
export async function adjustQuota(
  deps: PhoneLifecycleDeps,
  db: TenantDb,
  input: { tenantId: string; actor: Actor; phoneId: string; used: number; reason: string },
): Promise<QuotaAdjustment> {
  if (input.actor.type === "USER" && !roleAtLeast(input.actor.role, "ADMIN")) {
    throw new DomainError("FORBIDDEN", "QUOTA_ADJUST_FORBIDDEN", "quota adjustment requires role ADMIN");
  }
  if (input.reason.trim().length === 0) throw new DomainError("BAD_INPUT", "QUOTA_ADJUST_REASON_REQUIRED", "a reason is required");
  const now = deps.clock();
  return db(async (tx) => {
    const phone = await lockPhone(tx, input.phoneId);
    if (!phone) throw notFound("phone", input.phoneId);
    if (!Number.isInteger(input.used) || input.used < 0 || input.used > phone.dailyQuotaLimit) {
      throw new DomainError("BAD_INPUT", "QUOTA_ADJUST_OUT_OF_RANGE", `count must be between 0 and the phone's limit ${phone.dailyQuotaLimit}`);
    }
    const settings = await loadTenantQuotaSettings(tx, input.tenantId);
    const usageDate = calendarFor(settings.window).localDate(now);
    const ref = { tenantId: input.tenantId, phoneId: phone.id, usageDate };
    const { before, after } = await deps.store.setUsage(ref, input.used, "set");
    try {
      await recordAudit(tx, {
        tenantId: input.tenantId,
        actor: input.actor,
        action: "quota.adjusted",
        entityType: "wa_quota",
        entityId: phone.id,
        before: { usageDate, used: before },
        after: { usageDate, used: after, reason: input.reason },
      });
    } catch (error) {
      // No unaudited lowering: undo it. 'max' restores a lowered count but never takes back units
      // consumed in the meantime; an unaudited raise stays (it can only mean fewer sends).
      await deps.store.setUsage(ref, before, "max").catch(() => undefined);
      throw error;
    }
    logEvent("warn", { action: "quota.adjusted", tenantId: input.tenantId, phoneId: phone.id, metadata: { usageDate, before, after, reason: input.reason } });
    return { phoneId: phone.id, usageDate, before, after, limit: phone.dailyQuotaLimit };
  });
}
