/**
 * Monotonic message status: provider events arrive late, twice and out of order (a TimelinesAI poll
 * can report Delivered after a webhook said Read; Resend retries for hours), so a status only ever
 * moves forward:
 *
 *   QUEUED < SENT < DELIVERED < READ = OPENED < CLICKED < REPLIED          BOUNCED, FAILED: terminal
 *
 * - A progress event raises the status to its rank, never lowers it; READ and OPENED are the same
 *   rank (WhatsApp read, email opened), so one does not replace the other.
 * - A failure (BOUNCED, FAILED) ends the message only while it is at most DELIVERED: a read, open,
 *   click or reply proves the message arrived, so a failure reported after that is recorded (its
 *   timestamp and reason) without undoing the evidence. From BOUNCED/FAILED nothing moves.
 * - Each status has its own timestamp column; the first report wins (a duplicate or late report
 *   never moves it), and it is recorded even when the status itself does not change.
 */
import type { MessageStatus } from "../generated/prisma/enums";

export const STATUS_RANK: Readonly<Record<Exclude<MessageStatus, "BOUNCED" | "FAILED">, number>> = {
  QUEUED: 0,
  SENT: 1,
  DELIVERED: 2,
  READ: 3,
  OPENED: 3,
  CLICKED: 4,
  REPLIED: 5,
};

const TERMINAL: ReadonlySet<MessageStatus> = new Set(["BOUNCED", "FAILED"]);
/** The highest status a failure may still end. */
const FAILABLE_UP_TO = STATUS_RANK.DELIVERED;

export const TIMESTAMP_COLUMN = {
  SENT: "sentAt",
  DELIVERED: "deliveredAt",
  READ: "readAt",
  OPENED: "openedAt",
  CLICKED: "clickedAt",
  REPLIED: "repliedAt",
  BOUNCED: "bouncedAt",
  FAILED: "failedAt",
} as const satisfies Record<Exclude<MessageStatus, "QUEUED">, string>;

export type TimestampColumn = (typeof TIMESTAMP_COLUMN)[keyof typeof TIMESTAMP_COLUMN];
export type MessageTimestamps = Record<TimestampColumn, Date | null>;

export interface StatusChange {
  /** The new status, or null when it stays. */
  status: MessageStatus | null;
  /** Timestamp columns to set (only ones that were empty). */
  timestamps: Partial<Record<TimestampColumn, Date>>;
  /** True when this report was new information of any kind (for counters: first open, first click). */
  firstOfItsKind: boolean;
}

export function isTerminal(status: MessageStatus): boolean {
  return TERMINAL.has(status);
}

export function nextStatus(current: MessageStatus, reported: Exclude<MessageStatus, "QUEUED">): MessageStatus | null {
  if (isTerminal(current)) return null;
  const currentRank = STATUS_RANK[current as keyof typeof STATUS_RANK];
  if (isTerminal(reported)) return currentRank <= FAILABLE_UP_TO ? reported : null;
  return STATUS_RANK[reported as keyof typeof STATUS_RANK] > currentRank ? reported : null;
}

/** What applying `reported` at `at` does to a message currently `current` with `timestamps`. */
export function planStatusChange(
  current: { status: MessageStatus; timestamps: MessageTimestamps },
  reported: Exclude<MessageStatus, "QUEUED">,
  at: Date,
): StatusChange {
  const column = TIMESTAMP_COLUMN[reported];
  const firstOfItsKind = current.timestamps[column] === null;
  return {
    status: nextStatus(current.status, reported),
    timestamps: firstOfItsKind ? { [column]: at } : {},
    firstOfItsKind,
  };
}
