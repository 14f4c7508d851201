/**
 * One message per sequence step, whatever the channel.
 *
 * The idempotency key `journeyId:step:CHANNEL` (ids.ts) makes each channel's send exactly-once, but
 * with a fallback a step can be dispatched on WhatsApp and later on email (the number turned out not
 * to be on WhatsApp, an opt-out, a lease that ran out while the WhatsApp job waited on its phone). The
 * keys differ, so the later job must see that the step already went out — or may be going out — on
 * the other channel, and stand down.
 *
 * Both send paths check in the transaction that writes their intent row, after locking the journey
 * row (email: `assertStepNotSentOnOtherChannel`; WhatsApp: the same rule as SQL, holdsStepSql, in the
 * statement that writes its intent, whatsapp-send-store.server.ts): two sends of one step on different
 * channels serialise there, and the second one sees the first one's committed intent.
 */
import type { TenantTx } from "../../db/client.server";
import { DomainError } from "../../errors";
import { sendIdempotencyKey } from "../rules/ids.server";
import { SEND_CHANNELS, type SendChannel } from "../rules/types";

export const STEP_SENT_ON_OTHER_CHANNEL = "STEP_SENT_ON_OTHER_CHANNEL";

export interface StepIntentRow {
  status: string;
  externalMessageId: string | null;
  instantlyLeadId: string | null;
  resendEmailId: string | null;
  metadata: unknown;
}

/**
 * Does this intent row hold its step? Yes once the provider has it (an id from it, or a status past
 * QUEUED) and while an attempt is in flight (attemptAt set: it may have reached the provider). No for
 * a FAILED row or a QUEUED one whose attempt certainly did not reach the provider (attemptAt cleared).
 * The same reading as the send paths' own "already sent" / "in flight" checks.
 */
export function holdsStep(row: StepIntentRow): boolean {
  if (row.externalMessageId || row.instantlyLeadId || row.resendEmailId) return true;
  if (row.status === "FAILED") return false;
  if (row.status !== "QUEUED") return true;
  const metadata = row.metadata && typeof row.metadata === "object" ? (row.metadata as Record<string, unknown>) : {};
  return typeof metadata.attemptAt === "string" && metadata.attemptAt.length > 0;
}

/**
 * holdsStep as an SQL condition on the log row `o` (an alias), for the WhatsApp intent's statement,
 * which must not write when another channel holds the step. The same reading, clause by clause (an
 * empty provider id counts as none, as it is falsy in holdsStep; a missing attempt is false, never
 * NULL); tests/pipeline/step-claim.test.ts holds the two to each other over every combination.
 */
export const holdsStepSql = (o: string): string =>
  `(coalesce(${o}.external_message_id, '') <> '' OR coalesce(${o}.instantly_lead_id, '') <> '' OR coalesce(${o}.resend_email_id, '') <> ''
    OR (${o}.status <> 'FAILED' AND (${o}.status <> 'QUEUED'
        OR coalesce(jsonb_typeof(${o}.metadata->'attemptAt') = 'string' AND ${o}.metadata->>'attemptAt' <> '', false))))`;

/**
 * Locks the journey and throws a CONFLICT `STEP_SENT_ON_OTHER_CHANNEL` when another channel's intent
 * for the same step holds it. Call it inside the transaction that then writes this channel's intent.
 */
export async function assertStepNotSentOnOtherChannel(tx: TenantTx, input: { journeyId: string; stepNumber: number; channel: SendChannel }): Promise<void> {
  await tx.$queryRaw`SELECT id FROM gold_lead_journey WHERE id = ${input.journeyId}::uuid FOR UPDATE`;
  const rows = await tx.goldCommunicationLog.findMany({
    where: { idempotencyKey: { in: otherChannelKeys(input) } },
    select: { channel: true, status: true, externalMessageId: true, instantlyLeadId: true, resendEmailId: true, metadata: true },
  });
  const holder = rows.find(holdsStep);
  if (holder) throw stepTaken(input, holder);
}

/** The keys of the step's intents on the other channels. */
export const otherChannelKeys = (input: { journeyId: string; stepNumber: number; channel: SendChannel }): string[] =>
  SEND_CHANNELS.filter((c) => c !== input.channel).map((c) => sendIdempotencyKey(input.journeyId, input.stepNumber, c));

export function stepTaken(input: { stepNumber: number; channel: SendChannel }, holder: { channel: string; status: string }): DomainError {
  return new DomainError("CONFLICT", STEP_SENT_ON_OTHER_CHANNEL, `step ${input.stepNumber} already went out (or is going out) on ${holder.channel}; not sent on ${input.channel}`, {
    channel: holder.channel,
    status: holder.status,
  });
}

export function isStepSentOnOtherChannel(error: unknown): error is DomainError {
  return error instanceof DomainError && error.code === STEP_SENT_ON_OTHER_CHANNEL;
}
