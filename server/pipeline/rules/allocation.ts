/**
 * Phone allocation for one dispatch run (seeds: orchestration §4, worker #7; design "The pipeline" 1).
 *
 * - Sticky: a lead that has been contacted keeps its phone forever (reply thread and the account's
 *   reputation stay on one number). If that phone is not ACTIVE the lead waits for it.
 * - A lead never contacted yet may have a phone from an earlier dispatch whose send was refused; the
 *   assignment only becomes sticky with the first message, so such a lead keeps its phone while that
 *   phone can take it and is moved otherwise.
 * - New leads go to the ACTIVE, enabled phone with the most quota left. Remaining quota is counted
 *   down as this run hands out leads, which spreads a batch evenly instead of giving all of it to the
 *   single emptiest phone; ties go to the shorter queue, the better reputation, then the lower id.
 * - A phone whose send queue already holds `maxPendingPerPhone` jobs takes no more new leads this
 *   run: its queue would outlast the lease the dispatcher puts on the lead.
 *
 * Pure: quota and queue depth come in as a snapshot. Advice, not a reservation: the send job's
 * check-and-consume is what guarantees the limit.
 */
import type { PhoneStatus } from "../../phones/status";

export interface PhoneSnapshot {
  phoneId: string;
  status: PhoneStatus | null;
  enabled: boolean;
  /** New contacts left today (limit - used). */
  remaining: number;
  reputationScore: number;
  /** Send jobs already waiting on this phone. */
  pending: number;
}

export interface AllocationRequest {
  journeyId: string;
  assignedPhoneId: string | null;
  /** True until the lead's first message went out. */
  isNewContact: boolean;
}

export type Allocation =
  | { kind: "STICKY"; phoneId: string; reason: string }
  | { kind: "NEW"; phoneId: string; remainingBefore: number; reason: string }
  | { kind: "NONE"; code: "STICKY_PHONE_NOT_ACTIVE" | "NO_ACTIVE_PHONE" | "ALL_PHONES_FULL" | "ALL_QUEUES_FULL"; reason: string; phoneId?: string };

export interface AllocationOptions {
  maxPendingPerPhone: number;
}

export function allocatePhones(requests: readonly AllocationRequest[], phones: readonly PhoneSnapshot[], options: AllocationOptions): Map<string, Allocation> {
  const state = new Map(phones.map((p) => [p.phoneId, { ...p }]));
  const usable = (p: PhoneSnapshot) => p.status === "ACTIVE" && p.enabled;
  const result = new Map<string, Allocation>();

  // Contacted leads first: they do not depend on quota, and must not be starved by the new ones.
  const ordered = [...requests].sort((a, b) => Number(a.isNewContact) - Number(b.isNewContact));
  for (const req of ordered) {
    const current = req.assignedPhoneId ? state.get(req.assignedPhoneId) : undefined;
    if (req.assignedPhoneId && !req.isNewContact) {
      if (current && usable(current)) {
        current.pending += 1;
        result.set(req.journeyId, { kind: "STICKY", phoneId: current.phoneId, reason: "lead keeps the phone of its conversation" });
      } else {
        result.set(req.journeyId, {
          kind: "NONE",
          code: "STICKY_PHONE_NOT_ACTIVE",
          phoneId: req.assignedPhoneId,
          reason: `the lead's phone is ${current ? (current.enabled ? current.status : "disabled") : "gone"}; the lead waits for it`,
        });
      }
      continue;
    }
    // Never contacted: keep an earlier assignment if that phone can still take the lead.
    if (current && usable(current) && current.remaining > 0 && current.pending < options.maxPendingPerPhone) {
      current.remaining -= 1;
      current.pending += 1;
      result.set(req.journeyId, { kind: "STICKY", phoneId: current.phoneId, reason: "kept the phone assigned before the first message" });
      continue;
    }
    const candidates = [...state.values()].filter(usable);
    if (candidates.length === 0) {
      result.set(req.journeyId, { kind: "NONE", code: "NO_ACTIVE_PHONE", reason: "no ACTIVE enabled phone" });
      continue;
    }
    const withQuota = candidates.filter((p) => p.remaining > 0);
    if (withQuota.length === 0) {
      result.set(req.journeyId, { kind: "NONE", code: "ALL_PHONES_FULL", reason: "every ACTIVE phone has used its new-contact quota today" });
      continue;
    }
    const open = withQuota.filter((p) => p.pending < options.maxPendingPerPhone);
    if (open.length === 0) {
      result.set(req.journeyId, { kind: "NONE", code: "ALL_QUEUES_FULL", reason: `every phone with quota has ${options.maxPendingPerPhone} sends waiting` });
      continue;
    }
    open.sort(
      (a, b) =>
        b.remaining - a.remaining ||
        a.pending - b.pending ||
        b.reputationScore - a.reputationScore ||
        (a.phoneId < b.phoneId ? -1 : a.phoneId > b.phoneId ? 1 : 0),
    );
    const best = open[0]!;
    const remainingBefore = best.remaining;
    best.remaining -= 1;
    best.pending += 1;
    result.set(req.journeyId, { kind: "NEW", phoneId: best.phoneId, remainingBefore, reason: `ACTIVE phone with the most quota left (${remainingBefore})` });
  }
  return result;
}
