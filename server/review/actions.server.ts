/**
 * What a person does with a review item (issue 15), each a use case in one transaction, audited:
 * approve the draft, edit and send, reject, reply manually on the lead's channel, take the lead over
 * (and release it), set the outcome (NEGOTIATION, back to sequence, DEAD: through changeLeadState),
 * add a note, escalate, save a draft.
 *
 * Every action locks the lead's journey, then the item (lock.server.ts). Approve sends exactly once
 * however often it is clicked, from however many browsers: the second transaction waits for the first
 * on the item's lock, then finds the item RESOLVED and is refused (REVIEW_RESOLVED); the answer row's
 * DRAFT → QUEUED move, the send job's id and the log row's idempotency key each stop a second send
 * on their own (answers.server.ts, send-*.server.ts).
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import type { TenantTx } from "../db/client.server";
import type { TransactionalQueue } from "../db/transactional-queue.server";
import { DomainError } from "../errors";
import { changeLeadState } from "../leads/change-state.server";
import { dncStatusOf } from "../dnc/dnc.server";
import { takeOverLead } from "../leads/take-over.server";
import { managerIds, notify } from "../notifications/notifications.server";
import { createAnswer, releaseAnswer } from "../replies/answers/answers.server";
import { answerRoute } from "../replies/answers/channel";
import { lockReview, type LockedReview } from "./lock.server";
import { queueSlack, scheduleSla } from "./open.server";
import { resolveItem } from "./resolve.server";
import { loadReviewSettings } from "./settings.server";
import { escalatedPriority, slaTimes } from "./sla";

type Person = Actor & { type: "USER" };

interface Base {
  tenantId: string;
  reviewId: string;
  actor: Person;
  now: Date;
}

/** An open item the person may act on: theirs, nobody's (they take it), or anyone's for a manager. */
async function openItemFor(tx: TenantTx, input: Base): Promise<LockedReview> {
  const r = await lockReview(tx, input.reviewId);
  if (r.status === "RESOLVED" || r.status === "EXPIRED") throw new DomainError("CONFLICT", "REVIEW_RESOLVED", "the review item is already resolved", { status: r.status });
  const me = input.actor.userId;
  if (r.assignedToUser && r.assignedToUser !== me && input.actor.role === "SALES_REP") {
    throw new DomainError("FORBIDDEN", "REVIEW_ASSIGNED_TO_OTHER", "the review item belongs to someone else", { assignedTo: r.assignedToUser });
  }
  if (!r.assignedToUser) {
    await tx.humanReviewQueue.update({ where: { id: r.id }, data: { assignedToUser: me, assignedAt: input.now, status: r.status === "ESCALATED" ? "ESCALATED" : "IN_PROGRESS" } });
    r.assignedToUser = me;
  }
  return r;
}

const audit = (tx: TenantTx, input: Base, action: string, before: unknown, after: unknown) =>
  recordAudit(tx, { tenantId: input.tenantId, actor: input.actor, action, entityType: "human_review_queue", entityId: input.reviewId, before, after });

async function assertReachable(tx: TenantTx, journeyId: string): Promise<void> {
  const j = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: journeyId }, select: { whatsappOptedOut: true, emailOptedOut: true, currentState: true } });
  if (j.currentState === "DEAD") throw new DomainError("PRECONDITION_FAILED", "LEAD_DEAD", "the lead is marked lost: nothing is sent to it");
  if (j.whatsappOptedOut && j.emailOptedOut) throw new DomainError("PRECONDITION_FAILED", "LEAD_OPTED_OUT", "the lead opted out: nothing is sent to it");
}

export interface SendResult {
  reviewId: string;
  answerId: string;
  channel: "WHATSAPP" | "EMAIL_WARM";
  resolution: "APPROVED" | "EDITED_AND_SENT" | "REPLIED_MANUALLY";
}

