// POST /webhooks/timelinesai/<tenant secret>: TimelinesAI cannot sign, so the URL carries the
// credential (server/webhooks/providers/timelinesai.server.ts).
import { timelinesSource } from "#server/webhooks/providers/timelinesai.server";
import { methodNotAllowed, webhookAction } from "#server/webhooks/route.server";

export const loader = methodNotAllowed;
export const action = webhookAction(timelinesSource);
