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

export function webhookResponse(httpStatus: number, reply: WebhookReply, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(reply), {
    status: httpStatus,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export const refuse = (httpStatus: number, code: RejectionCode, message: string, headers?: Record<string, string>): Response =>
  webhookResponse(httpStatus, { status: "rejected", reason: { code, message } }, headers);

/** Webhook endpoints accept POST only; GET and friends get this instead of Remix's "no loader" error. */
export const methodNotAllowed = (): Response => refuse(405, "METHOD_NOT_ALLOWED", "webhooks accept POST only", { allow: "POST" });
