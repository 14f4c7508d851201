/** What the alerts UI derives from an alert (pure, tested beside the page). */
import type { RouterOutputs } from "~/lib/trpc";

export type AlertItem = RouterOutputs["alerts"]["list"]["items"][number];
export type AlertSeverity = AlertItem["severity"];

/** Badge look per severity: the two that need a response within the hour read as danger. */
export function severityVariant(severity: AlertSeverity): "destructive" | "warning" | "secondary" {
  return severity === "CRITICAL" || severity === "HIGH" ? "destructive" : severity === "MEDIUM" ? "warning" : "secondary";
}

/** Nobody has taken an open alert within its response time (runbook §7.1). */
export function isOverdue(alert: Pick<AlertItem, "status" | "acknowledgedAt" | "respondBy">, now: Date): boolean {
  return alert.status !== "RESOLVED" && alert.acknowledgedAt === null && alert.respondBy.getTime() < now.getTime();
}

/** What a person may do with the alert now. */
export function alertActions(alert: Pick<AlertItem, "status" | "acknowledgedAt">): { acknowledge: boolean; resolve: boolean } {
  const open = alert.status !== "RESOLVED";
  return { acknowledge: open && alert.acknowledgedAt === null, resolve: open };
}
