import type { Prisma } from "../generated/prisma/client";
import { withTenant, type TenantTx } from "../db/client.server";
import type { Sql } from "../db/sql.server";
import type { DispatchOutcome } from "./rules/outcome";

export interface NextAction {
  at: Date | null;
  reason: string;
  /** A lead never contacted is released from its phone so the next dispatch can pick another. */
  unassignPhone?: boolean;
}

/**
 * Stores a send job's decision on the journey (explainability) and, when given, when and why the lead is
 * due next, and appends it to the lead's explain trail (lead_decisions) in the same statement. Both send
 * paths record through here, inside the caller's transaction when it has one, and so does a person's
 * message from the lead page (stage "manual", without `next`: it is not a sequence step).
 */
export async function recordDispatchOutcome(
  target: { tenantId: string; journeyId: string },
  outcome: DispatchOutcome,
  now: Date,
  next?: NextAction,
  tx?: TenantTx,
): Promise<void> {
  const stored = JSON.stringify({ ...outcome, ...(next ? { nextActionAt: next.at?.toISOString() ?? null } : {}) });
  const run = (t: TenantTx) => t.$executeRaw`
    WITH written AS (
      UPDATE gold_lead_journey SET
        last_dispatch_outcome = ${stored}::jsonb,
        last_dispatch_at      = ${now},
        next_action_at        = CASE WHEN ${next !== undefined} THEN ${next?.at ?? null}::timestamptz ELSE next_action_at END,
        next_action_reason    = CASE WHEN ${next !== undefined} THEN ${next?.reason ?? null}::text ELSE next_action_reason END,
        assigned_phone_id     = CASE WHEN ${next?.unassignPhone === true} THEN NULL ELSE assigned_phone_id END,
        assigned_at           = CASE WHEN ${next?.unassignPhone === true} THEN NULL ELSE assigned_at END,
        updated_at            = now()
      WHERE id = ${target.journeyId}::uuid
      RETURNING tenant_id, id
    )
    INSERT INTO lead_decisions (tenant_id, journey_id, stage, result, outcome, at)
    SELECT tenant_id, id, ${outcome.stage}, ${outcome.result}, ${stored}::jsonb, ${now} FROM written`;
  if (tx) await run(tx);
  else await withTenant(target.tenantId, run);
}

/**
 * Appends a decision to the lead's explain trail without touching the journey, for a caller that writes
 * the journey's last decision itself (the email send's finalisation).
 */
export async function appendDecision(tx: TenantTx, target: { tenantId: string; journeyId: string }, outcome: DispatchOutcome, at: Date): Promise<void> {
  await tx.leadDecision.create({
    data: { tenantId: target.tenantId, journeyId: target.journeyId, stage: outcome.stage, result: outcome.result, outcome: outcome as unknown as Prisma.InputJsonValue, at },
    select: { id: true },
  });
}

/** appendDecision on the send path's tenant-bound pool (one prepared statement, autocommit). */
export async function appendDecisionSql(sql: Sql, target: { tenantId: string; journeyId: string }, outcome: DispatchOutcome, at: Date): Promise<void> {
  await sql.query({
    name: "lead-decision.append",
    text: `INSERT INTO lead_decisions (tenant_id, journey_id, stage, result, outcome, at) VALUES ($1, $2, $3, $4, $5, $6)`,
    values: [target.tenantId, target.journeyId, outcome.stage, outcome.result, outcome, at],
  });
}
