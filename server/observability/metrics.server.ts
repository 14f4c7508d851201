import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Prometheus metrics for /metrics. Names follow the seeds (cerniq_outreach_*, cerniq_wa_*). */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "cerniq_" });

export const httpRequestDuration = new Histogram({
  name: "cerniq_http_request_duration_seconds",
  help: "HTTP request duration by route group and status",
  labelNames: ["method", "route", "status"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

/**
 * Every message in the communication log (and its archive), by tenant, channel, direction and status.
 * Read from Postgres at scrape time (ops-metrics.server.ts): the sends happen in worker processes.
 */
export const outreachMessagesTotal = new Counter({
  name: "cerniq_outreach_messages_total",
  help: "Outreach messages in the communication log, by tenant, channel, direction and status",
  labelNames: ["tenant", "channel", "direction", "status"] as const,
  registers: [registry],
});

export const queueJobs = new Gauge({
  name: "cerniq_queue_jobs",
  help: "pg-boss jobs per queue and state (sampled at scrape)",
  labelNames: ["queue", "state"] as const,
  registers: [registry],
});

/** Collapses ids out of paths so the route label has few values. */
export function routeGroup(pathname: string): string {
  if (pathname.startsWith("/api/trpc/")) return `/api/trpc/${pathname.slice(10).split(",")[0] ?? ""}`;
  if (pathname.startsWith("/webhooks/")) return pathname.split("/").slice(0, 3).join("/");
  if (pathname.startsWith("/build/")) return "/build";
  return pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, ":id");
}
