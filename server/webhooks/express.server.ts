/**
 * The Express adapter: the webhook routes as plain Express handlers, mounted by the HTTP server in
 * front of the Remix handler (docs/decisions/0006-webhook-fast-path.md). Same pipeline, same
 * providers, same answers as the Remix resource routes in app/routes/webhooks.* (route.server.ts);
 * what it leaves out is Remix's per-request machinery, which cost several times the pipeline itself
 * (route matching over the whole route tree, a fetch Request with an AbortController, web streams for
 * both bodies). tests/webhooks/adapters.test.ts holds the two to the same paths and answers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type Router } from "express";
import type { PgBoss } from "pg-boss";
import { readCappedNodeBody } from "./body";
import { eventSinkFor } from "./group-commit.server";
import { ingestWebhook } from "./ingest.server";
import { instantlySource } from "./providers/instantly.server";
import { resendSource } from "./providers/resend.server";
import { timelinesSource } from "./providers/timelinesai.server";
import { missingTimelinesSecret, type WebhookAnswer } from "./reply";
import type { WebhookRequest } from "./source";

type Ingest = (request: WebhookRequest, boss: PgBoss | null) => Promise<WebhookAnswer>;

/**
 * Each path as Remix's flat-routes convention derives it from the route file's name (Express's
 * `:param` syntax is Remix's too). Order matters only in that Express tries them in turn.
 */
export const WEBHOOK_FAST_ROUTES: ReadonlyArray<{ path: string; routeFile: string; ingest: Ingest }> = [
  { path: "/webhooks/resend", routeFile: "webhooks.resend.ts", ingest: (request, boss) => ingestWebhook(resendSource, request, { sink: eventSinkFor(boss) }) },
  { path: "/webhooks/instantly", routeFile: "webhooks.instantly.ts", ingest: (request, boss) => ingestWebhook(instantlySource, request, { sink: eventSinkFor(boss) }) },
  {
    path: "/webhooks/timelinesai/:secret",
    routeFile: "webhooks.timelinesai.$secret.ts",
    ingest: (request, boss) => ingestWebhook(timelinesSource, request, { sink: eventSinkFor(boss) }),
  },
  { path: "/webhooks/timelinesai", routeFile: "webhooks.timelinesai._index.ts", ingest: async () => missingTimelinesSecret() },
];

export function fromNodeRequest(req: IncomingMessage, params: Readonly<Record<string, string | undefined>>): WebhookRequest {
  return {
    method: req.method ?? "GET",
    header(name) {
      const value = req.headers[name];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
    params,
    readBody: (maxBytes) => readCappedNodeBody(req, maxBytes),
  };
}

/**
 * Written with Node's own calls: Express's res.send would add an ETag hash of every answer for nobody.
 * The length is given, or Node (headers already stored by writeHead) would send the body chunked.
 */
export function writeAnswer(res: ServerResponse, answer: WebhookAnswer): void {
  res.writeHead(answer.status, { ...answer.headers, "content-length": String(Buffer.byteLength(answer.body)) });
  // A HEAD answer has no body (Node drops it); everything else gets the JSON reply.
  res.end(answer.body);
}

/** All methods, as the Remix routes take them: ingest answers 405 to anything but POST. */
export function webhookRouter(boss: PgBoss | null): Router {
  const router = express.Router();
  for (const route of WEBHOOK_FAST_ROUTES) {
    router.all(route.path, (req, res, next) => {
      route.ingest(fromNodeRequest(req, req.params), boss).then((answer) => writeAnswer(res, answer), next);
    });
  }
  return router;
}
