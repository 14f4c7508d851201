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
import { query, transactionMemo, type Db } from "../db/executor.server";
import type { Channel, MessageStatus } from "../generated/prisma/enums";
import { planStatusChange, TIMESTAMP_COLUMN } from "./message-status";
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

const MESSAGE_COLUMNS = "id::text, journey_id::text, lead_id::text, status::text, sent_at, delivered_at, read_at, opened_at, clicked_at, replied_at, bounced_at, failed_at";
/** With what a message is named by: its id, or the provider's id on its channel. */
const NAMED_MESSAGE_COLUMNS = `${MESSAGE_COLUMNS}, channel::text, external_message_id`;

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

async function selectOne(db: Db, lock: boolean, where: string, ...values: unknown[]): Promise<MessageRow | null> {
  const rows = await query<MessageSqlRow>(
    db,
    `SELECT ${MESSAGE_COLUMNS} FROM gold_communication_log WHERE ${where} ORDER BY created_at DESC LIMIT 1${lock ? " FOR NO KEY UPDATE" : ""}`,
    values,
  );
  return rows[0] ? toMessage(rows[0]) : null;
}

const lockOne = (db: Db, where: string, ...values: unknown[]) => selectOne(db, true, where, ...values);

async function outbound(db: Db, lock: boolean, channel: Channel, ref: MessageRef): Promise<MessageRow | null> {
  // A message this transaction has locked is current (only our own writes change it, and they update the memo).
  const held = heldMessage(db, channel, ref);
  if (held) return held;
  if (lock) {
    const row = await outboundFromDb(db, true, channel, ref);
    if (row) holdMessage(db, row, channel, ref.externalId ?? null);
    return row;
  }
  return outboundFromDb(db, false, channel, ref);
}

async function outboundFromDb(db: Db, lock: boolean, channel: Channel, ref: MessageRef): Promise<MessageRow | null> {
  if (ref.logId) {
    const byId = await selectOne(db, lock, `id = $1::uuid AND direction = 'OUTBOUND'`, ref.logId);
    if (byId) return byId;
  }
  if (ref.externalId) {
    return selectOne(db, lock, `external_message_id = $1::text AND channel = $2::channel_enum AND direction = 'OUTBOUND'`, ref.externalId, channel);
  }
  return null;
}

// ─── A batch's messages, found and locked together ───────────────────────────────────────────────

/** Outbound messages this transaction holds locked, by id, and by channel + provider id. */
const heldMessages = (db: Db) => transactionMemo<MessageRow>(db, "heldMessages");
const heldByProviderId = (db: Db) => transactionMemo<string>(db, "heldMessagesByProviderId");
const providerKey = (channel: string, externalId: string) => `${channel}\u0000${externalId}`;

function heldMessage(db: Db, channel: Channel, ref: MessageRef): MessageRow | null {
  const byId = heldMessages(db);
  if (byId.size === 0) return null;
  if (ref.logId && byId.has(ref.logId)) return byId.get(ref.logId)!;
  const id = ref.externalId ? heldByProviderId(db).get(providerKey(channel, ref.externalId)) : undefined;
  return id ? (byId.get(id) ?? null) : null;
}

function holdMessage(db: Db, row: MessageRow, channel: string, externalId: string | null): void {
  heldMessages(db).set(row.id, row);
  if (externalId) heldByProviderId(db).set(providerKey(channel, externalId), row.id);
}

export interface NamedMessage {
  channel: Channel;
  ref: MessageRef;
}

/**
 * The outbound messages a batch of events names, not locked (to learn the journeys to lock first):
 * two statements for the whole batch, by our log id, then by the provider's id for those not found,
 * with `outbound`'s rules (OUTBOUND only; the newest of a provider id). Returns a lookup.
 */
