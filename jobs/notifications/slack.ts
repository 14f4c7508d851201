/**
 * notify.slack: one message to the tenant's Slack-compatible incoming webhook (tenants.slack_webhook_url;
 * server/notifications/slack.server.ts). Nothing is posted when the tenant has none. A 5xx or a
 * timeout is retried (3, exponential, seeds §6.1), a 4xx is permanent (the URL is wrong or revoked).
 */
import { withTenant } from "../../server/db/client.server";
import { DomainError } from "../../server/errors";
import { logEvent } from "../../server/observability/logger.server";
import { postToSlack } from "../../server/notifications/slack.server";
import { defineJob } from "../definition";
import { SLACK_NOTIFY_QUEUE, slackNotifyPayload } from "../queues";

export const slackNotifyJob = defineJob({
  name: SLACK_NOTIFY_QUEUE,
  payload: slackNotifyPayload,
  policy: "standard",
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryBackoff: true,
  localConcurrency: 2,
  async handler(data, { jobId }) {
    const url = await withTenant(data.tenantId, async (tx) => (await tx.tenant.findUniqueOrThrow({ where: { id: data.tenantId }, select: { slackWebhookUrl: true } })).slackWebhookUrl);
    if (!url) return { posted: false };
    try {
      const r = await postToSlack(url, data.text);
      logEvent("info", { worker: SLACK_NOTIFY_QUEUE, jobId, action: "slack.posted", metadata: { event: data.event, status: r.status } });
      return { posted: true };
    } catch (error) {
      // A rejected URL will not start working on a retry: log it and finish.
      if (error instanceof DomainError && error.code === "SLACK_REJECTED") {
        logEvent("warn", { worker: SLACK_NOTIFY_QUEUE, jobId, action: "slack.rejected", error: { code: error.code, message: error.message } });
        return { posted: false };
      }
      throw error;
    }
  },
});
