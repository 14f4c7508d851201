/**
 * The review page's pure rules: which actions an item offers to whom, the countdown's words and
 * tone, the keyboard shortcuts, and the sentence for a failed action. Browser-safe (no server imports
 * beyond types), unit-tested in review-model.test.ts.
 */
import { TRPCClientError } from "@trpc/client";
import type { Role } from "#server/auth/roles";
import { slaTone, type SlaTone } from "#server/review/sla";
import type { PlainMessageKey } from "~/lib/i18n";
import { trpcErrorCode, type RouterOutputs } from "~/lib/trpc";

export type ReviewListItem = RouterOutputs["reviews"]["list"]["items"][number];
export type ReviewDetail = RouterOutputs["reviews"]["get"];
export type Priority = ReviewListItem["priority"];
export const PRIORITIES: readonly Priority[] = ["URGENT", "HIGH", "MEDIUM", "LOW"];

export const PRIORITY_TONE: Record<Priority, "destructive" | "warning" | "secondary" | "outline"> = { URGENT: "destructive", HIGH: "warning", MEDIUM: "secondary", LOW: "outline" };

export type ReviewAction = "claim" | "assign" | "approve" | "edit" | "reply" | "reject" | "takeOver" | "release" | "outcome" | "note" | "escalate";

export interface Viewer {
  id: string;
  role: Role;
}

const isManager = (role: Role) => role === "MANAGER" || role === "ADMIN";

/** What the viewer may do with the item (the server checks again; this only decides what is shown). */
export function availableActions(item: Pick<ReviewDetail, "status" | "assignedUser" | "answer" | "journey">, viewer: Viewer): Set<ReviewAction> {
  const actions = new Set<ReviewAction>();
  const open = item.status !== "RESOLVED" && item.status !== "EXPIRED";
  const mine = item.assignedUser?.id === viewer.id;
  const free = !item.assignedUser;
  const mayWork = open && (mine || free || isManager(viewer.role));
  if (item.journey.isHumanControlled && (item.journey.holder?.id === viewer.id || isManager(viewer.role))) actions.add("release");
  if (!open) return actions;
  if (isManager(viewer.role)) actions.add("assign");
  if (!mine && (free || isManager(viewer.role))) actions.add("claim");
  actions.add("note");
  if (!mayWork) return actions;
  const draft = item.answer?.status === "DRAFT";
  const reachable = !(item.journey.whatsappOptedOut && item.journey.emailOptedOut) && item.journey.currentState !== "DEAD";
  if (draft && reachable) {
    actions.add("approve");
    actions.add("edit");
  }
  if (reachable) actions.add("reply");
  actions.add("reject");
  if (!item.journey.isHumanControlled || item.journey.holder?.id !== viewer.id) actions.add("takeOver");
  actions.add("outcome");
  actions.add("escalate");
  return actions;
}

/** "12 min", "3 h 05 min", "2 z 4 h": the time left (or past), compact, in the page's language. */
export function formatDuration(ms: number, units: { day: string; hour: string; minute: string }): string {
  const total = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  if (d > 0) return `${d} ${units.day} ${h} ${units.hour}`;
  if (h > 0) return `${h} ${units.hour} ${String(m).padStart(2, "0")} ${units.minute}`;
  return `${m} ${units.minute}`;
}

export interface Countdown {
  tone: SlaTone;
  /** Milliseconds until due (negative: past due). */
  leftMs: number;
}

export function countdown(item: { createdAt: Date; slaDueAt: Date; status: string; escalatedAt?: Date | null }, now: Date): Countdown {
  const resolved = item.status === "RESOLVED" || item.status === "EXPIRED";
  return { tone: slaTone(item.escalatedAt ?? item.createdAt, item.slaDueAt, now, resolved), leftMs: item.slaDueAt.getTime() - now.getTime() };
}

export interface Shortcut {
  keys: string[];
  label: PlainMessageKey;
  action: ReviewAction | "next" | "previous" | "help" | "close";
}

