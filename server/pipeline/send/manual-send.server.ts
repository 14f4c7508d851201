/**
 * The send jobs of a person's message from the lead page (server/leads/send-message.server.ts queues
 * them). The message already waits as its log row (QUEUED, full text in metadata.text); the job sends
 * it by the rules every send obeys:
 *
 *   WhatsApp (wa.send, the lead's phone as key, so it is paced with the phone's other sends):
 *     exactly once by the log row (sent → nothing; an attempt in flight → reconcile against the chat
 *     first), re-checked at run time (opt-out, do-not-contact, a number, the lead not DEAD or erased),
 *     the phone's spacing, then window, phone status and quota in the one atomic check (a new contact
 *     costs one unit, a follow-up none). A closed window or a spent quota moves the message to the
 *     moment the refusal names; a phone that cannot send fails it (the rep sees why and may resend).
 *   Email (q.email.warm, Resend): the same re-checks on the address, the window, and Resend's
 *     Idempotency-Key (the log row's key) against a repeat after a timeout.
 *
 * Each outcome is the lead's last decision and goes on its explain trail (stage "manual": who asked,
 * which channel, sent / deferred / refused and why), and a failure is written on the log row, so the
 * lead page and the timeline always say what became of the message. Not the hot path: Prisma throughout.
 */
import type { Prisma } from "../../generated/prisma/client";
import { withTenant, type TenantTx } from "../../db/client.server";
import { withLockedRow } from "../../db/sql.server";
import { dncStatusOf } from "../../dnc/dnc.server";
import { DomainError } from "../../errors";
import { logEvent } from "../../observability/logger.server";
import type { ResendClient } from "../../providers/resend/client.server";
import { canonicalPhone } from "../../providers/timelinesai/client.server";
import { quotaSettingsFromTenant } from "../../quota/settings";
import { calendarFor } from "../../quota/window";
import { recordUsage } from "../../quota/history.server";
import { transitionLead } from "../../lead-state/transition.server";
import { stateAfterSend } from "../../lead-state/transitions";
import type { EmailManualSendPayload, WaManualSendPayload } from "../../../jobs/queues";
import { resendAttributionTags } from "../../webhooks/attribution";
import { certainlyNotSent, classifySendFailure, withAttempt } from "../rules/failure";
import type { DispatchOutcome, OutcomeCode } from "../rules/outcome";
import { nextSendAllowedAt } from "../rules/pacing.server";
import { lockJourney } from "../../db/lock-order.server";
import { recordDispatchOutcome } from "../record-outcome.server";
import { findSentMessage, intentState, type WaSendDeps, type WaSendResult } from "./whatsapp-send.server";
import type { Clock } from "../../clock";
import { randomUUID } from "node:crypto";
import { LEASE_RECHECK_MS, leaseFence, openLease, SendLeaseLostError, superseded, takeOverAt, waitForLease } from "../rules/lease";
import { leaseGuard, leaseUnchangedSql, lockIfLeaseHeld } from "./send-lease.server";

/** What the log row of a person's message keeps until it is sent (server/leads/send-message.server.ts). */
export interface ManualMessageMetadata {
  manual: { requestedBy: string | null; requestId: string };
  /** The whole text (content_preview keeps 500 characters); removed once sent. */
  text?: string;
  attemptAt?: string | null;
  attemptId?: string;
  leaseUntil?: string | null;
  usageDate?: string;
  [key: string]: unknown;
}

const MANUAL_ACTOR = (requestedBy: string | null, jobId: string) =>
  requestedBy ? { type: "USER" as const, id: requestedBy } : { type: "JOB" as const, id: `manual-send:${jobId}` };

/** A person's message and its lead: whose decision it is and where it is recorded. */
interface ManualTarget {
  tenantId: string;
  journeyId: string;
  messageId: string;
  requestedBy: string | null;
  channel: "WHATSAPP" | "EMAIL_WARM";
}

function manualOutcome(clock: Clock, t: ManualTarget, result: OutcomeCode, summary: string, extra: Partial<DispatchOutcome> = {}): DispatchOutcome {
  return { v: 1, stage: "manual", at: clock().toISOString(), result, summary, manual: { messageId: t.messageId, requestedBy: t.requestedBy, channel: t.channel }, ...extra };
}