/** Approve the draft as it is, or edited (`body`): it goes out once, the item is resolved. */
export async function approveReview(tx: TenantTx, queue: TransactionalQueue, input: Base & { body?: string; subject?: string | null }): Promise<SendResult> {
  const r = await openItemFor(tx, input);
  if (!r.answerId) throw new DomainError("PRECONDITION_FAILED", "REVIEW_NO_DRAFT", "the item has no drafted answer: reply manually");
  await assertReachable(tx, r.journeyId);
  const draft = await tx.replyAnswer.findUniqueOrThrow({ where: { id: r.answerId }, select: { body: true, status: true } });
  const edited = input.body !== undefined && input.body.trim() !== draft.body.trim();
  const released = await releaseAnswer(tx, queue, { tenantId: input.tenantId, answerId: r.answerId, mode: edited ? "EDITED" : "APPROVED", actor: input.actor, ...(edited ? { body: input.body } : {}), ...(input.subject !== undefined ? { subject: input.subject } : {}), now: input.now });
  if (!released.released) throw new DomainError("CONFLICT", "ANSWER_ALREADY_RELEASED", `the answer is already ${released.status}`, { status: released.status });
  const resolution = edited ? "EDITED_AND_SENT" : "APPROVED";
  const finalAnswer = edited ? input.body!.trim() : draft.body;
  await resolveItem(tx, queue, r, { resolution, note: null, finalAnswer, actor: input.actor, now: input.now });
  await audit(tx, input, "review.approve", { status: r.status, draft: draft.status }, { resolution, answerId: r.answerId, channel: released.channel, edited });
  return { reviewId: r.id, answerId: r.answerId, channel: released.channel, resolution };
}

/**
 * A person's own message on the lead's channel. `requestId` is made by the page when the composer
 * opens: a doubled submit finds the answer it made (reply_answers.idempotency_key) and sends nothing more.
 */
export async function replyManually(tx: TenantTx, queue: TransactionalQueue, input: Base & { body: string; requestId: string }): Promise<SendResult> {
  const r = await openItemFor(tx, input);
  await assertReachable(tx, r.journeyId);
  const body = input.body.trim();
  if (!body) throw new DomainError("BAD_INPUT", "ANSWER_EMPTY", "the message has no text");
  const journey = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: r.journeyId }, select: { assignedPhoneId: true, whatsappOptedOut: true, emailOptedOut: true, lastChannelUsed: true } });
  const lead = await tx.goldCompany.findUniqueOrThrow({ where: { id: r.leadId }, select: { telefonPrincipal: true, emailPrincipal: true } });
  const trigger = r.triggerMessageId ? await tx.goldCommunicationLog.findUnique({ where: { id: r.triggerMessageId }, select: { channel: true, phoneId: true, subject: true } }) : null;
  const dnc = await dncStatusOf(tx, { phone: lead.telefonPrincipal, email: lead.emailPrincipal });
  const replyChannel = trigger?.channel ?? journey.lastChannelUsed ?? "WHATSAPP";
  const route = answerRoute({
    replyChannel,
    assignedPhoneId: journey.assignedPhoneId,
    replyPhoneId: trigger?.phoneId ?? null,
    leadPhone: lead.telefonPrincipal,
    leadEmail: lead.emailPrincipal,
    whatsappOptedOut: journey.whatsappOptedOut,
    emailOptedOut: journey.emailOptedOut,
    phoneOnDoNotContact: dnc.phone,
    emailOnDoNotContact: dnc.email || dnc.domain,
  });
  if (!route.ok) throw new DomainError("PRECONDITION_FAILED", `ANSWER_${route.block}`, `the lead cannot be answered on ${replyChannel}: ${route.block}`, { block: route.block });
  const subject = route.channel === "EMAIL_WARM" ? (trigger?.subject ? (/^re:/i.test(trigger.subject) ? trigger.subject : `Re: ${trigger.subject}`) : null) : null;
  const { id: answerId } = await createAnswer(tx, {
    tenantId: input.tenantId,
    journeyId: r.journeyId,
    leadId: r.leadId,
    inboundMessageId: r.triggerMessageId,
    idempotencyKey: `person:${input.requestId}`,
    route,
    subject,
    body,
    source: "PERSON",
    intent: null,
    createdBy: input.actor.userId,
    now: input.now,
  });
  const released = await releaseAnswer(tx, queue, { tenantId: input.tenantId, answerId, mode: "MANUAL", actor: input.actor, now: input.now });
  if (!released.released) throw new DomainError("CONFLICT", "ANSWER_ALREADY_RELEASED", `the answer is already ${released.status}`);
  await resolveItem(tx, queue, r, { resolution: "REPLIED_MANUALLY", note: null, finalAnswer: body, actor: input.actor, now: input.now });
  await audit(tx, input, "review.reply_manually", { status: r.status }, { answerId, channel: released.channel });
  return { reviewId: r.id, answerId, channel: released.channel, resolution: "REPLIED_MANUALLY" };
}

