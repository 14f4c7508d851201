// POST /webhooks/timelinesai without the secret segment: a misconfigured subscription, answered 401
// with the reason (server/webhooks/reply.ts: missingTimelinesSecret).
import { missingSecret } from "#server/webhooks/route.server";

export const loader = missingSecret;
export const action = missingSecret;
