import { z } from "zod";
import {
  bulkAddLeadsRequestSchema,
  CAMPAIGN_STATUS,
  createCampaignRequestSchema,
  createLeadRequestSchema,
  createWebhookRequestSchema,
  LEAD_INTEREST,
  LEAD_STATUS,
  type CreateCampaignRequest,
} from "../../providers/instantly/schemas";
import { INSTANTLY_EVENT_TYPES } from "../../providers/instantly/webhooks";
import { REPLY_CATEGORIES, REPLY_CORPUS, type ReplyCategory } from "../core/corpus";
import { between, isoAt, type ProviderSimulator, type SimContext } from "../core/context";
import { bearerToken, BadJsonError, json, readJson, Router, type Reply, type SimRequest } from "../core/http";
import type { Rng } from "../core/rng";

/**
 * Instantly API v2 simulator (providers.md §2): Fastify-style errors, Bearer keys, workspace rate
 * limits (100/s, 6,000/min, real time), strict campaign bodies, bulk lead import with skip rules, a
 * sequence scheduler on the simulated clock that sends each lead through the steps and draws opens,
 * clicks, bounces and Romanian replies from the seeded stream, analytics counters that match the
 * emitted webhooks, and webhook delivery with the registered headers copied verbatim (no signature).
 */

export interface InstantlySimConfig {
  apiKeys: string[];
  /** Webhooks present from the start, as if registered through the API. */
  webhooks: { url: string; eventType: string | null; headers: Record<string, string>; campaign?: string | null }[];
}

interface Counters {
  contacted_count: number;
  emails_sent_count: number;
  new_leads_contacted_count: number;
  open_count: number;
  open_count_unique: number;
  reply_count: number;
  reply_count_unique: number;
  reply_count_automatic: number;
  link_click_count: number;
  link_click_count_unique: number;
  bounced_count: number;
  unsubscribed_count: number;
  completed_count: number;
  total_opportunities: number;
  total_opportunity_value: number;
}

interface Campaign {
  id: string;
  request: CreateCampaignRequest;
  status: number;
  createdAt: number;
  updatedAt: number;
  counters: Counters;
}

interface SentEmail {
  id: string;
  step: number;
  subject: string;
  body: string;
  at: number;
}

interface Lead {
  id: string;
  email: string;
  fields: Record<string, string | undefined>;
  payload: Record<string, string | number | boolean | null>;
  campaign?: string;
  listId?: string;
  status: number;
  interest: number | null;
  createdAt: number;
  updatedAt: number;
  lastContact?: number;
  lastOpen?: number;
  lastReply?: number;
  lastClick?: number;
  nextStep: number;
  scheduled: boolean;
  waitingForActivation: boolean;
  opened: boolean;
  clicked: boolean;
  replied: boolean;
  lastEmail?: SentEmail;
}

interface Webhook {
  id: string;
  target_hook_url: string;
  event_type: string | null;
  campaign: string | null;
  name: string | null;
  custom_interest_value: number | null;
  headers: Record<string, string>;
  status: number;
  timestamp_created: string;
  timestamp_error: string | null;
  consecutiveFailures: number;
}

interface WebhookEventRecord {
  id: string;
  webhook_id: string;
  event_type: string;
  success: boolean;
  retry_count: number;
  will_retry: boolean;
  status_code: number | null;
  response_time_ms: number;
  lead_email: string | null;
  payload: unknown;
  timestamp_created: string;
}

const WORKSPACE_ID = "0190a5c0-0000-7000-8000-00000000c0de";
const DEFAULT_SENDER = "vanzari@cerniq-agro.ro";
const RETRY_DELAYS_MS = [10_000, 10_000, 10_000];
const DISABLE_AFTER_FAILED_DELIVERIES = 5;
const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

const fail = (status: number, message: string, extra: Record<string, string> = {}): Reply =>
  json(status, { statusCode: status, error: STATUS_TEXT[status] ?? "Error", message, ...extra });

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function emptyCounters(): Counters {
  return {
    contacted_count: 0,
    emails_sent_count: 0,
    new_leads_contacted_count: 0,
    open_count: 0,
    open_count_unique: 0,
    reply_count: 0,
    reply_count_unique: 0,
    reply_count_automatic: 0,
    link_click_count: 0,
    link_click_count_unique: 0,
    bounced_count: 0,
    unsubscribed_count: 0,
    completed_count: 0,
    total_opportunities: 0,
    total_opportunity_value: 0,
  };
}

