/**
 * The Remix adapter: app/routes/webhooks.* are these, one line each. A fetch Request becomes the
 * pipeline's WebhookRequest and its answer a Response; everything else is ingest.server.ts, which the
 * Express fast path (express.server.ts) calls the same way.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { bossFrom } from "../http/load-context";
import { readCappedWebBody } from "./body";
import { eventSinkFor } from "./group-commit.server";
import { ingestWebhook } from "./ingest.server";
import { methodNotAllowed as methodNotAllowedAnswer, missingTimelinesSecret, toResponse } from "./reply";
import type { Credentials, WebhookRequest, WebhookSource } from "./source";

export function fromFetchRequest(request: Request, params: Readonly<Record<string, string | undefined>>): WebhookRequest {
  return {
    method: request.method,
    header: (name) => request.headers.get(name),
    params,
    readBody: (maxBytes) => readCappedWebBody(request.body, maxBytes),
  };
}

/**
 * A Remix `action` for one provider. The started pg-boss comes through the load context: the Remix
 * build bundles its own copy of server/, so a module-level singleton here would be a second,
 * never-started pg-boss (server/http/load-context.ts).
 */
export function webhookAction<C extends Credentials, P>(source: WebhookSource<C, P>) {
  return async ({ request, params, context }: ActionFunctionArgs): Promise<Response> =>
    toResponse(await ingestWebhook(source, fromFetchRequest(request, params), { sink: eventSinkFor(bossFrom(context)) }));
}

/** Webhook endpoints accept POST only; GET and HEAD get this instead of Remix's "no loader" error. */
export const methodNotAllowed = (): Response => toResponse(methodNotAllowedAnswer());

/** /webhooks/timelinesai without the secret segment (reply.ts says why 401). */
export const missingSecret = (): Response => toResponse(missingTimelinesSecret());