/**
 * The lead's last decision (gold_lead_journey.last_dispatch_outcome, what the lead page shows) and its
 * explain trail, in one statement; when the automation is due next (next_action_*) is left alone: a
 * person's message is not a sequence step.
 */
function recordManual(tx: TenantTx, t: ManualTarget, outcome: DispatchOutcome, at: Date): Promise<void> {
  return recordDispatchOutcome(t, outcome, at, undefined, tx);
}

/** The message will not go out: the row says why (error code + sentence) and the decision records it. */
async function failMessage(tx: TenantTx, t: ManualTarget, clock: Clock, code: string, why: string, metadata: ManualMessageMetadata, result: OutcomeCode = "NO_LONGER_ELIGIBLE"): Promise<void> {
  const { text: _dropped, ...rest } = metadata;
  // The journey before the log row (server/db/lock-order.server.ts): the decision writes it too.
  await lockJourney(tx, { journeyId: t.journeyId });
  await tx.goldCommunicationLog.update({
    where: { id: t.messageId },
    data: { status: "FAILED", failedAt: clock(), errorCode: code, errorMessage: why.slice(0, 1000), metadata: { ...rest, attemptAt: null } as Prisma.InputJsonValue },
  });
  await recordManual(tx, t, manualOutcome(clock, t, result, why, { error: { code, message: why } }), clock());
}

// ─── WhatsApp ──────────────────────────────────────────────────────────────────────────────────

export type ManualWaSendResult =
  | Exclude<WaSendResult, { kind: "RESCHEDULE" | "DEAD_LETTER" | "GIVE_WAY" }>
  | { kind: "RESCHEDULE"; startAfter: Date; payload: WaManualSendPayload; code: string; reason: string };

