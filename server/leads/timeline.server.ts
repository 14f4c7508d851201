/**
 * One conversation timeline per lead, across WhatsApp, cold and warm email: every message in and out
 * with its delivery / read / open / bounce times, replies with their analysis when there is one, state
 * changes (who, why), review items, notes, what people did to the lead (the audit log), and the
 * automation's decisions (the explain trail, lead_decisions).
 *
 * Windowed, newest first: each source is read with the same cursor and limit on its own index
 * (journey_id, time), the results are merged, and the window is the newest `limit` of them. The cursor
 * is the last item's (time, key), so items sharing a timestamp are neither skipped nor repeated.
 */
import type { TenantTx } from "../db/client.server";
import type { ActorType, Channel, CurrentState, MessageDirection, MessageStatus, ReviewKind, ReviewPriority, ReviewReason, ReviewResolution, ReviewStatus } from "../generated/prisma/enums";
import { journeyOfLead } from "./lead-detail.server";

export interface TimelineCursor {
  at: Date;
  /** `<kind>:<id>`: orders items that share a timestamp. */
  key: string;
}

interface Base {
  id: string;
  at: Date;
  /** `<kind>:<id>`, unique in the timeline. */
  key: string;
}

export type TimelineItem =
  | (Base & {
      kind: "message";
      channel: Channel;
      direction: MessageDirection;
      status: MessageStatus;
      subject: string | null;
      preview: string | null;
      recipient: string | null;
      times: { sent: Date | null; delivered: Date | null; read: Date | null; opened: Date | null; clicked: Date | null; replied: Date | null; bounced: Date | null; failed: Date | null };
      error: { code: string | null; message: string | null } | null;
      phone: { id: string; label: string } | null;
      template: { id: string; name: string; version: number | null } | null;
      sequenceStep: number | null;
      quotaCost: number;
      analysis: { sentiment: number | null; intent: string | null; details: Record<string, unknown> | null } | null;
      /** A message a person sent from the lead page, or logged by hand. */
      manual: { by: { id: string; name: string } | null } | null;
    })
  | (Base & { kind: "state"; from: CurrentState | null; to: CurrentState; actor: { type: ActorType; id: string | null; name: string | null }; reason: string | null })
  | (Base & {
      kind: "decision";
      stage: string;
      result: string;
      summary: string | null;
      outcome: Record<string, unknown>;
      /** A person's message (stage "manual"): who asked for it. */
      by: { id: string; name: string } | null;
    })
  | (Base & {
      kind: "review";
      reviewKind: ReviewKind;
      reason: ReviewReason | null;
      priority: ReviewPriority;
      status: ReviewStatus;
      slaDueAt: Date;
      slaBreached: boolean;
      resolution: ReviewResolution | null;
      resolvedAt: Date | null;
      assignedTo: { id: string; name: string } | null;
    })
  | (Base & { kind: "note"; body: string; author: { id: string; name: string } | null })
  | (Base & { kind: "action"; action: string; actor: { type: ActorType; id: string | null; name: string | null }; details: Record<string, unknown> | null });

export interface TimelinePage {
  items: TimelineItem[];
  /** Pass back as `before` for the next (older) window; null when there is nothing older. */
  next: TimelineCursor | null;
}

/** Actions already shown by their own rows (state changes, notes, messages) are not repeated. */
const ACTIONS_SHOWN_ELSEWHERE = ["lead.transition", "lead.note", "lead.message"];

const older = (cursor: TimelineCursor | undefined, kind: string) =>
  cursor ? { cursorAt: cursor.at, cursorKey: cursor.key, kind } : null;

