/**
 * Sending an answer on WhatsApp (issue 15: "through the per-phone follow-up path: no quota cost, inside
 * the window, serialised with the phone's other sends"). Run by the wa.send job for payloads of kind
 * `answer`, so it shares the phone's key_strict_fifo key with the sequence sends, and it is a
 * follow-up: sequence sends waiting on the phone give way to it (send-order.ts).
 *
 * Exactly once, as the sequence send (server/pipeline/send/whatsapp-send.server.ts):
 *   1. the log row by idempotency key `answer:<id>` (UNIQUE): sent → done; in flight (an earlier
 *      attempt may have reached TimelinesAI) → look for the text in the lead's chat first;
 *   2. re-check at run time: the answer is still QUEUED, the lead has not opted out (journey flags and
 *      the do-not-contact list), is not DEAD, and — for an automatic answer — no person took it over;
 *   3. the phone's spacing, then window and phone status through the quota guardian at cost 0;
 *   4. the intent row written and committed under the journey's lock, then TimelinesAI;
 *   5. one transaction: log SENT, the answer SENT, the phone's last send, the journey's last contact.
 */
import type { Prisma } from "../../generated/prisma/client";
import type { WaAnswerPayload } from "../../../jobs/queues";
import { withTenant, type TenantTx } from "../../db/client.server";
import { lockJourney } from "../../db/lock-order.server";
import { logEvent } from "../../observability/logger.server";
import { findSentMessage, intentState, type TimelinesPort } from "../../pipeline/send/whatsapp-send.server";
import { LEASE_RECHECK_MS, leaseFence, openLease, SendLeaseLostError, superseded, takeOverAt, waitForLease, type LeaseTimes } from "../../pipeline/rules/lease";
import { leaseGuard, lockIfLeaseHeld } from "../../pipeline/send/send-lease.server";
import { randomUUID } from "node:crypto";
import { certainlyNotSent, classifySendFailure, withAttempt } from "../../pipeline/rules/failure";
import { contentHash } from "../../pipeline/rules/ids.server";
import { nextSendAllowedAt } from "../../pipeline/rules/pacing.server";
import { canonicalPhone } from "../../providers/timelinesai/client.server";
import type { QuotaGuardian } from "../../quota/guardian.server";
import { quotaSettingsFromTenant } from "../../quota/settings";
import { recordUsage } from "../../quota/history.server";
import { localDateIn } from "../../quota/window";
import type { Clock } from "../../clock";
import { dncStatusOf } from "../../dnc/dnc.server";
import { answerIdempotencyKey } from "./answers.server";
import { answerFailed, answerStale, type AnswerSendResult } from "./send-common.server";

export interface WaAnswerDeps {
  guardian: QuotaGuardian;
  timelinesai: TimelinesPort;
  clock: Clock;
  /** How long an answer waits for a phone that is not ACTIVE before it is tried again. */
  phoneWaitMs?: number;
  /** The send attempt's lease times (server/pipeline/rules/lease.ts). */
  lease?: LeaseTimes;
}

export type WaAnswerResult = AnswerSendResult<WaAnswerPayload>;

/** Deferrals (window, spacing, phone) after which an answer is given up and a person told. */
const MAX_DEFERRALS = 200;

interface Ctx {
  answer: { id: string; status: string; body: string; mode: string | null; phoneId: string | null; releasedBy: string | null };
  journey: { currentState: string; whatsappOptedOut: boolean; isHumanControlled: boolean };
  recipient: string | null;
  phoneDnc: boolean;
  phone: { phoneNumber: string; lastMessageSentAt: Date | null; status: string } | null;
  settings: ReturnType<typeof quotaSettingsFromTenant>;
  jitter: { jitterMinSeconds: number; jitterMaxSeconds: number };
  intent: { id: string; status: string; externalMessageId: string | null; contentHash: string | null; metadata: Record<string, unknown> } | null;
}

