/**
 * The WhatsApp send (seeds: workers overview §5.1 steps 4–7), run by the `wa.send` job, one job per
 * phone at a time (key_strict_fifo on singletonKey = phoneId). Returns what the job must do next;
 * the handler only re-enqueues or dead-letters.
 *
 * Exactly once, in this order:
 *   1. look up the intent row by idempotency key `journeyId:step:WHATSAPP` (UNIQUE);
 *      sent → nothing to do; in flight (an earlier attempt may have reached TimelinesAI) → wait until
 *      that attempt's lease is over (rules/lease.ts: it may still be calling), then reconcile against
 *      the chat's recent messages before anything else;
 *   2. re-check at run time: the lead is still eligible, the phone's spacing, then the window, phone
 *      status and quota in one atomic check-and-consume (cost 1 new contact, 0 follow-up);
 *   3. write the intent (QUEUED, this attempt's lease) and COMMIT it;
 *   4. call TimelinesAI, each request only while the lease holds;
 *   5. one transaction: log SENT, phone last send, lead state → CONTACTED_WA (the state table's send rule), next sequence
 *      step, quota history.
 * A crash between 4 and 5 leaves a QUEUED row with attempt_at: the retry finds the message in the
 * chat and finishes step 5 without sending again. A failure that certainly did not reach the provider
 * gives the quota unit back and clears attempt_at, so the row is reused by the next attempt.
 */
import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client";
import { withTenant, type TenantTx } from "../../db/client.server";
import { tenantSql } from "../../db/sql.server";
import { lockJourney } from "../../db/lock-order.server";
import { DomainError } from "../../errors";
import { logEvent } from "../../observability/logger.server";
import type { TimelinesAiClient } from "../../providers/timelinesai/client.server";
import { canonicalPhone } from "../../providers/timelinesai/client.server";
import type { QuotaDecision } from "../../quota/decision";
import type { QuotaGuardian } from "../../quota/guardian.server";
import { quotaSettingsFromTenant, type TenantQuotaSettings } from "../../quota/settings";
import { calendarFor } from "../../quota/window";
import type { Clock } from "../../clock";
import { templateForSend } from "../../templates/send-cache.server";
import { renderLoadedForLead } from "../../templates/templates.server";
import { DISPATCHABLE_STATES } from "../rules/eligibility";
import { certainlyNotSent, classifySendFailure, withAttempt } from "../rules/failure";
import { contentHash, sendIdempotencyKey } from "../rules/ids.server";
import type { DispatchOutcome, OutcomeCode } from "../rules/outcome";
import { nextSendAllowedAt } from "../rules/pacing.server";
import type { PipelinePorts } from "../ports";
import { WA_SEND_FAMILY, type WaSendPayload } from "../../../jobs/queues";
import { appendDecisionSql, recordDispatchOutcome, type NextAction } from "../record-outcome.server";
import { isStepSentOnOtherChannel } from "./step-claim.server";
import * as store from "./whatsapp-send-store.server";
import { randomUUID } from "node:crypto";
import { LEASE_RECHECK_MS, leaseFence, openLease, SendLeaseLostError, superseded, takeOverAt, waitForLease, type AttemptLease, type LeaseTimes, type SendWait } from "../rules/lease";
import { leaseGuard, lockIfLeaseHeld } from "./send-lease.server";
import type { SendContextRow, SendIntent } from "./whatsapp-send-store.server";

export type TimelinesPort = Pick<TimelinesAiClient, "sendToPhone" | "listChats" | "listChatMessages">;

export interface WaSendDeps {
  guardian: QuotaGuardian;
  timelinesai: TimelinesPort;
  ports: PipelinePorts;
  clock: Clock;
  /** Park time for a contacted lead whose phone is not ACTIVE, and after a dead letter. */
  waitMs?: { phoneInactive: number; afterDeadLetter: number };
  /** The send attempt's lease times (rules/lease.ts); tests with a short client timeout shorten them. */
  lease?: LeaseTimes;
  /** Test hook: runs after the provider accepted the message, before it is logged (crash drills). */
  afterProviderAccepted?: (messageUid: string) => Promise<void> | void;
}

