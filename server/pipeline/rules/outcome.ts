/**
 * Explainability (issue 5 item 11): what dispatch and the send job decided for a lead and why,
 * stored compactly in gold_lead_journey.last_dispatch_outcome and returned as is to the lead page.
 * And the run summary of the seeds' DispatchResult (orchestration §2.3), stored in dispatch_runs.
 */
import type { Allocation } from "./allocation";
import type { IneligibleReason } from "./eligibility";
import type { SendChannel } from "./types";

export type OutcomeCode =
  // dispatch
  | "DISPATCHED_WHATSAPP"
  | "DISPATCHED_EMAIL"
  | "INELIGIBLE"
  | "SKIPPED_HUMAN_REVIEW"
  | "SKIPPED_NO_CHANNEL"
  | "SKIPPED_OUTSIDE_HOURS"
  | "SKIPPED_QUOTA_EXCEEDED"
  | "NO_PHONE"
  | "WAITING_FOR_STICKY_PHONE"
  | "NO_SEQUENCE_STEP"
  | "CHANNEL_NOT_RUNNING"
  // send job
  | "SENT"
  | "ALREADY_SENT"
  | "RECONCILED_SENT"
  | "DEFERRED_SPACING"
  | "DEFERRED_SAME_CONTENT"
  | "REFUSED_OUTSIDE_WINDOW"
  | "REFUSED_QUOTA_EXHAUSTED"
  | "REFUSED_PHONE_NOT_ACTIVE"
  | "NO_LONGER_ELIGIBLE"
  | "RECIPIENT_INVALID"
  | "SEND_FAILED"
  /** The step already went out (or is going out) on another channel: this send stood down. */
  | "STEP_SENT_ON_OTHER_CHANNEL"
  /** This attempt lost its lease to a later one (a stall past its heartbeat): it sent nothing and wrote nothing. */
  | "SEND_SUPERSEDED";

export interface DispatchOutcome {
  v: 1;
  /** Where the decision was made: dispatch, the send job, or the send job of a person's message. */
  stage: "dispatch" | "send" | "manual";
  at: string;
  result: OutcomeCode;
  /** One sentence for people; the structured fields below are for the UI and for support. */
  summary: string;
  runSlot?: string;
  eligible?: boolean;
  ineligibleReasons?: IneligibleReason[];
  channel?: { selected: SendChannel | null; fallback: SendChannel | null; scores: Record<SendChannel, number>; reasons: string[] };
  phone?: { phoneId: string | null; kind: Allocation["kind"]; reason: string; code?: string };
  window?: { open: boolean; nextOpening?: string };
  quota?: { allowed: boolean; reason?: string; used?: number; limit?: number; retryAt?: string | null; cost?: 0 | 1 };
  sequence?: { sequenceId: string; stepNumber: number } | null;
  template?: { templateId: string | null; templateVersionId: string | null };
  job?: { queue: string; jobId: string; startAfter?: string };
  nextActionAt?: string | null;
  error?: { code: string; message: string };
  /**
   * A message a person asked for from the lead page (stage "manual"): who asked, on which channel,
   * its log row (null when the request was refused before anything was written) and, for a refused
   * request, why (server/leads/send-blocks.ts).
   */
  manual?: { messageId: string | null; requestedBy: string | null; channel?: "WHATSAPP" | "EMAIL_WARM"; blocked?: string };
}

/** Counters of the seeds' DispatchResult plus every other outcome by code. */
export interface DispatchSummary {
  totalEligibleLeads: number;
  dispatchedToWhatsApp: number;
  dispatchedToEmail: number;
  skippedQuotaExceeded: number;
  skippedOutsideHours: number;
  skippedNoChannel: number;
  skippedHumanReview: number;
  outcomes: Partial<Record<OutcomeCode, number>>;
  jobsCreated: Array<{ jobId: string; leadId: string; channel: SendChannel; queue: string; phoneId?: string }>;
  processingTimeMs: number;
  nextDispatchAt: string;
}

export function emptySummary(): DispatchSummary {
  return {
    totalEligibleLeads: 0,
    dispatchedToWhatsApp: 0,
    dispatchedToEmail: 0,
    skippedQuotaExceeded: 0,
    skippedOutsideHours: 0,
    skippedNoChannel: 0,
    skippedHumanReview: 0,
    outcomes: {},
    jobsCreated: [],
    processingTimeMs: 0,
    nextDispatchAt: "",
  };
}

/** Adds one lead's outcome to the run's counters (seeds' fields, plus the catch-all map). */
export function countOutcome(summary: DispatchSummary, code: OutcomeCode): void {
  summary.outcomes[code] = (summary.outcomes[code] ?? 0) + 1;
  switch (code) {
    case "DISPATCHED_WHATSAPP":
      summary.dispatchedToWhatsApp += 1;
      break;
    case "DISPATCHED_EMAIL":
      summary.dispatchedToEmail += 1;
      break;
    case "SKIPPED_QUOTA_EXCEEDED":
    case "NO_PHONE":
      summary.skippedQuotaExceeded += 1;
      break;
    case "SKIPPED_OUTSIDE_HOURS":
      summary.skippedOutsideHours += 1;
      break;
    case "SKIPPED_NO_CHANNEL":
      summary.skippedNoChannel += 1;
      break;
    case "SKIPPED_HUMAN_REVIEW":
      summary.skippedHumanReview += 1;
      break;
    default:
      break;
  }
}