async function load(p: WaAnswerPayload, key: string): Promise<Ctx | null> {
  return withTenant(p.tenantId, async (tx) => {
    const answer = await tx.replyAnswer.findUnique({ where: { id: p.answerId }, select: { id: true, status: true, body: true, mode: true, phoneId: true, releasedBy: true } });
    const journey = await tx.goldLeadJourney.findUnique({ where: { id: p.journeyId }, select: { currentState: true, whatsappOptedOut: true, isHumanControlled: true } });
    const lead = await tx.goldCompany.findUnique({ where: { id: p.leadId }, select: { telefonPrincipal: true } });
    const phone = await tx.waPhoneNumber.findUnique({ where: { id: p.phoneId }, select: { phoneNumber: true, lastMessageSentAt: true, status: true } });
    const tenant = await tx.tenant.findUniqueOrThrow({
      where: { id: p.tenantId },
      select: { timezone: true, sendingDays: true, sendingStartHour: true, sendingEndHour: true, waDailyQuota: true, settings: true, jitterMinSeconds: true, jitterMaxSeconds: true },
    });
    const intent = await tx.goldCommunicationLog.findUnique({ where: { idempotencyKey: key }, select: { id: true, status: true, externalMessageId: true, contentHash: true, metadata: true } });
    if (!answer || !journey || !lead) return null;
    const recipient = lead.telefonPrincipal ? canonicalPhone(lead.telefonPrincipal) : null;
    const phoneDnc = lead.telefonPrincipal ? (await dncStatusOf(tx, { phone: lead.telefonPrincipal, email: null })).phone : false;
    return {
      answer,
      journey,
      recipient,
      phoneDnc,
      phone,
      settings: quotaSettingsFromTenant(tenant),
      jitter: { jitterMinSeconds: tenant.jitterMinSeconds, jitterMaxSeconds: tenant.jitterMaxSeconds },
      intent: intent ? { ...intent, metadata: (intent.metadata ?? {}) as Record<string, unknown> } : null,
    };
  });
}

/** Why the answer must not go out any more, or null. */
function staleReason(ctx: Ctx): { code: string; message: string } | null {
  if (ctx.answer.status !== "QUEUED") return { code: "ANSWER_NOT_QUEUED", message: `answer is ${ctx.answer.status}` };
  if (ctx.journey.whatsappOptedOut || ctx.phoneDnc) return { code: "OPTED_OUT", message: "lead opted out of WhatsApp" };
  if (ctx.journey.currentState === "DEAD") return { code: "LEAD_DEAD", message: "lead is DEAD" };
  if (ctx.answer.mode === "AUTO" && ctx.journey.isHumanControlled) return { code: "HUMAN_CONTROLLED", message: "a person took the lead over" };
  if (!ctx.recipient) return { code: "NO_PHONE_NUMBER", message: "lead has no phone number" };
  if (!ctx.phone) return { code: "NO_SENDING_PHONE", message: "the sending phone is gone" };
  return null;
}

