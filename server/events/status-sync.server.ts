/**
 * WhatsApp status sync (seeds `wa:status:sync`). TimelinesAI sends no delivered/read webhooks for
 * ordinary numbers, so delivery state exists only in each message's status history. This polls it
 * for our recent outbound messages that are not final yet and feeds every status it finds through
 * the same `applyEvent` the webhooks use (monotonic, so webhook and poll can never disagree).
 *
 * Cadence per message, by age (nextCheckDelayMs): every minute for the first 10 minutes (delivery
 * takes seconds to minutes), every 5 minutes up to an hour, every 30 minutes up to a day (reads
 * spread over hours), then every 6 hours until the message is 7 days old, after which an unread
 * message stays DELIVERED. READ, FAILED, BOUNCED and REPLIED are final and never polled.
 *
 * Budget: each poll is a TimelinesAI request counted against the sending account's pacing
 * (≤ 50/min, shared with sends), so a run polls at most `perAccount` messages per account and
 * `perRun` in all; the most overdue go first. Accounts are polled in parallel, each account's
 * messages one after another. A rate limit or outage stops that account until the next run.
 */
import type { TenantTx } from "../db/client.server";
import { withTenant } from "../db/client.server";
import { isProviderError } from "../providers/errors";
import { normalizeMessageStatus } from "../providers/timelinesai/schemas";
import { errorFields, logEvent } from "../observability/logger.server";
import { applyEvent } from "./apply.server";
import type { TransactionalQueue } from "../db/transactional-queue.server";
import type { DeliveryEvent, DeliveryEventType } from "./types";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const STATUS_SYNC_WINDOW_MS = 7 * 24 * HOUR;

/** How long until a message of this age is polled again. */
export function nextCheckDelayMs(ageMs: number): number {
  if (ageMs < 10 * MINUTE) return MINUTE;
  if (ageMs < HOUR) return 5 * MINUTE;
  if (ageMs < 24 * HOUR) return 30 * MINUTE;
  return 6 * HOUR;
}

/**
 * When a message polled by the run at `now` is due again: `delayMs` counted from the minute of the
 * run's tick, not from the instant the run started. pg-boss starts a minute's tick anywhere in that
 * minute's first half (its cron monitor passes every 30 s), so "a minute after this run started"
 * could fall just after the next tick's start and skip it: a fresh message then waited two minutes.
 */
export function nextCheckAt(now: Date, delayMs: number): Date {
  return new Date(Math.floor(now.getTime() / MINUTE) * MINUTE + delayMs);
}

export interface StatusEntry {
  status: string;
  at: Date;
}

/** Where status history comes from: the TimelinesAI client in production (jobs/webhooks/status-sync.ts). */
export interface StatusHistorySource {
  statusHistory(messageUid: string, accountPhone: string | null): Promise<StatusEntry[]>;
}

export interface StatusSyncDeps {
  source: StatusHistorySource;
  queue: TransactionalQueue;
  now: () => Date;
  perAccount?: number;
  perRun?: number;
}

export interface StatusSyncSummary {
  polled: number;
  changed: number;
  /** Accounts whose polling stopped early this run (rate limit, outage). */
  deferredAccounts: number;
  errors: number;
}

interface Candidate {
  id: string;
  uid: string;
  created_at: Date;
  account: string | null;
}

const SYNCED_STATUS: Partial<Record<ReturnType<typeof normalizeMessageStatus>, DeliveryEventType>> = {
  SENT: "SENT",
  DELIVERED: "DELIVERED",
  READ: "READ",
  FAILED: "FAILED",
};