export async function findOutboundMessages(db: Db, named: readonly NamedMessage[]): Promise<(m: NamedMessage) => MessageRow | null> {
  const byId = new Map<string, MessageRow>();
  const byProvider = new Map<string, MessageRow>();
  const ids = [...new Set(named.flatMap((m) => (m.ref.logId ? [m.ref.logId] : [])))];
  if (ids.length > 0) {
    const rows = await query<MessageSqlRow>(db, `SELECT ${MESSAGE_COLUMNS} FROM gold_communication_log WHERE id = ANY($1::uuid[]) AND direction = 'OUTBOUND'`, [ids]);
    for (const row of rows) byId.set(row.id, toMessage(row));
  }
  const pending = named.filter((m) => !(m.ref.logId && byId.has(m.ref.logId)) && m.ref.externalId);
  if (pending.length > 0) {
    const keys = [...new Map(pending.map((m) => [providerKey(m.channel, m.ref.externalId!), m])).values()];
    const rows = await query<MessageSqlRow & { channel: string; external_message_id: string }>(
      db,
      `SELECT DISTINCT ON (channel, external_message_id) ${NAMED_MESSAGE_COLUMNS}
         FROM unnest($1::text[], $2::channel_enum[]) AS u(named_id, named_channel)
         JOIN gold_communication_log ON external_message_id = u.named_id AND channel = u.named_channel AND direction = 'OUTBOUND'
        ORDER BY channel, external_message_id, created_at DESC`,
      [keys.map((m) => m.ref.externalId), keys.map((m) => m.channel)],
    );
    for (const row of rows) byProvider.set(providerKey(row.channel, row.external_message_id), toMessage(row));
  }
  return (m) => (m.ref.logId ? byId.get(m.ref.logId) : undefined) ?? (m.ref.externalId ? byProvider.get(providerKey(m.channel, m.ref.externalId)) : undefined) ?? null;
}

/**
 * Locks these messages (found by findOutboundMessages, after their journeys: the lock order) in id
 * order, in one statement, and holds them for the transaction: `lockOutboundMessage` then answers
 * from memory, and `setMessageStatus` keeps what it remembers current.
 */
export async function lockOutboundMessages(db: Db, ids: readonly string[]): Promise<void> {
  const wanted = [...new Set(ids)].filter((id) => !heldMessages(db).has(id));
  if (wanted.length === 0) return;
  const rows = await query<MessageSqlRow & { channel: string; external_message_id: string | null }>(
    db,
    `SELECT ${NAMED_MESSAGE_COLUMNS} FROM gold_communication_log WHERE id = ANY($1::uuid[]) AND direction = 'OUTBOUND' ORDER BY id FOR NO KEY UPDATE`,
    [wanted],
  );
  for (const row of rows) holdMessage(db, toMessage(row), row.channel, row.external_message_id);
}

/** Our outbound message the provider is talking about: by our log id, else by the provider's id. Locked. */
export function lockOutboundMessage(db: Db, channel: Channel, ref: MessageRef): Promise<MessageRow | null> {
  return outbound(db, true, channel, ref);
}

/** The same message, not locked: to learn its journey, which is locked before it. */
export function findOutboundMessage(db: Db, channel: Channel, ref: MessageRef): Promise<MessageRow | null> {
  return outbound(db, false, channel, ref);
}

/**
 * The latest outbound message of a journey on a channel (optionally of one Instantly campaign/step):
 * what a reply answers when the provider does not say, and Instantly's fallback when an event lacks
 * the email id.
 */
export async function lockLatestOutbound(
  db: Db,
  journeyId: string,
  channel: Channel,
  scope: { instantlyCampaignId?: string; sequenceStep?: number } = {},
): Promise<MessageRow | null> {
  const conditions = [`journey_id = $1::uuid`, `channel = $2::channel_enum`, `direction = 'OUTBOUND'`];
  const values: unknown[] = [journeyId, channel];
  if (scope.instantlyCampaignId) {
    values.push(scope.instantlyCampaignId);
    conditions.push(`instantly_campaign_id = $${values.length}::text`);
  }
  if (scope.sequenceStep !== undefined) {
    values.push(scope.sequenceStep);
    conditions.push(`sequence_step = $${values.length}::int`);
  }
  return lockOne(db, conditions.join(" AND "), ...values);
}

