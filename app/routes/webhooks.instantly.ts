// POST /webhooks/instantly: Instantly events, authenticated by the secret header we register
// (server/webhooks/providers/instantly.server.ts).
import { instantlySource } from "#server/webhooks/providers/instantly.server";
import { methodNotAllowed, webhookAction } from "#server/webhooks/route.server";

export const loader = methodNotAllowed;
export const action = webhookAction(instantlySource);
