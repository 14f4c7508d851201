/**
 * q.email.cold / q.email.warm (seeds `q:email:cold`, `q:email:warm`, concurrency 50): one job per
 * lead and step, queued by dispatch. Like wa.send, known failures never fail the job: retries are
 * re-enqueued with a start time (seeds §6.1 budgets), permanent ones dead-lettered and completed.
 * No per-key serialisation is needed: Instantly schedules the cold sends itself, and Resend takes
 * 100/s (the client paces).
 */
import type { PgBoss } from "pg-boss";
import { logEvent } from "../../server/observability/logger.server";
import { processEmailSend, type EmailChannel, type EmailSendResult } from "../../server/pipeline/send/email-send.server";
import { classifySendFailure } from "../../server/pipeline/rules/failure";
import { EMAIL_COLD_QUEUE, EMAIL_WARM_QUEUE, emailSendPayload, OUTREACH_DLQ, type EmailSendPayload } from "../../server/pipeline/queues";
import { defineJob } from "../definition";
import { pipelineDeps } from "./deps";

export async function handleEmailSend(boss: Pick<PgBoss, "send">, channel: EmailChannel, data: EmailSendPayload, jobId: string): Promise<EmailSendResult> {
  const deps = pipelineDeps();
  const queue = channel === "EMAIL_COLD" ? EMAIL_COLD_QUEUE : EMAIL_WARM_QUEUE;
  let result: EmailSendResult;
  try {
    result = await processEmailSend({ instantly: deps.instantly, resend: deps.resend, ports: deps.ports, clock: deps.clock }, channel, data, { jobId });
  } catch (error) {
    const action = classifySendFailure(error, data.attempts);
    result =
      action.kind === "RETRY"
        ? { kind: "RESCHEDULE", startAfter: new Date(deps.clock().getTime() + action.delayMs), payload: { ...data, attempts: { ...data.attempts, [action.budget]: (data.attempts[action.budget] ?? 0) + 1 } }, code: action.code, reason: action.message }
        : { kind: "DEAD_LETTER", code: action.code, message: action.message };
  }
  if (result.kind === "RESCHEDULE") {
    // startAfter is on the pipeline's clock; pg-boss waits on the database's (see TimeSource).
    await boss.send(queue, result.payload, { singletonKey: data.journeyId, startAfter: deps.time.realInstant(result.startAfter) });
  } else if (result.kind === "DEAD_LETTER") {
    await boss.send(OUTREACH_DLQ, { queue, jobId, code: result.code, reason: result.message, payload: data });
    logEvent("error", { worker: queue, jobId, leadId: data.leadId, channel, action: "email.dead_letter", error: { code: result.code, message: result.message } });
  }
  return result;
}

const common = {
  payload: emailSendPayload,
  policy: "standard" as const,
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryBackoff: true,
  expireInSeconds: 300,
  deadLetter: OUTREACH_DLQ,
  localConcurrency: 10,
};

export const emailColdJob = defineJob({
  ...common,
  name: EMAIL_COLD_QUEUE,
  seedName: "q:email:cold",
  async handler(data, { jobId, boss }) {
    return handleEmailSend(boss, "EMAIL_COLD", data, jobId);
  },
});

export const emailWarmJob = defineJob({
  ...common,
  name: EMAIL_WARM_QUEUE,
  seedName: "q:email:warm",
  async handler(data, { jobId, boss }) {
    return handleEmailSend(boss, "EMAIL_WARM", data, jobId);
  },
});
