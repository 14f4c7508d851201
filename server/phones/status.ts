/**
 * Phone statuses and the lifecycle rules between them (seeds: plan F2.1.1.T001 phone_status_enum;
 * runbook §2). Plain data and functions: the one place that says which moves are legal, which raise
 * an alert, and which take the phone's leads away from it.
 */
import type { Role } from "../auth/roles";

export const PHONE_STATUSES = ["ACTIVE", "PAUSED", "OFFLINE", "BANNED", "RECONNECTING", "QUARANTINE"] as const;
export type PhoneStatus = (typeof PHONE_STATUSES)[number];

/**
 * Allowed moves, with the least role that may make them. Everything not listed is illegal.
 * - Any working state may go to any other working state: an operator pauses a phone, the health
 *   monitor marks it OFFLINE or RECONNECTING, it comes back ACTIVE.
 * - BANNED is terminal for normal operation (runbook §2.2: the number is replaced). The one way
 *   out is a lifted ban, ADMIN only, and it goes to QUARANTINE so the number is re-warmed by hand
 *   before it sends at full volume again, never straight to ACTIVE.
 */
const WORKING: readonly PhoneStatus[] = ["ACTIVE", "PAUSED", "OFFLINE", "RECONNECTING", "QUARANTINE"];

const TRANSITIONS: ReadonlyMap<PhoneStatus, ReadonlyMap<PhoneStatus, Role>> = new Map([
  ...WORKING.map((from): [PhoneStatus, ReadonlyMap<PhoneStatus, Role>] => [
    from,
    new Map<PhoneStatus, Role>([
      ...WORKING.filter((to) => to !== from).map((to): [PhoneStatus, Role] => [to, "MANAGER"]),
      ["BANNED", "MANAGER"],
    ]),
  ]),
  ["BANNED", new Map<PhoneStatus, Role>([["QUARANTINE", "ADMIN"]])],
]);

export type TransitionCheck =
  | { ok: true; noop: boolean; requiredRole: Role | null }
  | { ok: false; code: "ILLEGAL_PHONE_TRANSITION"; message: string };

/** Whether `from → to` is legal, and who may make it. Same status is a legal no-op (idempotent retries). */
export function checkPhoneTransition(from: PhoneStatus, to: PhoneStatus): TransitionCheck {
  if (from === to) return { ok: true, noop: true, requiredRole: null };
  const role = TRANSITIONS.get(from)?.get(to);
  if (!role) return { ok: false, code: "ILLEGAL_PHONE_TRANSITION", message: `phone status ${from} → ${to} is not allowed` };
  return { ok: true, noop: false, requiredRole: role };
}

export function allowedNextStatuses(from: PhoneStatus): PhoneStatus[] {
  return [...(TRANSITIONS.get(from)?.keys() ?? [])];
}

/** Statuses that page someone (runbook §7.1: phone:offline HIGH, phone:banned CRITICAL). */
export const ALERTING_STATUSES: ReadonlyMap<PhoneStatus, { type: "phone:offline" | "phone:banned"; severity: "HIGH" | "CRITICAL" }> = new Map([
  ["OFFLINE", { type: "phone:offline", severity: "HIGH" }],
  ["BANNED", { type: "phone:banned", severity: "CRITICAL" }],
]);

/** Journey states whose leads leave a banned phone so the allocator moves them (runbook §2.2). */
export const UNASSIGN_ON_BAN_STATES = ["COLD", "CONTACTED_WA"] as const;

/** A phone sends only when ACTIVE and enabled; the Redis mirror enforces the same rule in Lua. */
export function canSend(phone: { status: PhoneStatus; isEnabled: boolean }): boolean {
  return phone.status === "ACTIVE" && phone.isEnabled;
}