export async function processManualWaSend(deps: WaSendDeps, p: WaManualSendPayload, job: { jobId: string }): Promise<ManualWaSendResult> {
  const messageId = p.manual.messageId;
  const ctx = await withTenant(p.tenantId, async (tx) => {
    const message = await tx.goldCommunicationLog.findUnique({
      where: { id: messageId },
      select: { id: true, journeyId: true, channel: true, status: true, externalMessageId: true, quotaCost: true, contentHash: true, metadata: true },
    });
    const journey = await tx.goldLeadJourney.findUnique({
      where: { id: p.journeyId },
      select: { currentState: true, isNewContact: true, whatsappOptedOut: true, lead: { select: { telefonPrincipal: true, gdprErasedAt: true } } },
    });
    const phone = await tx.waPhoneNumber.findUnique({ where: { id: p.phoneId }, select: { phoneNumber: true, lastMessageSentAt: true } });
    const tenant = await tx.tenant.findUniqueOrThrow({
      where: { id: p.tenantId },
      select: { timezone: true, sendingDays: true, sendingStartHour: true, sendingEndHour: true, waDailyQuota: true, settings: true, jitterMinSeconds: true, jitterMaxSeconds: true },
    });
    const dnc = await dncStatusOf(tx, { phone: journey?.lead.telefonPrincipal ?? null, email: null });
    return { message, journey, phone, tenant, phoneDnc: dnc.phone };
  });
  const { message, journey, phone, tenant } = ctx;
  if (!message || message.channel !== "WHATSAPP" || message.journeyId !== p.journeyId || !journey) return { kind: "DONE", code: "NO_LONGER_ELIGIBLE", reason: "the message or its lead is gone" };
  const metadata = (message.metadata ?? {}) as ManualMessageMetadata;
  const requestedBy = metadata.manual?.requestedBy ?? null;
  const target: ManualTarget = { tenantId: p.tenantId, journeyId: p.journeyId, messageId, requestedBy, channel: "WHATSAPP" };
  const intent = { id: message.id, status: message.status, externalMessageId: message.externalMessageId, quotaCost: message.quotaCost, contentHash: message.contentHash, metadata };

  let state = intentState(intent);
  if (state === "SENT") return { kind: "ALREADY_SENT", logId: message.id };
  if (message.status === "FAILED") return { kind: "DONE", code: "SEND_FAILED", reason: "the message was given up earlier" };
  const recipient = journey.lead.telefonPrincipal ? canonicalPhone(journey.lead.telefonPrincipal) : null;
  if (!phone) {
    await withTenant(p.tenantId, (tx) => failMessage(tx, target, deps.clock, "PHONE_GONE", "the sending phone no longer exists", metadata));
    return { kind: "DONE", code: "NO_LONGER_ELIGIBLE", reason: "phone is gone" };
  }
  if (state === "IN_FLIGHT" && recipient) {
    // An earlier attempt may still be talking to TimelinesAI: the chat is looked at once its lease is over.
    const at = takeOverAt(metadata, deps.lease);
    if (at && at.getTime() > deps.clock().getTime()) return waitForLease(at);
    const found = await findSentMessage(deps, phone.phoneNumber, recipient, intent);
    if (found) {
      await finalizeManualWa(deps, p, target, journey, metadata, found, job, intent.quotaCost === 1 ? 1 : 0, metadata.usageDate ?? null);
      return { kind: "SENT", messageUid: found, logId: message.id, reconciled: true };
    }
    state = "REUSABLE";
  }

  // Run-time re-check: an opt-out, a do-not-contact entry or an erasure since the person pressed send.
  const stale =
    journey.lead.gdprErasedAt ? ["LEAD_ERASED", "the lead's data was erased"] :
    journey.currentState === "DEAD" ? ["LEAD_DEAD", "the lead is marked lost"] :
    journey.whatsappOptedOut ? ["WHATSAPP_OPTED_OUT", "the lead opted out of WhatsApp"] :
    ctx.phoneDnc ? ["PHONE_DO_NOT_CONTACT", "the number is on the do-not-contact list"] :
    !recipient ? ["NO_PHONE_NUMBER", "the lead has no phone number"] :
    !metadata.text ? ["MESSAGE_EMPTY", "the message has no text"] : null;
  if (stale) {
    await withTenant(p.tenantId, (tx) => failMessage(tx, target, deps.clock, stale[0]!, stale[1]!, metadata));
    return { kind: "DONE", code: "NO_LONGER_ELIGIBLE", reason: stale[1]! };
  }

  const now = deps.clock();
  const allowedAt = nextSendAllowedAt(p.phoneId, phone.lastMessageSentAt, { jitterMinSeconds: tenant.jitterMinSeconds, jitterMaxSeconds: tenant.jitterMaxSeconds });
  if (allowedAt && allowedAt.getTime() > now.getTime()) {
    if (p.deferrals === 0) {
      await withTenant(p.tenantId, (tx) =>
        recordManual(tx, target, manualOutcome(deps.clock, target, "DEFERRED_SPACING", `waiting for the phone's spacing between messages until ${allowedAt.toISOString()}`, { nextActionAt: allowedAt.toISOString() }), now),
      );
    }
    return { kind: "RESCHEDULE", startAfter: allowedAt, payload: { ...p, deferrals: p.deferrals + 1 }, code: "DEFERRED_SPACING", reason: "phone spacing" };
  }

  const settings = quotaSettingsFromTenant(tenant);
  const alreadyPaid = state === "REUSABLE" && message.quotaCost === 1;
  const cost: 0 | 1 = journey.isNewContact && !alreadyPaid ? 1 : 0;
  const decision = await deps.guardian.check({ tenantId: p.tenantId, phoneId: p.phoneId, cost, settings });
  if (!decision.allowed) {
    const quota = { allowed: false, reason: decision.reason, used: decision.used, limit: decision.limit, retryAt: decision.retryAt?.toISOString() ?? null, cost: decision.cost };
    if ((decision.reason === "OUTSIDE_WINDOW" || decision.reason === "QUOTA_EXHAUSTED") && decision.retryAt) {
      // What the page said before sending: the message goes at the next opening / the next day.
      const code: OutcomeCode = decision.reason === "OUTSIDE_WINDOW" ? "REFUSED_OUTSIDE_WINDOW" : "REFUSED_QUOTA_EXHAUSTED";
      const retryAt = decision.retryAt;
      await withTenant(p.tenantId, (tx) => recordManual(tx, target, manualOutcome(deps.clock, target, code, `quota guardian refused: ${decision.reason}; sent at ${retryAt.toISOString()}`, { quota, nextActionAt: retryAt.toISOString() }), now));
      return { kind: "RESCHEDULE", startAfter: retryAt, payload: p, code, reason: decision.reason };
    }
    await withTenant(p.tenantId, (tx) => failMessage(tx, target, deps.clock, decision.reason, `the phone cannot send (${decision.reason}${decision.phoneStatus ? `: ${decision.phoneStatus}` : ""})`, metadata, "REFUSED_PHONE_NOT_ACTIVE"));
    return { kind: "DONE", code: "REFUSED_PHONE_NOT_ACTIVE", reason: decision.reason };
  }
  const usageDate = cost === 1 ? decision.usageDate : (metadata.usageDate ?? decision.usageDate);
  const quotaCost: 0 | 1 = cost === 1 || alreadyPaid ? 1 : 0;

  // The attempt, committed before the provider is called (journey first: the lock order), taking the
  // row only if an earlier attempt's lease is still the one read above (server/pipeline/rules/lease.ts).
  const attemptAt = deps.clock();
  const lease = openLease(randomUUID(), attemptAt, deps.lease);
  const fence = leaseFence(metadata);
  const claimed = await withLockedRow(p.tenantId, { table: "gold_lead_journey", id: p.journeyId }, async (sql) => {
    const { rowCount } = await sql.query(
      `UPDATE gold_communication_log SET quota_cost = $2, phone_id = $3, metadata = metadata || $4::jsonb, updated_at = now()
        WHERE id = $1 AND external_message_id IS NULL AND status = 'QUEUED' AND ${leaseUnchangedSql("$5", "$6")}`,
      [messageId, quotaCost, p.phoneId, JSON.stringify({ ...lease, usageDate, jobId: job.jobId }), fence.attemptId, fence.leaseUntil],
    );
    return rowCount === 1;
  });
  if (!claimed) {
    if (cost === 1) await deps.guardian.release({ tenantId: p.tenantId, phoneId: p.phoneId, usageDate: decision.usageDate });
    // Sent, given up, or an earlier attempt came back meanwhile: the next run reads which.
    return waitForLease(new Date(attemptAt.getTime() + LEASE_RECHECK_MS), "the message changed meanwhile; looking again");
  }

  let messageUid: string;
  try {
    ({ messageUid } = await deps.timelinesai.sendToPhone({ phone: recipient!, text: metadata.text!, accountPhone: phone.phoneNumber, beforeRequest: leaseGuard(p.tenantId, messageId, lease, deps.clock, deps.lease) }));
  } catch (error) {
    if (error instanceof SendLeaseLostError) return superseded(error.message);
    const notSent = certainlyNotSent(error);
    const action = classifySendFailure(error, p.attempts);
    const message = error instanceof Error ? error.message : String(error);
    const held = await withTenant(p.tenantId, async (tx) => {
      await lockJourney(tx, { journeyId: p.journeyId });
      // Only while this attempt still holds the row: a take-over after a stall owns it (and its quota unit).
      if (!(await lockIfLeaseHeld(tx, messageId, lease))) return false;
      if (action.kind === "RETRY") {
        // Certainly not sent: reusable, its unit given back; else still in flight, its call over (lease closed).
        const after = notSent ? { attemptAt: null, leaseUntil: null } : { leaseUntil: null };
        await tx.$executeRaw`UPDATE gold_communication_log SET quota_cost = ${notSent && cost === 1 ? 0 : quotaCost}, metadata = metadata || ${JSON.stringify(after)}::jsonb WHERE id = ${messageId}::uuid`;
        return true;
      }
      if (action.kind === "RECIPIENT_INVALID") await tx.goldCompany.update({ where: { id: p.leadId }, data: { hlrReachable: false } });
      if (notSent && cost === 1) await tx.goldCommunicationLog.update({ where: { id: messageId }, data: { quotaCost: 0 } });
      const code = error instanceof DomainError ? error.code : action.kind === "RECIPIENT_INVALID" ? "RECIPIENT_INVALID" : action.code;
      await failMessage(tx, target, deps.clock, code, message, metadata, action.kind === "RECIPIENT_INVALID" ? "RECIPIENT_INVALID" : "SEND_FAILED");
      return true;
    });
    if (!held) return superseded(`another attempt holds message ${messageId}`);
    if (notSent && cost === 1) await deps.guardian.release({ tenantId: p.tenantId, phoneId: p.phoneId, usageDate: decision.usageDate });
    if (action.kind === "RETRY") return { kind: "RESCHEDULE", startAfter: new Date(deps.clock().getTime() + action.delayMs), payload: withAttempt(p, action.budget), code: action.code, reason: action.message };
    return { kind: "DONE", code: action.kind === "RECIPIENT_INVALID" ? "RECIPIENT_INVALID" : "SEND_FAILED", reason: message };
  }
  await deps.afterProviderAccepted?.(messageUid);
  await finalizeManualWa(deps, p, target, journey, metadata, messageUid, job, quotaCost, usageDate);
  return { kind: "SENT", messageUid, logId: messageId, reconciled: false };
}