export type WaSendResult =
  | { kind: "SENT"; messageUid: string; logId: string; reconciled: boolean }
  | { kind: "ALREADY_SENT"; logId: string }
  | { kind: "DONE"; code: OutcomeCode; reason: string }
  | { kind: "RESCHEDULE"; startAfter: Date; payload: WaSendPayload; code: string; reason: string }
  | { kind: "DEAD_LETTER"; code: string; message: string }
  /** An initial message whose phone has a follow-up waiting and due: the job goes behind it (send-order.ts). */
  | { kind: "GIVE_WAY" }
  | SendWait;

type Intent = SendIntent;

interface Context extends Pick<SendContextRow, "journey" | "phone" | "intent" | "lead" | "phoneDnc" | "enrollment" | "followUpWaiting"> {
  settings: TenantQuotaSettings;
  jitter: { jitterMinSeconds: number; jitterMaxSeconds: number };
  /** Days within which the same text must not reach the same lead twice (tenant settings). */
  sameContentDays: number;
}

const DEFAULT_WAIT = { phoneInactive: 3600_000, afterDeadLetter: 24 * 3600_000 };
const RECONCILE_PAGES = 5;
/** Messages sent this long before our attempt still count as ours when reconciling (clock skew). */
const RECONCILE_SKEW_MS = 60_000;

/** Where an earlier attempt of this send got to (shared with the manual send, manual-send.server.ts). */
export const intentState = (i: Pick<Intent, "status" | "externalMessageId" | "metadata"> | null): "NONE" | "REUSABLE" | "IN_FLIGHT" | "SENT" => {
  if (!i) return "NONE";
  if (i.externalMessageId) return "SENT";
  if (i.status === "FAILED") return "REUSABLE";
  if (i.status !== "QUEUED") return "SENT";
  return i.metadata.attemptAt ? "IN_FLIGHT" : "REUSABLE";
};