/** UUID v7 layout (48-bit ms timestamp first), as Instantly's ids look; randomness from the seeded stream. */
function uuid7(rng: Rng, now: number): string {
  const ts = now.toString(16).padStart(12, "0").slice(-12);
  const r = rng.hex(20);
  const variant = ((parseInt(r[3]!, 16) & 0x3) | 0x8).toString(16);
  return `${ts.slice(0, 8)}-${ts.slice(8, 12)}-7${r.slice(0, 3)}-${variant}${r.slice(4, 7)}-${r.slice(8, 20)}`;
}

/** AJV-like wording of Fastify validation errors, e.g. "body must NOT have additional properties". */
function validationMessage(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = ["body", ...i.path.map(String)].join("/");
      return i.code === "unrecognized_keys" ? `${where} must NOT have additional properties` : `${where} ${i.message}`;
    })
    .join(", ");
}

const REPLY_INTEREST: Partial<Record<ReplyCategory, { value: number; event: string }>> = {
  interested: { value: LEAD_INTEREST.INTERESTED, event: "lead_interested" },
  not_interested: { value: LEAD_INTEREST.NOT_INTERESTED, event: "lead_not_interested" },
  complaint: { value: LEAD_INTEREST.NOT_INTERESTED, event: "lead_not_interested" },
  wrong_person: { value: LEAD_INTEREST.WRONG_PERSON, event: "lead_wrong_person" },
  out_of_office: { value: LEAD_INTEREST.OUT_OF_OFFICE, event: "lead_out_of_office" },
};

const controlEventBody = z.object({
  type: z.enum(["email_opened", "email_link_clicked", "email_bounced", "lead_unsubscribed", "reply_received", "lead_interested"]),
  lead_email: z.string(),
  campaign_id: z.string().optional(),
  category: z.enum(REPLY_CATEGORIES).optional(),
  text: z.string().optional(),
});

export class InstantlySimulator implements ProviderSimulator {
  readonly name = "instantly" as const;
  private readonly campaigns = new Map<string, Campaign>();
  private readonly leads = new Map<string, Lead>();
  private readonly webhooks = new Map<string, Webhook>();
  private readonly webhookEvents: WebhookEventRecord[] = [];
  private readonly router = new Router();
  /** Real-time request stamps for the workspace rate limit (limits are about real request rates). */
  private requestTimes: number[] = [];

  constructor(
    private readonly ctx: SimContext,
    private readonly config: InstantlySimConfig,
  ) {
    for (const hook of config.webhooks) {
      this.addWebhook({ target_hook_url: hook.url, event_type: hook.eventType, headers: hook.headers, campaign: hook.campaign ?? null });
    }
    this.routes();
  }

  errorReply(status: number, message: string): Reply {
    return fail(status, message);
  }

  async handle(req: SimRequest): Promise<Reply> {
    if (req.headers.authorization === undefined) return fail(401, "Missing Authorization header");
    const token = bearerToken(req.headers);
    if (!token || !this.config.apiKeys.includes(token)) return fail(401, "Invalid API key");
    if (this.rateLimited()) return fail(429, "Rate limit exceeded");
    if (!req.path.startsWith("/api/v2/")) return fail(404, `Route ${req.method}:${req.path} not found`);
    const path = req.path.slice("/api/v2".length);
    const found = this.router.match(req.method, path);
    if (found === undefined) return fail(404, `Route ${req.method}:${req.path} not found`);
    if (found === "method") return fail(405, `Method ${req.method} not allowed`);
    // Fastify's classic refusal: a JSON content-type with nothing in the body.
    const contentType = String(req.headers["content-type"] ?? "");
    if (req.method !== "GET" && contentType.includes("application/json") && req.rawBody.length === 0) {
      return fail(400, "Body cannot be empty when content-type is set to 'application/json'", { code: "FST_ERR_CTP_EMPTY_JSON_BODY" });
    }
    try {
      return await found.handler({ ...req, path, params: found.params });
    } catch (error) {
      if (error instanceof BadJsonError) return fail(400, "Body is not valid JSON", { code: "FST_ERR_CTP_INVALID_JSON_BODY" });
      if (error instanceof z.ZodError) return fail(400, validationMessage(error));
      throw error;
    }
  }

  private rateLimited(): boolean {
    const now = Date.now();
    const { requestsPerSecond, requestsPerMinute } = this.ctx.scenario().instantly;
    this.requestTimes = this.requestTimes.filter((t) => t > now - 60_000);
    const lastSecond = this.requestTimes.filter((t) => t > now - 1_000).length;
    if (lastSecond >= requestsPerSecond || this.requestTimes.length >= requestsPerMinute) return true;
    this.requestTimes.push(now);
    return false;
  }