/** The draft is not sent; the item is closed with the person's reason. */
export async function rejectReview(tx: TenantTx, queue: TransactionalQueue, input: Base & { note: string | null }): Promise<{ reviewId: string }> {
  const r = await openItemFor(tx, input);
  await resolveItem(tx, queue, r, { resolution: "REJECTED", note: input.note, actor: input.actor, now: input.now, answerOutcome: "REJECTED" });
  await audit(tx, input, "review.reject", { status: r.status }, { note: input.note, answerId: r.answerId });
  return { reviewId: r.id };
}

/** The person saves the draft's text without sending it. */
export async function saveDraft(tx: TenantTx, input: Base & { body: string }): Promise<{ reviewId: string; answerId: string }> {
  const r = await openItemFor(tx, input);
  if (!r.answerId) throw new DomainError("PRECONDITION_FAILED", "REVIEW_NO_DRAFT", "the item has no drafted answer");
  const body = input.body.trim();
  if (!body) throw new DomainError("BAD_INPUT", "ANSWER_EMPTY", "the draft has no text");
  const n = await tx.replyAnswer.updateMany({ where: { id: r.answerId, status: "DRAFT" }, data: { body } });
  if (n.count === 0) throw new DomainError("CONFLICT", "ANSWER_ALREADY_RELEASED", "the answer is no longer a draft");
  await tx.humanReviewQueue.update({ where: { id: r.id }, data: { draftedAnswer: body, ...(r.status === "ASSIGNED" ? { status: "IN_PROGRESS" } : {}) } });
  await audit(tx, input, "review.draft_edit", null, { answerId: r.answerId, length: body.length });
  return { reviewId: r.id, answerId: r.answerId };
}

export async function addNote(tx: TenantTx, input: Base & { body: string }): Promise<{ noteId: string }> {
  const r = await lockReview(tx, input.reviewId);
  if (r.assignedToUser && r.assignedToUser !== input.actor.userId && input.actor.role === "SALES_REP") {
    throw new DomainError("FORBIDDEN", "REVIEW_ASSIGNED_TO_OTHER", "the review item belongs to someone else");
  }
  const note = await tx.reviewNote.create({ data: { tenantId: input.tenantId, reviewId: r.id, authorId: input.actor.userId, body: input.body.trim(), createdAt: input.now }, select: { id: true } });
  if (r.status === "ASSIGNED" && r.assignedToUser === input.actor.userId) await tx.humanReviewQueue.update({ where: { id: r.id }, data: { status: "IN_PROGRESS" } });
  await audit(tx, input, "review.note", null, { noteId: note.id });
  return { noteId: note.id };
}

/**
 * To the managers: one priority up, the due time brought forward to the new priority's SLA from now
 * (never later than it was), new SLA timers, the managers notified (and Slack).
 */
export async function escalateReview(tx: TenantTx, queue: TransactionalQueue, input: Base & { note: string | null }): Promise<{ reviewId: string; priority: string; slaDueAt: Date }> {
  const r = await openItemFor(tx, input);
  const settings = await loadReviewSettings(tx, input.tenantId);
  const priority = escalatedPriority(r.priority);
  const times = slaTimes(input.now, priority, settings.sla, settings.calendar);
  const dueAt = times.dueAt.getTime() < r.slaDueAt.getTime() ? times.dueAt : r.slaDueAt;
  await tx.humanReviewQueue.update({ where: { id: r.id }, data: { status: "ESCALATED", priority, escalatedAt: input.now, slaDueAt: dueAt, slaWarnedAt: null } });
  await tx.goldLeadJourney.update({ where: { id: r.journeyId }, data: { humanReviewPriority: priority }, select: { id: true } });
  await scheduleSla(tx, queue, input.tenantId, r.id, { ...times, dueAt, warnAt: times.warnAt.getTime() < dueAt.getTime() ? times.warnAt : dueAt });
  if (input.note?.trim()) await tx.reviewNote.create({ data: { tenantId: input.tenantId, reviewId: r.id, authorId: input.actor.userId, body: input.note.trim(), createdAt: input.now } });
  await notify(tx, {
    tenantId: input.tenantId,
    userIds: (await managerIds(tx)).filter((id) => id !== input.actor.userId),
    kind: "review.escalated",
    params: { lead: r.leadName, priority },
    link: `/outreach/review?item=${r.id}`,
    reviewId: r.id,
    dedupeKey: `review.escalated:${r.id}:${input.now.toISOString()}`,
    at: input.now,
  });
  await queueSlack(tx, queue, { tenantId: input.tenantId, event: "review.escalated", text: `Escaladat (${priority}): ${r.leadName}.${input.note?.trim() ? ` Notă: ${input.note.trim().slice(0, 300)}` : ""}` }, `escalated:${r.id}:${input.now.toISOString()}`);
  await audit(tx, input, "review.escalate", { priority: r.priority, status: r.status, slaDueAt: r.slaDueAt }, { priority, status: "ESCALATED", slaDueAt: dueAt, note: input.note });
  return { reviewId: r.id, priority, slaDueAt: dueAt };
}