export async function processWaSend(deps: WaSendDeps, p: WaSendPayload, job: { jobId: string }): Promise<WaSendResult> {
  const wait = deps.waitMs ?? DEFAULT_WAIT;
  const key = sendIdempotencyKey(p.journeyId, p.stepNumber, "WHATSAPP");
  const ctx = await loadContext(p, key);
  if (!ctx) return { kind: "DONE", code: "NO_LONGER_ELIGIBLE", reason: "journey, lead or phone is gone" };
  // Follow-ups first (rules/send-order.ts): read with the context, before anything else is decided.
  if (ctx.followUpWaiting) return { kind: "GIVE_WAY" };

  let state = intentState(ctx.intent);
  if (state === "SENT") return { kind: "ALREADY_SENT", logId: ctx.intent!.id };

  const recipient = ctx.lead.phone ? canonicalPhone(ctx.lead.phone) : null;
  if (state === "IN_FLIGHT") {
    // An earlier attempt may still be talking to TimelinesAI: the chat is looked at once its lease is over.
    const at = takeOverAt(ctx.intent!.metadata, deps.lease);
    if (at && at.getTime() > deps.clock().getTime()) return waitForLease(at);
    const found = recipient ? await findSentMessage(deps, ctx.phone.phoneNumber, recipient, ctx.intent!) : null;
    if (found) {
      await finalizeSent(deps, p, ctx, ctx.intent!, found, job, { reconciled: true, usageDate: ctx.intent!.metadata.usageDate ?? null });
      return { kind: "SENT", messageUid: found, logId: ctx.intent!.id, reconciled: true };
    }
    // Not in the chat: the earlier attempt never reached WhatsApp. Its quota unit stays consumed
    // (quota_cost on the row) and this attempt sends without consuming another.
    state = "REUSABLE";
  }

  // Run-time re-check of the lead: a reply, an opt-out or a person may have intervened since dispatch.
  const stale = staleReason(ctx, p, recipient);
  if (stale) {
    await recordOutcome(deps, p, outcome(deps, "NO_LONGER_ELIGIBLE", stale, p), undefined);
    return { kind: "DONE", code: "NO_LONGER_ELIGIBLE", reason: stale };
  }

  // Spacing: defer without occupying a worker; the job comes back when the phone may send.
  const now = deps.clock();
  const allowedAt = nextSendAllowedAt(p.phoneId, ctx.phone.lastMessageSentAt, ctx.jitter);
  if (allowedAt && allowedAt.getTime() > now.getTime()) {
    // The trail says why the message waits, once per send (later deferrals of the same job add nothing).
    if (p.deferrals === 0) {
      await appendDecisionSql(tenantSql(p.tenantId), p, { ...outcome(deps, "DEFERRED_SPACING", `waiting for the phone's spacing between messages until ${allowedAt.toISOString()}`, p), nextActionAt: allowedAt.toISOString() }, now);
    }
    return { kind: "RESCHEDULE", startAfter: allowedAt, payload: { ...p, deferrals: p.deferrals + 1 }, code: "DEFERRED_SPACING", reason: "phone spacing" };
  }

  const rendered = await templateForSend(p.tenantId, p.templateId)
    .then((template) => renderLoadedForLead(template, ctx.lead))
    .then((r) => ({ text: r.rendered.text, templateVersionId: r.versionId }))
    .catch((error: unknown) => error as Error);
  if (rendered instanceof Error) return deadLetter(deps, p, ctx, rendered, wait.afterDeadLetter);

  // Window, phone status and quota: one atomic Redis check. A unit already consumed by an earlier
  // attempt of this same send is not consumed twice.
  const alreadyPaid = state === "REUSABLE" && ctx.intent!.quotaCost === 1;
  const cost: 0 | 1 = ctx.journey.isNewContact && !alreadyPaid ? 1 : 0;
  const decision = await deps.guardian.check({ tenantId: p.tenantId, phoneId: p.phoneId, cost, settings: ctx.settings });
  if (!decision.allowed) return refuse(deps, p, ctx, decision, wait.phoneInactive);
  const usageDate = cost === 1 ? decision.usageDate : (ctx.intent?.metadata.usageDate ?? decision.usageDate);

  // The intent, committed before the provider is called, unless the same text reached this lead
  // within the tenant's period (another sequence, a re-enrolment): then the step waits it out.
  const hash = contentHash(rendered.text);
  const attemptAt = deps.clock();
  const lease = openLease(randomUUID(), attemptAt, deps.lease);
  let written: store.IntentResult;
  try {
    // In a transaction that first locks the journey: a send of this step on another channel
    // (fallback) serialises here and one of them stands down (server/pipeline/send/step-claim.server.ts).
    written = await store.writeIntent(p, ctx.intent, {
      key,
      recipient: recipient!,
      text: rendered.text,
      hash,
      quotaCost: cost === 1 || alreadyPaid ? 1 : 0,
      usageDate,
      lease,
      templateVersionId: rendered.templateVersionId,
      jobId: job.jobId,
      sameContentSince: new Date(attemptAt.getTime() - ctx.sameContentDays * DAY_MS),
    });
  } catch (error) {
    if (cost === 1) await deps.guardian.release({ tenantId: p.tenantId, phoneId: p.phoneId, usageDate: decision.usageDate });
    // The step went out (or is going out) on email: never a second message for it.
    if (isStepSentOnOtherChannel(error)) return { kind: "DONE", code: "STEP_SENT_ON_OTHER_CHANNEL", reason: error.message };
    if (store.isUniqueViolation(error)) {
      // Another job holds this send (the lead was dispatched twice): look again after it.
      return { kind: "RESCHEDULE", startAfter: new Date(attemptAt.getTime() + 60_000), payload: p, code: "INTENT_TAKEN", reason: "another job holds this send" };
    }
    throw error;
  }
  if (!("intentId" in written)) {
    if (cost === 1) await deps.guardian.release({ tenantId: p.tenantId, phoneId: p.phoneId, usageDate: decision.usageDate });
    if ("taken" in written) return waitForLease(new Date(attemptAt.getTime() + LEASE_RECHECK_MS), "the earlier attempt's lease changed meanwhile; looking again");
    return deferSameContent(deps, p, ctx, written.sameContentAt);
  }
  const { intentId } = written;

  let messageUid: string;
  try {
    ({ messageUid } = await deps.timelinesai.sendToPhone({
      phone: recipient!,
      text: rendered.text,
      accountPhone: ctx.phone.phoneNumber,
      beforeRequest: leaseGuard(p.tenantId, intentId, lease, deps.clock, deps.lease),
    }));
  } catch (error) {
    return afterSendError(deps, p, ctx, { intentId, cost, usageDate: decision.usageDate, lease }, error, wait.afterDeadLetter);
  }
  await deps.afterProviderAccepted?.(messageUid);
  const intent: Intent = { id: intentId, status: "QUEUED", externalMessageId: null, quotaCost: cost === 1 || alreadyPaid ? 1 : 0, contentHash: hash, metadata: { ...lease, usageDate } };
  await finalizeSent(deps, p, ctx, intent, messageUid, job, { reconciled: false, usageDate, templateVersionId: rendered.templateVersionId, preview: rendered.text });
  return { kind: "SENT", messageUid, logId: intentId, reconciled: false };
}

