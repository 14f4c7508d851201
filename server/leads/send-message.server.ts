/**
 * A person sends a message to a lead from the lead page: WhatsApp, or an email (warm, through Resend:
 * a person writing to a farmer is not a cold campaign; Instantly only sends its own campaigns).
 *
 * `checkLeadSend` says before anything is sent whether it can go and when: blocked (opt-out,
 * do-not-contact, no number or address, the lead's phone cannot send, the lead is lost or erased),
 * now, at the next opening of the sending window, or tomorrow because the phone's new-contact quota
 * is spent. `queueLeadMessage` then writes the message as a QUEUED log row (so it is on the timeline
 * at once) and queues it in the same transaction on the channel's real queue: wa.send on the lead's
 * phone key, or q.email.warm. The send job applies the same checks again when it runs
 * (server/pipeline/send/manual-send.server.ts): quota, window, opt-out, never twice.
 *
 * Never twice from this side either: the page sends a request id per composed message; the log row's
 * idempotency key is built from it, so a double click or a retried request finds the first row.
 *
 * A person's send is a decision like the automation's (stage "manual"): queued (now, at the window's
 * next opening, or tomorrow for the quota) or refused (do-not-contact, opt-out, no usable number …), it
 * becomes the lead's last decision and goes on its explain trail with who asked and on which channel;
 * the send job records what became of it the same way (server/pipeline/send/manual-send.server.ts).
 */
import { createHash, randomUUID } from "node:crypto";
import { EMAIL_WARM_QUEUE, waSendQueue, type EmailManualSendPayload, type WaManualSendPayload } from "../../jobs/queues";
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import { prismaExecutor, type TransactionalQueue } from "../db/transactional-queue.server";
import { dncStatusOf } from "../dnc/dnc.server";
import { DomainError } from "../errors";
import { recordDispatchOutcome } from "../pipeline/record-outcome.server";
import type { DispatchOutcome } from "../pipeline/rules/outcome";
import type { TenantDb } from "../quota/resync.server";
import type { Channel, PhoneStatus } from "../generated/prisma/enums";
import type { Prisma } from "../generated/prisma/client";
import type { QuotaGuardian } from "../quota/guardian.server";
import { loadTenantQuotaSettings } from "../quota/settings.server";
import { calendarFor } from "../quota/window";
import { WHATSAPP_MAX_CHARS, isEmailChannel } from "../templates/template";
import { renderForLead } from "../templates/templates.server";
import type { LeadExpectation } from "./expectations";
import { lockLead, type LockedLead } from "./lock-lead.server";
import { BLOCK_OUTCOME, SEND_BLOCKS, type SendBlock } from "./send-blocks";
import type { WaitingSends } from "../phones/pending-sends.server";

export type SendChannelChoice = "WHATSAPP" | "EMAIL";

export { SEND_BLOCKS, type SendBlock };

export interface SendCheck {
  channel: SendChannelChoice;
  recipient: string | null;
  blocked: SendBlock | null;
  window: { open: boolean; nextOpening: Date | null };
  /** WhatsApp: the phone it goes from (the lead's own, or the active phone with most quota left). */
  phone: { id: string; label: string; status: PhoneStatus; sticky: boolean } | null;
  /** WhatsApp: a first message costs one of the phone's new contacts for today, a follow-up none. */
  quota: { cost: 0 | 1; used: number | null; limit: number | null } | null;
  /** NOW, AT_NEXT_OPENING (window closed), NEXT_DAY (quota spent) or BLOCKED; `at` is when. */
  when: "NOW" | "AT_NEXT_OPENING" | "NEXT_DAY" | "BLOCKED";
  at: Date | null;
  /**
   * WhatsApp: the sends waiting on the phone that go before this one (the phone sends one at a time,
   * in order; a follow-up waits only for the follow-ups, initial messages give way to it), and the
   * phone's spacing between two sends. Null when not known (email, blocked, no queue in this process).
   */
  queue: { ahead: number; spacingSeconds: { min: number; max: number } } | null;
}