export async function processWaAnswer(deps: WaAnswerDeps, p: WaAnswerPayload, job: { jobId: string }): Promise<WaAnswerResult> {
  const key = answerIdempotencyKey(p.answerId);
  const ctx = await load(p, key);
  if (!ctx) return { kind: "DONE", code: "NO_LONGER_ELIGIBLE", reason: "answer, journey or lead is gone" };
  let state = intentState(ctx.intent);
  if (state === "SENT") return { kind: "ALREADY_SENT", logId: ctx.intent!.id };
  if (state === "IN_FLIGHT" && ctx.recipient && ctx.phone) {
    // An earlier attempt may still be talking to TimelinesAI: the chat is looked at once its lease is over.
    const at = takeOverAt(ctx.intent!.metadata, deps.lease);
    if (at && at.getTime() > deps.clock().getTime()) return waitForLease(at);
    const found = await findSentMessage(deps, ctx.phone.phoneNumber, ctx.recipient, ctx.intent!);
    if (found) {
      await finalize(deps, p, ctx.intent!.id, found, { reconciled: true });
      return { kind: "SENT", providerId: found, logId: ctx.intent!.id, reconciled: true };
    }
    state = "REUSABLE";
  }

  const stale = staleReason(ctx);
  if (stale) {
    await answerStale(p, stale, deps.clock());
    return { kind: "DONE", code: stale.code, reason: stale.message };
  }
  const now = deps.clock();
  if (p.deferrals >= MAX_DEFERRALS) {
    await answerFailed(p, { code: "ANSWER_DEFERRED_TOO_LONG", message: `deferred ${p.deferrals} times` }, null, now);
    return { kind: "DONE", code: "ANSWER_DEFERRED_TOO_LONG", reason: "gave up waiting for the phone" };
  }
  const allowedAt = nextSendAllowedAt(p.phoneId, ctx.phone!.lastMessageSentAt, ctx.jitter);
  if (allowedAt && allowedAt.getTime() > now.getTime()) return { kind: "RESCHEDULE", startAfter: allowedAt, payload: { ...p, deferrals: p.deferrals + 1 }, code: "DEFERRED_SPACING", reason: "phone spacing" };

  // Window and phone status in one atomic check; an answer is a follow-up: cost 0.
  const decision = await deps.guardian.check({ tenantId: p.tenantId, phoneId: p.phoneId, cost: 0, settings: ctx.settings });
  if (!decision.allowed) {
    const at = decision.reason === "OUTSIDE_WINDOW" ? (decision.retryAt ?? deps.guardian.nextWindow(ctx.settings)) : new Date(now.getTime() + (deps.phoneWaitMs ?? 3_600_000));
    return { kind: "RESCHEDULE", startAfter: at, payload: { ...p, deferrals: p.deferrals + 1 }, code: `REFUSED_${decision.reason}`, reason: `quota guardian: ${decision.reason}` };
  }

  const hash = contentHash(ctx.answer.body);
  const lease = openLease(randomUUID(), now, deps.lease);
  let intentId: string | null;
  try {
    intentId = await withTenant(p.tenantId, async (tx) => {
      await lockJourney(tx, { journeyId: p.journeyId });
      const metadata = { ...(ctx.intent?.metadata ?? {}), ...lease, jobId: job.jobId, answerId: p.answerId } as Prisma.InputJsonValue;
      const data = { status: "QUEUED" as const, recipient: ctx.recipient!, contentPreview: ctx.answer.body.slice(0, 500), contentHash: hash, phoneId: p.phoneId, quotaCost: 0, errorCode: null, errorMessage: null, failedAt: null, metadata };
      if (ctx.intent) {
        // Taken over only if an earlier attempt's lease is still the one read (server/pipeline/rules/lease.ts).
        if (!(await lockIfLeaseHeld(tx, ctx.intent.id, leaseFence(ctx.intent.metadata)))) return null;
        await tx.goldCommunicationLog.update({ where: { id: ctx.intent.id }, data });
        return ctx.intent.id;
      }
      const row = await tx.goldCommunicationLog.create({
        data: { ...data, tenantId: p.tenantId, journeyId: p.journeyId, leadId: p.leadId, channel: "WHATSAPP", direction: "OUTBOUND", idempotencyKey: key },
        select: { id: true },
      });
      return row.id;
    });
  } catch (error) {
    if (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002") {
      return { kind: "RESCHEDULE", startAfter: new Date(now.getTime() + 60_000), payload: p, code: "INTENT_TAKEN", reason: "another job holds this answer" };
    }
    throw error;
  }
  if (!intentId) return waitForLease(new Date(now.getTime() + LEASE_RECHECK_MS), "the earlier attempt's lease changed meanwhile; looking again");
  const logId = intentId;

  let messageUid: string;
  try {
    ({ messageUid } = await deps.timelinesai.sendToPhone({ phone: ctx.recipient!, text: ctx.answer.body, accountPhone: ctx.phone!.phoneNumber, beforeRequest: leaseGuard(p.tenantId, logId, lease, deps.clock, deps.lease) }));
  } catch (error) {
    const lost = superseded(`another attempt holds answer ${p.answerId}`);
    if (error instanceof SendLeaseLostError) return lost;
    const action = classifySendFailure(error, p.attempts);
    const message = error instanceof Error ? error.message : String(error);
    const notSent = certainlyNotSent(error);
    // Every write only while this attempt still holds the row: a take-over after a stall owns it.
    const holds = (tx: TenantTx) => lockIfLeaseHeld(tx, logId, lease);
    if (action.kind === "RETRY") {
      const held = await withTenant(p.tenantId, async (tx) => {
        if (!(await holds(tx))) return false;
        // Certainly not sent: reusable; else still in flight, but this attempt's call is over (lease closed).
        const metadata = { ...(ctx.intent?.metadata ?? {}), ...lease, jobId: job.jobId, answerId: p.answerId, ...(notSent ? { attemptAt: null } : {}), leaseUntil: null };
        await tx.goldCommunicationLog.update({ where: { id: logId }, data: { errorCode: action.code, errorMessage: message.slice(0, 1000), metadata } });
        return true;
      });
      if (!held) return lost;
      return { kind: "RESCHEDULE", startAfter: new Date(deps.clock().getTime() + action.delayMs), payload: withAttempt(p, action.budget), code: action.code, reason: message };
    }
    if (!(await answerFailed(p, { code: action.code, message }, logId, deps.clock(), holds))) return lost;
    return action.kind === "DEAD_LETTER" ? { kind: "DEAD_LETTER", code: action.code, message } : { kind: "DONE", code: action.code, reason: message };
  }
  await finalize(deps, p, logId, messageUid, { reconciled: false });
  return { kind: "SENT", providerId: messageUid, logId, reconciled: false };
}