  private routes(): void {
    const r = this.router;
    r.on("POST", "/campaigns", (req) => {
      const body = createCampaignRequestSchema.parse(readJson(req));
      const now = this.ctx.clock.now();
      const campaign: Campaign = { id: uuid7(this.ctx.rng, now), request: body, status: CAMPAIGN_STATUS.DRAFT, createdAt: now, updatedAt: now, counters: emptyCounters() };
      this.campaigns.set(campaign.id, campaign);
      return json(200, this.campaignJson(campaign));
    });
    r.on("GET", "/campaigns", (req) => this.page([...this.campaigns.values()].map((c) => this.campaignJson(c)), req.query));
    r.on("GET", "/campaigns/analytics", (req) => {
      const wanted = (req.query.get("ids") ?? req.query.get("id"))?.split(",").map((s) => s.trim()).filter(Boolean);
      const list = [...this.campaigns.values()].filter((c) => !wanted || wanted.includes(c.id));
      return json(200, list.map((c) => this.analyticsJson(c)));
    });
    r.on("GET", "/campaigns/:id", (req) => {
      const c = this.campaigns.get(req.params.id!);
      return c ? json(200, this.campaignJson(c)) : fail(404, "Campaign not found");
    });
    r.on("PATCH", "/campaigns/:id", (req) => {
      const c = this.campaigns.get(req.params.id!);
      if (!c) return fail(404, "Campaign not found");
      const patch = createCampaignRequestSchema.partial().parse(readJson(req) ?? {});
      c.request = { ...c.request, ...patch } as CreateCampaignRequest;
      c.updatedAt = this.ctx.clock.now();
      return json(200, this.campaignJson(c));
    });
    r.on("DELETE", "/campaigns/:id", (req) => {
      const c = this.campaigns.get(req.params.id!);
      if (!c) return fail(404, "Campaign not found");
      this.campaigns.delete(c.id);
      return json(200, this.campaignJson(c));
    });
    r.on("POST", "/campaigns/:id/activate", (req) => this.setCampaignStatus(req, CAMPAIGN_STATUS.ACTIVE));
    r.on("POST", "/campaigns/:id/pause", (req) => this.setCampaignStatus(req, CAMPAIGN_STATUS.PAUSED));

    r.on("POST", "/leads", (req) => {
      const body = createLeadRequestSchema.parse(readJson(req));
      if (!EMAIL.test(body.email)) return fail(400, "body/email must match format \"email\"");
      if (body.campaign && !this.campaigns.has(body.campaign)) return fail(404, "Campaign not found");
      const existing = this.findExisting(body.email, body.campaign, body.list_id, body);
      if (existing) return json(200, this.leadJson(existing));
      const lead = this.createLead(body, body.campaign, body.list_id);
      if (body.lt_interest_status !== undefined) lead.interest = body.lt_interest_status;
      return json(200, this.leadJson(lead));
    });
    r.on("POST", "/leads/add", (req) => this.bulkAdd(req));
    r.on("POST", "/leads/list", (req) => {
      const body = z
        .object({ campaign: z.string().optional(), list_id: z.string().optional(), search: z.string().optional(), ids: z.array(z.string()).optional(), limit: z.number().int().min(1).max(100).optional(), starting_after: z.string().optional() })
        .parse(readJson(req) ?? {});
      const search = body.search?.toLowerCase();
      const items = [...this.leads.values()]
        .filter((l) => (!body.campaign || l.campaign === body.campaign) && (!body.list_id || l.listId === body.list_id) && (!body.ids || body.ids.includes(l.id)))
        .filter((l) => !search || l.email.toLowerCase().includes(search) || Object.values(l.fields).some((v) => v?.toLowerCase().includes(search)))
        .map((l) => this.leadJson(l));
      return this.pageOf(items, body.limit ?? 100, body.starting_after);
    });
    r.on("GET", "/leads/:id", (req) => {
      const lead = this.leads.get(req.params.id!);
      return lead ? json(200, this.leadJson(lead)) : fail(404, "Lead not found");
    });

    r.on("POST", "/webhooks", (req) => {
      const body = createWebhookRequestSchema.parse(readJson(req));
      if (body.event_type !== null && !(INSTANTLY_EVENT_TYPES as readonly string[]).includes(body.event_type) && body.event_type !== "all_events") {
        return fail(400, "body/event_type must be equal to one of the allowed values");
      }
      return json(200, this.webhookJson(this.addWebhook(body)));
    });
    r.on("GET", "/webhooks", (req) => this.page([...this.webhooks.values()].map((w) => this.webhookJson(w)), req.query));
    r.on("GET", "/webhooks/:id", (req) => {
      const w = this.webhooks.get(req.params.id!);
      return w ? json(200, this.webhookJson(w)) : fail(404, "Webhook not found");
    });
    r.on("DELETE", "/webhooks/:id", (req) => {
      const w = this.webhooks.get(req.params.id!);
      if (!w) return fail(404, "Webhook not found");
      this.webhooks.delete(w.id);
      return json(200, this.webhookJson(w));
    });
    r.on("POST", "/webhooks/:id/resume", (req) => {
      const w = this.webhooks.get(req.params.id!);
      if (!w) return fail(404, "Webhook not found");
      w.status = 1;
      w.consecutiveFailures = 0;
      return json(200, this.webhookJson(w));
    });
    r.on("GET", "/webhook-events", (req) => this.page([...this.webhookEvents], req.query));
  }