export interface SendCheckDeps {
  guardian: Pick<QuotaGuardian, "usage">;
  /** The phone's send queue, to say how many messages go before this one; without it, not said. */
  sends?: WaitingSends;
}

async function computeCheck(tx: TenantTx, deps: SendCheckDeps, tenantId: string, lead: Omit<LockedLead, "journeyId"> & { journeyId: string }, channel: SendChannelChoice, now: Date, emailStatus: string): Promise<SendCheck> {
  const settings = await loadTenantQuotaSettings(tx, tenantId);
  const calendar = calendarFor(settings.window);
  const window = calendar.state(now);
  const base = { channel, window: { open: window.open, nextOpening: window.open ? null : window.nextOpening } };
  const dnc = await dncStatusOf(tx, { phone: lead.phone, email: lead.email });
  const blocked = (code: SendBlock, recipient: string | null, extra: Partial<SendCheck> = {}): SendCheck => ({ ...base, recipient, blocked: code, phone: null, quota: null, when: "BLOCKED", at: null, queue: null, ...extra });

  if (lead.erasedAt) return blocked("LEAD_ERASED", null);
  if (lead.state === "DEAD") return blocked("LEAD_DEAD", channel === "WHATSAPP" ? lead.phone : lead.email);

  if (channel === "EMAIL") {
    if (!lead.email) return blocked("NO_EMAIL", null);
    if (lead.emailOptedOut) return blocked("EMAIL_OPTED_OUT", lead.email);
    if (dnc.email || dnc.domain) return blocked("EMAIL_DO_NOT_CONTACT", lead.email);
    if (emailStatus === "INVALID" || emailStatus === "BOUNCED") return blocked("EMAIL_INVALID", lead.email);
    return { ...base, recipient: lead.email, blocked: null, phone: null, quota: null, when: window.open ? "NOW" : "AT_NEXT_OPENING", at: window.open ? now : window.nextOpening, queue: null };
  }

  if (!lead.phone) return blocked("NO_PHONE_NUMBER", null);
  if (lead.whatsappOptedOut) return blocked("WHATSAPP_OPTED_OUT", lead.phone);
  if (dnc.phone) return blocked("PHONE_DO_NOT_CONTACT", lead.phone);

  const phones = await tx.waPhoneNumber.findMany({ select: { id: true, label: true, status: true, isEnabled: true }, orderBy: { label: "asc" } });
  const usage = await deps.guardian.usage(tenantId, phones.map((p) => p.id), settings).catch(() => null);
  const used = new Map((usage ?? []).map((u) => [u.phoneId, u]));
  const cost: 0 | 1 = lead.isNewContact ? 1 : 0;
  let phone = lead.assignedPhoneId ? phones.find((p) => p.id === lead.assignedPhoneId) : undefined;
  const sticky = phone !== undefined;
  if (!phone) {
    // A first message goes from the active phone with the most new contacts left today (dispatch's rule).
    const sending = phones.filter((p) => p.status === "ACTIVE" && p.isEnabled);
    phone = [...sending].sort((a, b) => (used.get(b.id)?.remaining ?? 0) - (used.get(a.id)?.remaining ?? 0))[0];
    if (!phone) return blocked("NO_PHONE_AVAILABLE", lead.phone);
  }
  const u = used.get(phone.id);
  const phoneInfo = { id: phone.id, label: phone.label, status: phone.status, sticky };
  const quota = { cost, used: u?.used ?? null, limit: u?.limit ?? null };
  if (phone.status !== "ACTIVE" || !phone.isEnabled) return blocked("PHONE_NOT_ACTIVE", lead.phone, { phone: phoneInfo, quota });
  const queue = await phoneQueue(tx, deps, tenantId, phone.id, cost === 0);
  if (!window.open) return { ...base, recipient: lead.phone, blocked: null, phone: phoneInfo, quota, when: "AT_NEXT_OPENING", at: window.nextOpening, queue };
  if (cost === 1 && u && u.remaining <= 0) return { ...base, recipient: lead.phone, blocked: null, phone: phoneInfo, quota, when: "NEXT_DAY", at: calendar.nextDayOpening(now), queue };
  return { ...base, recipient: lead.phone, blocked: null, phone: phoneInfo, quota, when: "NOW", at: now, queue };
}

