/**
 * Running a bulk operation (the leads.bulk job's use case): every lead of the snapshot through the
 * domain's own use case, in ONE transaction, so a failure leaves nothing half-done.
 *
 * Why one transaction rather than chunks with compensation: a compensating "undo" of a pause, a DEAD
 * mark or an enrollment is itself a set of state changes that can fail, and in the meantime dispatch
 * may already have acted on the half-done set. One transaction costs a long-held lock on each lead's
 * journey (taken in journey-id order, the order two bulk operations agree on), which MAX_BULK_LEADS
 * bounds: sends to those leads wait for the commit, which for pause, DEAD and do-not-contact is what
 * the person asked for anyway. The bar's progress is written beside it (progress.server.ts).
 *
 * A lead the rules refuse (a DEAD lead cannot be paused) is an outcome, not a failure: each lead runs
 * under a savepoint, so a refusal leaves that lead untouched and the others go on. Anything else (a
 * database error, a crash) fails the whole operation: rolled back, marked FAILED with the reason, and
 * the page says nothing was changed. Audited once, with the counts, in the same transaction.
 */
import { recordAudit } from "../../audit/audit.server";
import type { Actor } from "../../audit/actor";
import type { Clock } from "../../clock";
import { type TenantTx, withTenant } from "../../db/client.server";
import { DomainError } from "../../errors";
import type { CurrentState } from "../../generated/prisma/enums";
import { loadTenantCalendar } from "../../quota/settings.server";
import { enrollLeads } from "../../sequences/sequences.server";
import { changeLeadState } from "../change-state.server";
import type { MANUAL_TARGETS } from "../state-effects";
import { bulkParams, emptyCounts, type BulkOutcome, type BulkParams } from "./actions";
import { assertMayRun } from "./create.server";
import { progressReporter, type ProgressReporter } from "./progress.server";
import { addLeadToDoNotContact, assignLeadOwner } from "./per-lead.server";

/** The operation's transaction may run this long (5,000 leads through the use cases on a busy machine). */
export const BULK_TRANSACTION_TIMEOUT_MS = 15 * 60_000;

export interface BulkRunDeps {
  clock: Clock;
  progressIntervalMs?: number;
}

export type BulkRunResult =
  | { status: "DONE"; counts: Record<BulkOutcome, number> }
  | { status: "FAILED"; code: string; message: string }
  /** Already finished (a retried job): nothing to do. */
  | { status: "SKIPPED" };

interface ClaimedOperation {
  id: string;
  kind: string;
  params: BulkParams;
  leadIds: string[];
  total: number;
  actor: Actor & { type: "USER" };
}

/** QUEUED (or RUNNING after a crash, whose transaction rolled back) → RUNNING, progress back to 0. */
async function claim(tenantId: string, operationId: string, now: Date): Promise<ClaimedOperation | null> {
  return withTenant(tenantId, async (tx) => {
    const claimed = await tx.bulkOperation.updateMany({
      where: { id: operationId, status: { in: ["QUEUED", "RUNNING"] }, kind: { not: "IMPORT" } },
      data: { status: "RUNNING", startedAt: now, processed: 0 },
    });
    if (claimed.count !== 1) return null;
    const op = await tx.bulkOperation.findUniqueOrThrow({
      where: { id: operationId },
      select: { id: true, kind: true, params: true, leadIds: true, total: true, createdByUser: { select: { id: true, role: true } } },
    });
    const params = bulkParams.parse({ ...(op.params as object), action: op.kind });
    return {
      id: op.id,
      kind: op.kind,
      params,
      leadIds: op.leadIds,
      total: op.total,
      actor: { type: "USER", userId: op.createdByUser.id, role: op.createdByUser.role, ip: null },
    };
  });
}

