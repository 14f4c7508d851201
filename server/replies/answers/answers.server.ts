/**
 * Answers as records (reply_answers): a draft is created once per producer (its idempotency key), let
 * out once (DRAFT → QUEUED under the row's lock, the send job queued in the same transaction with a job
 * id derived from the answer), and sent once (the log row `answer:<id>`, send-*.server.ts).
 * Callers hold the lead's journey lock (server/db/lock-order.server.ts): journey, then the answer row.
 */
import { EMAIL_WARM_QUEUE, waSendQueue, type EmailAnswerPayload, type WaAnswerPayload } from "../../../jobs/queues";
import type { Actor } from "../../audit/actor";
import type { TenantTx } from "../../db/client.server";
import { prismaExecutor, type TransactionalQueue } from "../../db/transactional-queue.server";
import { DomainError, notFound } from "../../errors";
import type { AnswerMode, AnswerSource } from "../../generated/prisma/enums";
import { deterministicUuid } from "../../pipeline/rules/ids.server";
import { dayBounds, localDateIn } from "../../quota/window";
import type { AnswerRoute } from "./channel";

export interface NewAnswer {
  tenantId: string;
  journeyId: string;
  leadId: string;
  inboundMessageId: string | null;
  idempotencyKey: string;
  route: Extract<AnswerRoute, { ok: true }>;
  subject: string | null;
  body: string;
  source: AnswerSource;
  intent: string | null;
  createdBy: string | null;
  now: Date;
}

/** The answer row, made once per idempotency key; returns its id (an existing one on a repeat). */
export async function createAnswer(tx: TenantTx, a: NewAnswer): Promise<{ id: string; created: boolean }> {
  const created = await tx.replyAnswer.createMany({
    data: [
      {
        tenantId: a.tenantId,
        journeyId: a.journeyId,
        leadId: a.leadId,
        inboundMessageId: a.inboundMessageId,
        idempotencyKey: a.idempotencyKey,
        channel: a.route.channel,
        phoneId: a.route.channel === "WHATSAPP" ? a.route.phoneId : null,
        subject: a.subject,
        body: a.body,
        source: a.source,
        intent: a.intent,
        createdBy: a.createdBy,
        createdAt: a.now,
      },
    ],
    skipDuplicates: true,
  });
  const row = await tx.replyAnswer.findUniqueOrThrow({ where: { idempotencyKey: a.idempotencyKey }, select: { id: true } });
  return { id: row.id, created: created.count === 1 };
}

/** The send job's id: a second enqueue of the same answer is a no-op in pg-boss (ON CONFLICT DO NOTHING). */
export const answerJobId = (answerId: string): string => deterministicUuid(`answer:${answerId}`);
/** The log row's idempotency key: one message per answer, however often its job runs. */
export const answerIdempotencyKey = (answerId: string): string => `answer:${answerId}`;

export interface ReleaseInput {
  tenantId: string;
  answerId: string;
  mode: AnswerMode;
  actor: Actor;
  /** A person's edited text (mode EDITED / MANUAL); absent = the draft as it is. */
  body?: string;
  subject?: string | null;
  now: Date;
}

export type ReleaseResult = { released: true; answerId: string; channel: "WHATSAPP" | "EMAIL_WARM" } | { released: false; answerId: string; status: string };

/**
 * DRAFT → QUEUED and its send job, once: the row is locked, so of two concurrent releases the second
 * sees QUEUED and returns `released: false`; the job id and the log row's key guard the rest.
 */
export async function releaseAnswer(tx: TenantTx, queue: TransactionalQueue, input: ReleaseInput): Promise<ReleaseResult> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM reply_answers WHERE id = ${input.answerId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw notFound("answer", input.answerId);
  const a = await tx.replyAnswer.findUniqueOrThrow({
    where: { id: input.answerId },
    select: { id: true, status: true, channel: true, phoneId: true, journeyId: true, leadId: true },
  });
  if (a.status !== "DRAFT") return { released: false, answerId: a.id, status: a.status };
  const body = input.body?.trim();
  if (input.body !== undefined && !body) throw new DomainError("BAD_INPUT", "ANSWER_EMPTY", "the answer has no text");
  await tx.replyAnswer.update({
    where: { id: a.id },
    data: {
      status: "QUEUED",
      mode: input.mode,
      ...(body ? { body } : {}),
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      releasedBy: input.actor.type === "USER" ? input.actor.userId : null,
      releasedAt: input.now,
    },
  });
  const db = prismaExecutor(tx);
  if (a.channel === "WHATSAPP") {
    if (!a.phoneId) throw new DomainError("PRECONDITION_FAILED", "ANSWER_NO_PHONE", "a WhatsApp answer without a sending phone");
    const payload: WaAnswerPayload = { kind: "answer", tenantId: input.tenantId, journeyId: a.journeyId, leadId: a.leadId, phoneId: a.phoneId, answerId: a.id, followUp: true, attempts: {}, deferrals: 0 };
    await queue.send(db, waSendQueue(input.tenantId), payload, { id: answerJobId(a.id), singletonKey: a.phoneId });
  } else {
    const payload: EmailAnswerPayload = { kind: "answer", tenantId: input.tenantId, journeyId: a.journeyId, leadId: a.leadId, answerId: a.id, attempts: {} };
    await queue.send(db, EMAIL_WARM_QUEUE, payload, { id: answerJobId(a.id), singletonKey: a.journeyId });
  }
  return { released: true, answerId: a.id, channel: a.channel === "WHATSAPP" ? "WHATSAPP" : "EMAIL_WARM" };
}

/** Automatic answers this lead got on the tenant's calendar day of `now` (the daily cap counts these). */
export async function autoAnswersToday(tx: TenantTx, leadId: string, now: Date, timeZone: string): Promise<number> {
  const { start, end } = dayBounds(timeZone, localDateIn(timeZone, now));
  return tx.replyAnswer.count({ where: { leadId, mode: "AUTO", releasedAt: { gte: start, lt: end } } });
}

/**
 * Automatic answers the tenant released on its calendar day of `now` (the tenant's daily cap counts
 * these; RLS keeps the count to the tenant, the (tenant_id, released_at) index to the day).
 */
export async function tenantAutoAnswersToday(tx: TenantTx, now: Date, timeZone: string): Promise<number> {
  const { start, end } = dayBounds(timeZone, localDateIn(timeZone, now));
  return tx.replyAnswer.count({ where: { mode: "AUTO", releasedAt: { gte: start, lt: end } } });
}

/** Drafts and queued answers of a lead that must not go out any more (a person took over, an opt-out). */
export async function cancelPendingAnswers(tx: TenantTx, journeyId: string, why: { code: string; message: string }, only?: { modes: AnswerMode[] }): Promise<number> {
  const r = await tx.replyAnswer.updateMany({
    where: { journeyId, OR: [{ status: "DRAFT" }, { status: "QUEUED", ...(only ? { mode: { in: only.modes } } : {}) }] },
    data: { status: "CANCELLED", errorCode: why.code, errorMessage: why.message },
  });
  return r.count;
}