export type ReviewOutcome = "NEGOTIATION" | "BACK_TO_SEQUENCE" | "DEAD";

/** The lead's next state, through changeLeadState (which audits the move); the item is resolved. */
export async function setOutcome(tx: TenantTx, queue: TransactionalQueue, input: Base & { outcome: ReviewOutcome; reason: string }): Promise<{ reviewId: string; state: string }> {
  const r = await openItemFor(tx, input);
  const journey = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: r.journeyId }, select: { currentState: true, previousState: true } });
  const back = input.outcome === "BACK_TO_SEQUENCE";
  const to = back ? journey.previousState : input.outcome;
  if (back && (journey.currentState !== "WARM_REPLY" || !to || !["COLD", "CONTACTED_WA", "CONTACTED_EMAIL"].includes(to))) {
    throw new DomainError("PRECONDITION_FAILED", "NO_SEQUENCE_TO_RETURN_TO", `a ${journey.currentState} lead has no sequence to go back to`, { state: journey.currentState });
  }
  if (!to) throw new DomainError("PRECONDITION_FAILED", "NO_SEQUENCE_TO_RETURN_TO", "the lead's state before the reply is unknown");
  // The item is closed first: back in its sequence the lead must not still wait for a person.
  await resolveItem(tx, queue, r, { resolution: "NO_ACTION", note: `${OUTCOME_NOTE[input.outcome]}: ${input.reason}`, actor: input.actor, now: input.now });
  const moved = await changeLeadState(tx, {
    tenantId: input.tenantId,
    leadId: r.leadId,
    to: to as "NEGOTIATION" | "DEAD" | "COLD" | "CONTACTED_WA" | "CONTACTED_EMAIL",
    reason: input.reason,
    expectedFrom: journey.currentState,
    actor: input.actor,
    now: input.now,
    metadata: { reviewId: r.id, outcome: input.outcome },
  });
  await audit(tx, input, "review.outcome", { state: journey.currentState }, { outcome: input.outcome, state: moved.to });
  return { reviewId: r.id, state: moved.to };
}

const OUTCOME_NOTE: Record<ReviewOutcome, string> = { NEGOTIATION: "Negociere", BACK_TO_SEQUENCE: "Înapoi în secvență", DEAD: "Pierdut" };

/**
 * Take over from a review item (issue 15: "take over: automation stops for the lead until released"):
 * the lead's use case (server/leads/take-over.server.ts: automation stops, automatic answers not sent
 * yet are cancelled), then the item is resolved (TAKEN_OVER), its draft closed.
 */
export async function takeOverFromReview(tx: TenantTx, queue: TransactionalQueue, input: Base): Promise<{ leadId: string; changed: boolean }> {
  const r = await openItemFor(tx, input);
  const held = await tx.goldLeadJourney.findUniqueOrThrow({ where: { id: r.journeyId }, select: { isHumanControlled: true, assignedToUser: true } });
  if (held.isHumanControlled && held.assignedToUser && held.assignedToUser !== input.actor.userId && input.actor.role === "SALES_REP") {
    throw new DomainError("CONFLICT", "LEAD_HELD_BY_OTHER", "another person holds this lead", { holder: held.assignedToUser });
  }
  const result = await takeOverLead(tx, { tenantId: input.tenantId, leadId: r.leadId, actor: input.actor, now: input.now });
  await resolveItem(tx, queue, r, { resolution: "TAKEN_OVER", note: null, actor: input.actor, now: input.now });
  await audit(tx, input, "review.take_over", { status: r.status }, { leadId: r.leadId });
  return { leadId: r.leadId, changed: result.changed };
}