/** What waits on the phone before this send, and the phone's spacing (tenant settings). */
async function phoneQueue(tx: TenantTx, deps: SendCheckDeps, tenantId: string, phoneId: string, followUp: boolean): Promise<SendCheck["queue"]> {
  if (!deps.sends) return null;
  const waiting = await deps.sends.waitingOnPhone(tenantId, phoneId);
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { jitterMinSeconds: true, jitterMaxSeconds: true } });
  return { ahead: followUp ? waiting.followUps : waiting.all, spacingSeconds: { min: tenant.jitterMinSeconds, max: Math.max(tenant.jitterMinSeconds, tenant.jitterMaxSeconds) } };
}

async function emailStatusOf(tx: TenantTx, leadId: string): Promise<string> {
  const row = await tx.goldCompany.findUniqueOrThrow({ where: { id: leadId }, select: { emailStatus: true } });
  return row.emailStatus;
}

/** Read-only: what would happen if the person pressed send now. */
export async function checkLeadSend(tx: TenantTx, deps: SendCheckDeps, input: { tenantId: string; leadId: string; channel: SendChannelChoice; now: Date }): Promise<SendCheck> {
  // Locks the journey for the length of this read transaction only: the same view the send will take.
  const lead = await lockLead(tx, input.leadId, undefined, { allowErased: true });
  return computeCheck(tx, deps, input.tenantId, lead, input.channel, input.now, await emailStatusOf(tx, input.leadId));
}

export interface QueueMessageInput {
  tenantId: string;
  leadId: string;
  channel: SendChannelChoice;
  /** A template of the channel (rendered for this lead exactly as the preview showed), or free text. */
  templateId?: string;
  text?: string;
  /** Email only, with free text. */
  subject?: string;
  /** One per composed message, from the page: the same id twice is the same message. */
  requestId: string;
  actor: Actor & { type: "USER" };
  now: Date;
  expected?: LeadExpectation;
}

export interface QueuedMessage {
  messageId: string;
  /** The same request was queued before: nothing new was written or queued. */
  duplicate: boolean;
  check: SendCheck;
}

