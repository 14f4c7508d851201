/** What both answer send paths do when an answer cannot or must not go out. */
import { withTenant, type TenantTx } from "../../db/client.server";
import type { SendWait } from "../../pipeline/rules/lease";
import { notify } from "../../notifications/notifications.server";
import { logEvent } from "../../observability/logger.server";

export type AnswerSendResult<P> =
  | { kind: "SENT"; providerId: string; logId: string; reconciled: boolean }
  | { kind: "ALREADY_SENT"; logId: string }
  | { kind: "DONE"; code: string; reason: string }
  | { kind: "RESCHEDULE"; startAfter: Date; payload: P; code: string; reason: string }
  | { kind: "DEAD_LETTER"; code: string; message: string }
  | SendWait;

interface AnswerRef {
  tenantId: string;
  journeyId: string;
  leadId: string;
  answerId: string;
}

/** The answer is overtaken (an opt-out, a person took over, cancelled): it will never go out. */
export async function answerStale(p: AnswerRef, why: { code: string; message: string }, at: Date): Promise<void> {
  await withTenant(p.tenantId, async (tx) => {
    await tx.replyAnswer.updateMany({ where: { id: p.answerId, status: { in: ["DRAFT", "QUEUED"] } }, data: { status: "CANCELLED", errorCode: why.code, errorMessage: why.message } });
    // An intent row of an earlier attempt that never reached the provider is closed too.
    await tx.goldCommunicationLog.updateMany({
      where: { idempotencyKey: `answer:${p.answerId}`, status: "QUEUED", externalMessageId: null, resendEmailId: null },
      data: { status: "FAILED", failedAt: at, errorCode: why.code, errorMessage: why.message },
    });
  });
  logEvent("info", { action: "answer.stood_down", leadId: p.leadId, metadata: { answerId: p.answerId, code: why.code, reason: why.message } });
}

/** The answer failed for good: FAILED on the answer and its log row, and the person who let it out is told. */
export async function answerFailed(
  p: AnswerRef,
  why: { code: string; message: string },
  logId: string | null,
  at: Date,
  /** Whether this attempt still holds the log row (a WhatsApp send's lease); false writes nothing. */
  holds?: (tx: TenantTx) => Promise<boolean>,
): Promise<boolean> {
  const written = await withTenant(p.tenantId, async (tx) => {
    if (holds && !(await holds(tx))) return false;
    const a = await tx.replyAnswer.update({ where: { id: p.answerId }, data: { status: "FAILED", errorCode: why.code, errorMessage: why.message.slice(0, 1000) }, select: { releasedBy: true, lead: { select: { denumire: true } }, journey: { select: { assignedToUser: true } } } });
    if (logId) await tx.goldCommunicationLog.update({ where: { id: logId }, data: { status: "FAILED", failedAt: at, errorCode: why.code, errorMessage: why.message.slice(0, 1000) } });
    const to = [a.releasedBy, a.journey.assignedToUser].filter((x): x is string => Boolean(x));
    await notify(tx, {
      tenantId: p.tenantId,
      userIds: to,
      kind: "answer.failed",
      params: { lead: a.lead.denumire, code: why.code },
      link: `/outreach/leads/${p.leadId}`,
      reviewId: null,
      dedupeKey: `answer.failed:${p.answerId}`,
      at,
    });
    return true;
  });
  if (written) logEvent("warn", { action: "answer.failed", leadId: p.leadId, error: { code: why.code, message: why.message }, metadata: { answerId: p.answerId } });
  return written;
}