const DAY_MS = 24 * 3600_000;
const DEFAULT_SAME_CONTENT_DAYS = 30;
const sameContentSetting = z.object({ sameContentDays: z.number().int().min(0).max(365).optional() }).loose();

async function loadContext(p: WaSendPayload, key: string): Promise<Context | null> {
  const row = await store.loadSendContext(tenantSql(p.tenantId), p, key);
  if (!row) return null;
  const extra = sameContentSetting.safeParse(row.tenant.settings ?? {});
  return {
    settings: quotaSettingsFromTenant(row.tenant),
    jitter: { jitterMinSeconds: row.tenant.jitterMinSeconds, jitterMaxSeconds: row.tenant.jitterMaxSeconds },
    journey: row.journey,
    lead: row.lead,
    phone: row.phone,
    phoneDnc: row.phoneDnc,
    intent: row.intent,
    enrollment: row.enrollment,
    followUpWaiting: row.followUpWaiting,
    sameContentDays: (extra.success ? extra.data.sameContentDays : undefined) ?? DEFAULT_SAME_CONTENT_DAYS,
  };
}

function staleReason(ctx: Context, p: WaSendPayload, recipient: string | null): string | null {
  const j = ctx.journey;
  if (!DISPATCHABLE_STATES.has(j.state)) return `lead is ${j.state}`;
  if (j.requiresHumanReview) return "lead requires human review";
  if (j.sequencePaused) return "sequence paused";
  if (j.isHumanControlled) return "a person took over the lead";
  if (j.whatsappOptedOut) return "lead opted out of WhatsApp";
  if (ctx.phoneDnc) return "phone number is on the do-not-contact list";
  if (!recipient) return "lead has no phone number";
  if (j.assignedPhoneId !== null && j.assignedPhoneId !== p.phoneId) return "lead was moved to another phone";
  return null;
}