export async function syncWhatsAppStatuses(deps: StatusSyncDeps, tenantId: string): Promise<StatusSyncSummary> {
  const now = deps.now();
  const perAccount = deps.perAccount ?? 10;
  const perRun = deps.perRun ?? 200;
  const due = await withTenant(tenantId, (tx) => dueMessages(tx, now, perRun * 4));

  // At most `perAccount` per account, at most `perRun` overall, most overdue first (query order).
  const byAccount = new Map<string, Candidate[]>();
  let taken = 0;
  for (const message of due) {
    const key = message.account ?? "";
    const list = byAccount.get(key) ?? [];
    if (list.length >= perAccount || taken >= perRun) continue;
    list.push(message);
    byAccount.set(key, list);
    taken++;
  }

  const summary: StatusSyncSummary = { polled: 0, changed: 0, deferredAccounts: 0, errors: 0 };
  await Promise.all(
    [...byAccount.values()].map(async (messages) => {
      for (const message of messages) {
        const result = await pollOne(deps, tenantId, message, now);
        if (result === "defer") {
          summary.deferredAccounts++;
          return;
        }
        summary.polled++;
        if (result === "changed") summary.changed++;
        if (result === "error") summary.errors++;
      }
    }),
  );
  return summary;
}

async function dueMessages(tx: TenantTx, now: Date, limit: number): Promise<Candidate[]> {
  const since = new Date(now.getTime() - STATUS_SYNC_WINDOW_MS);
  return tx.$queryRaw<Candidate[]>`
    SELECT m.id, m.external_message_id AS uid, m.created_at, p.phone_number AS account
    FROM gold_communication_log m
    LEFT JOIN wa_phone_numbers p ON p.id = m.phone_id
    WHERE m.channel = 'WHATSAPP' AND m.direction = 'OUTBOUND'
      AND m.status IN ('QUEUED', 'SENT', 'DELIVERED')
      AND m.external_message_id IS NOT NULL
      AND m.created_at > ${since}
      AND COALESCE((m.metadata #>> '{statusSync,nextAt}')::timestamptz, '-infinity') <= ${now}
    ORDER BY COALESCE((m.metadata #>> '{statusSync,nextAt}')::timestamptz, m.created_at)
    LIMIT ${limit}`;
}

type PollResult = "changed" | "unchanged" | "error" | "defer";

async function pollOne(deps: StatusSyncDeps, tenantId: string, message: Candidate, now: Date): Promise<PollResult> {
  let history: StatusEntry[];
  try {
    history = await deps.source.statusHistory(message.uid, message.account);
  } catch (error) {
    if (isProviderError(error) && error.retryable) {
      logEvent("warn", { worker: "wa.status.sync", tenantId, action: "status_sync.deferred", metadata: { account: message.account, code: error.code } });
      return "defer";
    }
    // Not retryable (the provider does not know the message, or refuses us): wait a long while.
    logEvent("warn", { worker: "wa.status.sync", tenantId, action: "status_sync.failed", metadata: { messageId: message.id }, error: errorFields(error) });
    await withTenant(tenantId, (tx) => scheduleNext(tx, message.id, nextCheckAt(now, 24 * HOUR), "error"));
    return "error";
  }

  const events = history.flatMap((entry): DeliveryEvent[] => {
    const type = SYNCED_STATUS[normalizeMessageStatus(entry.status)];
    return type
      ? [{ type, provider: "TIMELINESAI", channel: "WHATSAPP", occurredAt: entry.at, message: { logId: message.id }, lead: {}, raw: { source: "status-sync", messageUid: message.uid } }]
      : [];
  });

  return withTenant(tenantId, async (tx) => {
    let changed = false;
    for (const event of events) {
      const result = await applyEvent(tx, { tenantId, queue: deps.queue }, event);
      if (result.outcome === "applied") changed = true;
    }
    const last = history.at(-1)?.status ?? "none";
    await scheduleNext(tx, message.id, nextCheckAt(now, nextCheckDelayMs(now.getTime() - message.created_at.getTime())), last);
    return changed ? "changed" : "unchanged";
  });
}

/** The poll bookkeeping lives in the row's metadata (no column for it in the schema). */
async function scheduleNext(tx: TenantTx, messageId: string, nextAt: Date, lastStatus: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE gold_communication_log
    SET metadata = metadata || jsonb_build_object('statusSync', jsonb_build_object(
          'nextAt', ${nextAt.toISOString()}::text,
          'lastStatus', ${lastStatus.slice(0, 40)}::text,
          'checks', COALESCE((metadata #>> '{statusSync,checks}')::int, 0) + 1))
    WHERE id = ${messageId}::uuid`;
}