  // ---- campaigns and leads ----

  private setCampaignStatus(req: SimRequest, status: number): Reply {
    const c = this.campaigns.get(req.params.id!);
    if (!c) return fail(404, "Campaign not found");
    if (req.rawBody.length > 0) return fail(400, "body must be empty");
    c.status = status;
    c.updatedAt = this.ctx.clock.now();
    if (status === CAMPAIGN_STATUS.ACTIVE) {
      for (const lead of this.leads.values()) if (lead.campaign === c.id) this.enroll(lead);
    }
    return json(200, this.campaignJson(c));
  }

  private findExisting(
    email: string,
    campaign: string | undefined,
    listId: string | undefined,
    flags: { skip_if_in_workspace?: boolean; skip_if_in_campaign?: boolean; skip_if_in_list?: boolean },
  ): Lead | undefined {
    const same = [...this.leads.values()].filter((l) => l.email.toLowerCase() === email.toLowerCase());
    // skip_if_in_workspace takes priority over the narrower flags.
    if (flags.skip_if_in_workspace) return same[0];
    if (flags.skip_if_in_campaign && campaign) return same.find((l) => l.campaign === campaign);
    if (flags.skip_if_in_list && listId) return same.find((l) => l.listId === listId);
    return undefined;
  }

  private createLead(
    input: { email: string; custom_variables?: Record<string, string | number | boolean | null> } & Record<string, unknown>,
    campaign: string | undefined,
    listId: string | undefined,
  ): Lead {
    const now = this.ctx.clock.now();
    const text = (key: string) => (typeof input[key] === "string" ? (input[key] as string) : undefined);
    const lead: Lead = {
      id: uuid7(this.ctx.rng, now),
      email: input.email,
      fields: {
        first_name: text("first_name"),
        last_name: text("last_name"),
        company_name: text("company_name"),
        job_title: text("job_title"),
        website: text("website"),
        phone: text("phone"),
        personalization: text("personalization"),
      },
      payload: input.custom_variables ?? {},
      campaign,
      listId,
      status: LEAD_STATUS.ACTIVE,
      interest: null,
      createdAt: now,
      updatedAt: now,
      nextStep: 0,
      scheduled: false,
      waitingForActivation: false,
      opened: false,
      clicked: false,
      replied: false,
    };
    this.leads.set(lead.id, lead);
    this.enroll(lead);
    return lead;
  }

