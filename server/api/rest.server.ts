/**
 * The REST API for operators and integrations (issue 12 item 5; docs/decisions/0013): the app's own
 * tRPC procedures, those with a `rest(…)` meta, served under /api/v1/outreach/* by trpc-to-openapi,
 * with the OpenAPI document at /api/v1/openapi.json and a reference page at /api/v1/docs.
 *
 * Callers present a tenant's API key (`Authorization: Bearer ck_live_…`). Each request: key → caller
 * (the issuing admin with the key's role and scope, named in the audit), then the per-key rate limit,
 * then the procedure with its usual tier and tenant-bound database. Every error, ours or the
 * procedure's, has one JSON shape: { message, code, data: { code, httpStatus, path, domainCode,
 * zodError }, issues? }, with 429 carrying Retry-After and 401 carrying WWW-Authenticate.
 */
import { randomUUID } from "node:crypto";
import express, { type ErrorRequestHandler, type Router } from "express";
import type { PgBoss } from "pg-boss";
import { TRPCError } from "@trpc/server";
import { createOpenApiNodeHttpHandler, generateOpenApiDocument } from "trpc-to-openapi";
import { DomainError } from "../errors";
import { errorFields, logEvent } from "../observability/logger.server";
import type { Clock } from "../clock";
import { appRouter } from "../trpc/router.server";
import type { TrpcContext } from "../trpc/init.server";
import { authenticateApiKey } from "./api-keys.server";
import type { ApiRateLimiter } from "./rate-limit.server";

export const REST_BASE_PATH = "/api/v1/outreach";
export const OPENAPI_PATH = "/api/v1/openapi.json";
export const API_VERSION = "1.0.0";

export interface RestApiOptions {
  boss: PgBoss | null;
  limiter: ApiRateLimiter;
  /** Public origin for the document's server URL; the request's own origin when absent. */
  publicOrigin?: string;
  clock?: Clock;
}

/** The OpenAPI document of every procedure with a REST meta (generated from the router, never by hand). */
export function openApiDocument(origin: string): ReturnType<typeof generateOpenApiDocument> {
  return generateOpenApiDocument(appRouter, {
    title: "Cerniq Outreach API",
    description:
      "Leads, sequences, templates, phones, reviews, analytics and operations of one tenant. Authenticate with a tenant API key " +
      "(Operațiuni → Chei API): `Authorization: Bearer ck_live_…`. Keys with scope READ may call GET endpoints only. " +
      "Each key may make a limited number of requests per minute; past it the answer is 429 with Retry-After (seconds). " +
      "Errors: { message, code, data: { code, httpStatus, path, domainCode, zodError }, issues? }. Times are ISO 8601 (UTC).",
    version: API_VERSION,
    baseUrl: `${origin.replace(/\/+$/, "")}${REST_BASE_PATH}`,
    securitySchemes: { ApiKey: { type: "http", scheme: "bearer", description: "A tenant API key, ck_live_…" } },
  });
}

function apiError(code: TRPCError["code"], domainCode: string, message: string, details?: Record<string, unknown>): TRPCError {
  return new TRPCError({ code, message, cause: new DomainError(code === "TOO_MANY_REQUESTS" ? "RATE_LIMITED" : "UNAUTHORIZED", domainCode, message, details) });
}

export function restApiRouter(options: RestApiOptions): Router {
  const router = express.Router();
  let cachedDoc: { origin: string; doc: unknown } | null = null;

  router.get(OPENAPI_PATH, (req, res) => {
    const origin = options.publicOrigin ?? `${req.protocol}://${req.get("host") ?? "127.0.0.1"}`;
    if (!cachedDoc || cachedDoc.origin !== origin) cachedDoc = { origin, doc: openApiDocument(origin) };
    res.set("Cache-Control", "no-cache").json(cachedDoc.doc);
  });
  router.get(["/api/v1/docs", "/api/v1/docs/"], (_req, res) => res.redirect(302, "/api/v1/docs.html"));

  const handler = createOpenApiNodeHttpHandler({
    router: appRouter,
    maxBodySize: 1_000_000,
    async createContext({ req }): Promise<TrpcContext> {
      const requestId = (typeof req.headers["x-request-id"] === "string" && req.headers["x-request-id"]) || randomUUID();
      const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1];
      if (!presented) throw apiError("UNAUTHORIZED", "API_KEY_REQUIRED", "an API key is required: Authorization: Bearer <key>");
      const principal = await authenticateApiKey(presented, (options.clock ?? (() => new Date()))());
      if (!principal) throw apiError("UNAUTHORIZED", "API_KEY_INVALID", "unknown or revoked API key");
      const rate = await options.limiter.take(principal.apiKey.id);
      if (!rate.allowed) {
        throw apiError("TOO_MANY_REQUESTS", "API_RATE_LIMITED", `more than ${rate.limit} requests per minute for this key; retry in ${rate.retryAfterSeconds} s`, { retryAfterSeconds: rate.retryAfterSeconds });
      }
      return { user: principal.user, apiKey: principal.apiKey, requestId, ip: req.socket.remoteAddress ?? null, boss: options.boss, ...(options.clock ? { clock: options.clock } : {}) };
    },
    responseMeta({ errors }) {
      const error = errors[0];
      if (!error) return {};
      const cause = error.cause;
      if (cause instanceof DomainError && typeof cause.details?.retryAfterSeconds === "number") return { headers: { "Retry-After": String(cause.details.retryAfterSeconds) } };
      if (error.code === "UNAUTHORIZED") return { headers: { "WWW-Authenticate": 'Bearer realm="cerniq-outreach"' } };
      return {};
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") logEvent("error", { action: "rest.error", error: errorFields(error.cause ?? error), metadata: { path } });
    },
  });

  // JSON bodies parsed here (any charset), so the adapter's own parser, which wants the bare
  // content type, never has to.
  router.use(REST_BASE_PATH, express.json({ limit: "1mb" }), (req, res) => {
    void handler(req, res);
  });
  // A body that is not JSON: the same error shape as everything else.
  const badBody: ErrorRequestHandler = (error: unknown, req, res, next) => {
    if (!req.originalUrl.startsWith(REST_BASE_PATH)) return next(error);
    const status = typeof (error as { status?: unknown }).status === "number" ? (error as { status: number }).status : 400;
    const code = status === 413 ? "PAYLOAD_TOO_LARGE" : "PARSE_ERROR";
    res.status(status).json({ message: status === 413 ? "request body too large" : "request body is not valid JSON", code, data: { code, httpStatus: status, path: null, domainCode: null, zodError: null } });
  };
  router.use(badBody);
  return router;
}
