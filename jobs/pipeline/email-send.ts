/**
 * q.email.cold / q.email.warm (seeds `q:email:cold`, `q:email:warm`, concurrency 50): one job per
 * lead and step, queued by dispatch. Like wa.send, known failures never fail the job: retries are
 * re-enqueued with a start time (seeds §6.1 budgets), permanent ones dead-lettered and completed.
 * No per-key serialisation is needed: Instantly schedules the cold sends itself, and Resend takes
 * 100/s (the client paces).
 */
import type { PgBoss } from "pg-boss";
import { processEmailSend, type EmailChannel, type EmailSendResult } from "../../server/pipeline/send/email-send.server";
import { processManualEmailSend, type ManualEmailResult } from "../../server/pipeline/send/manual-send.server";
import { EMAIL_COLD_QUEUE, EMAIL_WARM_QUEUE, emailSendJobPayload, emailWarmJobPayload, isManualEmailSend, OUTREACH_DLQ, type EmailAnswerPayload, type EmailSendJobPayload, type EmailSendPayload, type EmailManualSendPayload } from "../queues";
import { processEmailAnswer, type EmailAnswerResult } from "../../server/replies/answers/send-email.server";
import { defineJob } from "../definition";
import { pipelineDeps } from "./deps";
import { runSendJob } from "./send-outcome";

export async function handleEmailSend(boss: Pick<PgBoss, "send">, channel: EmailChannel, data: EmailSendJobPayload, jobId: string): Promise<EmailSendResult | ManualEmailResult> {
  const deps = pipelineDeps();
  const queue = channel === "EMAIL_COLD" ? EMAIL_COLD_QUEUE : EMAIL_WARM_QUEUE;
  if (isManualEmailSend(data)) {
    // A person's email from the lead page (manual-send.server.ts); queued on q.email.warm only.
    return runSendJob<EmailManualSendPayload, ManualEmailResult>(
      boss,
      { queue, jobId, payload: data, singletonKey: (p) => p.journeyId, time: deps.time, log: { channel } },
      () => processManualEmailSend({ resend: deps.resend, clock: deps.clock }, data, { jobId }),
    );
  }
  return runSendJob<EmailSendPayload, EmailSendResult>(
    boss,
    { queue, jobId, payload: data, singletonKey: (p) => p.journeyId, time: deps.time, log: { channel } },
    () => processEmailSend({ instantly: deps.instantly, resend: deps.resend, ports: deps.ports, clock: deps.clock }, channel, data, { jobId }),
  );
}

/** An answer to an email reply (issue 15), on the warm queue: the same retry and dead-letter handling. */
export async function handleEmailAnswer(boss: Pick<PgBoss, "send">, data: EmailAnswerPayload, jobId: string): Promise<EmailAnswerResult> {
  const deps = pipelineDeps();
  return runSendJob(
    boss,
    { queue: EMAIL_WARM_QUEUE, jobId, payload: data, singletonKey: (p) => p.journeyId, time: deps.time, log: { channel: "EMAIL_WARM" } },
    () => processEmailAnswer({ resend: deps.resend, clock: deps.clock }, data, { jobId }),
  );
}

const common = {
  payload: emailSendJobPayload,
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
  payload: emailWarmJobPayload,
  name: EMAIL_WARM_QUEUE,
  seedName: "q:email:warm",
  async handler(data, { jobId, boss }) {
    if ("kind" in data) return handleEmailAnswer(boss, data, jobId);
    return handleEmailSend(boss, "EMAIL_WARM", data, jobId);
  },
});
