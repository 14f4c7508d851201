/**
 * TimelinesAI account events → our phone lifecycle (server/phones/lifecycle.server.ts), which
 * validates the move, mirrors it into the Redis quota store, raises the runbook's alerts and, on a
 * ban, takes the phone's COLD/CONTACTED_WA leads away and cancels its queued sends.
 *
 * Mapping (phoneStatusTarget): what the provider reports is a fact about the connection; the
 * statuses people set (PAUSED, QUARANTINE) are decisions, and a connection event does not overrule them.
 * - disconnected: ACTIVE or RECONNECTING → OFFLINE (runbook §2.1).
 * - suspended:    anything but BANNED → BANNED. TimelinesAI shows a WhatsApp ban as a suspended
 *                 account (so does our simulator); runbook §2.2 applies.
 * - connected / resumed: OFFLINE or RECONNECTING → ACTIVE. Never out of BANNED: lifting a ban is an
 *                 ADMIN's decision and goes through QUARANTINE.
 * Events older than the phone's last status change are stale (webhooks arrive out of order) and skipped.
 */
import { WEBHOOK_NORMALIZE_QUEUE } from "../../jobs/queues";
import { DomainError } from "../errors";
import { withTenant, type TenantTx } from "../db/client.server";
import { changePhoneStatus, type PhoneLifecycleDeps } from "../phones/lifecycle.server";
import type { PhoneStatus } from "../phones/status";
import type { AccountStatus, AccountStatusEvent } from "./types";

export interface PhoneStatusOutcome {
  applied: boolean;
  detail: string;
}

/** The narrow port the normalization job uses; the production adapter is below. */
export interface PhoneStatusPort {
  applyAccountStatus(tenantId: string, event: AccountStatusEvent): Promise<PhoneStatusOutcome>;
}

export function phoneStatusTarget(current: PhoneStatus, reported: AccountStatus): PhoneStatus | null {
  switch (reported) {
    case "DISCONNECTED":
      return current === "ACTIVE" || current === "RECONNECTING" ? "OFFLINE" : null;
    case "SUSPENDED":
      return current === "BANNED" ? null : "BANNED";
    case "CONNECTED":
    case "RESUMED":
      return current === "OFFLINE" || current === "RECONNECTING" ? "ACTIVE" : null;
  }
}

const ACTOR = { type: "JOB", name: WEBHOOK_NORMALIZE_QUEUE } as const;

export function lifecyclePhoneStatusPort(deps: PhoneLifecycleDeps): PhoneStatusPort {
  return {
    async applyAccountStatus(tenantId, event) {
      const db = <T,>(fn: (tx: TenantTx) => Promise<T>): Promise<T> => withTenant(tenantId, fn);
      const phone = await db((tx) =>
        tx.waPhoneNumber.findFirst({
          where: { OR: [{ phoneNumber: event.account.phone }, ...(event.account.jid ? [{ timelinesaiAccountId: event.account.jid }] : [])] },
          select: { id: true, status: true, statusChangedAt: true },
        }),
      );
      if (!phone) return { applied: false, detail: `no phone ${event.account.phone} in this tenant` };
      if (event.occurredAt.getTime() < phone.statusChangedAt.getTime()) {
        return { applied: false, detail: `stale ${event.status} (${event.occurredAt.toISOString()}) before the last change of ${phone.id}` };
      }
      const target = phoneStatusTarget(phone.status, event.status);
      if (!target) return { applied: false, detail: `${event.status} leaves ${phone.id} ${phone.status}` };
      try {
        const result = await changePhoneStatus(deps, db, {
          tenantId,
          actor: ACTOR,
          phoneId: phone.id,
          to: target,
          reason: `TimelinesAI: cont ${event.status === "DISCONNECTED" ? "deconectat" : event.status === "SUSPENDED" ? "suspendat" : "reconectat"}`,
        });
        return { applied: result.changed, detail: `${phone.id}: ${result.from} → ${target}` };
      } catch (error) {
        // Someone moved the phone in between into a state this move no longer starts from.
        if (error instanceof DomainError && error.kind === "CONFLICT") return { applied: false, detail: error.message };
        throw error;
      }
    },
  };
}
