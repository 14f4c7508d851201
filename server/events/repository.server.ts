/**
 * The queries the event path needs, inside a tenant transaction (row-level security scopes every
 * one of them). A message is locked before its status changes, so two events about one message (say
 * READ and a late DELIVERED processed at the same moment) apply one after the other.
 *
 * Lock order (server/db/lock-order.server.ts): a transaction that also writes the journey locks the
 * journey first, so it finds the message without a lock (`findOutboundMessage`), locks the journey,
 * then the message. Rows are locked FOR NO KEY UPDATE (we never change keys), which, unlike FOR
 * UPDATE, does not wait for the KEY SHARE locks that inserting a child row (an inbound message, an
 * enrollment) takes on its parents.
 */
import type { TenantTx } from "../db/client.server";
import type { Channel, MessageStatus } from "../generated/prisma/enums";
import type { Prisma } from "../generated/prisma/client";
import { planStatusChange } from "./message-status";
import type { MessageTimestamps } from "./message-status";
import type { LeadRef, MessageRef } from "./types";

export interface MessageRow {
  id: string;
  journeyId: string;
  leadId: string;
  status: MessageStatus;
  timestamps: MessageTimestamps;
}

export interface JourneyRef {
  journeyId: string;
  leadId: string;
}

interface MessageSqlRow {
  id: string;
  journey_id: string;
  lead_id: string;
  status: MessageStatus;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  opened_at: Date | null;
  clicked_at: Date | null;
  replied_at: Date | null;
  bounced_at: Date | null;
  failed_at: Date | null;
}

const MESSAGE_COLUMNS = "id, journey_id, lead_id, status, sent_at, delivered_at, read_at, opened_at, clicked_at, replied_at, bounced_at, failed_at";

function toMessage(row: MessageSqlRow): MessageRow {
  return {
    id: row.id,
    journeyId: row.journey_id,
    leadId: row.lead_id,
    status: row.status,
    timestamps: {
      sentAt: row.sent_at,
      deliveredAt: row.delivered_at,
      readAt: row.read_at,
      openedAt: row.opened_at,
      clickedAt: row.clicked_at,
      repliedAt: row.replied_at,
      bouncedAt: row.bounced_at,
      failedAt: row.failed_at,
    },
  };
}

async function selectOne(tx: TenantTx, lock: boolean, where: string, ...values: unknown[]): Promise<MessageRow | null> {
  const rows = await tx.$queryRawUnsafe<MessageSqlRow[]>(
    `SELECT ${MESSAGE_COLUMNS} FROM gold_communication_log WHERE ${where} ORDER BY created_at DESC LIMIT 1${lock ? " FOR NO KEY UPDATE" : ""}`,
    ...values,
  );
  return rows[0] ? toMessage(rows[0]) : null;
}

const lockOne = (tx: TenantTx, where: string, ...values: unknown[]) => selectOne(tx, true, where, ...values);

async function outbound(tx: TenantTx, lock: boolean, channel: Channel, ref: MessageRef): Promise<MessageRow | null> {
  if (ref.logId) {
    const byId = await selectOne(tx, lock, `id = $1::uuid AND direction = 'OUTBOUND'`, ref.logId);
    if (byId) return byId;
  }
  if (ref.externalId) {
    return selectOne(tx, lock, `external_message_id = $1 AND channel = $2::channel_enum AND direction = 'OUTBOUND'`, ref.externalId, channel);
  }
  return null;
}

/** Our outbound message the provider is talking about: by our log id, else by the provider's id. Locked. */
export function lockOutboundMessage(tx: TenantTx, channel: Channel, ref: MessageRef): Promise<MessageRow | null> {
  return outbound(tx, true, channel, ref);
}

/** The same message, not locked: to learn its journey, which is locked before it. */
export function findOutboundMessage(tx: TenantTx, channel: Channel, ref: MessageRef): Promise<MessageRow | null> {
  return outbound(tx, false, channel, ref);
}

/**
 * The latest outbound message of a journey on a channel (optionally of one Instantly campaign/step):
 * what a reply answers when the provider does not say, and Instantly's fallback when an event lacks
 * the email id.
 */
export async function lockLatestOutbound(
  tx: TenantTx,
  journeyId: string,
  channel: Channel,
  scope: { instantlyCampaignId?: string; sequenceStep?: number } = {},
): Promise<MessageRow | null> {
  const conditions = [`journey_id = $1::uuid`, `channel = $2::channel_enum`, `direction = 'OUTBOUND'`];
  const values: unknown[] = [journeyId, channel];
  if (scope.instantlyCampaignId) {
    values.push(scope.instantlyCampaignId);
    conditions.push(`instantly_campaign_id = $${values.length}`);
  }
  if (scope.sequenceStep !== undefined) {
    values.push(scope.sequenceStep);
    conditions.push(`sequence_step = $${values.length}`);
  }
  return lockOne(tx, conditions.join(" AND "), ...values);
}

