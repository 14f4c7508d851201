/**
 * What a send job does with its send path's answer, written once for wa.send and the email queues:
 * an unexpected error becomes a retry within the seeds' budgets or a dead letter (rules/failure.ts);
 * a RESCHEDULE is re-enqueued on the same queue and key with its start time; a DEAD_LETTER goes to
 * dlq.outreach with the payload and is logged. A send job never fails on a known outcome: on a
 * key_strict_fifo queue a failed job would block its phone's key.
 */
import type { PgBoss } from "pg-boss";
import type { TimeSource } from "../../server/clock";
import { logEvent } from "../../server/observability/logger.server";
import { retryOrDeadLetter, type SendRetryOutcome } from "../../server/pipeline/rules/failure";
import { OUTREACH_DLQ, type DeadLetterPayload } from "../queues";

type Attempts = { attempts: Partial<Record<"network" | "server" | "rateLimit", number>> };

export interface SendJob<P extends Attempts & { tenantId: string; leadId: string }> {
  queue: string;
  jobId: string;
  payload: P;
  /** The queue's singleton key for this payload (the phone for wa.send, the journey for email). */
  singletonKey: (payload: P) => string;
  time: TimeSource;
  log: { channel: string; phoneId?: string };
}

/** Runs the send path and settles its result on the queue; returns the result for the caller's stats. */
export async function runSendJob<P extends Attempts & { tenantId: string; leadId: string }, R extends { kind: string }>(
  boss: Pick<PgBoss, "send">,
  job: SendJob<P>,
  send: () => Promise<R | SendRetryOutcome<P>>,
): Promise<R | SendRetryOutcome<P>> {
  let result: R | SendRetryOutcome<P>;
  try {
    result = await send();
  } catch (error) {
    // Unexpected (database or Redis out of reach…): the seeds' network budget, then the DLQ.
    result = retryOrDeadLetter(error, job.payload, job.time.now());
  }
  if (isReschedule<P>(result)) {
    // startAfter is on the pipeline's clock; pg-boss waits on the database's (see TimeSource).
    await boss.send(job.queue, result.payload, { singletonKey: job.singletonKey(result.payload), startAfter: job.time.realInstant(result.startAfter) });
  } else if (isDeadLetter(result)) {
    const letter: DeadLetterPayload = { queue: job.queue, jobId: job.jobId, code: result.code, reason: result.message, payload: job.payload };
    await boss.send(OUTREACH_DLQ, letter);
    logEvent("error", { worker: job.queue, jobId: job.jobId, leadId: job.payload.leadId, ...(job.log.phoneId ? { phoneId: job.log.phoneId } : {}), channel: job.log.channel, action: "send.dead_letter", error: { code: result.code, message: result.message } });
  }
  return result;
}

function isReschedule<P>(r: { kind: string }): r is Extract<SendRetryOutcome<P>, { kind: "RESCHEDULE" }> {
  return r.kind === "RESCHEDULE";
}
function isDeadLetter(r: { kind: string }): r is { kind: "DEAD_LETTER"; code: string; message: string } {
  return r.kind === "DEAD_LETTER";
}
