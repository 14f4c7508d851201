import { Counter } from "prom-client";
import { registry } from "../observability/metrics.server";

/**
 * Stored webhook events by provider and how processing ended (PROCESSED, IGNORED, FAILED).
 * Incremented by the normalization job, which runs in the server entry's module graph, so this lands
 * in the registry /metrics serves. (Receiver latency per provider is the HTTP layer's
 * cerniq_http_request_duration_seconds{route="/webhooks/<provider>"}.)
 */
export const webhookEventsProcessed = new Counter({
  name: "cerniq_webhook_events_processed_total",
  help: "Webhook events processed by the normalization job, by provider and final status",
  labelNames: ["provider", "status"] as const,
  registers: [registry],
});
