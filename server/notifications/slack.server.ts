/**
 * A Slack-compatible incoming webhook per tenant (tenants.slack_webhook_url, issue 15): seeds
 * workers overview §5.2 "human:review:queue → notify operator via UI/Slack". Slack, Mattermost,
 * Rocket.Chat and Teams' Slack-compatible connectors all take `POST {"text": "…"}`. Posted from the
 * notify.slack job (jobs/notifications/slack.ts), never inside a request or a database transaction.
 * No simulator exists for it: with no URL configured nothing is posted.
 */
import { z } from "zod";
import { DomainError } from "../errors";

export const slackWebhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .refine((u) => !/\s/.test(u), "no spaces");

export interface SlackPostResult {
  status: number;
}

/** A message: plain text, or Slack's payload with blocks (the alert outbox's form). */
export type SlackMessage = string | { text: string; blocks?: unknown[] };

export async function postToSlack(url: string, message: SlackMessage, options: { timeoutMs?: number } = {}): Promise<SlackPostResult> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(typeof message === "string" ? { text: message } : message),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
  } catch (error) {
    throw new DomainError("UNAVAILABLE", "SLACK_UNREACHABLE", `slack webhook unreachable: ${error instanceof Error ? error.message : String(error)}`);
  }
  await res.arrayBuffer().catch(() => undefined);
  // 4xx: the URL is wrong or revoked; retrying will not help. 5xx and 429: try again later.
  if (res.status >= 500 || res.status === 429) throw new DomainError("UNAVAILABLE", "SLACK_UNAVAILABLE", `slack webhook answered ${res.status}`);
  if (!res.ok) throw new DomainError("PRECONDITION_FAILED", "SLACK_REJECTED", `slack webhook answered ${res.status}`);
  return { status: res.status };
}
