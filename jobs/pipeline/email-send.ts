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
import { EMAIL_COLD_QUEUE, EMAIL_WARM_QUEUE, emailSendJobPayload, isManualEmailSend, OUTREACH_DLQ, type EmailManualSendPayload, type EmailSendJobPayload, type EmailSendPayload } from "../queues";
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
  name: EMAIL_WARM_QUEUE,
  seedName: "q:email:warm",
  async handler(data, { jobId, boss }) {
    return handleEmailSend(boss, "EMAIL_WARM", data, jobId);
  },
});