async function finalize(deps: WaAnswerDeps, p: WaAnswerPayload, logId: string, messageUid: string, o: { reconciled: boolean }): Promise<void> {
  const at = deps.clock();
  const done = await withTenant(p.tenantId, async (tx) => {
    // The phone first (it is written), then the journey, then the log and answer rows (lock order).
    await tx.$queryRaw`SELECT id FROM wa_phone_numbers WHERE id = ${p.phoneId}::uuid FOR NO KEY UPDATE`;
    await lockJourney(tx, { journeyId: p.journeyId });
    const logged = await tx.goldCommunicationLog.updateMany({
      where: { id: logId, externalMessageId: null },
      data: { status: "SENT", externalMessageId: messageUid, timelinesaiMessageUid: messageUid, sentAt: at, metadata: { answerId: p.answerId, attemptAt: null, reconciled: o.reconciled } },
    });
    if (logged.count === 0) return false;
    await tx.replyAnswer.update({ where: { id: p.answerId }, data: { status: "SENT", sentAt: at, sentMessageId: logId, errorCode: null, errorMessage: null } });
    await tx.waPhoneNumber.update({ where: { id: p.phoneId }, data: { lastMessageSentAt: at, messagesSentTotal: { increment: 1 }, consecutiveFailures: 0 } });
    await tx.goldLeadJourney.update({ where: { id: p.journeyId }, data: { lastContactAt: at, lastChannelUsed: "WHATSAPP" }, select: { id: true } });
    // A lead without a sticky phone keeps the one that answered it.
    await tx.goldLeadJourney.updateMany({ where: { id: p.journeyId, assignedPhoneId: null }, data: { assignedPhoneId: p.phoneId, assignedAt: at } });
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: p.tenantId }, select: { timezone: true } });
    await recordUsage(tx, { tenantId: p.tenantId, phoneId: p.phoneId, usageDate: localDateIn(tenant.timezone, at), cost: 0, at });
    return true;
  });
  if (done) logEvent("info", { worker: "wa.send", leadId: p.leadId, phoneId: p.phoneId, channel: "WHATSAPP", action: o.reconciled ? "answer.reconciled" : "answer.sent", metadata: { answerId: p.answerId, messageUid } });
}
