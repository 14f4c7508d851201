/**
 * Instantly: no signature exists; we register the webhook with a header of our choosing carrying
 * INSTANTLY_WEBHOOK_SECRET, and Instantly sends it verbatim on every delivery (providers.md §2).
 * Webhooks are account-wide: the campaign id names the tenant. Instantly has no event id, so one is
 * derived from the fields that identify an occurrence; its retries repeat them, so they collapse.
 */
import { createHash } from "node:crypto";
import { webhookSecrets } from "../../providers/factory.server";
import { INSTANTLY_WEBHOOK_SECRET_HEADER, instantlyWebhookEventSchema, type InstantlyWebhookEvent } from "../../providers/instantly/webhooks";
import { sameSecret } from "../secrets.server";
import { fail, pass, type Credentials, type WebhookSource } from "../source";
import { tenantForInstantlyCampaign } from "../tenants.server";
import { zodMessage } from "../zod-message";

/** The fields that make one Instantly occurrence; anything else (lead fields, HTML) may vary between retries. */
export function instantlyEventId(event: InstantlyWebhookEvent): string {
  const identity = [event.event_type, event.timestamp, event.campaign_id ?? "", event.lead_email ?? "", event.email_id ?? "", event.step ?? "", event.variant ?? ""];
  return `instantly:${createHash("sha256").update(JSON.stringify(identity)).digest("hex")}`;
}

export const instantlySource: WebhookSource<Credentials, InstantlyWebhookEvent> = {
  provider: "INSTANTLY",

  async checkRequest(request) {
    const expected = webhookSecrets().instantly;
    if (!expected) return fail("INSTANTLY_WEBHOOK_SECRET is not configured on this server");
    const presented = request.header(INSTANTLY_WEBHOOK_SECRET_HEADER);
    if (presented === null) return fail(`missing ${INSTANTLY_WEBHOOK_SECRET_HEADER} header`);
    return sameSecret(presented, expected) ? pass({ tenantId: null }) : fail(`wrong ${INSTANTLY_WEBHOOK_SECRET_HEADER} header`);
  },

  verifyBody() {
    return pass(undefined);
  },

  interpret(json) {
    const parsed = instantlyWebhookEventSchema.safeParse(json);
    if (!parsed.success) return fail(zodMessage(parsed.error));
    return pass({ event: { providerEventId: instantlyEventId(parsed.data), eventType: parsed.data.event_type, supported: true }, payload: parsed.data });
  },

  async attribute(event, payload) {
    const campaignId = payload.campaign_id;
    if (!campaignId) return { tenantId: null, code: "UNKNOWN_TENANT", message: `${event.eventType} names no campaign` };
    const tenantId = await tenantForInstantlyCampaign(campaignId);
    return tenantId ? { tenantId } : { tenantId: null, code: "UNKNOWN_TENANT", message: `no tenant tracks campaign ${campaignId.slice(0, 100)}` };
  },
};
