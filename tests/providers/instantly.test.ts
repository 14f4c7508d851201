import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ProviderAuthError, ProviderRateLimitedError, ProviderRequestError, ProviderUnavailableError } from "../../server/providers/errors";
import { InstantlyClient } from "../../server/providers/instantly/client.server";
import { CAMPAIGN_STATUS, LEAD_INTEREST, LEAD_STATUS, type CreateCampaignRequest } from "../../server/providers/instantly/schemas";
import { INSTANTLY_WEBHOOK_SECRET_HEADER, instantlyWebhookEventSchema } from "../../server/providers/instantly/webhooks";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { FAST_RETRY, recordingTime, startReceiver, startTestSimulators, waitFor } from "./support";

let sims: Awaited<ReturnType<typeof startTestSimulators>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

const DAY = 86_400_000;
const CAMPAIGN: CreateCampaignRequest = {
  name: "Semințe primăvară 2026 — Bărăgan",
  campaign_schedule: {
    schedules: [{ name: "Program birou", timing: { from: "09:00", to: "17:00" }, days: { "1": true, "2": true, "3": true, "4": true, "5": true }, timezone: "Europe/Bucharest" }],
  },
  sequences: [
    {
      steps: [
        { type: "email", delay: 3, delay_unit: "days", variants: [{ subject: "Semințe pentru {{companyName}}", body: "<p>Bună ziua, {{firstName}}!</p>" }] },
        { type: "email", delay: 0, variants: [{ subject: "Revenire", body: "<p>Revin cu oferta.</p>" }] },
      ],
    },
  ],
  email_list: ["ana@cerniq-agro.ro"],
  stop_on_reply: true,
};

beforeAll(async () => {
  receiver = await startReceiver();
  sims = await startTestSimulators({ seed: 5 });
});
afterAll(async () => {
  await sims?.close();
  await receiver?.close();
});
beforeEach(async () => {
  await sims.control.reset({ scenario: { replies: { probability: 0 }, email: { bounceRate: 0, openProbability: 0 } } });
  receiver.received.length = 0;
});

function client(apiKey: string = SANDBOX_CREDENTIALS.instantlyApiKey, timeoutMs = 2_000) {
  const time = recordingTime();
  return { client: new InstantlyClient({ baseUrl: sims.urls.instantly, apiKey, retryPolicy: FAST_RETRY, time, timeoutMs }), time };
}
const requests = async (path: string) => (await sims.control.requests({ provider: "instantly", path: `/api/v2${path}` })).length;