/**
 * Sent: the log row, the journey (the phone is the lead's from now on, first contact, last contact,
 * COLD → CONTACTED_WA by the state table), the phone's last send, the day's quota history, the trail.
 * Locks in the lock order: phone, journey, then the log row. Nothing of the sequence moves: a person's
 * message is not a sequence step.
 */
async function finalizeManualWa(
  deps: WaSendDeps,
  p: WaManualSendPayload,
  target: ManualTarget,
  journeyBefore: { isNewContact: boolean },
  metadata: ManualMessageMetadata,
  messageUid: string,
  job: { jobId: string },
  quotaCost: 0 | 1,
  usageDate: string | null,
): Promise<void> {
  const at = deps.clock();
  const requestedBy = metadata.manual?.requestedBy ?? null;
  const finalized = await withTenant(p.tenantId, async (tx) => {
    await tx.$queryRaw`SELECT id FROM wa_phone_numbers WHERE id = ${p.phoneId}::uuid FOR NO KEY UPDATE`;
    const [journey] = await tx.$queryRaw<Array<{ current_state: string; is_new_contact: boolean }>>`
      SELECT current_state::text, is_new_contact FROM gold_lead_journey WHERE id = ${p.journeyId}::uuid FOR NO KEY UPDATE`;
    const { text: _sent, ...rest } = metadata;
    const logged = await tx.goldCommunicationLog.updateMany({
      where: { id: p.manual.messageId, externalMessageId: null },
      data: { status: "SENT", externalMessageId: messageUid, timelinesaiMessageUid: messageUid, sentAt: at, metadata: { ...rest, attemptAt: null, usageDate } as Prisma.InputJsonValue },
    });
    if (logged.count === 0 || !journey) return false;
    const newContact = journey.is_new_contact;
    await tx.goldLeadJourney.update({
      where: { id: p.journeyId },
      data: {
        assignedPhoneId: p.phoneId,
        isNewContact: false,
        lastChannelUsed: "WHATSAPP",
        lastContactAt: at,
        ...(newContact ? { firstContactAt: at, firstContactChannel: "WHATSAPP", quotaConsumptionDate: usageDate, assignedAt: at } : {}),
      },
      select: { id: true },
    });
    const to = stateAfterSend(journey.current_state as never, "WHATSAPP");
    if (to) {
      await transitionLead(tx, {
        journeyId: p.journeyId,
        to,
        actor: MANUAL_ACTOR(requestedBy, job.jobId),
        reason: newContact ? "Primul mesaj WhatsApp trimis (manual)" : "Mesaj WhatsApp trimis manual",
        metadata: { messageUid, phoneId: p.phoneId, messageId: p.manual.messageId },
        at,
      });
    }
    await tx.waPhoneNumber.update({ where: { id: p.phoneId }, data: { lastMessageSentAt: at, messagesSentTotal: { increment: 1 }, consecutiveFailures: 0 }, select: { id: true } });
    if (usageDate) await recordUsage(tx, { tenantId: p.tenantId, phoneId: p.phoneId, usageDate, cost: quotaCost, at });
    await recordManual(
      tx,
      target,
      manualOutcome(deps.clock, target, "SENT", "sent on WhatsApp", { phone: { phoneId: p.phoneId, kind: "STICKY", reason: journeyBefore.isNewContact ? "first message to this lead" : "the lead's phone" }, quota: { allowed: true, cost: quotaCost } }),
      at,
    );
    return true;
  });
  if (finalized) logEvent("info", { worker: "wa.send", jobId: job.jobId, leadId: p.leadId, phoneId: p.phoneId, channel: "WHATSAPP", action: "wa.send.manual_sent", metadata: { messageUid } });
}