/**
 * Instantly sends campaign steps itself; the cold-email job logs a QUEUED placeholder when it adds the
 * lead. The first `email_sent` for that lead and campaign claims the placeholder by writing the email id.
 */
export async function claimInstantlyPlaceholder(db: Db, journeyId: string, campaignId: string, emailId: string): Promise<MessageRow | null> {
  const rows = await query<MessageSqlRow>(
    db,
    `UPDATE gold_communication_log SET external_message_id = $3::text, updated_at = now()
      WHERE id = (
        SELECT id FROM gold_communication_log
         WHERE journey_id = $1::uuid AND channel = 'EMAIL_COLD' AND direction = 'OUTBOUND'
           AND instantly_campaign_id = $2::text AND external_message_id IS NULL AND status = 'QUEUED'
         ORDER BY created_at LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED)
      RETURNING ${MESSAGE_COLUMNS}`,
    [journeyId, campaignId, emailId],
  );
  return rows[0] ? toMessage(rows[0]) : null;
}

/**
 * The journey of the lead a provider names: by WhatsApp chat (a chat we have written in before),
 * then by phone, then by email. Exact matches only, on indexed columns: phones are stored as
 * +E.164 and emails lower-case by the import, and normalizers produce the same forms. One small
 * statement per way, tried in that order until one answers: most replies are found by their chat in
 * one index probe. (A single statement of all three ran every lookup each time, and its journey
 * lookup by a computed lead id was planned as a scan of the tenant's journeys.)
 */
export async function findJourney(db: Db, lead: LeadRef): Promise<JourneyRef | null> {
  return (await findJourneys(db, [lead]))(lead);
}

/**
 * findJourney for a batch of leads: the same ways in the same order, each one statement for all the
 * leads it still has to find (so at most three for the batch, and only the ways still needed). Returns a lookup.
 */
export async function findJourneys(db: Db, leads: readonly LeadRef[]): Promise<(lead: LeadRef) => JourneyRef | null> {
  const byChat = new Map<string, JourneyRef>();
  const byContact = { telefon_principal: new Map<string, JourneyRef>(), email_principal: new Map<string, JourneyRef>() };
  const chats = [...new Set(leads.flatMap((l) => (l.whatsappChatId ? [l.whatsappChatId] : [])))];
  if (chats.length > 0) {
    const rows = await query<{ key: string; journey_id: string; lead_id: string }>(
      db,
      `SELECT DISTINCT ON (timelinesai_chat_id) timelinesai_chat_id AS key, journey_id::text, lead_id::text FROM gold_communication_log
        WHERE timelinesai_chat_id = ANY($1::text[]) ORDER BY timelinesai_chat_id, created_at DESC`,
      [chats],
    );
    for (const r of rows) byChat.set(r.key, { journeyId: r.journey_id, leadId: r.lead_id });
  }
  let missing = leads.filter((l) => !(l.whatsappChatId && byChat.has(l.whatsappChatId)));
  for (const [column, valueOf] of [["telefon_principal", (l: LeadRef) => l.phone], ["email_principal", (l: LeadRef) => l.email]] as const) {
    const values = [...new Set(missing.flatMap((l) => (valueOf(l) ? [valueOf(l)!] : [])))];
    if (values.length === 0) continue;
    const rows = await query<{ key: string; journey_id: string; lead_id: string }>(db, journeysByContact(column), [values]);
    for (const r of rows) byContact[column].set(r.key, { journeyId: r.journey_id, leadId: r.lead_id });
    missing = missing.filter((l) => !(valueOf(l) && byContact[column].has(valueOf(l)!)));
  }
  return (l) =>
    (l.whatsappChatId ? byChat.get(l.whatsappChatId) : undefined) ??
    (l.phone ? byContact.telefon_principal.get(l.phone) : undefined) ??
    (l.email ? byContact.email_principal.get(l.email) : undefined) ??
    null;
}