describe("Instantly client against the simulator", () => {
  it("creates, activates and pauses a campaign (activate/pause carry no body)", async () => {
    const { client: api } = client();
    const campaign = await api.createCampaign(CAMPAIGN);
    expect(campaign).toMatchObject({ name: CAMPAIGN.name, status: CAMPAIGN_STATUS.DRAFT });
    expect(await api.activateCampaign(campaign.id)).toMatchObject({ status: CAMPAIGN_STATUS.ACTIVE });
    expect(await api.pauseCampaign(campaign.id)).toMatchObject({ status: CAMPAIGN_STATUS.PAUSED });
    expect(await api.getCampaign(campaign.id)).toMatchObject({ id: campaign.id, status: CAMPAIGN_STATUS.PAUSED });
  });

  it("refuses unknown campaign fields with 400 → ProviderRequestError, not retried", async () => {
    const { client: api } = client();
    const error = await api.createCampaign({ ...CAMPAIGN, tracking_domain: "x" } as CreateCampaignRequest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect((error as ProviderRequestError).providerMessage).toMatch(/must NOT have additional properties/);
    expect(await requests("/campaigns")).toBe(1);
  });

  it("adds leads singly and in bulk, with skip rules and per-lead counts, and reads their status", async () => {
    const { client: api } = client();
    const campaign = await api.createCampaign(CAMPAIGN);
    const single = await api.addLead({ campaign: campaign.id, email: "ion@fermaion.ro", first_name: "Ion", company_name: "Ferma Ion SRL" });
    expect(single).toMatchObject({ email: "ion@fermaion.ro", campaign: campaign.id, status: LEAD_STATUS.ACTIVE });
    // Same lead again: skip_if_in_campaign (our default) returns the existing one, not a second enrolment.
    expect((await api.addLead({ campaign: campaign.id, email: "ion@fermaion.ro" })).id).toBe(single.id);

    const bulk = await api.addLeads({
      campaign_id: campaign.id,
      leads: [
        { email: "maria@agrovest.ro", first_name: "Maria" },
        { email: "ion@fermaion.ro" },
        { email: "not-an-email" },
        { email: "maria@agrovest.ro" },
        { email: "petru@cerealis.ro", custom_variables: { hectare: 340 } },
      ],
    });
    expect(bulk).toMatchObject({ leads_uploaded: 2, skipped_count: 1, invalid_email_count: 1, duplicate_email_count: 1 });
    expect(bulk.created_leads.map((l) => [l.index, l.email])).toEqual([
      [0, "maria@agrovest.ro"],
      [4, "petru@cerealis.ro"],
    ]);
    expect(await api.findLead({ email: "PETRU@cerealis.ro", campaignId: campaign.id })).toMatchObject({ payload: { hectare: 340 } });
    expect(await api.getLead(single.id)).toMatchObject({ id: single.id, lt_interest_status: null });
  });

  it("runs the sequence on simulated time; analytics match the webhooks, which carry our secret header", async () => {
    const { client: api } = client();
    await api.registerWebhook({ url: `${receiver.origin}/webhooks/instantly`, secret: "s3cret-from-env" });
    await sims.control.scenario({
      email: { openProbability: 1, clickProbability: 0, bounceRate: 0, campaignSendDelayMs: { min: 60_000, max: 60_000 } },
      replies: { probability: 1, mix: { interested: 1, question: 0, later: 0, wrong_person: 0, not_interested: 0, unsubscribe: 0, complaint: 0, out_of_office: 0 } },
    });
    const campaign = await api.createCampaign(CAMPAIGN);
    await api.addLeads({ campaign_id: campaign.id, leads: [{ email: "ion@fermaion.ro", first_name: "Ion", company_name: "Ferma Ion" }, { email: "maria@agrovest.ro" }] });
    await api.activateCampaign(campaign.id);
    await sims.control.advance(2 * DAY);

    const events = await waitFor(() => {
      const types = receiver.received.map((h) => (h.body as { event_type: string }).event_type);
      return types.filter((t) => t === "lead_interested").length === 2 && receiver.received;
    }, "both leads interested");
    for (const hook of events) {
      expect(hook.headers[INSTANTLY_WEBHOOK_SECRET_HEADER]).toBe("s3cret-from-env");
      expect(hook.headers["x-instantly-signature"]).toBeUndefined();
      expect(instantlyWebhookEventSchema.safeParse(hook.body).success).toBe(true);
    }
    const count = (type: string) => events.filter((h) => (h.body as { event_type: string }).event_type === type).length;
    expect([count("email_sent"), count("email_opened"), count("reply_received")]).toEqual([2, 2, 2]);
    const reply = events.find((h) => (h.body as { event_type: string }).event_type === "reply_received")!.body as Record<string, unknown>;
    expect(reply).toMatchObject({ campaign_id: campaign.id, email_account: "ana@cerniq-agro.ro", step: 1 });
    expect(typeof reply.reply_text).toBe("string");

    const [analytics] = await api.getCampaignAnalytics({ ids: [campaign.id] });
    expect(analytics).toMatchObject({ leads_count: 2, contacted_count: 2, emails_sent_count: 2, open_count: 2, reply_count: 2, reply_count_unique: 2, bounced_count: 0 });
    // stop_on_reply: the follow-up step (due after 3 days) is never sent to leads who answered.
    await sims.control.advance(5 * DAY);
    expect((await api.getCampaignAnalytics({ ids: [campaign.id] }))[0]).toMatchObject({ emails_sent_count: 2, completed_count: 2 });
    expect(await api.findLead({ email: "ion@fermaion.ro" })).toMatchObject({ lt_interest_status: LEAD_INTEREST.INTERESTED, status: LEAD_STATUS.COMPLETED });
  });

  it("bounces and unsubscribes set the lead status, the counters and the webhooks", async () => {
    const { client: api } = client();
    await api.registerWebhook({ url: `${receiver.origin}/wh`, secret: "s", eventType: "email_bounced" });
    await api.registerWebhook({ url: `${receiver.origin}/wh`, secret: "s", eventType: "lead_unsubscribed" });
    await sims.control.scenario({ email: { bounceRate: 1, campaignSendDelayMs: { min: 0, max: 0 } } });
    const campaign = await api.createCampaign(CAMPAIGN);
    await api.addLeads({ campaign_id: campaign.id, leads: [{ email: "nu.exista@fermaion.ro" }, { email: "nici.asta@agro.ro" }] });
    await api.activateCampaign(campaign.id);
    await sims.control.advance(DAY);
    await waitFor(() => receiver.received.length === 2, "two bounces");
    expect(await api.findLead({ email: "nu.exista@fermaion.ro" })).toMatchObject({ status: LEAD_STATUS.BOUNCED });

    // A lead who asks to be removed (Instantly's unsubscribe link), in a campaign that does not bounce.
    await sims.control.scenario({ email: { bounceRate: 0 } });
    const second = await api.createCampaign({ ...CAMPAIGN, name: "A doua campanie" });
    await api.addLead({ campaign: second.id, email: "ana@agro.ro" });
    await api.activateCampaign(second.id);
    await sims.control.advance(DAY);
    await sims.control.post("/instantly/events", { type: "lead_unsubscribed", lead_email: "ana@agro.ro" });
    await waitFor(() => receiver.received.length === 3, "the unsubscribe");
    expect(receiver.received.map((h) => (h.body as { event_type: string }).event_type)).toEqual(["email_bounced", "email_bounced", "lead_unsubscribed"]);
    expect((await api.getCampaignAnalytics({ ids: [campaign.id, second.id] })).map((a) => [a.bounced_count, a.unsubscribed_count])).toEqual([
      [2, 0],
      [0, 1],
    ]);
    expect(await api.findLead({ email: "ana@agro.ro" })).toMatchObject({ status: LEAD_STATUS.UNSUBSCRIBED });
  });

  it("maps 401, 5xx, 429 and timeouts to the typed errors with the seeds' retry counts", async () => {
    await expect(client("wrong-key").client.getCampaign("x")).rejects.toBeInstanceOf(ProviderAuthError);

    const { client: api, time } = client(SANDBOX_CREDENTIALS.instantlyApiKey, 200);
    await sims.control.fault({ provider: "instantly", path: "/api/v2/campaigns/analytics", kind: "status", status: 503, times: 2 });
    await expect(api.getCampaignAnalytics({ ids: [] })).resolves.toEqual([]);
    expect(await requests("/campaigns/analytics")).toBe(3);

    await sims.control.fault({ provider: "instantly", path: "/api/v2/webhooks", kind: "status", status: 429, retryAfterSeconds: 2, times: 6 });
    await expect(api.listWebhooks()).rejects.toBeInstanceOf(ProviderRateLimitedError);
    expect(time.sleeps.slice(-5)).toEqual([2000, 2000, 2000, 2000, 2000]);

    await sims.control.fault({ provider: "instantly", method: "GET", path: "/api/v2/leads", kind: "timeout", times: 4 });
    await expect(api.getLead("00000000-0000-7000-8000-000000000000")).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(await requests("/leads/")).toBe(4);
  });

  it("enforces the workspace rate limit with Fastify's 429 body", async () => {
    await sims.control.scenario({ instantly: { requestsPerSecond: 2 } });
    const call = () => fetch(`${sims.urls.instantly}/api/v2/campaigns`, { headers: { authorization: `Bearer ${SANDBOX_CREDENTIALS.instantlyApiKey}` } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call()).status);
    expect(statuses).toEqual([200, 200, 429]);
    expect(await (await call()).json()).toEqual({ statusCode: 429, error: "Too Many Requests", message: "Rate limit exceeded" });
  });
});
