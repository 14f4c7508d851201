/**
 * Cancelling a phone's queued WhatsApp sends when it is BANNED (runbook §2.2 step 3).
 *
 * The send queue itself belongs to the WhatsApp issue; what this module fixes is the contract it
 * must keep: WhatsApp sends are jobs of queue `WA_SEND_QUEUE` whose singletonKey is the phone id
 * (that is also what serialises one send per phone, design card). Cancellation is best-effort
 * cleanup, not the safety net: a send job that slips through still meets check-and-consume, which
 * refuses a BANNED phone.
 */
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import { WA_SEND_QUEUE } from "../../jobs/queues";

const commandResponse = z.object({ affected: z.number().int() });

export interface PendingSends {
  /** Cancels the phone's jobs that have not started yet; returns how many were cancelled. */
  cancelPendingSends(phoneId: string): Promise<number>;
}

/** The subset of pg-boss this needs (a fake in tests would implement just these). */
export type PendingSendsBoss = Pick<PgBoss, "findJobs" | "cancel" | "getQueue">;

export function pgBossPendingSends(boss: PendingSendsBoss, queue: string = WA_SEND_QUEUE): PendingSends {
  return {
    async cancelPendingSends(phoneId) {
      // Before the WhatsApp issue lands the queue does not exist, and there is nothing to cancel.
      if (!(await boss.getQueue(queue))) return 0;
      // queued = created or retry: an active send is mid-flight to the provider and is left to finish.
      const jobs = await boss.findJobs(queue, { key: phoneId, queued: true });
      if (jobs.length === 0) return 0;
      const result = await boss.cancel(queue, jobs.map((j) => j.id));
      // pg-boss 12.35 declares CommandResponse as `{}`; at run time it carries the counts.
      return commandResponse.parse(result).affected;
    },
  };
}

/** For processes without pg-boss (CLI, tests of other parts): cancels nothing. */
export const noPendingSends: PendingSends = { cancelPendingSends: async () => 0 };
