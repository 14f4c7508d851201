/**
 * The lead page's pure helpers: error codes to sentences, what holds the automation back, grouping
 * repeated automatic decisions, which timeline items a filter shows. No React, so they are unit-tested.
 */
import { TRPCClientError } from "@trpc/client";
import type { MessageKey, PlainMessageKey, Translate } from "~/lib/i18n";
import { ro } from "~/lib/messages/ro";
import { trpcErrorCode, type RouterOutputs } from "~/lib/trpc";

export type LeadDetail = RouterOutputs["leads"]["get"];
export type TimelineItem = RouterOutputs["leads"]["timeline"]["items"][number];
export type SendCheck = RouterOutputs["leads"]["sendCheck"];

const has = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(ro, key);

/**
 * About how long the sends waiting ahead on the phone take, in minutes ("2–8"): each is spaced by the
 * phone's spacing (its minimum and maximum), at least one minute.
 */
export function queueWaitMinutes(queue: NonNullable<SendCheck["queue"]>): string {
  const lo = Math.max(1, Math.ceil((queue.ahead * queue.spacingSeconds.min) / 60));
  const hi = Math.max(lo, Math.ceil((queue.ahead * queue.spacingSeconds.max) / 60));
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

/** The domain code the server's error formatter put on a failed call (server/trpc/init.server.ts). */
export function domainCodeOf(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  if (typeof data === "object" && data !== null && "domainCode" in data && typeof data.domainCode === "string") return data.domainCode;
  return null;
}

/** A stale screen: the lead moved since the page showed it (server/leads/expectations.ts). */
export function isStale(error: unknown): boolean {
  const code = domainCodeOf(error);
  return code === "LEAD_CHANGED" || code === "LEAD_STATE_CHANGED";
}

/** The sentence for a failed action: the domain code's, else the tRPC code's, else a generic one. */
export function errorKey(error: unknown, prefix: "lead.error" | "dnc.error" = "lead.error"): PlainMessageKey {
  const domain = domainCodeOf(error);
  if (domain && has(`${prefix}.${domain}`)) return `${prefix}.${domain}` as PlainMessageKey;
  if (domain && has(`lead.error.${domain}`)) return `lead.error.${domain}` as PlainMessageKey;
  const code = trpcErrorCode(error);
  if (code === "FORBIDDEN") return "lead.error.FORBIDDEN";
  if (code === "NOT_FOUND" && prefix === "lead.error") return "lead.error.NOT_FOUND";
  return `${prefix}.UNKNOWN` as PlainMessageKey;
}

export type Hold = "human" | "review" | "paused" | "whatsapp" | "email" | "dnc" | "state";

/** Everything that keeps automatic messages from the lead, in the order a rep should read them. */
export function automationHolds(lead: Pick<LeadDetail, "humanControlled" | "review" | "sequencePaused" | "optedOut" | "doNotContact" | "state">): Hold[] {
  const holds: Hold[] = [];
  if (lead.humanControlled) holds.push("human");
  if (lead.review.required) holds.push("review");
  if (lead.sequencePaused) holds.push("paused");
  if (lead.optedOut.whatsapp) holds.push("whatsapp");
  if (lead.optedOut.email) holds.push("email");
  if (lead.doNotContact.phone || lead.doNotContact.email || lead.doNotContact.domain) holds.push("dnc");
  if (!["COLD", "CONTACTED_WA", "CONTACTED_EMAIL"].includes(lead.state.current)) holds.push("state");
  return holds;
}

export type TimelineFilter = "all" | "messages" | "decisions" | "activity";

export function matchesFilter(item: TimelineItem, filter: TimelineFilter): boolean {
  if (filter === "all") return true;
  if (filter === "messages") return item.kind === "message";
  if (filter === "decisions") return item.kind === "decision";
  return item.kind !== "message" && item.kind !== "decision";
}

export type TimelineRow = { item: TimelineItem; repeated: number };

/**
 * Consecutive automatic decisions with the same result (dispatch re-examining a lead every five
 * minutes and parking it again) read as one row "… 12 times in a row", the newest of them shown.
 */
export function collapseRepeats(items: readonly TimelineItem[]): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (const item of items) {
    const last = rows[rows.length - 1];
    if (last && item.kind === "decision" && last.item.kind === "decision" && last.item.result === item.result && last.item.stage === item.stage) {
      last.repeated += 1;
      continue;
    }
    rows.push({ item, repeated: 1 });
  }
  return rows;
}

/** Romanian copy keys exist for these decision results; anything newer shows its code. */
export function decisionKey(result: string): MessageKey | null {
  const key = `decision.${result}`;
  return has(key) ? key : null;
}

/** A person's message as a decision (DispatchOutcome.manual, stage "manual"): its channel and, if refused, why. */
export interface ManualDecision {
  channel: "WHATSAPP" | "EMAIL_WARM" | null;
  blocked: string | null;
}

export function manualDecision(outcome: Record<string, unknown> | null | undefined): ManualDecision | null {
  const manual = outcome?.manual;
  if (typeof manual !== "object" || manual === null) return null;
  const { channel, blocked } = manual as { channel?: unknown; blocked?: unknown };
  return { channel: channel === "WHATSAPP" || channel === "EMAIL_WARM" ? channel : null, blocked: typeof blocked === "string" ? blocked : null };
}

/** "Mesaj manual de la Ion Popescu (WhatsApp):" — who decided, in place of "the automation". */
export function decisionActor(t: Translate, manual: ManualDecision, by: { name: string } | null): string {
  const name = by?.name ?? t("timeline.someone");
  return manual.channel ? t("timeline.decisionManual", { name, channel: t(`channel.${manual.channel}`) }) : t("timeline.decisionManualNoChannel", { name });
}

/** Why a person's request was refused, as the composer words it (the phone's own refusal needs its details, so it has none here). */
export function blockedText(t: Translate, blocked: string): string | null {
  const key = `lead.send.blocked.${blocked}`;
  return blocked !== "PHONE_NOT_ACTIVE" && has(key) ? t(key as "lead.send.blocked.LEAD_DEAD") : null;
}

/** The file name of a GDPR export: the lead id and the day, never the person's name. */
export function exportFileName(leadId: string, at: Date): string {
  return `lead-${leadId.slice(0, 8)}-${at.toISOString().slice(0, 10)}.json`;
}