const journeysByContact = (column: "telefon_principal" | "email_principal") =>
  `SELECT DISTINCT ON (c.${column}) c.${column} AS key, j.id::text AS journey_id, j.lead_id::text
     FROM gold_companies c JOIN gold_lead_journey j ON j.tenant_id = c.tenant_id AND j.lead_id = c.id
    WHERE c.${column} = ANY($1::text[]) ORDER BY c.${column}`;

/** Our WhatsApp number's id; remembered for the transaction (a batch of replies names few numbers). */
export async function phoneIdByNumber(db: Db, phone: string | undefined): Promise<string | null> {
  if (!phone) return null;
  const known = transactionMemo<string | null>(db, "phoneIdByNumber");
  if (known.has(phone)) return known.get(phone)!;
  const rows = await query<{ id: string }>(db, `SELECT id::text FROM wa_phone_numbers WHERE phone_number = $1::text LIMIT 1`, [phone]);
  known.set(phone, rows[0]?.id ?? null);
  return rows[0]?.id ?? null;
}

/** A change of a journey's engagement counters: increments, and times that only move forward. */
export interface CounterChange {
  opens?: number;
  clicks?: number;
  replies?: number;
  openAt?: Date;
  replyAt?: Date;
}

/** Counter changes a transaction has made but not written yet, by journey (see deferJourneyCounters). */
const deferredCounters = (db: Db) => transactionMemo<Required<Pick<CounterChange, "opens" | "clicks" | "replies">> & { openAt: Date | null; replyAt: Date | null }>(db, "deferredJourneyCounters");
const deferring = (db: Db) => transactionMemo<true>(db, "deferJourneyCounters");

/**
 * Makes this transaction's bumpJourney calls add up in memory, written by flushJourneyCounters in one
 * statement for all its journeys. For a transaction that applies many events (webhook normalization):
 * a journey's counters are read by nothing inside it, and the journeys it bumps are locked already.
 */
export function deferJourneyCounters(db: Db): void {
  deferring(db).set("on", true);
}

/**
 * Adds to a journey's engagement counters (opens, clicks, replies) and moves their last times forward.
 * Counters move by increments and GREATEST, never read-modify-write, so concurrent events add up.
 */
export async function bumpJourney(db: Db, journeyId: string, change: CounterChange): Promise<void> {
  if (deferring(db).has("on")) {
    const pending = deferredCounters(db);
    const known = pending.get(journeyId) ?? { opens: 0, clicks: 0, replies: 0, openAt: null, replyAt: null };
    pending.set(journeyId, {
      opens: known.opens + (change.opens ?? 0),
      clicks: known.clicks + (change.clicks ?? 0),
      replies: known.replies + (change.replies ?? 0),
      openAt: latest(known.openAt, change.openAt),
      replyAt: latest(known.replyAt, change.replyAt),
    });
    return;
  }
  await query(
    db,
    `UPDATE gold_lead_journey SET
       open_count = open_count + $2::int,
       click_count = click_count + $3::int,
       reply_count = reply_count + $4::int,
       last_open_at = GREATEST(last_open_at, $5::timestamptz),
       last_reply_at = GREATEST(last_reply_at, $6::timestamptz),
       updated_at = now()
     WHERE id = $1::uuid`,
    [journeyId, change.opens ?? 0, change.clicks ?? 0, change.replies ?? 0, change.openAt ?? null, change.replyAt ?? null],
  );
}

const latest = (a: Date | null, b: Date | undefined): Date | null => (b === undefined || (a !== null && a >= b) ? a : b);

