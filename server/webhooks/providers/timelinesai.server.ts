/**
 * TimelinesAI: no signature exists (providers.md §1), so the tenant's unguessable secret in the URL
 * is the credential: /webhooks/timelinesai/<secret>. Payloads are flat JSON, one event type per
 * subscription; `message:new` and `message:received:new` both fire for one incoming message, which
 * is why the event id includes the event type and why normalization counts a reply by message uid.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import {
  TIMELINES_ACCOUNT_EVENTS,
  TIMELINES_CHAT_EVENTS,
  TIMELINES_MESSAGE_EVENTS,
  timelinesAccountEventSchema,
  timelinesChatEventSchema,
  timelinesMessageEventSchema,
} from "../../providers/timelinesai/webhooks";
import { TIMELINESAI_SECRET_SHAPE } from "../secrets.server";
import { fail, pass, type Credentials, type WebhookSource } from "../source";
import { tenantForTimelinesSecret } from "../tenants.server";
import { zodMessage } from "../zod-message";

interface UrlSecretCredentials extends Credentials {
  tenantId: string;
}

const envelope = z.object({ event_type: z.string().min(1) });
const MESSAGE_TYPES: ReadonlySet<string> = new Set(TIMELINES_MESSAGE_EVENTS);
const CHAT_TYPES: ReadonlySet<string> = new Set(TIMELINES_CHAT_EVENTS);
const ACCOUNT_TYPES: ReadonlySet<string> = new Set(TIMELINES_ACCOUNT_EVENTS);

const bodyDigest = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

export const timelinesSource: WebhookSource<UrlSecretCredentials, unknown> = {
  provider: "TIMELINESAI",

  async checkRequest(request) {
    const secret = request.params.secret ?? "";
    // Shape first: random probes never reach the database.
    if (!TIMELINESAI_SECRET_SHAPE.test(secret)) return fail("unknown webhook secret");
    const tenantId = await tenantForTimelinesSecret(secret);
    // Same answer for "no such secret" and "tenant deactivated": nothing to learn from probing.
    return tenantId ? pass({ tenantId }) : fail("unknown webhook secret");
  },

  verifyBody() {
    return pass(undefined);
  },

  interpret(json, bytes) {
    const head = envelope.safeParse(json);
    if (!head.success) return fail(zodMessage(head.error));
    const type = head.data.event_type;

    if (MESSAGE_TYPES.has(type)) {
      const parsed = timelinesMessageEventSchema.safeParse(json);
      if (!parsed.success) return fail(zodMessage(parsed.error));
      return pass({ event: { providerEventId: `${type}:${parsed.data.message.message_uid}`, eventType: type, supported: true }, payload: json });
    }
    if (CHAT_TYPES.has(type)) {
      const parsed = timelinesChatEventSchema.safeParse(json);
      if (!parsed.success) return fail(zodMessage(parsed.error));
      return pass({ event: { providerEventId: `${type}:${parsed.data.chat.id}`, eventType: type, supported: true }, payload: json });
    }
    if (ACCOUNT_TYPES.has(type)) {
      const parsed = timelinesAccountEventSchema.safeParse(json);
      if (!parsed.success) return fail(zodMessage(parsed.error));
      const account = parsed.data.whatsapp_account;
      // One connect or disconnect is one event; its time tells a retry from the next occurrence.
      const when = (account.disconnected_on ?? account.connected_on)?.getTime() ?? bodyDigest(bytes);
      return pass({ event: { providerEventId: `${type}:${account.id}:${when}`, eventType: type, supported: true }, payload: json });
    }
    // Calls, reactions of WABA numbers, future event types: authentic and the tenant is known, so they
    // are stored like the rest and the normalization job records why it ignores them.
    return pass({ event: { providerEventId: `${type}:${bodyDigest(bytes)}`, eventType: type, supported: false }, payload: json });
  },

  async attribute(_event, _payload, credentials) {
    return { tenantId: credentials.tenantId };
  },
};
