// POST /webhooks/timelinesai without the secret segment: a misconfigured subscription. Answered 401
// with the reason (rather than Remix's 404 page) so the sender's delivery log says what to fix.
import { refuse } from "#server/webhooks/reply";

const missingSecret = () => refuse(401, "UNAUTHORIZED", "the webhook URL must end with the tenant's secret: /webhooks/timelinesai/<secret>");

export const loader = missingSecret;
export const action = missingSecret;