  private bulkAdd(req: SimRequest): Reply {
    const raw = readJson(req);
    // Per-lead email problems are counted, not fatal, as the real import reports them.
    const lenient = z.object({ leads: z.array(z.looseObject({ email: z.string().optional() })).min(1).max(1000) }).safeParse(raw);
    if (!lenient.success) return fail(400, validationMessage(lenient.error));
    const head = bulkAddLeadsRequestSchema.safeParse({ ...(raw as object), leads: lenient.data.leads.map((l) => ({ ...l, email: EMAIL.test(l.email ?? "") ? l.email : "x@invalid.invalid" })) });
    if (!head.success) return fail(400, validationMessage(head.error));
    const body = head.data;
    if (body.campaign_id && !this.campaigns.has(body.campaign_id)) return fail(404, "Campaign not found");
    const result = {
      status: "success",
      total_sent: body.leads.length,
      leads_uploaded: 0,
      in_blocklist: 0,
      blocklist_used: null,
      duplicated_leads: 0,
      skipped_count: 0,
      invalid_email_count: 0,
      incomplete_count: 0,
      duplicate_email_count: 0,
      remaining_in_plan: 100_000 - this.leads.size,
      created_leads: [] as { index: number; id: string; email: string; first_name: string | null; last_name: string | null; phone: string | null }[],
    };
    const seen = new Set<string>();
    lenient.data.leads.forEach((original, index) => {
      const email = original.email ?? "";
      if (!EMAIL.test(email)) {
        result.invalid_email_count += 1;
        return;
      }
      const key = email.toLowerCase();
      if (seen.has(key)) {
        result.duplicate_email_count += 1;
        return;
      }
      seen.add(key);
      if (this.findExisting(email, body.campaign_id, body.list_id, body)) {
        result.skipped_count += 1;
        result.duplicated_leads += 1;
        return;
      }
      const lead = this.createLead(body.leads[index]!, body.campaign_id, body.list_id);
      result.leads_uploaded += 1;
      result.created_leads.push({ index, id: lead.id, email: lead.email, first_name: lead.fields.first_name ?? null, last_name: lead.fields.last_name ?? null, phone: lead.fields.phone ?? null });
    });
    return json(200, result);
  }

  // ---- the sequence scheduler ----

  private steps(c: Campaign) {
    const steps = c.request.sequences?.[0]?.steps;
    return steps && steps.length > 0 ? steps : [{ type: "email" as const, delay: 0, variants: [{ subject: c.request.name, body: "" }] }];
  }

  private enroll(lead: Lead): void {
    const c = lead.campaign ? this.campaigns.get(lead.campaign) : undefined;
    if (!c || c.status !== CAMPAIGN_STATUS.ACTIVE || lead.status !== LEAD_STATUS.ACTIVE || lead.scheduled) return;
    lead.scheduled = true;
    const delay = lead.waitingForActivation ? 0 : between(this.ctx.rng, this.ctx.scenario().email.campaignSendDelayMs);
    lead.waitingForActivation = false;
    this.ctx.clock.after(delay, () => this.runStep(lead));
  }

  private runStep(lead: Lead): void {
    lead.scheduled = false;
    const c = lead.campaign ? this.campaigns.get(lead.campaign) : undefined;
    if (!c || lead.status !== LEAD_STATUS.ACTIVE) return;
    if (c.status !== CAMPAIGN_STATUS.ACTIVE) {
      lead.waitingForActivation = true;
      return;
    }
    const steps = this.steps(c);
    const step = steps[lead.nextStep];
    if (!step) return this.completeLead(lead, c);
    const { rng, clock } = this.ctx;
    const s = this.ctx.scenario();
    const now = clock.now();
    const variantIndex = rng.int(0, step.variants.length - 1);
    const variant = step.variants[variantIndex]!;
    const email: SentEmail = { id: uuid7(rng, now), step: lead.nextStep + 1, subject: variant.subject, body: variant.body, at: now };
    lead.lastEmail = email;
    lead.lastContact = now;
    c.counters.emails_sent_count += 1;
    if (lead.nextStep === 0) {
      c.counters.contacted_count += 1;
      c.counters.new_leads_contacted_count += 1;
    }
    lead.nextStep += 1;
    this.ctx.logs.message({
      provider: "instantly",
      id: email.id,
      channel: "email_cold",
      direction: "outbound",
      from: this.sender(c),
      to: lead.email,
      subject: email.subject,
      text: email.body,
      at: isoAt(now),
      refs: { campaignId: c.id, leadId: lead.id, step: email.step },
    });
    this.emit(c, lead, "email_sent", { step: email.step, variant: variantIndex + 1, is_first: email.step === 1, ...this.emailFields(email) });

    // Every outcome of this email is drawn now, in a fixed order, from the seeded stream.
    const deliveredAt = now + between(rng, s.email.deliveryDelayMs);
    if (rng.chance(s.email.bounceRate)) {
      clock.at(deliveredAt, () => this.bounce(lead, c));
      return;
    }
    const opens = rng.chance(s.email.openProbability);
    const openAt = deliveredAt + between(rng, s.email.openDelayMs);
    const clicks = opens && rng.chance(s.email.clickProbability);
    const replies = !lead.replied && rng.chance(s.replies.probability);
    const category = replies ? rng.weighted(s.replies.mix) : undefined;
    const replyText = category ? rng.pick(REPLY_CORPUS[category]) : undefined;
    const replyAt = (opens ? openAt : deliveredAt) + between(rng, s.replies.delayMs);
    if (opens) clock.at(openAt, () => this.open(lead, c));
    if (clicks) clock.at(openAt + 30_000, () => this.click(lead, c));
    if (category && replyText) clock.at(replyAt, () => this.reply(lead, c, category, replyText));
    const unit = UNIT_MS[step.delay_unit ?? "days"];
    clock.after(step.delay * unit, () => this.runStep(lead));
    lead.scheduled = true;
  }