export async function leadTimeline(tx: TenantTx, input: { leadId: string; before?: TimelineCursor; limit: number }): Promise<TimelinePage> {
  const { journeyId } = await journeyOfLead(tx, input.leadId);
  const limit = input.limit;
  const c = input.before;
  // Rows strictly older than the cursor: earlier time, or the same time and a smaller key.
  const olderThan = (column: string, kind: string) => {
    const o = older(c, kind);
    return o ? { column, ...o } : null;
  };

  const messages = await tx.goldCommunicationLog.findMany({
    where: { journeyId, ...cursorWhere("createdAt", olderThan("createdAt", "message")) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      channel: true,
      direction: true,
      status: true,
      subject: true,
      contentPreview: true,
      recipient: true,
      sentAt: true,
      deliveredAt: true,
      readAt: true,
      openedAt: true,
      clickedAt: true,
      repliedAt: true,
      bouncedAt: true,
      failedAt: true,
      errorCode: true,
      errorMessage: true,
      sequenceStep: true,
      quotaCost: true,
      sentimentScore: true,
      intent: true,
      analysis: true,
      metadata: true,
      createdAt: true,
      phone: { select: { id: true, label: true } },
      template: { select: { id: true, name: true } },
      templateVersion: { select: { versionNumber: true } },
    },
  });
  const states = await tx.leadStateHistory.findMany({
    where: { journeyId, ...cursorWhere("createdAt", olderThan("createdAt", "state")) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, fromState: true, toState: true, actorType: true, actorId: true, reason: true, createdAt: true },
  });
  const decisions = await tx.leadDecision.findMany({
    where: { journeyId, ...cursorWhere("at", olderThan("at", "decision")) },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, stage: true, result: true, outcome: true, at: true },
  });
  const reviews = await tx.humanReviewQueue.findMany({
    where: { journeyId, ...cursorWhere("createdAt", olderThan("createdAt", "review")) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, kind: true, reason: true, priority: true, status: true, slaDueAt: true, slaBreached: true, resolution: true, resolvedAt: true, createdAt: true, assignedUser: { select: { id: true, name: true } } },
  });
  const notes = await tx.leadNote.findMany({
    where: { journeyId, ...cursorWhere("createdAt", olderThan("createdAt", "note")) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, body: true, createdAt: true, author: { select: { id: true, name: true } } },
  });
  const actions = await tx.auditLog.findMany({
    where: { entityType: "gold_lead_journey", entityId: journeyId, action: { notIn: ACTIONS_SHOWN_ELSEWHERE }, ...cursorWhere("createdAt", olderThan("createdAt", "action")) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, action: true, actorType: true, actorUserId: true, after: true, createdAt: true },
  });

  // Names of the people the rows mention, in one read.
  const userIds = new Set<string>();
  const UUID = /^[0-9a-f-]{36}$/i;
  for (const s of states) if (s.actorType === "USER" && s.actorId && UUID.test(s.actorId)) userIds.add(s.actorId);
  for (const a of actions) if (a.actorUserId) userIds.add(a.actorUserId);
  for (const m of messages) {
    const by = manualBy(m.metadata);
    if (by) userIds.add(by);
  }
  for (const d of decisions) {
    const by = manualBy(d.outcome);
    if (by && UUID.test(by)) userIds.add(by);
  }
  const users = userIds.size ? await tx.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true } }) : [];
  const names = new Map(users.map((u) => [u.id, u.name]));
  const person = (id: string | null) => (id ? { id, name: names.get(id) ?? "—" } : null);

  const items: TimelineItem[] = [
    ...messages.map((m): TimelineItem => {
      const meta = (m.metadata ?? {}) as Record<string, unknown>;
      const by = manualBy(m.metadata);
      const loggedByHand = typeof meta.loggedBy === "object" && meta.loggedBy !== null;
      const logged = loggedByHand ? ((meta.loggedBy as { id?: string }).id ?? null) : null;
      return {
        kind: "message",
        id: m.id,
        key: `message:${m.id}`,
        at: m.createdAt,
        channel: m.channel,
        direction: m.direction,
        status: m.status,
        subject: m.subject,
        preview: m.contentPreview,
        recipient: m.recipient,
        times: { sent: m.sentAt, delivered: m.deliveredAt, read: m.readAt, opened: m.openedAt, clicked: m.clickedAt, replied: m.repliedAt, bounced: m.bouncedAt, failed: m.failedAt },
        error: m.errorCode || m.errorMessage ? { code: m.errorCode, message: m.errorMessage } : null,
        phone: m.phone,
        template: m.template ? { ...m.template, version: m.templateVersion?.versionNumber ?? null } : null,
        sequenceStep: m.sequenceStep,
        quotaCost: m.quotaCost,
        analysis:
          m.direction === "INBOUND" && (m.sentimentScore !== null || m.intent !== null || m.analysis !== null)
            ? { sentiment: m.sentimentScore, intent: m.intent, details: isRecord(m.analysis) ? m.analysis : null }
            : null,
        manual: by ? { by: person(by) } : loggedByHand ? { by: logged && UUID.test(logged) ? person(logged) : null } : null,
      };
    }),
    ...states.map((s): TimelineItem => ({
      kind: "state",
      id: s.id,
      key: `state:${s.id}`,
      at: s.createdAt,
      from: s.fromState,
      to: s.toState,
      actor: { type: s.actorType, id: s.actorId, name: s.actorType === "USER" && s.actorId ? (names.get(s.actorId) ?? null) : null },
      reason: s.reason,
    })),
    ...decisions.map((d): TimelineItem => {
      const outcome = isRecord(d.outcome) ? d.outcome : {};
      const by = manualBy(d.outcome);
      return { kind: "decision", id: d.id, key: `decision:${d.id}`, at: d.at, stage: d.stage, result: d.result, summary: typeof outcome.summary === "string" ? outcome.summary : null, outcome, by: by && UUID.test(by) ? person(by) : null };
    }),
    ...reviews.map((r): TimelineItem => ({
      kind: "review",
      id: r.id,
      key: `review:${r.id}`,
      at: r.createdAt,
      reviewKind: r.kind,
      reason: r.reason,
      priority: r.priority,
      status: r.status,
      slaDueAt: r.slaDueAt,
      slaBreached: r.slaBreached,
      resolution: r.resolution,
      resolvedAt: r.resolvedAt,
      assignedTo: r.assignedUser,
    })),
    ...notes.map((n): TimelineItem => ({ kind: "note", id: n.id, key: `note:${n.id}`, at: n.createdAt, body: n.body, author: n.author })),
    ...actions.map((a): TimelineItem => ({
      kind: "action",
      id: a.id,
      key: `action:${a.id}`,
      at: a.createdAt,
      action: a.action,
      actor: { type: a.actorType, id: a.actorUserId, name: a.actorUserId ? (names.get(a.actorUserId) ?? null) : null },
      details: isRecord(a.after) ? a.after : null,
    })),
  ];
  items.sort((x, y) => y.at.getTime() - x.at.getTime() || (x.key < y.key ? 1 : x.key > y.key ? -1 : 0));
  const window = items.slice(0, limit);
  const last = window[window.length - 1];
  return { items: window, next: items.length > limit && last ? { at: last.at, key: last.key } : null };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Who asked for a person's message: its log row's metadata and its decisions' outcome both carry `manual.requestedBy`. */
function manualBy(metadata: unknown): string | null {
  if (!isRecord(metadata) || !isRecord(metadata.manual)) return null;
  const by = metadata.manual.requestedBy;
  return typeof by === "string" ? by : null;
}

/**
 * Prisma `where` for "older than the cursor" on one source: time before the cursor's, or the same time
 * with a key that sorts before the cursor's key (keys are `<kind>:<id>`, compared as text like the sort).
 */
function cursorWhere(column: "createdAt" | "at", o: { cursorAt: Date; cursorKey: string; kind: string } | null): Record<string, unknown> {
  if (!o) return {};
  const prefix = `${o.kind}:`;
  const sameTime: Record<string, unknown>[] = [];
  if (o.cursorKey.startsWith(prefix)) {
    // Same kind: ids below the cursor's id.
    sameTime.push({ [column]: o.cursorAt, id: { lt: o.cursorKey.slice(prefix.length) } });
  } else if (prefix < o.cursorKey) {
    // Every key of this kind sorts before the cursor's (another kind): all rows at that instant.
    sameTime.push({ [column]: o.cursorAt });
  }
  return { OR: [{ [column]: { lt: o.cursorAt } }, ...sameTime] };
}