/** Single keys, as mail clients use them; none is taken while typing in a field. */
export const SHORTCUTS: readonly Shortcut[] = [
  { keys: ["j", "↓"], label: "review.shortcut.next", action: "next" },
  { keys: ["k", "↑"], label: "review.shortcut.previous", action: "previous" },
  { keys: ["c"], label: "review.shortcut.claim", action: "claim" },
  { keys: ["a"], label: "review.shortcut.approve", action: "approve" },
  { keys: ["e"], label: "review.shortcut.edit", action: "edit" },
  { keys: ["r"], label: "review.shortcut.reply", action: "reply" },
  { keys: ["x"], label: "review.shortcut.reject", action: "reject" },
  { keys: ["t"], label: "review.shortcut.takeOver", action: "takeOver" },
  { keys: ["n"], label: "review.shortcut.note", action: "note" },
  { keys: ["s"], label: "review.shortcut.escalate", action: "escalate" },
  { keys: ["?"], label: "review.shortcut.help", action: "help" },
  { keys: ["Esc"], label: "review.shortcut.close", action: "close" },
];

export function shortcutFor(key: string): Shortcut["action"] | null {
  const k = key === "ArrowDown" ? "↓" : key === "ArrowUp" ? "↑" : key === "Escape" ? "Esc" : key;
  return SHORTCUTS.find((s) => s.keys.includes(k))?.action ?? null;
}

const DOMAIN_MESSAGES: Record<string, PlainMessageKey> = {
  REVIEW_RESOLVED: "review.error.REVIEW_RESOLVED",
  REVIEW_ASSIGNED_TO_OTHER: "review.error.REVIEW_ASSIGNED_TO_OTHER",
  ANSWER_ALREADY_RELEASED: "review.error.ANSWER_ALREADY_RELEASED",
  REVIEW_NO_DRAFT: "review.error.REVIEW_NO_DRAFT",
  LEAD_OPTED_OUT: "review.error.LEAD_OPTED_OUT",
  LEAD_DEAD: "review.error.LEAD_DEAD",
  LEAD_HELD_BY_OTHER: "review.error.LEAD_HELD_BY_OTHER",
  NO_SEQUENCE_TO_RETURN_TO: "review.error.NO_SEQUENCE_TO_RETURN_TO",
  SUGGESTION_DECIDED: "review.error.SUGGESTION_DECIDED",
  QUEUE_UNAVAILABLE: "review.error.QUEUE_UNAVAILABLE",
  ILLEGAL_TRANSITION: "review.error.ILLEGAL_TRANSITION",
  LEAD_STATE_CHANGED: "review.error.LEAD_STATE_CHANGED",
  SLACK_NOT_CONFIGURED: "review.error.SLACK_NOT_CONFIGURED",
  SLACK_REJECTED: "review.error.SLACK_FAILED",
  SLACK_UNAVAILABLE: "review.error.SLACK_FAILED",
  SLACK_UNREACHABLE: "review.error.SLACK_FAILED",
};
const CODE_MESSAGES: Record<string, PlainMessageKey> = {
  FORBIDDEN: "review.error.FORBIDDEN",
  NOT_FOUND: "review.error.NOT_FOUND",
  CONFLICT: "review.error.CONFLICT",
  BAD_REQUEST: "review.error.BAD_REQUEST",
};

function domainCode(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  return typeof data === "object" && data !== null && "domainCode" in data && typeof data.domainCode === "string" ? data.domainCode : null;
}

/** The sentence for a failed action: the domain code first, then the tRPC code, never the server's English. */
export function reviewErrorKey(error: unknown): PlainMessageKey {
  const d = domainCode(error);
  if (d?.startsWith("ANSWER_") && !DOMAIN_MESSAGES[d]) return "review.error.CANNOT_ANSWER";
  if (d && DOMAIN_MESSAGES[d]) return DOMAIN_MESSAGES[d];
  const code = trpcErrorCode(error);
  if (code && CODE_MESSAGES[code]) return CODE_MESSAGES[code];
  if (error instanceof TRPCClientError && code === null) return "review.error.NETWORK";
  return "review.error.UNKNOWN";
}

/** Items of a list in the order the page shows them, for j/k. */
export function neighbour(items: readonly { id: string }[], currentId: string | null, step: 1 | -1): string | null {
  if (items.length === 0) return null;
  const i = currentId ? items.findIndex((x) => x.id === currentId) : -1;
  if (i === -1) return items[step === 1 ? 0 : items.length - 1]!.id;
  const next = Math.min(items.length - 1, Math.max(0, i + step));
  return items[next]!.id;
}
