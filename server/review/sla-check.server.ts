/**
 * SLA timers of review items (seeds: index "SLA … BullMQ delayed"; runbook §5.1 and its alert matrix
 * `sla:breach`, MEDIUM). Two delayed jobs per item and due time (open.server.ts scheduleSla) and a
 * sweep every minute as a safety net for a lost job; both call `checkReviewSla` with an injected now.
 *
 * - DUE_SOON (75 % of the SLA): the assignee — or the managers, while nobody has it — is notified once.
 * - BREACH (the due time): the item is marked breached once (sla_breached, sla_breached_at), one
 *   `sla:breach` alert is raised through the alerts domain (dedupe_key `sla:breach:<item>`, resolved
 *   when the item is), the assignee and the managers are
 *   notified, the tenant's Slack webhook told.
 * A job made for an earlier due time (the item was escalated since) does nothing; a resolved item
 * neither. The item row is locked, so a job and the sweep racing on one item act once.
 */
import type { TenantTx } from "../db/client.server";
import type { TransactionalQueue } from "../db/transactional-queue.server";
import { raiseAlert } from "../alerts/alerts.server";
import { managerIds, notify } from "../notifications/notifications.server";
import { formatDue, queueSlack } from "./open.server";
import { loadReviewSettings, type ReviewSettings } from "./settings.server";
import { slaTimes, type ReviewPriority } from "./sla";

export type SlaCheck = "DUE_SOON" | "BREACH";

/** One open alert per breached item; resolving the item resolves it (resolve.server.ts). */
export const slaBreachAlertKey = (reviewId: string): string => `sla:breach:${reviewId}`;
export type SlaCheckOutcome = "warned" | "breached" | "not_due" | "already" | "stale" | "resolved" | "missing";

const OPEN = ["PENDING", "ASSIGNED", "IN_PROGRESS", "ESCALATED"] as const;
const PRIORITY_RO: Record<ReviewPriority, string> = { URGENT: "urgent", HIGH: "ridicat", MEDIUM: "mediu", LOW: "scăzut" };

export async function checkReviewSla(
  tx: TenantTx,
  queue: TransactionalQueue,
  input: { tenantId: string; reviewId: string; check: SlaCheck; dueAt?: Date; now: Date; settings?: ReviewSettings },
): Promise<SlaCheckOutcome> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM human_review_queue WHERE id = ${input.reviewId}::uuid FOR UPDATE`;
  if (rows.length === 0) return "missing";
  const r = await tx.humanReviewQueue.findUniqueOrThrow({
    where: { id: input.reviewId },
    select: { id: true, status: true, priority: true, reason: true, kind: true, slaDueAt: true, slaBreached: true, slaWarnedAt: true, createdAt: true, escalatedAt: true, assignedToUser: true, leadId: true, lead: { select: { denumire: true } } },
  });
  if (!OPEN.includes(r.status as (typeof OPEN)[number])) return "resolved";
  if (input.dueAt && input.dueAt.getTime() !== r.slaDueAt.getTime()) return "stale";
  const settings = input.settings ?? (await loadReviewSettings(tx, input.tenantId));
  const params = { lead: r.lead.denumire, priority: r.priority, dueAt: r.slaDueAt.toISOString() };
  const link = `/outreach/review?item=${r.id}`;

  if (input.check === "DUE_SOON") {
    if (r.slaWarnedAt || r.slaBreached) return "already";
    const times = slaTimes(r.escalatedAt ?? r.createdAt, r.priority, settings.sla, settings.calendar);
    if (input.now.getTime() < Math.min(times.warnAt.getTime(), r.slaDueAt.getTime())) return "not_due";
    if (input.now.getTime() >= r.slaDueAt.getTime()) return "not_due"; // the breach speaks instead
    await tx.humanReviewQueue.update({ where: { id: r.id }, data: { slaWarnedAt: input.now } });
    const to = r.assignedToUser ? [r.assignedToUser] : await managerIds(tx);
    await notify(tx, { tenantId: input.tenantId, userIds: to, kind: "review.due_soon", params, link, reviewId: r.id, dedupeKey: `review.due_soon:${r.id}:${r.slaDueAt.toISOString()}`, at: input.now });
    return "warned";
  }

  if (r.slaBreached) return "already";
  if (input.now.getTime() < r.slaDueAt.getTime()) return "not_due";
  await tx.humanReviewQueue.update({ where: { id: r.id }, data: { slaBreached: true, slaBreachedAt: input.now } });
  // Through the alerts domain: deduplicated while open, shown in the alerts page, sent to the
  // operators' channels by the alert outbox (server/alerts/notify.server.ts).
  await raiseAlert(
    tx,
    {
      tenantId: input.tenantId,
      type: "sla:breach",
      title: `Termen depășit: ${r.lead.denumire}`,
      message: `Elementul de revizuire (prioritate ${PRIORITY_RO[r.priority]}) trebuia rezolvat până la ${formatDue(r.slaDueAt, settings.timeZone)} și este încă deschis.`,
      dedupeKey: slaBreachAlertKey(r.id),
      metadata: { reviewId: r.id, leadId: r.leadId, priority: r.priority, reason: r.reason, dueAt: r.slaDueAt.toISOString(), assignedTo: r.assignedToUser },
    },
    input.now,
  );
  const to = [...(r.assignedToUser ? [r.assignedToUser] : []), ...(await managerIds(tx))];
  await notify(tx, { tenantId: input.tenantId, userIds: to, kind: "review.breached", params, link, reviewId: r.id, dedupeKey: `review.breached:${r.id}`, at: input.now });
  await queueSlack(tx, queue, { tenantId: input.tenantId, event: "review.breached", text: `Termen depășit (${PRIORITY_RO[r.priority]}): ${r.lead.denumire}, scadent la ${formatDue(r.slaDueAt, settings.timeZone)}.` }, `breach:${r.id}`);
  return "breached";
}

/**
 * The safety net: every open item of the tenant that is past due and not marked, or past its warning
 * time and not warned, checked now. Bounded per run; the next run takes the rest.
 */
export async function sweepReviewSla(tx: TenantTx, queue: TransactionalQueue, input: { tenantId: string; now: Date; limit?: number }): Promise<{ breached: number; warned: number }> {
  const settings = await loadReviewSettings(tx, input.tenantId);
  const limit = input.limit ?? 200;
  const overdue = await tx.humanReviewQueue.findMany({
    where: { status: { in: [...OPEN] }, slaBreached: false, slaDueAt: { lte: input.now } },
    orderBy: { slaDueAt: "asc" },
    take: limit,
    select: { id: true },
  });
  let breached = 0;
  for (const o of overdue) if ((await checkReviewSla(tx, queue, { tenantId: input.tenantId, reviewId: o.id, check: "BREACH", now: input.now, settings })) === "breached") breached++;
  // Warning candidates: not warned, not breached, due within the longest SLA's last quarter.
  const longest = Math.max(...Object.values(settings.sla.minutes));
  const candidates = await tx.humanReviewQueue.findMany({
    where: { status: { in: [...OPEN] }, slaBreached: false, slaWarnedAt: null, slaDueAt: { gt: input.now, lte: new Date(input.now.getTime() + longest * 60_000) } },
    orderBy: { slaDueAt: "asc" },
    take: limit,
    select: { id: true },
  });
  let warned = 0;
  for (const c of candidates) if ((await checkReviewSla(tx, queue, { tenantId: input.tenantId, reviewId: c.id, check: "DUE_SOON", now: input.now, settings })) === "warned") warned++;
  return { breached, warned };
}