/** Is the message of this intent already in the lead's chat on our account (`accountPhone`)? Returns its uid. */
export async function findSentMessage(deps: Pick<WaSendDeps, "timelinesai">, accountPhone: string, recipient: string, intent: Pick<Intent, "metadata" | "contentHash">): Promise<string | null> {
  const since = intent.metadata.attemptAt ? new Date(intent.metadata.attemptAt).getTime() - RECONCILE_SKEW_MS : 0;
  const chats = await deps.timelinesai.listChats({ phone: recipient, account: accountPhone });
  const ours = canonicalPhone(accountPhone);
  for (const chat of chats.items) {
    if (chat.whatsapp_account_id && canonicalPhone(chat.whatsapp_account_id) !== ours) continue;
    for (let page = 1; page <= RECONCILE_PAGES; page++) {
      const messages = await deps.timelinesai.listChatMessages(chat.id, { fromMe: true, page, account: accountPhone });
      const hit = messages.items.find((m) => m.from_me && m.timestamp.getTime() >= since && m.text != null && contentHash(m.text) === intent.contentHash);
      if (hit) return hit.uid;
      if (!messages.hasMorePages) break;
    }
  }
  return null;
}

async function finalizeSent(
  deps: WaSendDeps,
  p: WaSendPayload,
  ctx: Context,
  intent: Intent,
  messageUid: string,
  job: { jobId: string },
  extra: { reconciled: boolean; usageDate: string | null; templateVersionId?: string | null; preview?: string },
): Promise<void> {
  const at = deps.clock();
  const sent: DispatchOutcome = {
    ...outcome(deps, extra.reconciled ? "RECONCILED_SENT" : "SENT", extra.reconciled ? "found in the chat after an interrupted attempt; not sent again" : "sent", p),
    phone: { phoneId: p.phoneId, kind: "STICKY", reason: "sent from the lead's phone" },
    quota: { allowed: true, cost: intent.quotaCost === 1 ? 1 : 0 },
    template: { templateId: p.templateId, templateVersionId: extra.templateVersionId ?? null },
  };
  const result = await store.finalizeSent(tenantSql(p.tenantId), {
    p,
    intent,
    messageUid,
    at,
    reconciled: extra.reconciled,
    usageDate: extra.usageDate,
    actorId: `wa.send:${job.jobId}`,
    enrollment: ctx.enrollment,
    calendar: calendarFor(ctx.settings.window),
    outcome: { ...sent },
  });
  if (!result.finalized) return;
  logEvent("info", { worker: WA_SEND_FAMILY, tenantId: p.tenantId, jobId: job.jobId, leadId: p.leadId, phoneId: p.phoneId, channel: "WHATSAPP", action: extra.reconciled ? "wa.send.reconciled" : "wa.send.sent", metadata: { messageUid, step: p.stepNumber } });
}

/** The same text reached the lead within the period: the step waits until the period is over. */
async function deferSameContent(deps: WaSendDeps, p: WaSendPayload, ctx: Context, sentAt: Date): Promise<WaSendResult> {
  const until = new Date(sentAt.getTime() + ctx.sameContentDays * DAY_MS);
  const reason = `the same text reached this lead on ${sentAt.toISOString()}; not repeated within ${ctx.sameContentDays} days`;
  await recordOutcome(deps, p, outcome(deps, "DEFERRED_SAME_CONTENT", reason, p), { at: until, reason: "same text sent recently" });
  return { kind: "DONE", code: "DEFERRED_SAME_CONTENT", reason };
}

function outcome(deps: WaSendDeps, result: OutcomeCode, summary: string, p: WaSendPayload): DispatchOutcome {
  return { v: 1, stage: "send", at: deps.clock().toISOString(), result, summary, sequence: { sequenceId: p.sequenceId, stepNumber: p.stepNumber }, ...(p.dispatchSlot ? { runSlot: p.dispatchSlot } : {}) };
}

/** Writes the journey's last outcome and, when given, its next action (a refusal is never silent). */
function recordOutcome(deps: WaSendDeps, p: WaSendPayload, o: DispatchOutcome, next: NextAction | undefined, tx?: TenantTx): Promise<void> {
  return recordDispatchOutcome(p, o, deps.clock(), next, tx);
}

/**
 * A refusal reschedules the lead, it never drops it: outside the window → the next opening; quota
 * spent or phone not ACTIVE → a lead never contacted is released from the phone and due at once (the
 * next dispatch gives it a phone with quota, or says all are full); a contacted lead waits for its phone.
 */
