import type { Prisma } from "../generated/prisma/client";
import { withTenant, type TenantTx } from "../db/client.server";
import type { DispatchOutcome } from "./rules/outcome";

export interface NextAction {
  at: Date | null;
  reason: string;
  /** A lead never contacted is released from its phone so the next dispatch can pick another. */
  unassignPhone?: boolean;
}

/**
 * Stores a send job's decision on the journey (explainability) and, when given, when and why the lead is
 * due next. Both send paths record through here, inside the caller's transaction when it has one.
 */
export async function recordDispatchOutcome(
  target: { tenantId: string; journeyId: string },
  outcome: DispatchOutcome,
  now: Date,
  next?: NextAction,
  tx?: TenantTx,
): Promise<void> {
  const run = (t: TenantTx) =>
    t.goldLeadJourney.update({
      where: { id: target.journeyId },
      data: {
        lastDispatchOutcome: { ...outcome, ...(next ? { nextActionAt: next.at?.toISOString() ?? null } : {}) } as unknown as Prisma.InputJsonValue,
        lastDispatchAt: now,
        ...(next ? { nextActionAt: next.at, nextActionReason: next.reason } : {}),
        ...(next?.unassignPhone ? { assignedPhoneId: null, assignedAt: null } : {}),
      },
    });
  if (tx) await run(tx);
  else await withTenant(target.tenantId, run);
}
