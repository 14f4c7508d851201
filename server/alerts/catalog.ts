/**
 * The runbook's alert matrix (seeds: runbook §7.1) as data: every alert type the system raises, its
 * severity, how soon someone must respond and which runbook section says what to do. Plain data, so
 * the alerts page shows the same response time and procedure the monitors raise with.
 */
export const ALERT_SEVERITIES = ["LOW", "MEDIUM", "HIGH", "CRITICAL"] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_TYPES = [
  "phone:offline",
  "phone:banned",
  "bounce:high",
  "sla:breach",
  "quota:exhausted",
  "dlq:overflow",
  "timelinesai:down",
  "redis:lost",
] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

export interface AlertRule {
  severity: AlertSeverity;
  /** Minutes within which someone must act; 0 = immediately. */
  responseMinutes: number;
  /** Runbook section (docs/runbook.md maps each to its command). */
  runbook: string;
}

export const ALERT_CATALOG: Readonly<Record<AlertType, AlertRule>> = {
  "phone:offline": { severity: "HIGH", responseMinutes: 15, runbook: "2.1" },
  "phone:banned": { severity: "CRITICAL", responseMinutes: 0, runbook: "2.2" },
  "bounce:high": { severity: "HIGH", responseMinutes: 30, runbook: "4.1" },
  "sla:breach": { severity: "MEDIUM", responseMinutes: 60, runbook: "5.1" },
  "quota:exhausted": { severity: "MEDIUM", responseMinutes: 60, runbook: "3.1" },
  "dlq:overflow": { severity: "HIGH", responseMinutes: 15, runbook: "7.1" },
  "timelinesai:down": { severity: "CRITICAL", responseMinutes: 0, runbook: "7.1" },
  // Not in the seeds' matrix: Redis lost its data and the quota store was rebuilt from the log
  // (runbook §6.2). Someone should find out why Redis restarted empty.
  "redis:lost": { severity: "HIGH", responseMinutes: 15, runbook: "6.2" },
};

export function isAlertType(type: string): type is AlertType {
  return (ALERT_TYPES as readonly string[]).includes(type);
}

/** The catalog entry of a stored alert type; an unknown type (raised by a newer version) gets a neutral rule. */
export function alertRule(type: string): AlertRule {
  return isAlertType(type) ? ALERT_CATALOG[type] : { severity: "MEDIUM", responseMinutes: 60, runbook: "7.1" };
}

export function severityAtLeast(actual: AlertSeverity, minimum: AlertSeverity): boolean {
  return ALERT_SEVERITIES.indexOf(actual) >= ALERT_SEVERITIES.indexOf(minimum);
}

/** When the response is due for an alert raised at `raisedAt`. */
export function responseDueAt(type: string, raisedAt: Date): Date {
  return new Date(raisedAt.getTime() + alertRule(type).responseMinutes * 60_000);
}

export const ALERT_STATUSES = ["OPEN", "ACKNOWLEDGED", "RESOLVED"] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export function alertStatus(alert: { acknowledgedAt: Date | null; resolvedAt: Date | null }): AlertStatus {
  if (alert.resolvedAt) return "RESOLVED";
  return alert.acknowledgedAt ? "ACKNOWLEDGED" : "OPEN";
}
