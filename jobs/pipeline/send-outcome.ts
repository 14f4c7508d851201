/**
 * What a send job does with its send path's answer, written once for wa.send and the email queues:
 * an unexpected error becomes a retry within the seeds' budgets or a dead letter (rules/failure.ts);
 * a RESCHEDULE is re-enqueued on the same queue and key with its start time; a DEAD_LETTER goes to
 * dlq.outreach with the payload and is logged. A send job never fails on a known outcome: on a
 * key_strict_fifo queue a failed job would block its phone's key. A WAIT (an earlier attempt's lease,
 * server/pipeline/rules/lease.ts) runs the send again when the lease is over, the job still active.
 */
import type { PgBoss } from "pg-boss";
import { systemTimekeeper, type TimeSource } from "../../server/clock";
import type { SendWait } from "../../server/pipeline/rules/lease";
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
  /** Waits until a real (database) instant; the system's timers unless a test gives its own. */
  sleepUntil?: (realInstant: Date) => Promise<void>;
}

/**
 * How often a job waits for an earlier attempt's lease (WAIT) before it gives the phone back and
 * comes back later: each wait is at most the lease and the clocks' skew (3 min), well inside wa.send's
 * 900 s expiry.
 */
const MAX_LEASE_WAITS = 3;
const sleepUntilReal = (at: Date) => systemTimekeeper.sleep(at.getTime() - Date.now());

/** Runs the send path and settles its result on the queue; returns the result for the caller's stats. */
export async function runSendJob<P extends Attempts & { tenantId: string; leadId: string }, R extends { kind: string }>(
  boss: Pick<PgBoss, "send">,
  job: SendJob<P>,
  send: () => Promise<R | SendRetryOutcome<P>>,
): Promise<R | SendRetryOutcome<P>> {
  let result: R | SendRetryOutcome<P>;
  for (let waits = 0; ; waits++) {
    try {
      result = await send();
    } catch (error) {
      // Unexpected (database or Redis out of reach…): the seeds' network budget, then the DLQ.
      result = retryOrDeadLetter(error, job.payload, job.time.now());
    }
    if (!isWait(result)) break;
    // An earlier attempt of this send may still be calling the provider (rules/lease.ts): the job keeps
    // the phone's key while it waits, so no other message leaves the phone meanwhile.
    if (waits === MAX_LEASE_WAITS) {
      result = { kind: "RESCHEDULE", startAfter: result.until, payload: job.payload, code: result.code, reason: result.reason };
      break;
    }
    logEvent("info", { worker: job.queue, jobId: job.jobId, leadId: job.payload.leadId, ...(job.log.phoneId ? { phoneId: job.log.phoneId } : {}), channel: job.log.channel, action: "send.lease_wait", metadata: { until: result.until.toISOString(), reason: result.reason } });
    await (job.sleepUntil ?? sleepUntilReal)(job.time.realInstant(result.until));
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
function isWait(r: { kind: string }): r is SendWait {
  return r.kind === "WAIT";
}
function isDeadLetter(r: { kind: string }): r is { kind: "DEAD_LETTER"; code: string; message: string } {
  return r.kind === "DEAD_LETTER";
}
