import { z } from "zod";
import type { ProviderError } from "../errors";
import { defaultHttpError, JsonApi, type ErrorContext, type HttpResponse } from "../http.server";
import type { RetryPolicy } from "../retry";
import type { Timekeeper } from "../../clock";
import {
  bulkAddLeadsResultSchema,
  campaignAnalyticsSchema,
  campaignSchema,
  instantlyErrorSchema,
  leadListSchema,
  leadSchema,
  webhookSchema,
  type BulkAddLeadsRequest,
  type BulkAddLeadsResult,
  type CreateCampaignRequest,
  type CreateLeadRequest,
  type CreateWebhookRequest,
  type InstantlyCampaign,
  type InstantlyCampaignAnalytics,
  type InstantlyLead,
  type InstantlyWebhook,
} from "./schemas";
import { INSTANTLY_WEBHOOK_SECRET_HEADER } from "./webhooks";

export const INSTANTLY_DEFAULT_BASE_URL = "https://api.instantly.ai";

export interface InstantlyClientConfig {
  /** Origin only; the client appends `/api/v2/...`. */
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  retryPolicy?: Partial<RetryPolicy>;
  time?: Timekeeper;
}

function mapInstantlyError(res: HttpResponse, ctx: ErrorContext): ProviderError {
  const parsed = instantlyErrorSchema.safeParse(res.body);
  const body = parsed.success ? parsed.data : {};
  const message = body.message ?? body.error ?? (res.text && res.body === undefined ? res.text.slice(0, 200) : undefined);
  return defaultHttpError(res, ctx, message, body.error);
}

/**
 * Instantly API v2 client: campaigns (create, activate, pause), leads (single, bulk, status),
 * analytics and webhook registration. No pacing here: Instantly's limits (100 req/s, 6,000/min per
 * workspace) are far above what cold-email dispatch needs; 429s are handled by the retry policy.
 */
export class InstantlyClient {
  private readonly api: JsonApi;

  constructor(config: InstantlyClientConfig) {
    this.api = new JsonApi({
      provider: "instantly",
      baseUrl: `${config.baseUrl.replace(/\/+$/, "")}/api/v2`,
      headers: { authorization: `Bearer ${config.apiKey}`, accept: "application/json" },
      timeoutMs: config.timeoutMs ?? 30_000,
      retry: { policy: config.retryPolicy },
      time: config.time,
      mapError: mapInstantlyError,
    });
  }

  /** Not idempotent: a retried create after a timeout could leave two drafts, so ambiguous failures surface. */
  createCampaign(input: CreateCampaignRequest): Promise<InstantlyCampaign> {
    return this.api.call({ operation: "createCampaign", method: "POST", path: "/campaigns", body: input, schema: campaignSchema });
  }

  getCampaign(id: string): Promise<InstantlyCampaign> {
    return this.api.call({ operation: "getCampaign", method: "GET", path: `/campaigns/${encodeURIComponent(id)}`, schema: campaignSchema });
  }

  /** No body (Instantly rejects one). Setting a state twice is harmless, so retries are allowed. */
  activateCampaign(id: string): Promise<InstantlyCampaign> {
    return this.api.call({
      operation: "activateCampaign",
      method: "POST",
      path: `/campaigns/${encodeURIComponent(id)}/activate`,
      schema: campaignSchema,
      idempotent: true,
    });
  }

  pauseCampaign(id: string): Promise<InstantlyCampaign> {
    return this.api.call({
      operation: "pauseCampaign",
      method: "POST",
      path: `/campaigns/${encodeURIComponent(id)}/pause`,
      schema: campaignSchema,
      idempotent: true,
    });
  }

  /**
   * One lead. `skip_if_in_campaign` defaults to true, which makes a repeat harmless (and so retryable):
   * the same lead is never enrolled twice.
   */
  addLead(input: CreateLeadRequest): Promise<InstantlyLead> {
    return this.api.call({
      operation: "addLead",
      method: "POST",
      path: "/leads",
      body: { skip_if_in_campaign: true, ...input },
      schema: leadSchema,
      idempotent: input.skip_if_in_campaign !== false,
    });
  }

  /** Up to 1,000 leads. A 200 can still mean some were skipped: read the counts in the result. */
  addLeads(input: BulkAddLeadsRequest): Promise<BulkAddLeadsResult> {
    return this.api.call({
      operation: "addLeads",
      method: "POST",
      path: "/leads/add",
      body: { skip_if_in_campaign: true, ...input },
      schema: bulkAddLeadsResultSchema,
      idempotent: input.skip_if_in_campaign !== false,
    });
  }

  getLead(id: string): Promise<InstantlyLead> {
    return this.api.call({ operation: "getLead", method: "GET", path: `/leads/${encodeURIComponent(id)}`, schema: leadSchema });
  }

  /** Lead status by email within a campaign (listing is a POST in v2, but it only reads). */
  async findLead(input: { email: string; campaignId?: string }): Promise<InstantlyLead | undefined> {
    const page = await this.api.call({
      operation: "findLead",
      method: "POST",
      path: "/leads/list",
      body: { search: input.email, ...(input.campaignId ? { campaign: input.campaignId } : {}), limit: 10 },
      schema: leadListSchema,
      idempotent: true,
    });
    const wanted = input.email.toLowerCase();
    return page.items.find((l) => l.email?.toLowerCase() === wanted);
  }

  getCampaignAnalytics(input: { ids: string[]; startDate?: string; endDate?: string }): Promise<InstantlyCampaignAnalytics[]> {
    return this.api.call({
      operation: "getCampaignAnalytics",
      method: "GET",
      path: "/campaigns/analytics",
      query: { ids: input.ids, start_date: input.startDate, end_date: input.endDate },
      schema: z.array(campaignAnalyticsSchema),
    });
  }

  createWebhook(input: CreateWebhookRequest): Promise<InstantlyWebhook> {
    return this.api.call({ operation: "createWebhook", method: "POST", path: "/webhooks", body: input, schema: webhookSchema });
  }

  /**
   * Registers our receiver. Instantly signs nothing, so the only authentication is a header it stores
   * and sends back verbatim on every delivery: we put our secret there.
   */
  registerWebhook(input: { url: string; secret: string; eventType?: string | null; campaignId?: string | null; name?: string }): Promise<InstantlyWebhook> {
    return this.createWebhook({
      target_hook_url: input.url,
      event_type: input.eventType === undefined ? "all_events" : input.eventType,
      campaign: input.campaignId ?? null,
      name: input.name ?? "cerniq-outreach",
      headers: { [INSTANTLY_WEBHOOK_SECRET_HEADER]: input.secret },
    });
  }

  async listWebhooks(): Promise<InstantlyWebhook[]> {
    const page = await this.api.call({
      operation: "listWebhooks",
      method: "GET",
      path: "/webhooks",
      query: { limit: 100 },
      schema: z.object({ items: z.array(webhookSchema) }),
    });
    return page.items;
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.api.call({ operation: "deleteWebhook", method: "DELETE", path: `/webhooks/${encodeURIComponent(id)}`, schema: z.unknown() });
  }
}
