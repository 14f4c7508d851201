/**
 * Sending an answer to an email reply as a warm email through Resend (issue 15: "for email leads the
 * warm email queue"), run by the q.email.warm job for payloads of kind `answer`. The same order as
 * the WhatsApp answer: the log row `answer:<id>` first (UNIQUE), a run-time re-check (the answer still
 * QUEUED, no opt-out, address and domain not on the do-not-contact list, the lead not DEAD, no person
 * holding the lead for an automatic answer), the sending window, then Resend with the same key as its
 * Idempotency-Key (a retry after a timeout is deduplicated by Resend), then one finalising transaction.
 */
import type { EmailAnswerPayload } from "../../../jobs/queues";
import type { Clock } from "../../clock";
import { withTenant } from "../../db/client.server";
import { lockJourney } from "../../db/lock-order.server";
import { dncStatusOf } from "../../dnc/dnc.server";
import { logEvent } from "../../observability/logger.server";
import { classifySendFailure, withAttempt } from "../../pipeline/rules/failure";
import { contentHash } from "../../pipeline/rules/ids.server";
import type { ResendClient } from "../../providers/resend/client.server";
import { quotaSettingsFromTenant } from "../../quota/settings";
import { calendarFor } from "../../quota/window";
import { resendAttributionTags } from "../../webhooks/attribution";
import { answerIdempotencyKey } from "./answers.server";
import { answerFailed, answerStale, type AnswerSendResult } from "./send-common.server";

export interface EmailAnswerDeps {
  resend: Pick<ResendClient, "send">;
  clock: Clock;
}

export type EmailAnswerResult = AnswerSendResult<EmailAnswerPayload>;