async function refuse(deps: WaSendDeps, p: WaSendPayload, ctx: Context, d: QuotaDecision & { allowed: false }, phoneWaitMs: number): Promise<WaSendResult> {
  const now = deps.clock();
  const code: OutcomeCode = d.reason === "OUTSIDE_WINDOW" ? "REFUSED_OUTSIDE_WINDOW" : d.reason === "QUOTA_EXHAUSTED" ? "REFUSED_QUOTA_EXHAUSTED" : "REFUSED_PHONE_NOT_ACTIVE";
  let next: { at: Date | null; reason: string; unassignPhone?: boolean };
  if (d.reason === "OUTSIDE_WINDOW") next = { at: d.retryAt ?? deps.guardian.nextWindow(ctx.settings), reason: "outside the sending window" };
  else if (ctx.journey.isNewContact) next = { at: now, reason: `phone refused (${d.reason}); to be moved to another phone`, unassignPhone: true };
  else next = { at: new Date(now.getTime() + phoneWaitMs), reason: `waiting for the lead's phone (${d.reason})` };
  const o: DispatchOutcome = {
    ...outcome(deps, code, `quota guardian refused: ${d.reason}`, p),
    phone: { phoneId: p.phoneId, kind: "STICKY", reason: d.phoneStatus ? `phone is ${d.phoneStatus}` : "phone not mirrored" },
    quota: { allowed: false, reason: d.reason, used: d.used, limit: d.limit, retryAt: d.retryAt?.toISOString() ?? null, cost: d.cost },
    window: { open: d.reason !== "OUTSIDE_WINDOW", ...(d.retryAt && d.reason === "OUTSIDE_WINDOW" ? { nextOpening: d.retryAt.toISOString() } : {}) },
  };
  await withTenant(p.tenantId, async (tx) => {
    await recordOutcome(deps, p, o, next, tx);
    // An intent of an earlier attempt is no longer in flight (unless that attempt came back meanwhile).
    if (ctx.intent && (await lockIfLeaseHeld(tx, ctx.intent.id, leaseFence(ctx.intent.metadata)))) {
      await tx.goldCommunicationLog.update({ where: { id: ctx.intent.id }, data: { metadata: { ...ctx.intent.metadata, attemptAt: null } as Prisma.InputJsonValue } });
    }
  });
  return { kind: "DONE", code, reason: d.reason };
}

