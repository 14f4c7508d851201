// POST /webhooks/resend: Svix-signed Resend events (server/webhooks/providers/resend.server.ts).
import { resendSource } from "#server/webhooks/providers/resend.server";
import { methodNotAllowed, webhookAction } from "#server/webhooks/route.server";

export const loader = methodNotAllowed;
export const action = webhookAction(resendSource);
