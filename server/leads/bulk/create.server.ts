/**
 * Starting a bulk operation: the person's confirmation becomes a row in bulk_operations with the
 * snapshot of the leads it covers, and a job, in one transaction (the job exists if and only if the
 * row does). The job (run.server.ts) acts on exactly that snapshot, whatever the list shows later.
 *
 * "The whole filtered set" is resolved here, at confirmation, with the list's own filters
 * (list/query.server.ts). The dialog showed a count; if the set has changed size since, the start is
 * refused with the new count (BULK_SET_CHANGED) so the person confirms what will really happen.
 */
import { randomUUID } from "node:crypto";
import { roleAtLeast } from "../../auth/roles";
import type { Actor } from "../../audit/actor";
import type { TenantTx } from "../../db/client.server";
import { prismaExecutor, type TransactionalQueue } from "../../db/transactional-queue.server";
import { DomainError, notFound } from "../../errors";
import type { Prisma } from "../../generated/prisma/client";
import { LEADS_BULK_QUEUE } from "../../../jobs/queues";
import { listScope } from "../list/list.server";
import { fromWhere } from "../list/query.server";
import { BULK_MIN_ROLE, MAX_BULK_LEADS, type BulkAction, type BulkParams, type BulkTarget } from "./actions";

export interface BulkSelection {
  /** Lead (gold_companies) ids in journey-id order, the order the job locks them in. */
  leadIds: string[];
  /** More than MAX_BULK_LEADS matched: leadIds holds only the first ones and the operation is refused. */
  overCap: boolean;
}

/** The leads a target covers (at most MAX_BULK_LEADS + 1 of them), only the tenant's leads in outreach. */
export async function resolveBulkTarget(tx: TenantTx, input: { tenantId: string; userId: string; target: BulkTarget }): Promise<BulkSelection> {
  let rows: Array<{ lead_id: string }>;
  if ("leadIds" in input.target) {
    rows = await tx.$queryRaw`
      SELECT j.lead_id::text AS lead_id FROM gold_lead_journey j
       WHERE j.tenant_id = ${input.tenantId}::uuid AND j.lead_id = ANY(${[...new Set(input.target.leadIds)]}::uuid[])
       ORDER BY j.id`;
  } else {
    const scope = await listScope(tx, { tenantId: input.tenantId, userId: input.userId, filters: input.target.filters });
    rows = await tx.$queryRaw`SELECT j.lead_id::text AS lead_id ${fromWhere(scope)} ORDER BY j.id LIMIT ${MAX_BULK_LEADS + 1}`;
  }
  return { leadIds: rows.slice(0, MAX_BULK_LEADS).map((r) => r.lead_id), overCap: rows.length > MAX_BULK_LEADS };
}

export function assertMayRun(actor: Actor & { type: "USER" }, action: BulkAction): void {
  if (!roleAtLeast(actor.role, BULK_MIN_ROLE[action])) {
    throw new DomainError("FORBIDDEN", "BULK_ACTION_FORBIDDEN", `${action} on many leads needs the role ${BULK_MIN_ROLE[action]}`, { action });
  }
}

/** What the action names must exist in the tenant before the job is queued (the job checks again). */
async function checkParams(tx: TenantTx, params: BulkParams): Promise<void> {
  if (params.action === "ASSIGN" && params.userId) {
    const user = await tx.user.findUnique({ where: { id: params.userId }, select: { isActive: true } });
    if (!user?.isActive) throw new DomainError("BAD_INPUT", "ASSIGNEE_NOT_FOUND", "the new owner is not an active user of this organisation");
  }
  if (params.action === "ENROLL") {
    const sequence = await tx.outreachSequence.findUnique({ where: { id: params.sequenceId }, select: { isActive: true } });
    if (!sequence) throw notFound("sequence", params.sequenceId);
    if (!sequence.isActive) throw new DomainError("PRECONDITION_FAILED", "SEQUENCE_INACTIVE", "the sequence is inactive");
  }
}

export interface StartBulkInput {
  tenantId: string;
  actor: Actor & { type: "USER" };
  params: BulkParams;
  target: BulkTarget;
  /** How many leads the person was told the operation covers. */
  expectedCount: number;
}

export async function startBulkOperation(tx: TenantTx, queue: TransactionalQueue, input: StartBulkInput): Promise<{ operationId: string; total: number }> {
  assertMayRun(input.actor, input.params.action);
  await checkParams(tx, input.params);
  const selection = await resolveBulkTarget(tx, { tenantId: input.tenantId, userId: input.actor.userId, target: input.target });
  if (selection.overCap) {
    throw new DomainError("BAD_INPUT", "BULK_TOO_LARGE", `at most ${MAX_BULK_LEADS} leads per operation`, { max: MAX_BULK_LEADS });
  }
  const total = selection.leadIds.length;
  if (total === 0) throw new DomainError("BAD_INPUT", "BULK_EMPTY", "no lead matches");
  if (total !== input.expectedCount) {
    throw new DomainError("CONFLICT", "BULK_SET_CHANGED", `the selection now has ${total} leads, not ${input.expectedCount}`, { count: total });
  }
  const { action, ...params } = input.params;
  // The job's id is the operation's: a retried start cannot queue it twice.
  const id = randomUUID();
  const operation = await tx.bulkOperation.create({
    data: {
      id,
      jobId: id,
      tenantId: input.tenantId,
      kind: action,
      createdBy: input.actor.userId,
      params: params as Prisma.InputJsonValue,
      leadIds: selection.leadIds,
      total,
    },
    select: { id: true },
  });
  await queue.send(prismaExecutor(tx), LEADS_BULK_QUEUE, { tenantId: input.tenantId, operationId: operation.id }, { id: operation.id });
  return { operationId: operation.id, total };
}
