/**
 * wa.send (seeds `q:wa:phone_{XX}` and `…:followup`, concurrency 1 per phone): a queue per tenant
 * (`wa.send.<tenantId>`, ADR 0014; settings in ./wa-send-queue.ts), singletonKey = phoneId, policy
 * key_strict_fifo (pg-boss 12): one active job per phone across all worker processes, FIFO per phone,
 * every phone in parallel (`singleton` serialises as well but showed head-of-line blocking:
 * stack-notes §4). Every job carries its tenantId, so each re-enqueue below goes back to its tenant's queue.
 *
 * The handler never lets a job fail on a known outcome: it re-enqueues with a start time (spacing,
 * seeds §6.1 retries) or dead-letters it itself and completes. A job that fails for good would block
 * its phone's key; the only way left to get there is a process dying mid-job more often than
 * retryLimit, and the dispatch job deletes such jobs (jobs/pipeline/dispatch.ts).
 *
 * Follow-ups first: an initial message whose phone has a due follow-up waiting gives way to it
 * (re-enqueued behind it, nothing sent); pg-boss priority cannot order jobs within a key
 * (server/pipeline/rules/send-order.ts).
 */
import type { PgBoss } from "pg-boss";
import { logEvent } from "../../server/observability/logger.server";
import { isManualWaSend, WA_SEND_FAMILY, waSendJobPayload, waSendQueue, type WaAnswerPayload, type WaManualSendPayload, type WaSendPayload } from "../queues";
import { processWaAnswer, type WaAnswerResult } from "../../server/replies/answers/send-whatsapp.server";
import { dueFollowUpWaiting } from "../../server/pipeline/send/send-queue.server";
import { processManualWaSend, type ManualWaSendResult } from "../../server/pipeline/send/manual-send.server";
import { processWaSend, type WaSendResult } from "../../server/pipeline/send/whatsapp-send.server";
import { defineJob } from "../definition";
import { waSendQueues } from "./wa-send-queue";
import { pipelineDeps } from "./deps";
import { runSendJob } from "./send-outcome";

export type WaSendJobResult = Exclude<WaSendResult, { kind: "GIVE_WAY" }> | ManualWaSendResult | { kind: "GAVE_WAY" };

export async function handleWaSend(boss: Pick<PgBoss, "send" | "getDb">, data: WaSendPayload | WaManualSendPayload, jobId: string): Promise<WaSendJobResult> {
  const queue = waSendQueue(data.tenantId);
  const deps = pipelineDeps();
  const sendDeps = { guardian: deps.guardian, timelinesai: deps.timelinesai, ports: deps.ports, clock: deps.clock, afterProviderAccepted: deps.afterProviderAccepted, lease: deps.lease };
  if (isManualWaSend(data)) {
    if (!data.followUp && (await dueFollowUpWaiting(boss, data.tenantId, data.phoneId))) return giveWay(boss, data, jobId);
    // A person's message from the lead page: same queue, key and guarantees (manual-send.server.ts).
    return runSendJob<WaManualSendPayload, ManualWaSendResult>(
      boss,
      { queue, jobId, payload: data, singletonKey: (p) => p.phoneId, time: deps.time, log: { channel: "WHATSAPP", phoneId: data.phoneId } },
      () => processManualWaSend(sendDeps, data, { jobId }),
    );
  }
  // A sequence send reads "a follow-up waits" with its context (one round trip less per message).
  const result = await runSendJob<WaSendPayload, WaSendResult>(
    boss,
    { queue, jobId, payload: data, singletonKey: (p) => p.phoneId, time: deps.time, log: { channel: "WHATSAPP", phoneId: data.phoneId } },
    () => processWaSend(sendDeps, data, { jobId }),
  );
  return result.kind === "GIVE_WAY" ? giveWay(boss, data, jobId) : result;
}

/** Behind the follow-ups: a new job is created now, after theirs, on the same phone key; this one completes. */
async function giveWay(boss: Pick<PgBoss, "send">, data: WaSendPayload | WaManualSendPayload, jobId: string): Promise<{ kind: "GAVE_WAY" }> {
  await boss.send(waSendQueue(data.tenantId), data, { singletonKey: data.phoneId });
  logEvent("debug", { worker: WA_SEND_FAMILY, tenantId: data.tenantId, jobId, leadId: data.leadId, phoneId: data.phoneId, channel: "WHATSAPP", action: "wa.send.gave_way" });
  return { kind: "GAVE_WAY" };
}

/**
 * An answer to a lead's reply (issue 15) on its sticky phone: a follow-up, so it never gives way; the
 * same retry and dead-letter handling as a sequence send.
 */
export async function handleWaAnswer(boss: Pick<PgBoss, "send">, data: WaAnswerPayload, jobId: string): Promise<WaAnswerResult> {
  const deps = pipelineDeps();
  return runSendJob(
    boss,
    { queue: waSendQueue(data.tenantId), jobId, payload: data, singletonKey: (p) => p.phoneId, time: deps.time, log: { channel: "WHATSAPP", phoneId: data.phoneId } },
    () => processWaAnswer({ guardian: deps.guardian, timelinesai: deps.timelinesai, clock: deps.clock, lease: deps.lease }, data, { jobId }),
  );
}

export const waSendJob = defineJob({
  ...waSendQueues,
  payload: waSendJobPayload,
  // key_strict_fifo hands out at most one job per phone per fetch, so a batch of 20 is one head per
  // phone, run concurrently; the worker fetches again at once while batches come back full. Three
  // fetch loops per tenant queue, so one slow send (a provider's 429 back-off) never stalls the
  // tenant's other phones.
  batchSize: 20,
  localConcurrency: 3,
  fetchAgainWhileBusy: true,
  // Sends are spaced by seconds per phone anyway; polling faster only trims the idle gap after a wait.
  pollingIntervalSeconds: 0.5,
  async handler(data, { jobId, boss }) {
    if ("kind" in data) return handleWaAnswer(boss, data, jobId);
    return handleWaSend(boss, data, jobId);
  },
});
