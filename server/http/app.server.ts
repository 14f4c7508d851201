import path from "node:path";
import express, { type Express } from "express";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import type { PgBoss } from "pg-boss";
import { getPrisma } from "../db/client.server";
import { getRedis } from "../redis.server";
import { checkHealth } from "../observability/health.server";
import { httpRequestDuration, routeGroup } from "../observability/metrics.server";
import { metricsRoute } from "../observability/ops-metrics.server";
import { getEnv } from "../config/env.server";
import { createApiRateLimiter, type ApiRateLimiter } from "../api/rate-limit.server";
import { restApiRouter } from "../api/rest.server";
import { logger } from "../observability/logger.server";
import { webhookRouter } from "../webhooks/express.server";
import type { ServerLoadContext } from "./load-context";

export interface HttpAppOptions {
  build: ServerBuild;
  publicDir: string;
  /** The process's pg-boss, when workers run embedded; health and metrics report on it. */
  boss: PgBoss | null;
  /**
   * Serve /webhooks/* with plain Express handlers before Remix sees them (default), or leave them to
   * the Remix routes; both run the same pipeline (docs/decisions/0006-webhook-fast-path.md). False
   * exists for the test that holds the two to the same answers.
   */
  webhookFastPath?: boolean;
  /** Per-key REST rate limiter; default: Redis, API_RATE_LIMIT_PER_MINUTE. */
  apiRateLimiter?: ApiRateLimiter;
}

export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");

  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      httpRequestDuration.observe({ method: req.method, route: routeGroup(req.path), status: String(res.statusCode) }, seconds);
      if (res.statusCode >= 500) logger.warn({ action: "http.5xx", metadata: { method: req.method, path: req.path, status: res.statusCode } }, "server error");
    });
    next();
  });

  // First after the metrics: provider bursts should not walk the static-file middleware, nor Remix.
  if (options.webhookFastPath ?? true) app.use(webhookRouter(options.boss));

  app.get("/healthz", async (_req, res) => {
    const report = await checkHealth({ prisma: getPrisma(), redis: getRedis(), boss: options.boss });
    const { httpStatus, ...body } = report;
    res.status(httpStatus).json(body);
  });

  // Prometheus: bearer token from METRICS_TOKEN, or loopback only when none is set.
  app.get("/metrics", metricsRoute(options.boss));

  // The REST API (/api/v1/outreach/*, /api/v1/openapi.json) before Remix: it is not a page.
  app.use(restApiRouter({ boss: options.boss, limiter: options.apiRateLimiter ?? createApiRateLimiter(getRedis(), getEnv().API_RATE_LIMIT_PER_MINUTE), ...(getEnv().APP_BASE_URL ? { publicOrigin: getEnv().APP_BASE_URL } : {}) }));

  // Fingerprinted assets are immutable; everything else in public/ gets a short cache.
  app.use("/build", express.static(path.join(options.publicDir, "build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(options.publicDir, { maxAge: "1h" }));

  const loadContext: AppLoadContext = { boss: options.boss } satisfies ServerLoadContext;
  app.all("*", createRequestHandler({ build: options.build, mode: process.env.NODE_ENV, getLoadContext: () => loadContext }));
  return app;
}