async function afterSendError(
  deps: WaSendDeps,
  p: WaSendPayload,
  ctx: Context,
  attempt: { intentId: string; cost: 0 | 1; usageDate: string; lease: AttemptLease },
  error: unknown,
  deadLetterWaitMs: number,
): Promise<WaSendResult> {
  if (error instanceof SendLeaseLostError) return superseded(error.message);
  const notSent = certainlyNotSent(error);
  const action = classifySendFailure(error, p.attempts);
  const code = error instanceof DomainError ? error.code : "UNEXPECTED";
  const message = error instanceof Error ? error.message : String(error);
  const final = action.kind !== "RETRY";
  const held = await withTenant(p.tenantId, async (tx) => {
    // The lock order (server/db/lock-order.server.ts): the phone and the journey are written below, then the row.
    await tx.$queryRaw`SELECT id FROM wa_phone_numbers WHERE id = ${p.phoneId}::uuid FOR NO KEY UPDATE`;
    await lockJourney(tx, { journeyId: p.journeyId });
    // Only while this attempt still holds the row: a take-over after a stall owns it (and its quota unit).
    if (!(await lockIfLeaseHeld(tx, attempt.intentId, attempt.lease))) return false;
    if (notSent) {
      // Reusable by the next attempt; FAILED when no attempt will follow. quota_cost 0 once released
      // (resync counts the log's quota_cost: server/quota/resync.server.ts).
      const current = await tx.goldCommunicationLog.findUniqueOrThrow({ where: { id: attempt.intentId }, select: { metadata: true, quotaCost: true } });
      await tx.goldCommunicationLog.update({
        where: { id: attempt.intentId },
        data: {
          ...(final ? { status: "FAILED" as const, failedAt: deps.clock() } : {}),
          quotaCost: attempt.cost === 1 ? 0 : current.quotaCost,
          errorCode: code,
          errorMessage: message.slice(0, 1000),
          metadata: { ...((current.metadata ?? {}) as object), attemptAt: null, leaseUntil: null } as Prisma.InputJsonValue,
        },
      });
    } else {
      // The call is over without an answer: still in flight (the next attempt looks in the chat), but
      // nothing of this attempt is running any more, so its lease is closed and the next one need not wait.
      const current = await tx.goldCommunicationLog.findUniqueOrThrow({ where: { id: attempt.intentId }, select: { metadata: true } });
      await tx.goldCommunicationLog.update({
        where: { id: attempt.intentId },
        data: { errorCode: code, errorMessage: message.slice(0, 1000), metadata: { ...((current.metadata ?? {}) as object), leaseUntil: null } as Prisma.InputJsonValue },
      });
    }
    await tx.waPhoneNumber.update({ where: { id: p.phoneId }, data: { messagesFailedTotal: { increment: 1 }, lastError: message.slice(0, 500), lastErrorAt: deps.clock() } });
    if (action.kind === "RECIPIENT_INVALID") {
      // TimelinesAI says the number is not on WhatsApp: stop choosing WhatsApp for this lead, and make
      // it due now so the next dispatch sends on the fallback channel.
      await tx.goldCompany.update({ where: { id: p.leadId }, data: { hlrReachable: false } });
      await recordOutcome(deps, p, { ...outcome(deps, "RECIPIENT_INVALID", message, p), error: { code, message } }, {
        at: deps.clock(),
        reason: "number not on WhatsApp; fallback channel next",
        unassignPhone: ctx.journey.isNewContact,
      }, tx);
    } else if (action.kind === "DEAD_LETTER") {
      await recordOutcome(deps, p, { ...outcome(deps, "SEND_FAILED", message, p), error: { code: action.code, message } }, {
        at: new Date(deps.clock().getTime() + deadLetterWaitMs),
        reason: `send failed (${action.code}), in the dead-letter queue`,
      }, tx);
    }
    return true;
  });
  if (!held) return superseded(`another attempt holds message ${attempt.intentId}; this attempt's ${code} is not recorded`);
  if (notSent && attempt.cost === 1) await deps.guardian.release({ tenantId: p.tenantId, phoneId: p.phoneId, usageDate: attempt.usageDate });
  if (action.kind === "RETRY") {
    return {
      kind: "RESCHEDULE",
      startAfter: new Date(deps.clock().getTime() + action.delayMs),
      payload: withAttempt(p, action.budget),
      code: action.code,
      reason: action.message,
    };
  }
  if (action.kind === "RECIPIENT_INVALID") return { kind: "DONE", code: "RECIPIENT_INVALID", reason: message };
  return { kind: "DEAD_LETTER", code: action.code, message: action.message };
}

async function deadLetter(deps: WaSendDeps, p: WaSendPayload, _ctx: Context, error: Error, waitMs: number): Promise<WaSendResult> {
  const action = classifySendFailure(error, p.attempts);
  if (action.kind === "RETRY") {
    return { kind: "RESCHEDULE", startAfter: new Date(deps.clock().getTime() + action.delayMs), payload: withAttempt(p, action.budget), code: action.code, reason: action.message };
  }
  await recordOutcome(deps, p, { ...outcome(deps, "SEND_FAILED", error.message, p), template: { templateId: p.templateId, templateVersionId: null }, error: { code: action.code, message: error.message } }, {
    at: new Date(deps.clock().getTime() + waitMs),
    reason: `send failed (${action.code}), in the dead-letter queue`,
  });
  return { kind: "DEAD_LETTER", code: action.code, message: error.message };
}
