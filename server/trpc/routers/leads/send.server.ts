/**
 * Sending a message from the lead page: the check (can it go, from which phone, does the quota or the
 * window hold it back) and the send itself, which queues it on the channel's real queue.
 */
import { z } from "zod";
import { pgBossTransactionalQueue } from "../../../../jobs/transactional-queue";
import { DomainError } from "../../../errors";
import { checkLeadSend, sendLeadMessage } from "../../../leads/send-message.server";
import { getQuotaGuardian } from "../../../quota/index.server";
import { pgBossPendingSends, type PendingSendsBoss } from "../../../phones/pending-sends.server";
import { repProcedure } from "../../init.server";
import { sendChannel, sendCheckOutput, sendMessageInput, sendMessageOutput } from "./detail-schemas";

export const sendCheckProcedure = repProcedure
  .input(z.object({ leadId: z.uuid(), channel: sendChannel }))
  .output(sendCheckOutput)
  .query(({ ctx, input }) => ctx.db((tx) => checkLeadSend(tx, sendCheckDeps(ctx.boss), { ...input, tenantId: ctx.user.tenantId, now: ctx.clock() })));

/** The quota guardian, and the phones' send queue when this process has pg-boss (to say what waits ahead). */
const sendCheckDeps = (boss: PendingSendsBoss | null | undefined) => ({ guardian: getQuotaGuardian(), ...(boss ? { sends: pgBossPendingSends(boss) } : {}) });

export const sendMessageProcedure = repProcedure
  .input(sendMessageInput)
  .output(sendMessageOutput)
  .mutation(({ ctx, input }) => {
    if (!ctx.boss) throw new DomainError("UNAVAILABLE", "QUEUE_UNAVAILABLE", "the job queue is not running in this process");
    const queue = pgBossTransactionalQueue(ctx.boss);
    return sendLeadMessage(ctx.db, { ...sendCheckDeps(ctx.boss), queue }, { ...input, tenantId: ctx.user.tenantId, actor: ctx.actor, now: ctx.clock() });
  });
