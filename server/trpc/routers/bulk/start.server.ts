/**
 * Starts a bulk action on the confirmed leads: the operation row and its job in one transaction
 * (server/leads/bulk/create.server.ts). The rep tier may call it; the use case checks the action's own
 * lowest role (BULK_MIN_ROLE).
 */
import { DomainError } from "../../../errors";
import { startBulkOperation } from "../../../leads/bulk/create.server";
import { pgBossTransactionalQueue } from "../../../../jobs/transactional-queue";
import { repProcedure } from "../../init.server";
import { startInput, startOutput } from "./schemas";

export const startBulkProcedure = repProcedure
  .input(startInput)
  .output(startOutput)
  .mutation(({ ctx, input }) => {
    const boss = ctx.boss;
    if (!boss) throw new DomainError("UNAVAILABLE", "QUEUE_UNAVAILABLE", "the job queue is not running in this process");
    return ctx.db((tx) => startBulkOperation(tx, pgBossTransactionalQueue(boss), { tenantId: ctx.user.tenantId, actor: ctx.actor, ...input }));
  });