export async function processEmailAnswer(deps: EmailAnswerDeps, p: EmailAnswerPayload, job: { jobId: string }): Promise<EmailAnswerResult> {
  const key = answerIdempotencyKey(p.answerId);
  const now = deps.clock();
  const ctx = await withTenant(p.tenantId, async (tx) => {
    const answer = await tx.replyAnswer.findUnique({ where: { id: p.answerId }, select: { status: true, body: true, subject: true, mode: true } });
    const journey = await tx.goldLeadJourney.findUnique({ where: { id: p.journeyId }, select: { currentState: true, emailOptedOut: true, isHumanControlled: true } });
    const lead = await tx.goldCompany.findUnique({ where: { id: p.leadId }, select: { emailPrincipal: true, denumire: true } });
    const tenant = await tx.tenant.findUniqueOrThrow({
      where: { id: p.tenantId },
      select: { name: true, timezone: true, sendingDays: true, sendingStartHour: true, sendingEndHour: true, waDailyQuota: true, settings: true },
    });
    const intent = await tx.goldCommunicationLog.findUnique({ where: { idempotencyKey: key }, select: { id: true, status: true, resendEmailId: true } });
    if (!answer || !journey || !lead) return null;
    const email = lead.emailPrincipal?.trim().toLowerCase() ?? null;
    // Address or domain, plain or kept hashed after a GDPR erasure: the one do-not-contact check.
    const dnc = await dncStatusOf(tx, { phone: null, email });
    return { answer, journey, lead, email, dnc: dnc.email || dnc.domain, tenant, intent };
  });
  if (!ctx) return { kind: "DONE", code: "NO_LONGER_ELIGIBLE", reason: "answer, journey or lead is gone" };
  if (ctx.intent && (ctx.intent.resendEmailId || (ctx.intent.status !== "QUEUED" && ctx.intent.status !== "FAILED"))) return { kind: "ALREADY_SENT", logId: ctx.intent.id };

  const stale =
    ctx.answer.status !== "QUEUED" ? { code: "ANSWER_NOT_QUEUED", message: `answer is ${ctx.answer.status}` }
    : ctx.journey.emailOptedOut ? { code: "OPTED_OUT", message: "lead opted out of email" }
    : ctx.dnc ? { code: "EMAIL_DO_NOT_CONTACT", message: "the address or its domain is on the do-not-contact list" }
    : ctx.journey.currentState === "DEAD" ? { code: "LEAD_DEAD", message: "lead is DEAD" }
    : ctx.answer.mode === "AUTO" && ctx.journey.isHumanControlled ? { code: "HUMAN_CONTROLLED", message: "a person took the lead over" }
    : !ctx.email ? { code: "NO_EMAIL_ADDRESS", message: "lead has no email address" }
    : null;
  if (stale) {
    await answerStale(p, stale, now);
    return { kind: "DONE", code: stale.code, reason: stale.message };
  }
  const window = calendarFor(quotaSettingsFromTenant(ctx.tenant).window).state(now);
  if (!window.open) return { kind: "RESCHEDULE", startAfter: window.nextOpening, payload: p, code: "REFUSED_OUTSIDE_WINDOW", reason: "outside the sending window" };

  const subject = ctx.answer.subject ?? `Răspuns de la ${ctx.tenant.name}`;
  const logId = await withTenant(p.tenantId, async (tx) => {
    await lockJourney(tx, { journeyId: p.journeyId });
    const data = { status: "QUEUED" as const, recipient: ctx.email!, subject, contentPreview: ctx.answer.body.slice(0, 500), contentHash: contentHash(`${subject}\n\n${ctx.answer.body}`), errorCode: null, errorMessage: null, failedAt: null, metadata: { answerId: p.answerId, attemptAt: now.toISOString(), jobId: job.jobId } };
    if (ctx.intent) {
      await tx.goldCommunicationLog.update({ where: { id: ctx.intent.id }, data });
      return ctx.intent.id;
    }
    const row = await tx.goldCommunicationLog.create({ data: { ...data, tenantId: p.tenantId, journeyId: p.journeyId, leadId: p.leadId, channel: "EMAIL_WARM", direction: "OUTBOUND", idempotencyKey: key }, select: { id: true } });
    return row.id;
  });

  let providerId: string;
  try {
    ({ id: providerId } = await deps.resend.send({ to: ctx.email!, subject, text: ctx.answer.body, tags: { ...resendAttributionTags(p.tenantId, logId), journey: p.journeyId, answer: p.answerId } }, { idempotencyKey: key }));
  } catch (error) {
    const action = classifySendFailure(error, p.attempts);
    const message = error instanceof Error ? error.message : String(error);
    // Resend deduplicates a repeat with the same Idempotency-Key: the row stays QUEUED for the retry.
    if (action.kind === "RETRY") return { kind: "RESCHEDULE", startAfter: new Date(deps.clock().getTime() + action.delayMs), payload: withAttempt(p, action.budget), code: action.code, reason: message };
    await answerFailed(p, { code: action.code, message }, logId, deps.clock());
    return action.kind === "DEAD_LETTER" ? { kind: "DEAD_LETTER", code: action.code, message } : { kind: "DONE", code: action.code, reason: message };
  }
  const at = deps.clock();
  await withTenant(p.tenantId, async (tx) => {
    await lockJourney(tx, { journeyId: p.journeyId });
    await tx.goldCommunicationLog.update({ where: { id: logId }, data: { status: "SENT", resendEmailId: providerId, externalMessageId: providerId, sentAt: at, metadata: { answerId: p.answerId, attemptAt: null } } });
    await tx.replyAnswer.update({ where: { id: p.answerId }, data: { status: "SENT", sentAt: at, sentMessageId: logId } });
    await tx.goldLeadJourney.update({ where: { id: p.journeyId }, data: { lastContactAt: at, lastChannelUsed: "EMAIL_WARM" }, select: { id: true } });
  });
  logEvent("info", { worker: "q.email.warm", leadId: p.leadId, channel: "EMAIL_WARM", action: "answer.sent", metadata: { answerId: p.answerId, providerId } });
  return { kind: "SENT", providerId, logId, reconciled: false };
}
