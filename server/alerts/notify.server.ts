/**
 * Sends new alerts out of the app: to a Slack-compatible incoming webhook (ALERT_SLACK_WEBHOOK_URL)
 * and by email to the tenant's managers and admins (Resend; the simulator in sandbox mode).
 *
 * An outbox, not a side effect of raising: raisers (monitors, the phone lifecycle, webhooks) only
 * write the alert in their transaction; the `alert.notify` job (every minute, one at a time across all
 * workers) sends each new alert once and marks `notified_at`. A raise that rolls back therefore never
 * notifies, and a notification that fails is kept with its error and tried again on the next run (for
 * a day; the email carries an idempotency key, so a retry after a timeout is not a second email).
 */
import { z } from "zod";
import { postToSlack } from "../notifications/slack.server";
import { withTenant } from "../db/client.server";
import { logEvent, errorFields } from "../observability/logger.server";
import { alertRule, severityAtLeast, type AlertSeverity } from "./catalog";

export interface AlertMessage {
  id: string;
  tenantId: string;
  tenantName: string;
  type: string;
  severity: AlertSeverity;
  title: string;
  message: string;
  createdAt: Date;
}

export interface NotifyChannels {
  /** Posts to the incoming webhook; absent = not configured. */
  slack?: (payload: SlackPayload) => Promise<void>;
  /** Sends one email; absent = email off. */
  email?: (email: { to: string; subject: string; text: string; idempotencyKey: string; tenantId: string }) => Promise<void>;
  minSeverity: AlertSeverity;
  /** Link to the alerts page in the message, when the public URL is known. */
  appBaseUrl?: string;
}

export interface SlackPayload {
  text: string;
  blocks: Array<{ type: "section"; text: { type: "mrkdwn"; text: string } }>;
}

export interface NotifySummary {
  sent: number;
  failed: number;
  skipped: number;
}

const RETRY_WINDOW_MS = 24 * 3600_000;
const SEVERITY_RO: Record<AlertSeverity, string> = { LOW: "scăzută", MEDIUM: "medie", HIGH: "ridicată", CRITICAL: "critică" };

/** The text both channels send (Romanian: the team's language). */
export function alertText(a: AlertMessage, appBaseUrl?: string): { subject: string; body: string } {
  const rule = alertRule(a.type);
  const respond = rule.responseMinutes === 0 ? "imediat" : `în ${rule.responseMinutes} de minute`;
  const link = appBaseUrl ? `\n${appBaseUrl.replace(/\/+$/, "")}/outreach/alerts` : "";
  return {
    subject: `[${a.severity}] ${a.title} · ${a.tenantName}`,
    body: `${a.title}\n${a.message}\n\nSeveritate ${SEVERITY_RO[a.severity]} (${a.type}); răspuns ${respond}, runbook §${rule.runbook}.${link}`,
  };
}

export function slackPayload(a: AlertMessage, appBaseUrl?: string): SlackPayload {
  const { subject, body } = alertText(a, appBaseUrl);
  return { text: subject, blocks: [{ type: "section", text: { type: "mrkdwn", text: `*${subject}*\n${body}` } }] };
}

/** The operators' Slack-compatible webhook (ALERT_SLACK_WEBHOOK_URL), through the one Slack client. */
export function slackWebhook(url: string, timeoutMs = 10_000): (payload: SlackPayload) => Promise<void> {
  return async (payload) => {
    await postToSlack(url, payload, { timeoutMs });
  };
}

const recipientRow = z.object({ email: z.string() });

/**
 * Sends every alert of one tenant that is open, not notified yet and recent enough. Each alert is
 * marked in its own statement right after its sends, so a crash mid-run resends at most one alert.
 */
export async function notifyTenant(tenantId: string, channels: NotifyChannels, now: Date = new Date()): Promise<NotifySummary> {
  const summary: NotifySummary = { sent: 0, failed: 0, skipped: 0 };
  const { pending, recipients, tenantName } = await withTenant(tenantId, async (tx) => ({
    pending: await tx.alert.findMany({
      where: { notifiedAt: null, resolvedAt: null, createdAt: { gt: new Date(now.getTime() - RETRY_WINDOW_MS) } },
      select: { id: true, type: true, severity: true, title: true, message: true, createdAt: true },
      orderBy: { createdAt: "asc" },
      take: 50,
    }),
    recipients: (await tx.user.findMany({ where: { isActive: true, role: { in: ["MANAGER", "ADMIN"] } }, select: { email: true }, orderBy: { email: "asc" } })).map((u) => recipientRow.parse(u).email),
    tenantName: (await tx.tenant.findUnique({ where: { id: tenantId }, select: { name: true } }))?.name ?? tenantId,
  }));

  for (const a of pending) {
    const alert: AlertMessage = { ...a, tenantId, tenantName };
    if (!severityAtLeast(a.severity, channels.minSeverity)) {
      // Below the threshold: stays in the app; marked so it is not looked at again.
      await withTenant(tenantId, (tx) => tx.alert.update({ where: { id: a.id }, data: { notifiedAt: now, notifyError: null }, select: { id: true } }));
      summary.skipped += 1;
      continue;
    }
    const errors: string[] = [];
    if (channels.slack) {
      await channels.slack(slackPayload(alert, channels.appBaseUrl)).catch((error: unknown) => errors.push(`slack: ${errorFields(error).message}`));
    }
    if (channels.email) {
      const { subject, body } = alertText(alert, channels.appBaseUrl);
      for (const to of recipients) {
        await channels
          .email({ to, subject, text: body, idempotencyKey: `alert-${a.id}-${to}`, tenantId })
          .catch((error: unknown) => errors.push(`email ${to}: ${errorFields(error).message}`));
      }
    }
    await withTenant(tenantId, (tx) =>
      tx.alert.update({ where: { id: a.id }, data: errors.length === 0 ? { notifiedAt: now, notifyError: null } : { notifyError: errors.join("; ").slice(0, 1000) }, select: { id: true } }),
    );
    if (errors.length === 0) summary.sent += 1;
    else {
      summary.failed += 1;
      logEvent("warn", { action: "alert.notify_failed", tenantId, metadata: { alertId: a.id, errors } });
    }
  }
  return summary;
}