  private completeLead(lead: Lead, c: Campaign): void {
    if (lead.status !== LEAD_STATUS.ACTIVE) return;
    lead.status = LEAD_STATUS.COMPLETED;
    c.counters.completed_count += 1;
    const open = [...this.leads.values()].some((l) => l.campaign === c.id && l.status === LEAD_STATUS.ACTIVE);
    if (!open && c.status === CAMPAIGN_STATUS.ACTIVE) {
      c.status = CAMPAIGN_STATUS.COMPLETED;
      this.emit(c, undefined, "campaign_completed", {});
    }
  }

  private bounce(lead: Lead, c: Campaign): void {
    if (lead.status === LEAD_STATUS.BOUNCED) return;
    lead.status = LEAD_STATUS.BOUNCED;
    c.counters.bounced_count += 1;
    this.emit(c, lead, "email_bounced", { step: lead.lastEmail?.step, ...this.emailFields(lead.lastEmail) });
  }

  private open(lead: Lead, c: Campaign): void {
    lead.lastOpen = this.ctx.clock.now();
    c.counters.open_count += 1;
    if (!lead.opened) c.counters.open_count_unique += 1;
    lead.opened = true;
    this.emit(c, lead, "email_opened", { step: lead.lastEmail?.step, ...this.emailFields(lead.lastEmail) });
  }

  private click(lead: Lead, c: Campaign): void {
    lead.lastClick = this.ctx.clock.now();
    c.counters.link_click_count += 1;
    if (!lead.clicked) c.counters.link_click_count_unique += 1;
    lead.clicked = true;
    this.emit(c, lead, "email_link_clicked", { step: lead.lastEmail?.step, ...this.emailFields(lead.lastEmail) });
  }

  private unsubscribe(lead: Lead, c: Campaign): void {
    if (lead.status === LEAD_STATUS.UNSUBSCRIBED || lead.status === LEAD_STATUS.BOUNCED) return;
    lead.status = LEAD_STATUS.UNSUBSCRIBED;
    c.counters.unsubscribed_count += 1;
    this.emit(c, lead, "lead_unsubscribed", {});
  }

  private reply(lead: Lead, c: Campaign, category: ReplyCategory, text: string): void {
    if (lead.status === LEAD_STATUS.BOUNCED || lead.status === LEAD_STATUS.UNSUBSCRIBED) return;
    const now = this.ctx.clock.now();
    const auto = category === "out_of_office";
    c.counters.reply_count += 1;
    if (!lead.replied) c.counters.reply_count_unique += 1;
    if (auto) c.counters.reply_count_automatic += 1;
    lead.replied = !auto || lead.replied;
    lead.lastReply = now;
    const subject = `Re: ${lead.lastEmail?.subject ?? c.request.name}`;
    this.ctx.logs.message({
      provider: "instantly",
      id: `reply-${lead.lastEmail?.id ?? lead.id}-${now}`,
      channel: "email_cold",
      direction: "inbound",
      from: lead.email,
      to: this.sender(c),
      subject,
      text,
      at: isoAt(now),
      refs: { campaignId: c.id, leadId: lead.id, ...(lead.lastEmail ? { emailId: lead.lastEmail.id } : {}) },
    });
    this.emit(c, lead, auto ? "auto_reply_received" : "reply_received", {
      step: lead.lastEmail?.step,
      ...this.emailFields(lead.lastEmail),
      unibox_url: `https://app.instantly.ai/app/unibox?thread_search=${encodeURIComponent(lead.email)}`,
      reply_subject: subject,
      reply_text: text,
      reply_html: `<div>${text}</div>`,
      reply_text_snippet: text.slice(0, 100),
    });
    const interest = REPLY_INTEREST[category];
    if (interest) {
      lead.interest = interest.value;
      if (category === "interested") c.counters.total_opportunities += 1;
      this.emit(c, lead, interest.event, { lt_interest_status: interest.value });
    }
    if (category === "unsubscribe") this.unsubscribe(lead, c);
    const stop = auto ? c.request.stop_on_auto_reply === true : c.request.stop_on_reply !== false;
    if (stop && lead.status === LEAD_STATUS.ACTIVE) this.completeLead(lead, c);
  }

