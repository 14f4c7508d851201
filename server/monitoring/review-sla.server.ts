/**
 * Review SLA breaches (runbook §5.1 "SLA breach accumulation", §7.1 `sla:breach`, MEDIUM, 1 hour):
 * counts the tenant's open review items past their due time (human_review_queue.sla_due_at and status
 * only; the review queue itself marks each item's breach) and keeps one alert open while any exist,
 * with the count per priority, resolved when none is left.
 */
import { raiseAlert, resolveAlertByKey } from "../alerts/alerts.server";
import { withTenant } from "../db/client.server";
import type { Clock } from "../clock";

const OPEN_STATUSES = ["PENDING", "ASSIGNED", "IN_PROGRESS", "ESCALATED"] as const;
export const SLA_ALERT_KEY = "sla:breach:accumulation";

export async function checkReviewSla(deps: { clock: Clock }, tenantId: string): Promise<{ breached: number; alerted: boolean }> {
  const now = deps.clock();
  return withTenant(tenantId, async (tx) => {
    const rows = await tx.humanReviewQueue.groupBy({ by: ["priority"], where: { status: { in: [...OPEN_STATUSES] }, slaDueAt: { lt: now } }, _count: { _all: true } });
    const byPriority = Object.fromEntries(rows.map((r) => [r.priority, r._count._all]));
    const breached = rows.reduce((n, r) => n + r._count._all, 0);
    if (breached === 0) {
      await resolveAlertByKey(tx, { tenantId, dedupeKey: SLA_ALERT_KEY, note: "niciun element din coada de revizuire nu mai este peste termen" }, now);
      return { breached, alerted: false };
    }
    const order = ["URGENT", "HIGH", "MEDIUM", "LOW"].filter((p) => byPriority[p]).map((p) => `${p} ${byPriority[p]}`).join(", ");
    const r = await raiseAlert(
      tx,
      {
        tenantId,
        type: "sla:breach",
        title: `${breached} ${breached === 1 ? "element" : "elemente"} din coada de revizuire peste termen`,
        message: `Peste SLA: ${order}. Runbook §5.1: redistribuiți elementele urgente (Operațiuni → Realocare de urgență).`,
        dedupeKey: SLA_ALERT_KEY,
        metadata: { breached, byPriority },
      },
      now,
    );
    return { breached, alerted: r.raised };
  });
}
