/**
 * wa.send (seeds `q:wa:phone_{XX}` and `…:followup`, concurrency 1 per phone): one queue for every
 * phone, singletonKey = phoneId, policy key_strict_fifo (pg-boss 12): one active job per phone across
 * all worker processes, FIFO per phone, every phone in parallel (`singleton` serialises as well but
 * showed head-of-line blocking: stack-notes §4; ADR to write: docs/decisions).
 *
 * The handler never lets a job fail on a known outcome: it re-enqueues with a start time (spacing,
 * seeds §6.1 retries) or dead-letters it itself and completes. A job that fails for good would block
 * its phone's key; the only way left to get there is a process dying mid-job more often than
 * retryLimit, and the dispatch job deletes such jobs (jobs/pipeline/dispatch.ts).
 *
 * Follow-ups first: an initial message whose phone has a due follow-up waiting gives way to it
 * (re-enqueued behind it, nothing sent); pg-boss priority cannot order jobs within a key
 * (server/pipeline/send-order.ts).
 */
import type { PgBoss } from "pg-boss";
import { z } from "zod";
import { getEnv } from "../../server/config/env.server";
import { logEvent } from "../../server/observability/logger.server";
import { classifySendFailure } from "../../server/pipeline/failure";
import { OUTREACH_DLQ, WA_SEND_QUEUE, waSendPayload, type WaSendPayload } from "../../server/pipeline/queues";
import { processWaSend, type WaSendResult } from "../../server/pipeline/whatsapp-send.server";
import { defineJob } from "../definition";
import { pipelineDeps } from "./deps";

export type WaSendJobResult = WaSendResult | { kind: "GAVE_WAY"; followUps: number };

export async function handleWaSend(boss: Pick<PgBoss, "send" | "getDb">, data: WaSendPayload, jobId: string): Promise<WaSendJobResult> {
  const ahead = await followUpsWaiting(boss, data);
  if (ahead > 0) {
    // Behind the follow-ups: a new job is created now, after theirs, on the same phone key.
    await boss.send(WA_SEND_QUEUE, data, { singletonKey: data.phoneId });
    logEvent("debug", { worker: WA_SEND_QUEUE, jobId, leadId: data.leadId, phoneId: data.phoneId, channel: "WHATSAPP", action: "wa.send.gave_way", metadata: { followUps: ahead } });
    return { kind: "GAVE_WAY", followUps: ahead };
  }
  const deps = pipelineDeps();
  let result: WaSendResult;
  try {
    result = await processWaSend(
      { guardian: deps.guardian, timelinesai: deps.timelinesai, ports: deps.ports, clock: deps.clock, afterProviderAccepted: deps.afterProviderAccepted },
      data,
      { jobId },
    );
  } catch (error) {
    // Unexpected (database or Redis out of reach…): the seeds' network budget, then the DLQ.
    const action = classifySendFailure(error, data.attempts);
    if (action.kind === "RETRY") {
      result = { kind: "RESCHEDULE", startAfter: new Date(deps.clock().getTime() + action.delayMs), payload: { ...data, attempts: { ...data.attempts, [action.budget]: (data.attempts[action.budget] ?? 0) + 1 } }, code: action.code, reason: action.message };
    } else {
      result = { kind: "DEAD_LETTER", code: action.code, message: action.message };
    }
  }
  if (result.kind === "RESCHEDULE") {
    await boss.send(WA_SEND_QUEUE, result.payload, { singletonKey: result.payload.phoneId, startAfter: result.startAfter });
  } else if (result.kind === "DEAD_LETTER") {
    await boss.send(OUTREACH_DLQ, { queue: WA_SEND_QUEUE, jobId, code: result.code, reason: result.message, payload: data });
    logEvent("error", { worker: WA_SEND_QUEUE, jobId, leadId: data.leadId, phoneId: data.phoneId, channel: "WHATSAPP", action: "wa.send.dead_letter", error: { code: result.code, message: result.message } });
  }
  return result;
}

/**
 * Due follow-ups queued on this initial message's phone (0 for a follow-up: it never waits).
 *
 * SQL on pg-boss's job table rather than `findJobs`, which filters the queue's whole history (every
 * completed and deferred send of every phone: a parallel sequential scan, ~100 ms at 300k retained
 * jobs, on every run of every initial message). These are the predicates of pg-boss's own
 * key_strict_fifo fetch — queued, not blocked, start_after reached on its clock job_now() — so the
 * partial index job_i10 (name, singleton_key, …) answers it in well under a millisecond. It reads
 * pg-boss 12's table layout, which is pinned with the version (ADR 0005) and exercised by
 * tests/pipeline/send-order.test.ts.
 */
async function followUpsWaiting(boss: Pick<PgBoss, "getDb">, data: WaSendPayload): Promise<number> {
  if (data.followUp) return 0;
  const schema = getEnv().PGBOSS_SCHEMA;
  const result = await boss.getDb().executeSql(
    `SELECT count(*)::int AS n FROM ${schema}.job
      WHERE name = $1 AND singleton_key = $2 AND state < 'active' AND NOT blocked AND policy = 'key_strict_fifo'
        AND start_after <= ${schema}.job_now() AND data @> $3::jsonb`,
    [WA_SEND_QUEUE, data.phoneId, JSON.stringify({ followUp: true })],
  );
  return z.object({ n: z.number().int() }).parse(result.rows[0]).n;
}

export const waSendJob = defineJob({
  name: WA_SEND_QUEUE,
  seedName: "q:wa:phone_{XX}",
  payload: waSendPayload,
  policy: "key_strict_fifo",
  // Only for a process that died mid-job (the job expired); known failures are handled above.
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryBackoff: true,
  // Above one attempt's worst case inside the client (5 × 60 s on 429, 30 s timeouts).
  expireInSeconds: 900,
  // A process killed mid-send frees its phone within about two minutes (30 s heartbeat + pg-boss's
  // 60 s monitor pass + 30 s retry delay), not after expireInSeconds: the
  // job is retried, and the retry reconciles against the chat before sending (exactly once).
  heartbeatSeconds: 30,
  deadLetter: OUTREACH_DLQ,
  // key_strict_fifo hands out at most one job per phone per fetch, so a batch of 20 is one head per
  // phone, run concurrently; the worker fetches again at once while batches come back full. Three
  // fetch loops, so one slow send (a provider's 429 back-off) never stalls every other phone.
  batchSize: 20,
  localConcurrency: 3,
  // Sends are spaced by seconds per phone anyway; polling faster only trims the idle gap after a wait.
  pollingIntervalSeconds: 0.5,
  async handler(data, { jobId, boss }) {
    return handleWaSend(boss, data, jobId);
  },
});