export async function queueLeadMessage(tx: TenantTx, deps: SendCheckDeps & { queue: TransactionalQueue }, input: QueueMessageInput): Promise<QueuedMessage> {
  const lead = await lockLead(tx, input.leadId, input.expected);
  const logChannel: Channel = input.channel === "WHATSAPP" ? "WHATSAPP" : "EMAIL_WARM";
  const key = `manual:${input.requestId}:${logChannel}`;
  const check = await computeCheck(tx, deps, input.tenantId, lead, input.channel, input.now, await emailStatusOf(tx, input.leadId));
  const existing = await tx.goldCommunicationLog.findUnique({ where: { idempotencyKey: key }, select: { id: true, journeyId: true } });
  if (existing) {
    if (existing.journeyId !== lead.journeyId) throw new DomainError("CONFLICT", "REQUEST_ID_REUSED", "this request id belongs to another lead's message");
    return { messageId: existing.id, duplicate: true, check };
  }
  if (check.blocked) throw refused(check.blocked);

  const content = await composeContent(tx, input, logChannel);
  const messageId = randomUUID();
  await tx.goldCommunicationLog.create({
    data: {
      id: messageId,
      tenantId: input.tenantId,
      journeyId: lead.journeyId,
      leadId: input.leadId,
      channel: logChannel,
      direction: "OUTBOUND",
      status: "QUEUED",
      idempotencyKey: key,
      recipient: check.recipient,
      subject: content.subject,
      contentPreview: content.text.slice(0, 500),
      contentHash: createHash("sha256").update(content.subject ? `${content.subject}\n\n${content.text}` : content.text).digest("hex"),
      phoneId: check.phone?.id ?? null,
      templateId: content.templateId,
      templateVersionId: content.templateVersionId,
      metadata: { manual: { requestedBy: input.actor.userId, requestId: input.requestId }, text: content.text, attemptAt: null } as Prisma.InputJsonValue,
      createdAt: input.now,
    },
    select: { id: true },
  });

  const db = prismaExecutor(tx);
  if (input.channel === "WHATSAPP") {
    const phoneId = check.phone!.id;
    // From now on this is the lead's phone (sticky, as dispatch would have made it).
    if (!lead.assignedPhoneId) await tx.goldLeadJourney.update({ where: { id: lead.journeyId }, data: { assignedPhoneId: phoneId, assignedAt: input.now }, select: { id: true } });
    const payload: WaManualSendPayload = { tenantId: input.tenantId, journeyId: lead.journeyId, leadId: input.leadId, phoneId, manual: { messageId }, attempts: {}, deferrals: 0, followUp: !lead.isNewContact };
    await deps.queue.send(db, waSendQueue(input.tenantId), payload, { id: messageId, singletonKey: phoneId });
  } else {
    const payload: EmailManualSendPayload = { tenantId: input.tenantId, journeyId: lead.journeyId, leadId: input.leadId, manual: { messageId }, attempts: {} };
    await deps.queue.send(db, EMAIL_WARM_QUEUE, payload, { id: messageId, singletonKey: lead.journeyId });
  }
  await recordDispatchOutcome({ tenantId: input.tenantId, journeyId: lead.journeyId }, requestOutcome(input, check, messageId), input.now, undefined, tx);
  await recordAudit(tx, {
    tenantId: input.tenantId,
    actor: input.actor,
    action: "lead.message",
    entityType: "gold_lead_journey",
    entityId: lead.journeyId,
    after: { messageId, channel: logChannel, templateId: content.templateId, length: content.text.length, when: check.when },
  });
  return { messageId, duplicate: false, check };
}

/**
 * queueLeadMessage in its own transaction, and a refused request recorded in a second one (the first
 * rolls back with the refusal): the lead's last decision and its trail say who tried, on which channel
 * and why it could not go, before the refusal reaches the page.
 */
export async function sendLeadMessage(db: TenantDb, deps: SendCheckDeps & { queue: TransactionalQueue }, input: QueueMessageInput): Promise<QueuedMessage> {
  try {
    return await db((tx) => queueLeadMessage(tx, deps, input));
  } catch (error) {
    if (!(error instanceof DomainError) || !refusalCodes.has(error.code)) throw error;
    await db(async (tx) => {
      const lead = await lockLead(tx, input.leadId, undefined, { allowErased: true });
      // The check again, in this transaction: the decision records what holds now, with its details.
      const check = await computeCheck(tx, deps, input.tenantId, lead, input.channel, input.now, await emailStatusOf(tx, input.leadId));
      if (check.blocked) await recordDispatchOutcome({ tenantId: input.tenantId, journeyId: lead.journeyId }, requestOutcome(input, check, null), input.now, undefined, tx);
    });
    throw error;
  }
}

const refused = (block: SendBlock) => new DomainError("PRECONDITION_FAILED", `SEND_${block}`, `the message cannot be sent: ${block}`, { blocked: block });
const refusalCodes = new Set(SEND_BLOCKS.map((b) => `SEND_${b}`));