  // ---- webhooks ----

  private addWebhook(body: z.output<typeof createWebhookRequestSchema>): Webhook {
    const now = this.ctx.clock.now();
    const hook: Webhook = {
      id: uuid7(this.ctx.rng, now),
      target_hook_url: body.target_hook_url,
      event_type: body.event_type,
      campaign: body.campaign ?? null,
      name: body.name ?? null,
      custom_interest_value: body.custom_interest_value ?? null,
      headers: body.headers ?? {},
      status: 1,
      timestamp_created: isoAt(now),
      timestamp_error: null,
      consecutiveFailures: 0,
    };
    this.webhooks.set(hook.id, hook);
    return hook;
  }

  private emit(c: Campaign, lead: Lead | undefined, eventType: string, extra: Record<string, unknown>): void {
    const now = this.ctx.clock.now();
    const payload: Record<string, unknown> = {
      timestamp: isoAt(now),
      event_type: eventType,
      workspace: WORKSPACE_ID,
      campaign_id: c.id,
      campaign_name: c.request.name,
      ...(lead ? { lead_email: lead.email, email_account: this.sender(c) } : {}),
      ...extra,
      // Lead fields are merged in as extra top-level keys, in merge-tag spelling.
      ...(lead ? this.leadMergeFields(lead) : {}),
    };
    const body = JSON.stringify(payload);
    const scale = this.ctx.scenario().webhooks.retryScale;
    for (const hook of this.webhooks.values()) {
      if (hook.status !== 1) continue;
      if (hook.event_type !== "all_events" && hook.event_type !== eventType) continue;
      if (hook.campaign && hook.campaign !== c.id) continue;
      const record: WebhookEventRecord = {
        id: uuid7(this.ctx.rng, now),
        webhook_id: hook.id,
        event_type: eventType,
        success: false,
        retry_count: 0,
        will_retry: false,
        status_code: null,
        response_time_ms: 0,
        lead_email: lead?.email ?? null,
        payload,
        timestamp_created: isoAt(now),
      };
      this.webhookEvents.push(record);
      this.ctx.webhooks.deliver({
        provider: "instantly",
        url: hook.target_hook_url,
        eventType,
        body,
        // The stored headers, verbatim: Instantly's only authentication. Nothing is signed.
        headers: () => ({ ...hook.headers }),
        retryDelaysMs: RETRY_DELAYS_MS.map((d) => d * scale),
        timeoutMs: this.ctx.scenario().webhooks.timeoutMs,
        meta: { webhookId: hook.id },
        onAttempt: (ok, attempt, delivery) => {
          record.success = ok;
          record.retry_count = delivery.attempts.length - 1;
          record.will_retry = delivery.state === "retrying";
          record.status_code = attempt.status ?? null;
          record.response_time_ms = attempt.durationMs;
          if (ok) hook.consecutiveFailures = 0;
          else if (delivery.state === "failed") {
            hook.consecutiveFailures += 1;
            hook.timestamp_error = isoAt(this.ctx.clock.now());
            if (hook.consecutiveFailures >= DISABLE_AFTER_FAILED_DELIVERIES) hook.status = -1;
          }
        },
      });
    }
  }

  // ---- controls ----

  async control(req: SimRequest): Promise<Reply | undefined> {
    if (req.method !== "POST" || req.path !== "/events") return undefined;
    const body = controlEventBody.parse(readJson(req));
    const lead = [...this.leads.values()].find(
      (l) => l.email.toLowerCase() === body.lead_email.toLowerCase() && (!body.campaign_id || l.campaign === body.campaign_id),
    );
    const c = lead?.campaign ? this.campaigns.get(lead.campaign) : undefined;
    if (!lead || !c) return fail(404, "lead not found in any campaign");
    switch (body.type) {
      case "email_opened":
        this.open(lead, c);
        break;
      case "email_link_clicked":
        this.click(lead, c);
        break;
      case "email_bounced":
        this.bounce(lead, c);
        break;
      case "lead_unsubscribed":
        this.unsubscribe(lead, c);
        break;
      case "lead_interested":
        lead.interest = LEAD_INTEREST.INTERESTED;
        this.emit(c, lead, "lead_interested", { lt_interest_status: LEAD_INTEREST.INTERESTED });
        break;
      case "reply_received": {
        const category = body.category ?? "interested";
        this.reply(lead, c, category, body.text ?? REPLY_CORPUS[category][0]!);
        break;
      }
    }
    return json(200, this.leadJson(lead));
  }

