/**
 * Phone health (seeds `monitor:phone:health`, runbook §2.1–2.2): what TimelinesAI says about each
 * WhatsApp account becomes the phone's status through the phone lifecycle (which validates the move,
 * mirrors it into the quota store, raises phone:offline / phone:banned and, on a ban, takes the leads
 * away and cancels queued sends), and every phone's health fields are refreshed, so "checked N
 * minutes ago" on the phones page stays minutes, not hours.
 *
 * The mapping is the account webhooks' (server/events/phone-status.server.ts phoneStatusTarget): a
 * disconnected account takes an ACTIVE phone OFFLINE, a suspended one bans it, a connected one brings
 * an OFFLINE phone back; statuses people chose (PAUSED, QUARANTINE) are never overruled. An account
 * the workspace no longer has counts as disconnected.
 */
import { withTenant, type TenantTx } from "../db/client.server";
import { DomainError } from "../errors";
import { phoneStatusTarget } from "../events/phone-status.server";
import type { AccountStatus } from "../events/types";
import { changePhoneStatus, type PhoneLifecycleDeps } from "../phones/lifecycle.server";
import { canonicalPhone } from "../providers/timelinesai/client.server";
import { MONITOR_PHONE_HEALTH_QUEUE } from "../../jobs/queues";

/** The part of a TimelinesAI account the monitor reads. */
export interface WhatsAppAccount {
  id: string;
  phone: string;
  /** Active, Disconnected, Suspended (TimelinesAI shows a WhatsApp ban as suspended). */
  status: string;
}

export interface PhoneHealthSummary {
  checked: number;
  changed: number;
  /** Phones whose account TimelinesAI does not list. */
  missing: number;
  notConnected: number;
}

const ACTOR = { type: "JOB", name: MONITOR_PHONE_HEALTH_QUEUE } as const;

export function reportedStatus(account: WhatsAppAccount | undefined): AccountStatus {
  if (!account) return "DISCONNECTED";
  const s = account.status.toLowerCase();
  if (s === "active" || s === "connected") return "CONNECTED";
  if (s === "suspended" || s === "banned" || s === "blocked") return "SUSPENDED";
  return "DISCONNECTED";
}

export async function checkPhoneHealth(deps: PhoneLifecycleDeps, tenantId: string, accounts: readonly WhatsAppAccount[]): Promise<PhoneHealthSummary> {
  const db = <T,>(fn: (tx: TenantTx) => Promise<T>): Promise<T> => withTenant(tenantId, fn);
  const byNumber = new Map<string, WhatsAppAccount>();
  for (const a of accounts) {
    byNumber.set(canonicalPhone(a.phone), a);
    byNumber.set(canonicalPhone(a.id), a);
  }
  const phones = await db((tx) => tx.waPhoneNumber.findMany({ select: { id: true, status: true, phoneNumber: true, timelinesaiAccountId: true }, orderBy: { label: "asc" } }));
  const summary: PhoneHealthSummary = { checked: phones.length, changed: 0, missing: 0, notConnected: 0 };
  const now = deps.clock();

  for (const phone of phones) {
    const account = byNumber.get(canonicalPhone(phone.phoneNumber)) ?? byNumber.get(canonicalPhone(phone.timelinesaiAccountId));
    const reported = reportedStatus(account);
    if (!account) summary.missing += 1;
    if (reported !== "CONNECTED") summary.notConnected += 1;
    const target = phoneStatusTarget(phone.status, reported);
    if (target) {
      try {
        const result = await changePhoneStatus(deps, db, {
          tenantId,
          actor: ACTOR,
          phoneId: phone.id,
          to: target,
          reason: account ? `TimelinesAI: cont ${account.status}` : "TimelinesAI: contul nu mai apare în spațiul de lucru",
        });
        if (result.changed) summary.changed += 1;
      } catch (error) {
        // Someone moved the phone in between; the next run sees the new status.
        if (!(error instanceof DomainError && error.kind === "CONFLICT")) throw error;
      }
    }
    await db((tx) =>
      tx.waPhoneNumber.update({
        where: { id: phone.id },
        data: {
          lastHealthCheckAt: now,
          ...(reported === "CONNECTED"
            ? {}
            : { lastError: account ? `TimelinesAI: cont ${account.status}` : "TimelinesAI: cont negăsit", lastErrorAt: now }),
        },
        select: { id: true },
      }),
    );
  }
  return summary;
}
