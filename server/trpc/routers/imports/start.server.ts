/** Queues the import of a validated file; the page follows it with bulk.status. */
import { DomainError } from "../../../errors";
import { startImport } from "../../../leads/import/imports.server";
import { pgBossTransactionalQueue } from "../../../../jobs/transactional-queue";
import { managerProcedure } from "../../init.server";
import { startInput, startOutput } from "./schemas";

export const startImportProcedure = managerProcedure
  .input(startInput)
  .output(startOutput)
  .mutation(({ ctx, input }) => {
    const boss = ctx.boss;
    if (!boss) throw new DomainError("UNAVAILABLE", "QUEUE_UNAVAILABLE", "the job queue is not running in this process");
    return ctx.db((tx) => startImport(tx, pgBossTransactionalQueue(boss), { tenantId: ctx.user.tenantId, actor: ctx.actor, importId: input.importId }));
  });
