/**
 * What a webhook sender gets back. Providers only look at the status code (2xx = delivered, anything
 * else = retry later), so the body is for people: whoever reads a provider's delivery log or our
 * fuzz tests sees in one line why a request was refused.
 */
export type WebhookOutcome =
  /** Stored for the first time and queued for processing. */
  | "accepted"
  /** This provider event id was stored before: acknowledged, not processed again. */
  | "duplicate"
  /** Authentic, but nothing of ours: stored in webhook_rejections, acknowledged so the provider stops retrying. */
  | "ignored"
  /** Refused; `reason` says why. */
  | "rejected";

export interface WebhookReply {
  status: WebhookOutcome;
  /** Our webhook_events id, for accepted and duplicate events. */
  eventId?: string;
  /** A stable code (UNAUTHORIZED, PAYLOAD_TOO_LARGE, INVALID_PAYLOAD, UNKNOWN_TENANT, …) and a sentence. */
  reason?: { code: RejectionCode; message: string };
}

export type RejectionCode =
  | "METHOD_NOT_ALLOWED"
  | "UNAUTHORIZED"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "PAYLOAD_TOO_LARGE"
  | "INVALID_PAYLOAD"
  | "UNKNOWN_TENANT"
  | "UNSUPPORTED_EVENT"
  | "QUEUE_UNAVAILABLE"
  | "TEMPORARILY_UNAVAILABLE";

/** An answer as plain data, so that each HTTP adapter writes it its own way (Response for Remix, res.end for Express). */
export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function webhookAnswer(httpStatus: number, reply: WebhookReply, headers: Record<string, string> = {}): WebhookAnswer {
  return {
    status: httpStatus,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
    body: JSON.stringify(reply),
  };
}

export const refuse = (httpStatus: number, code: RejectionCode, message: string, headers?: Record<string, string>): WebhookAnswer =>
  webhookAnswer(httpStatus, { status: "rejected", reason: { code, message } }, headers);

export const toResponse = (answer: WebhookAnswer): Response => new Response(answer.body, { status: answer.status, headers: answer.headers });

/** Webhook endpoints accept POST only; GET and friends get this instead of Remix's "no loader" error. */
export const methodNotAllowed = (): WebhookAnswer => refuse(405, "METHOD_NOT_ALLOWED", "webhooks accept POST only", { allow: "POST" });

/**
 * POST /webhooks/timelinesai without the secret segment: a misconfigured subscription. Answered 401
 * with the reason (rather than a 404 page) so the sender's delivery log says what to fix.
 */
export const missingTimelinesSecret = (): WebhookAnswer =>
  refuse(401, "UNAUTHORIZED", "the webhook URL must end with the tenant's secret: /webhooks/timelinesai/<secret>");