/** Writes the counter changes deferred in this transaction, every journey in one statement. */
export async function flushJourneyCounters(db: Db): Promise<void> {
  const pending = deferredCounters(db);
  if (pending.size === 0) return;
  const rows = [...pending].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  pending.clear();
  await query(
    db,
    `UPDATE gold_lead_journey j SET
       open_count = j.open_count + u.opens,
       click_count = j.click_count + u.clicks,
       reply_count = j.reply_count + u.replies,
       last_open_at = GREATEST(j.last_open_at, u.open_at),
       last_reply_at = GREATEST(j.last_reply_at, u.reply_at),
       updated_at = now()
     FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::timestamptz[], $6::timestamptz[]) AS u(id, opens, clicks, replies, open_at, reply_at)
     WHERE j.id = u.id`,
    [rows.map(([id]) => id), rows.map(([, c]) => c.opens), rows.map(([, c]) => c.clicks), rows.map(([, c]) => c.replies), rows.map(([, c]) => c.openAt), rows.map(([, c]) => c.replyAt)],
  );
}

export interface StatusUpdate {
  changed: boolean;
  status: MessageStatus;
  firstOfItsKind: boolean;
}

/** What a status report may write besides the status and its time. */
export interface StatusExtra {
  /** Failure details: kept only when this report is the one that ended the message. */
  errorCode?: string;
  errorMessage?: string | null;
  /** TimelinesAI's echo names the chat: remembering it lets the lead's replies be matched by chat. */
  timelinesaiChatId?: string;
}

/** message-status.ts's timestamp columns, and their names in SQL (sentAt → sent_at). */
const TIMESTAMP_KEYS = [...new Set(Object.values(TIMESTAMP_COLUMN))];
const TIMESTAMP_SQL_COLUMNS = TIMESTAMP_KEYS.map((key) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
const n = TIMESTAMP_KEYS.length;
/** Every column is left as it is unless its parameter is given: one prepared statement for every report. */
const SET_STATUS_SQL = `UPDATE gold_communication_log SET
    status = COALESCE($2::message_status_enum, status),
    ${TIMESTAMP_SQL_COLUMNS.map((column, i) => `${column} = COALESCE($${3 + i}::timestamptz, ${column})`).join(", ")},
    error_code = CASE WHEN $${3 + n}::boolean THEN $${4 + n}::text ELSE error_code END,
    error_message = CASE WHEN $${3 + n}::boolean THEN $${5 + n}::text ELSE error_message END,
    timelinesai_chat_id = COALESCE($${6 + n}::text, timelinesai_chat_id),
    updated_at = now()
  WHERE id = $1::uuid`;

/** Moves a locked message's status forward (message-status.ts decides) and records the report's timestamp. */
export async function setMessageStatus(
  db: Db,
  message: MessageRow,
  reported: Exclude<MessageStatus, "QUEUED">,
  at: Date,
  extra: StatusExtra,
): Promise<StatusUpdate> {
  const plan = planStatusChange(message, reported, at);
  const timestamps = TIMESTAMP_KEYS.map((key) => plan.timestamps[key] ?? null);
  const failure = plan.status !== null && extra.errorCode !== undefined;
  const writes = plan.status !== null || timestamps.some((t) => t !== null) || failure || extra.timelinesaiChatId !== undefined;
  if (writes) {
    await query(db, SET_STATUS_SQL, [message.id, plan.status, ...timestamps, failure, extra.errorCode ?? null, extra.errorMessage ?? null, extra.timelinesaiChatId ?? null]);
    const held = heldMessages(db);
    if (held.has(message.id)) {
      const was = held.get(message.id)!;
      held.set(message.id, { ...was, status: plan.status ?? was.status, timestamps: { ...was.timestamps, ...plan.timestamps } });
    }
  }
  return { changed: plan.status !== null || Object.keys(plan.timestamps).length > 0, status: plan.status ?? message.status, firstOfItsKind: plan.firstOfItsKind };
}
