/**
 * Resend: Svix-signed (svix-id / svix-timestamp / svix-signature over `${id}.${timestamp}.${body}`,
 * HMAC-SHA256 with the whsec_ secret, ±5 minutes), account-wide. The svix-id is the event id and is
 * repeated on Resend's retries, which is exactly the replay key we need.
 */
import { Webhook, WebhookVerificationError } from "svix";
import { z } from "zod";
import { webhookSecrets } from "../../providers/factory.server";
import { RESEND_EMAIL_EVENT_TYPES, resendEmailEventSchema, type ResendEmailEvent } from "../../providers/resend/webhooks";
import { RESEND_TAG_TENANT } from "../attribution";
import { fail, pass, type Credentials, type WebhookSource } from "../source";
import { tenantForResendEmail } from "../tenants.server";
import { zodMessage } from "../zod-message";

interface SvixCredentials extends Credentials {
  tenantId: null;
  secret: string;
  headers: { "svix-id": string; "svix-timestamp": string; "svix-signature": string };
}

/** Every Resend event has this envelope; only `email.*` events name an email we may have sent. */
const envelope = z.object({ type: z.string().min(1) });
const EMAIL_TYPES: ReadonlySet<string> = new Set(RESEND_EMAIL_EVENT_TYPES);

const verifiers = new Map<string, Webhook>();
function verifierFor(secret: string): Webhook {
  let verifier = verifiers.get(secret);
  if (!verifier) {
    verifier = new Webhook(secret);
    verifiers.set(secret, verifier);
  }
  return verifier;
}

/** svix's messages, in words a person reading a delivery log acts on. */
function signatureProblem(error: WebhookVerificationError): string {
  switch (error.message) {
    case "Message timestamp too old":
      return "svix-timestamp is more than 5 minutes old (stale or replayed delivery)";
    case "Message timestamp too new":
      return "svix-timestamp is more than 5 minutes in the future";
    case "No matching signature found":
      return "svix-signature does not match the body (wrong secret or altered body)";
    case "Invalid Signature Headers":
      return "svix-timestamp is not a Unix time in seconds";
    default:
      return `signature check failed: ${error.message}`;
  }
}

export const resendSource: WebhookSource<SvixCredentials, ResendEmailEvent | null> = {
  provider: "RESEND",

  async checkRequest(request) {
    const id = request.header("svix-id");
    const timestamp = request.header("svix-timestamp");
    const signature = request.header("svix-signature");
    if (!id || !timestamp || !signature) return fail("missing svix-id, svix-timestamp or svix-signature header");
    const secret = webhookSecrets().resend;
    // Fail closed: without a configured secret nothing can be verified.
    if (!secret) return fail("RESEND_WEBHOOK_SECRET is not configured on this server");
    return pass({ tenantId: null, secret, headers: { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": signature } });
  },

  verifyBody(bytes, credentials) {
    try {
      verifierFor(credentials.secret).verify(bytes.toString("utf8"), credentials.headers);
      return pass(undefined);
    } catch (error) {
      if (error instanceof WebhookVerificationError) return fail(signatureProblem(error));
      // svix parses the body after the signature matched: a JSON error here means authentic but
      // malformed, which the pipeline's own parse reports as a 400.
      if (error instanceof SyntaxError) return pass(undefined);
      throw error;
    }
  },

  interpret(json, _bytes, credentials) {
    const head = envelope.safeParse(json);
    if (!head.success) return fail(zodMessage(head.error));
    const event = { providerEventId: credentials.headers["svix-id"], eventType: head.data.type };
    // contact.*, domain.*, suppression.*: authentic Resend events with no email of ours in them.
    if (!EMAIL_TYPES.has(head.data.type)) return pass({ event: { ...event, supported: false }, payload: null });
    const parsed = resendEmailEventSchema.safeParse(json);
    if (!parsed.success) return fail(zodMessage(parsed.error));
    return pass({ event: { ...event, supported: true }, payload: parsed.data });
  },

  async attribute(event, payload) {
    if (!event.supported || !payload) {
      return { tenantId: null, code: "UNSUPPORTED_EVENT", message: `${event.eventType.slice(0, 100)} events are not used` };
    }
    const tenantId = await tenantForResendEmail(payload.data.email_id, payload.data.tags?.[RESEND_TAG_TENANT]);
    return tenantId
      ? { tenantId }
      : { tenantId: null, code: "UNKNOWN_TENANT", message: `email ${payload.data.email_id.slice(0, 100)} was not sent by any tenant` };
  },
};
