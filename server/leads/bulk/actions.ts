/**
 * Bulk actions on the leads list (issue 10): what they are, who may run them, on how many leads, and
 * the outcome each lead can get. Isomorphic, so the page shows the same choices the server enforces.
 *
 * | action          | per lead, through                                   | lowest role |
 * | ASSIGN          | assignLeadOwner (owner = a user of the tenant, or none) | MANAGER  |
 * | PAUSE / RESUME  | changeLeadState → PAUSED / back to the paused-from state | SALES_REP |
 * | MARK_DEAD       | changeLeadState → DEAD                              | MANAGER     |
 * | ENROLL          | enrollLeads (one set-based call)                    | MANAGER     |
 * | DO_NOT_CONTACT  | addLeadToDoNotContact (phone + e-mail on the list, opted out, sequences stopped) | MANAGER |
 */
import { z } from "zod";
import type { Role } from "../../auth/roles";
import { ENROLL_OUTCOMES, MAX_ENROLL_BATCH } from "../../sequences/definition";
import { leadListFilters } from "../list/filters";

export const BULK_ACTIONS = ["ASSIGN", "PAUSE", "RESUME", "ENROLL", "MARK_DEAD", "DO_NOT_CONTACT"] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export const BULK_MIN_ROLE: Readonly<Record<BulkAction, Role>> = {
  ASSIGN: "MANAGER",
  PAUSE: "SALES_REP",
  RESUME: "SALES_REP",
  ENROLL: "MANAGER",
  MARK_DEAD: "MANAGER",
  DO_NOT_CONTACT: "MANAGER",
};

/**
 * At most this many leads per operation. An operation runs in one transaction (all or nothing) that
 * holds each lead's journey lock until it commits; this cap keeps that to about a minute on this
 * machine. It equals enrollLeads' own batch limit. A bigger filtered set is refused with its size, so
 * the person narrows the filters rather than getting a silent partial run.
 */
export const MAX_BULK_LEADS = MAX_ENROLL_BATCH;

const reason = z.string().trim().min(1).max(500);

export const bulkParams = z.discriminatedUnion("action", [
  /** userId null: nobody owns the leads any more. */
  z.object({ action: z.literal("ASSIGN"), userId: z.uuid().nullable() }),
  z.object({ action: z.literal("PAUSE"), reason }),
  z.object({ action: z.literal("RESUME"), reason }),
  z.object({ action: z.literal("ENROLL"), sequenceId: z.uuid() }),
  z.object({ action: z.literal("MARK_DEAD"), reason }),
  z.object({ action: z.literal("DO_NOT_CONTACT"), reason }),
]);
export type BulkParams = z.infer<typeof bulkParams>;

/** The leads a person picked on the page, or every lead the list's filters match. */
export const bulkTarget = z.union([
  z.object({ leadIds: z.array(z.uuid()).min(1).max(MAX_BULK_LEADS) }),
  z.object({ filters: leadListFilters }),
]);
export type BulkTarget = z.infer<typeof bulkTarget>;

/** What happened to one lead. The enrollment outcomes are enrollLeads' own. */
export const BULK_OUTCOMES = [
  "DONE",
  /** Already so (already paused, already owned by that user, already on the list). */
  "UNCHANGED",
  /** The state machine refuses it (a DEAD lead cannot be paused, a lead that is not paused cannot resume). */
  "NOT_ALLOWED",
  /** Deleted or erased since the operation was created. */
  "NOT_FOUND",
  ...ENROLL_OUTCOMES.filter((o) => o !== "NOT_FOUND"),
] as const;
export type BulkOutcome = (typeof BULK_OUTCOMES)[number];

export function emptyCounts(): Record<BulkOutcome, number> {
  return Object.fromEntries(BULK_OUTCOMES.map((o) => [o, 0])) as Record<BulkOutcome, number>;
}