export async function runBulkOperation(deps: BulkRunDeps, input: { tenantId: string; operationId: string }): Promise<BulkRunResult> {
  const op = await claim(input.tenantId, input.operationId, deps.clock());
  if (!op) return { status: "SKIPPED" };
  const progress = progressReporter(input.tenantId, op.id, deps.progressIntervalMs);
  try {
    const counts = await withTenant(
      input.tenantId,
      async (tx) => {
        // The person's role now, not when they clicked: a demoted rep's queued operation does not run.
        assertMayRun(op.actor, op.params.action);
        const counts = await applyAll(tx, deps, input.tenantId, op, progress);
        await tx.bulkOperation.update({
          where: { id: op.id },
          data: { status: "DONE", processed: op.total, result: counts, finishedAt: deps.clock(), errorCode: null, errorMessage: null },
          select: { id: true },
        });
        const { action, ...params } = op.params;
        await recordAudit(tx, {
          tenantId: input.tenantId,
          actor: op.actor,
          action: `lead.bulk_${action.toLowerCase()}`,
          entityType: "bulk_operation",
          entityId: op.id,
          after: { total: op.total, params, counts },
        });
        return counts;
      },
      { timeoutMs: BULK_TRANSACTION_TIMEOUT_MS },
    );
    await progress.stop();
    return { status: "DONE", counts };
  } catch (error) {
    await progress.stop();
    const code = error instanceof DomainError ? error.code : "BULK_FAILED";
    const message = error instanceof Error ? error.message : String(error);
    await withTenant(input.tenantId, (tx) =>
      tx.bulkOperation.updateMany({
        where: { id: op.id, status: "RUNNING" },
        data: { status: "FAILED", errorCode: code, errorMessage: message.slice(0, 1000), finishedAt: deps.clock() },
      }),
    );
    return { status: "FAILED", code, message };
  }
}

async function applyAll(tx: TenantTx, deps: BulkRunDeps, tenantId: string, op: ClaimedOperation, progress: ProgressReporter): Promise<Record<BulkOutcome, number>> {
  const counts = emptyCounts();
  const params = op.params;
  const now = deps.clock();
  if (params.action === "ENROLL") {
    // enrollLeads is set-based (one statement per step for all leads) and gives each lead its outcome.
    const calendar = await loadTenantCalendar(tx, tenantId);
    const result = await enrollLeads(tx, { tenantId, sequenceId: params.sequenceId, target: { leadIds: op.leadIds }, now, calendar });
    for (const [outcome, n] of Object.entries(result.counts)) counts[outcome as BulkOutcome] += n;
    progress.set(op.total);
    return counts;
  }
  const metadata = { bulkOperationId: op.id };
  for (const [index, leadId] of op.leadIds.entries()) {
    await tx.$executeRawUnsafe("SAVEPOINT bulk_lead");
    let outcome: BulkOutcome;
    try {
      outcome = await applyOne(tx, { tenantId, leadId, params, actor: op.actor, now, metadata });
      await tx.$executeRawUnsafe("RELEASE SAVEPOINT bulk_lead");
    } catch (error) {
      // Only the rules' refusals are a lead's outcome; anything else fails the operation.
      if (!(error instanceof DomainError)) throw error;
      await tx.$executeRawUnsafe("ROLLBACK TO SAVEPOINT bulk_lead");
      outcome = error.kind === "NOT_FOUND" ? "NOT_FOUND" : "NOT_ALLOWED";
    }
    counts[outcome] += 1;
    progress.set(index + 1);
  }
  return counts;
}

interface OneLead {
  tenantId: string;
  leadId: string;
  params: Exclude<BulkParams, { action: "ENROLL" }>;
  actor: Actor & { type: "USER" };
  now: Date;
  metadata: Record<string, unknown>;
}

async function applyOne(tx: TenantTx, one: OneLead): Promise<BulkOutcome> {
  const { params } = one;
  const change = async (to: (typeof MANUAL_TARGETS)[number], reason: string, expectedFrom?: CurrentState): Promise<BulkOutcome> => {
    const moved = await changeLeadState(tx, {
      tenantId: one.tenantId,
      leadId: one.leadId,
      to,
      reason,
      expectedFrom,
      actor: one.actor,
      now: one.now,
      metadata: one.metadata,
      auditedByCaller: true,
    });
    return moved.changed ? "DONE" : "UNCHANGED";
  };
  switch (params.action) {
    case "ASSIGN":
      return assignLeadOwner(tx, { leadId: one.leadId, userId: params.userId });
    case "PAUSE":
      return change("PAUSED", params.reason);
    case "MARK_DEAD":
      return change("DEAD", params.reason);
    case "RESUME": {
      const journey = await tx.goldLeadJourney.findFirst({ where: { leadId: one.leadId }, select: { currentState: true, previousState: true } });
      if (!journey) return "NOT_FOUND";
      if (journey.currentState !== "PAUSED") return "UNCHANGED";
      if (!journey.previousState || journey.previousState === "PAUSED") return "NOT_ALLOWED";
      // Back to the state it was paused from; changeLeadState refuses if it moved in the meantime.
      return change(journey.previousState as (typeof MANUAL_TARGETS)[number], params.reason, "PAUSED");
    }
    case "DO_NOT_CONTACT":
      return addLeadToDoNotContact(tx, { tenantId: one.tenantId, leadId: one.leadId, reason: params.reason, actor: one.actor, now: one.now });
  }
}