/**
 * Instantly sends campaign steps itself; the cold-email job logs a QUEUED placeholder when it adds the
 * lead. The first `email_sent` for that lead and campaign claims the placeholder by writing the email id.
 */
export async function claimInstantlyPlaceholder(tx: TenantTx, journeyId: string, campaignId: string, emailId: string): Promise<MessageRow | null> {
  const rows = await tx.$queryRaw<MessageSqlRow[]>`
    UPDATE gold_communication_log SET external_message_id = ${emailId}, updated_at = now()
    WHERE id = (
      SELECT id FROM gold_communication_log
      WHERE journey_id = ${journeyId}::uuid AND channel = 'EMAIL_COLD' AND direction = 'OUTBOUND'
        AND instantly_campaign_id = ${campaignId} AND external_message_id IS NULL AND status = 'QUEUED'
      ORDER BY created_at LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED)
    RETURNING id, journey_id, lead_id, status, sent_at, delivered_at, read_at, opened_at, clicked_at, replied_at, bounced_at, failed_at`;
  return rows[0] ? toMessage(rows[0]) : null;
}

/**
 * The journey of the lead a provider names: by WhatsApp chat (a chat we have written in before),
 * then by phone, then by email. Exact matches only, on indexed columns: phones are stored as
 * +E.164 and emails lower-case by the import, and normalizers produce the same forms.
 */
export async function findJourney(tx: TenantTx, lead: LeadRef): Promise<JourneyRef | null> {
  if (lead.whatsappChatId) {
    const byChat = await tx.goldCommunicationLog.findFirst({
      where: { timelinesaiChatId: lead.whatsappChatId },
      orderBy: { createdAt: "desc" },
      select: { journeyId: true, leadId: true },
    });
    if (byChat) return byChat;
  }
  const company =
    (lead.phone ? await tx.goldCompany.findFirst({ where: { telefonPrincipal: lead.phone }, select: { id: true } }) : null) ??
    (lead.email ? await tx.goldCompany.findFirst({ where: { emailPrincipal: lead.email }, select: { id: true } }) : null);
  if (!company) return null;
  const journey = await tx.goldLeadJourney.findFirst({ where: { leadId: company.id }, select: { id: true, leadId: true } });
  return journey ? { journeyId: journey.id, leadId: journey.leadId } : null;
}

export async function phoneIdByNumber(tx: TenantTx, phone: string | undefined): Promise<string | null> {
  if (!phone) return null;
  const row = await tx.waPhoneNumber.findFirst({ where: { phoneNumber: phone }, select: { id: true } });
  return row?.id ?? null;
}

/** Counters move by increments and GREATEST, never read-modify-write, so concurrent events add up. */
export async function bumpJourney(
  tx: TenantTx,
  journeyId: string,
  change: { opens?: number; clicks?: number; replies?: number; openAt?: Date; replyAt?: Date },
): Promise<void> {
  await tx.$executeRaw`
    UPDATE gold_lead_journey SET
      open_count = open_count + ${change.opens ?? 0},
      click_count = click_count + ${change.clicks ?? 0},
      reply_count = reply_count + ${change.replies ?? 0},
      last_open_at = GREATEST(last_open_at, ${change.openAt ?? null}::timestamptz),
      last_reply_at = GREATEST(last_reply_at, ${change.replyAt ?? null}::timestamptz),
      updated_at = now()
    WHERE id = ${journeyId}::uuid`;
}

export interface StatusUpdate {
  changed: boolean;
  status: MessageStatus;
  firstOfItsKind: boolean;
}

/** Moves a locked message's status forward (message-status.ts) and records the report's timestamp. */
export async function setMessageStatus(
  tx: TenantTx,
  message: MessageRow,
  reported: Exclude<MessageStatus, "QUEUED">,
  at: Date,
  extra: Prisma.GoldCommunicationLogUpdateInput,
): Promise<StatusUpdate> {
  const plan = planStatusChange(message, reported, at);
  const data: Prisma.GoldCommunicationLogUpdateInput = {
    ...plan.timestamps,
    ...(plan.status ? { status: plan.status } : {}),
    // Failure details only when this report is the one that ended the message.
    ...(plan.status ? extra : withoutErrorFields(extra)),
  };
  if (Object.keys(data).length > 0) await tx.goldCommunicationLog.update({ where: { id: message.id }, data, select: { id: true } });
  return { changed: plan.status !== null || Object.keys(plan.timestamps).length > 0, status: plan.status ?? message.status, firstOfItsKind: plan.firstOfItsKind };
}

function withoutErrorFields(extra: Prisma.GoldCommunicationLogUpdateInput): Prisma.GoldCommunicationLogUpdateInput {
  const { errorCode: _code, errorMessage: _message, ...rest } = extra;
  return rest;
}
