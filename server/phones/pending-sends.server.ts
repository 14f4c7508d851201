/**
 * The phone domain's port to the WhatsApp send queue: a tenant that has phones gets its send queue
 * (ADR 0014: one key_strict_fifo queue per tenant), and a phone that is BANNED has its queued sends
 * cancelled (runbook §2.2 step 3).
 *
 * The contract the send queue keeps: WhatsApp sends are jobs of the tenant's queue
 * (`waSendQueue(tenantId)`) whose singletonKey is the phone id (that is also what serialises one send
 * per phone, design card). Cancellation is best-effort cleanup, not the safety net: a send job that
 * slips through still meets check-and-consume, which refuses a BANNED phone.
 */
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import { waSendQueue } from "../../jobs/queues";
import { ensureTenantSendQueues, type QueueAdmin } from "../../jobs/pipeline/wa-send-queue";

const commandResponse = z.object({ affected: z.number().int() });

export interface PendingSends {
  /** Cancels the phone's jobs that have not started yet; returns how many were cancelled. */
  cancelPendingSends(tenantId: string, phoneId: string): Promise<number>;
  /** Creates the tenant's send queue if it has none yet (a tenant's first phone); idempotent. */
  openSendQueue(tenantId: string): Promise<void>;
}

/** What the lead page asks the queue before a person sends (server/leads/send-message.server.ts). */
export interface WaitingSends {
  /** The phone's sends that have not started yet: all of them, and the follow-ups among them (they go first). */
  waitingOnPhone(tenantId: string, phoneId: string): Promise<{ all: number; followUps: number }>;
}

const followUpFlag = z.object({ followUp: z.boolean().optional(), kind: z.string().optional() }).loose();

/** The subset of pg-boss this needs. */
export type PendingSendsBoss = Pick<PgBoss, "findJobs" | "cancel" | "getQueue"> & QueueAdmin;

export function pgBossPendingSends(boss: PendingSendsBoss): PendingSends & WaitingSends {
  return {
    async cancelPendingSends(tenantId, phoneId) {
      const queue = waSendQueue(tenantId);
      // A tenant whose queue was never created has nothing to cancel.
      if (!(await boss.getQueue(queue))) return 0;
      // queued = created or retry: an active send is mid-flight to the provider and is left to finish.
      const jobs = await boss.findJobs(queue, { key: phoneId, queued: true });
      if (jobs.length === 0) return 0;
      const result = await boss.cancel(queue, jobs.map((j) => j.id));
      // pg-boss 12.35 declares CommandResponse as `{}`; at run time it carries the counts.
      return commandResponse.parse(result).affected;
    },
    openSendQueue: (tenantId) => ensureTenantSendQueues(boss, [tenantId]),
    async waitingOnPhone(tenantId, phoneId) {
      const queue = waSendQueue(tenantId);
      if (!(await boss.getQueue(queue))) return { all: 0, followUps: 0 };
      const jobs = await boss.findJobs(queue, { key: phoneId, queued: true });
      // An answer to a reply is a follow-up too (jobs/pipeline/wa-send.ts).
      const followUps = jobs.filter((j) => {
        const flags = followUpFlag.safeParse(j.data);
        return flags.success && (flags.data.followUp === true || flags.data.kind === "answer");
      }).length;
      return { all: jobs.length, followUps };
    },
  };
}

/** For processes without pg-boss (CLI, tests of other parts): cancels nothing, opens nothing. */
export const noPendingSends: PendingSends = { cancelPendingSends: async () => 0, openSendQueue: async () => undefined };