/** The person's request as a decision (DispatchOutcome, stage "manual"): queued and when, or refused and why. */
function requestOutcome(input: QueueMessageInput, check: SendCheck, messageId: string | null): DispatchOutcome {
  const channel = input.channel === "WHATSAPP" ? "WHATSAPP" : "EMAIL_WARM";
  const manual = { messageId, requestedBy: input.actor.userId, channel, ...(check.blocked ? { blocked: check.blocked } : {}) } as const;
  const window = { open: check.window.open, ...(check.window.nextOpening ? { nextOpening: check.window.nextOpening.toISOString() } : {}) };
  const base = { v: 1 as const, stage: "manual" as const, at: input.now.toISOString(), manual, window };
  if (check.blocked) {
    return { ...base, result: BLOCK_OUTCOME[check.blocked], summary: `a person's message was refused: ${check.blocked}`, error: { code: `SEND_${check.blocked}`, message: `the message cannot be sent: ${check.blocked}` } };
  }
  const spent = check.when === "NEXT_DAY";
  const quota = check.quota
    ? { allowed: !spent, cost: check.quota.cost, ...(check.quota.used !== null ? { used: check.quota.used } : {}), ...(check.quota.limit !== null ? { limit: check.quota.limit } : {}), ...(spent ? { reason: "QUOTA_EXHAUSTED", retryAt: check.at?.toISOString() ?? null } : {}) }
    : undefined;
  const phone = check.phone
    ? { phoneId: check.phone.id, kind: check.phone.sticky ? ("STICKY" as const) : ("NEW" as const), reason: check.phone.sticky ? "the lead's phone" : "the ACTIVE phone with the most new contacts left today" }
    : undefined;
  const when =
    check.when === "NOW" ? "goes now" :
    check.when === "AT_NEXT_OPENING" ? `outside the sending window: goes at ${check.at?.toISOString()}` :
    `the phone's new contacts for today are used: goes at ${check.at?.toISOString()}`;
  return {
    ...base,
    result: channel === "WHATSAPP" ? "DISPATCHED_WHATSAPP" : "DISPATCHED_EMAIL",
    summary: `a person's message, queued on ${channel === "WHATSAPP" ? "WhatsApp" : "email (Resend)"}: ${when}`,
    ...(quota ? { quota } : {}),
    ...(phone ? { phone } : {}),
    job: { queue: channel === "WHATSAPP" ? waSendQueue(input.tenantId) : EMAIL_WARM_QUEUE, jobId: messageId!, ...(check.when !== "NOW" && check.at ? { startAfter: check.at.toISOString() } : {}) },
  };
}

async function composeContent(tx: TenantTx, input: QueueMessageInput, channel: Channel): Promise<{ text: string; subject: string | null; templateId: string | null; templateVersionId: string | null }> {
  if (input.templateId) {
    const rendered = await renderForLead(tx, { templateId: input.templateId, leadId: input.leadId });
    const fits = channel === "WHATSAPP" ? rendered.channel === "WHATSAPP" : isEmailChannel(rendered.channel);
    if (!fits) throw new DomainError("BAD_INPUT", "TEMPLATE_CHANNEL_MISMATCH", `template ${input.templateId} is for ${rendered.channel}, not ${channel}`);
    return { text: rendered.rendered.text, subject: rendered.rendered.subject, templateId: rendered.templateId, templateVersionId: rendered.versionId };
  }
  const text = input.text?.trim() ?? "";
  if (!text) throw new DomainError("BAD_INPUT", "MESSAGE_EMPTY", "write a message or choose a template");
  if (channel === "WHATSAPP" && text.length > WHATSAPP_MAX_CHARS) throw new DomainError("BAD_INPUT", "MESSAGE_TOO_LONG", `at most ${WHATSAPP_MAX_CHARS} characters on WhatsApp`);
  const subject = input.subject?.trim() || null;
  if (channel !== "WHATSAPP" && !subject) throw new DomainError("BAD_INPUT", "SUBJECT_MISSING", "an email needs a subject");
  return { text, subject: channel === "WHATSAPP" ? null : subject, templateId: null, templateVersionId: null };
}