  // ---- JSON views ----

  private sender(c: Campaign): string {
    return c.request.email_list?.[0] ?? DEFAULT_SENDER;
  }

  private emailFields(email: SentEmail | undefined): Record<string, unknown> {
    if (!email) return {};
    return { email_id: email.id, email_subject: email.subject, email_text: email.body.replace(/<[^>]+>/g, ""), email_html: email.body };
  }

  private leadMergeFields(lead: Lead): Record<string, unknown> {
    const f = lead.fields;
    return {
      ...(f.first_name ? { firstName: f.first_name } : {}),
      ...(f.last_name ? { lastName: f.last_name } : {}),
      ...(f.company_name ? { companyName: f.company_name } : {}),
      ...(f.phone ? { phone: f.phone } : {}),
      ...(f.website ? { website: f.website } : {}),
      ...(f.personalization ? { personalization: f.personalization } : {}),
      ...lead.payload,
    };
  }

  private campaignJson(c: Campaign) {
    return {
      id: c.id,
      name: c.request.name,
      status: c.status,
      not_sending_status: null,
      organization: WORKSPACE_ID,
      timestamp_created: isoAt(c.createdAt),
      timestamp_updated: isoAt(c.updatedAt),
      campaign_schedule: c.request.campaign_schedule,
      sequences: c.request.sequences ?? [],
      email_list: c.request.email_list ?? [],
      daily_limit: c.request.daily_limit ?? null,
      stop_on_reply: c.request.stop_on_reply ?? true,
      stop_on_auto_reply: c.request.stop_on_auto_reply ?? false,
      open_tracking: c.request.open_tracking ?? true,
      link_tracking: c.request.link_tracking ?? true,
      text_only: c.request.text_only ?? false,
    };
  }

  private analyticsJson(c: Campaign) {
    return {
      campaign_name: c.request.name,
      campaign_id: c.id,
      campaign_status: c.status,
      campaign_is_evergreen: false,
      leads_count: [...this.leads.values()].filter((l) => l.campaign === c.id).length,
      ...c.counters,
    };
  }

  private leadJson(l: Lead) {
    const at = (ms: number | undefined) => (ms === undefined ? null : isoAt(ms));
    return {
      id: l.id,
      timestamp_created: isoAt(l.createdAt),
      timestamp_updated: isoAt(l.updatedAt),
      organization: WORKSPACE_ID,
      campaign: l.campaign ?? null,
      list_id: l.listId ?? null,
      email: l.email,
      ...Object.fromEntries(Object.entries(l.fields).map(([k, v]) => [k, v ?? null])),
      payload: l.payload,
      status: l.status,
      lt_interest_status: l.interest,
      verification_status: 1,
      timestamp_last_contact: at(l.lastContact),
      timestamp_last_open: at(l.lastOpen),
      timestamp_last_reply: at(l.lastReply),
      timestamp_last_click: at(l.lastClick),
    };
  }

  private webhookJson(w: Webhook) {
    return {
      id: w.id,
      organization: WORKSPACE_ID,
      target_hook_url: w.target_hook_url,
      timestamp_created: w.timestamp_created,
      campaign: w.campaign,
      name: w.name,
      event_type: w.event_type,
      custom_interest_value: w.custom_interest_value,
      headers: w.headers,
      status: w.status,
      timestamp_error: w.timestamp_error,
    };
  }

  private page<T extends { id: string }>(items: T[], query: URLSearchParams): Reply {
    const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 100) || 100));
    return this.pageOf(items, limit, query.get("starting_after") ?? undefined);
  }

  private pageOf<T extends { id: string }>(items: T[], limit: number, startingAfter: string | undefined): Reply {
    const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const from = startingAfter ? sorted.findIndex((i) => i.id > startingAfter) : 0;
    const slice = from < 0 ? [] : sorted.slice(from, from + limit);
    const more = from >= 0 && from + limit < sorted.length;
    return json(200, { items: slice, next_starting_after: more ? slice.at(-1)!.id : null });
  }

  snapshot() {
    return {
      campaigns: [...this.campaigns.values()].map((c) => ({ id: c.id, name: c.request.name, status: c.status, ...c.counters })),
      leads: this.leads.size,
      webhooks: [...this.webhooks.values()].map((w) => this.webhookJson(w)),
    };
  }
}