// ─── Email ─────────────────────────────────────────────────────────────────────────────────────

export interface ManualEmailDeps {
  resend: Pick<ResendClient, "send">;
  clock: Clock;
}

export type ManualEmailResult =
  | { kind: "SENT"; channel: "EMAIL_WARM"; providerId: string; logId: string }
  | { kind: "ALREADY_SENT"; logId: string }
  | { kind: "DONE"; code: OutcomeCode; reason: string }
  | { kind: "RESCHEDULE"; startAfter: Date; payload: EmailManualSendPayload; code: string; reason: string };

export async function processManualEmailSend(deps: ManualEmailDeps, p: EmailManualSendPayload, job: { jobId: string }): Promise<ManualEmailResult> {
  const messageId = p.manual.messageId;
  const ctx = await withTenant(p.tenantId, async (tx) => {
    const message = await tx.goldCommunicationLog.findUnique({
      where: { id: messageId },
      select: { id: true, journeyId: true, channel: true, status: true, subject: true, idempotencyKey: true, resendEmailId: true, externalMessageId: true, metadata: true },
    });
    const journey = await tx.goldLeadJourney.findUnique({
      where: { id: p.journeyId },
      select: { currentState: true, emailOptedOut: true, lead: { select: { emailPrincipal: true, emailStatus: true, gdprErasedAt: true } } },
    });
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: p.tenantId }, select: { timezone: true, sendingDays: true, sendingStartHour: true, sendingEndHour: true, waDailyQuota: true, settings: true } });
    const email = journey?.lead.emailPrincipal?.trim().toLowerCase() ?? null;
    const dnc = await dncStatusOf(tx, { phone: null, email });
    return { message, journey, tenant, email, emailDnc: dnc.email || dnc.domain };
  });
  const { message, journey, email } = ctx;
  if (!message || message.channel !== "EMAIL_WARM" || message.journeyId !== p.journeyId || !journey) return { kind: "DONE", code: "NO_LONGER_ELIGIBLE", reason: "the message or its lead is gone" };
  if (message.resendEmailId || message.externalMessageId || (message.status !== "QUEUED" && message.status !== "FAILED")) return { kind: "ALREADY_SENT", logId: message.id };
  if (message.status === "FAILED") return { kind: "DONE", code: "SEND_FAILED", reason: "the message was given up earlier" };
  const metadata = (message.metadata ?? {}) as ManualMessageMetadata;
  const requestedBy = metadata.manual?.requestedBy ?? null;
  const target: ManualTarget = { tenantId: p.tenantId, journeyId: p.journeyId, messageId, requestedBy, channel: "EMAIL_WARM" };

  const stale =
    journey.lead.gdprErasedAt ? ["LEAD_ERASED", "the lead's data was erased"] :
    journey.currentState === "DEAD" ? ["LEAD_DEAD", "the lead is marked lost"] :
    journey.emailOptedOut ? ["EMAIL_OPTED_OUT", "the lead opted out of email"] :
    ctx.emailDnc ? ["EMAIL_DO_NOT_CONTACT", "the address or its domain is on the do-not-contact list"] :
    !email || journey.lead.emailStatus === "INVALID" || journey.lead.emailStatus === "BOUNCED" ? ["NO_VALID_EMAIL", "the lead has no usable email address"] :
    !metadata.text || !message.subject ? ["MESSAGE_EMPTY", "the message has no text"] : null;
  if (stale) {
    await withTenant(p.tenantId, (tx) => failMessage(tx, target, deps.clock, stale[0]!, stale[1]!, metadata));
    logEvent("info", { worker: "q.email.warm", jobId: job.jobId, leadId: p.leadId, channel: "EMAIL_WARM", action: "email.manual_stood_down", error: { code: stale[0]!, message: stale[1]! } });
    return { kind: "DONE", code: "NO_LONGER_ELIGIBLE", reason: stale[1]! };
  }
  const now = deps.clock();
  const window = calendarFor(quotaSettingsFromTenant(ctx.tenant).window).state(now);
  if (!window.open) {
    const at = window.nextOpening;
    await withTenant(p.tenantId, (tx) =>
      recordManual(tx, target, manualOutcome(deps.clock, target, "REFUSED_OUTSIDE_WINDOW", `outside the sending window; sent at ${at.toISOString()}`, { window: { open: false, nextOpening: at.toISOString() }, nextActionAt: at.toISOString() }), now),
    );
    return { kind: "RESCHEDULE", startAfter: at, payload: p, code: "REFUSED_OUTSIDE_WINDOW", reason: window.reason };
  }

  await withTenant(p.tenantId, (tx) => tx.$executeRaw`UPDATE gold_communication_log SET metadata = metadata || ${JSON.stringify({ attemptAt: now.toISOString(), jobId: job.jobId })}::jsonb WHERE id = ${messageId}::uuid`);
  let providerId: string;
  try {
    ({ id: providerId } = await deps.resend.send(
      { to: email!, subject: message.subject!, text: metadata.text!, tags: { ...resendAttributionTags(p.tenantId, messageId), journey: p.journeyId } },
      { idempotencyKey: message.idempotencyKey ?? messageId },
    ));
  } catch (error) {
    const action = classifySendFailure(error, p.attempts);
    const why = error instanceof Error ? error.message : String(error);
    if (action.kind === "RETRY") return { kind: "RESCHEDULE", startAfter: new Date(deps.clock().getTime() + action.delayMs), payload: withAttempt(p, action.budget), code: action.code, reason: why };
    await withTenant(p.tenantId, (tx) => failMessage(tx, target, deps.clock, error instanceof DomainError ? error.code : action.code, why, metadata, "SEND_FAILED"));
    return { kind: "DONE", code: "SEND_FAILED", reason: why };
  }

  const at = deps.clock();
  await withTenant(p.tenantId, async (tx) => {
    const [journeyRow] = await tx.$queryRaw<Array<{ current_state: string; is_new_contact: boolean }>>`
      SELECT current_state::text, is_new_contact FROM gold_lead_journey WHERE id = ${p.journeyId}::uuid FOR NO KEY UPDATE`;
    const { text: _sent, ...rest } = metadata;
    await tx.goldCommunicationLog.update({
      where: { id: messageId },
      data: { status: "SENT", resendEmailId: providerId, externalMessageId: providerId, sentAt: at, metadata: { ...rest, attemptAt: null } as Prisma.InputJsonValue },
    });
    await tx.goldLeadJourney.update({
      where: { id: p.journeyId },
      data: { isNewContact: false, lastChannelUsed: "EMAIL_WARM", lastContactAt: at, ...(journeyRow?.is_new_contact ? { firstContactAt: at, firstContactChannel: "EMAIL_WARM" } : {}) },
      select: { id: true },
    });
    const to = journeyRow ? stateAfterSend(journeyRow.current_state as never, "EMAIL") : null;
    if (to) {
      await transitionLead(tx, { journeyId: p.journeyId, to, actor: MANUAL_ACTOR(requestedBy, job.jobId), reason: "Email trimis manual", metadata: { providerId, messageId }, at });
    }
    await recordManual(tx, target, manualOutcome(deps.clock, target, "SENT", "sent by email through Resend"), at);
  });
  logEvent("info", { worker: "q.email.warm", jobId: job.jobId, leadId: p.leadId, channel: "EMAIL_WARM", action: "email.manual_sent", metadata: { providerId } });
  return { kind: "SENT", channel: "EMAIL_WARM", providerId, logId: messageId };
}
