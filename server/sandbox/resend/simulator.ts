import { createHash } from "node:crypto";
import { Webhook as SvixWebhook } from "svix";
import { z } from "zod";
import { RESEND_EMAIL_EVENT_TYPES } from "../../providers/resend/webhooks";
import { between, isoAt, type ProviderSimulator, type SimContext } from "../core/context";
import { bearerToken, BadJsonError, json, readJson, Router, type Reply, type SimRequest } from "../core/http";

/**
 * Resend API simulator (providers.md §3): `{statusCode, message, name}` errors the SDK understands,
 * `re_…` Bearer keys, the required User-Agent, a team-wide per-second rate limit with the
 * `ratelimit-*` headers, `Idempotency-Key` with replay / 409 semantics kept 24 h (simulated time),
 * single and batch sends, and Svix-signed webhooks (svix-id / svix-timestamp / svix-signature made
 * with the `svix` package) retried on Resend's schedule.
 */

export interface ResendSimConfig {
  apiKeys: string[];
  /** Endpoints present from the start, as if created in the dashboard, with their signing secrets. */
  webhooks: { url: string; events: string[]; secret: string }[];
}

type EventType = (typeof RESEND_EMAIL_EVENT_TYPES)[number];

interface Email {
  id: string;
  from: string;
  to: string[];
  cc: string[] | null;
  bcc: string[] | null;
  replyTo: string[] | null;
  subject: string;
  html: string | null;
  text: string | null;
  tags: { name: string; value: string }[];
  createdAt: number;
  lastEvent: string;
}

interface Endpoint {
  id: string;
  endpoint: string;
  events: string[];
  signingSecret: string;
  createdAt: number;
}

interface IdempotencyEntry {
  hash: string;
  state: "in_flight" | "done";
  reply?: Reply;
  expiresAt: number;
}

const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
const RETRY_SCHEDULE_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000];
const MAX_RECIPIENTS = 50;
const FROM = /^(?:[^<>]*<\s*[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/;
const TAG = /^[A-Za-z0-9_-]{1,256}$/;

const fail = (status: number, name: string, message: string): Reply => json(status, { statusCode: status, message, name });

const stringOrList = z.union([z.string(), z.array(z.string())]);
const emailBody = z.looseObject({
  from: z.string().optional(),
  to: stringOrList.optional(),
  subject: z.string().optional(),
  cc: stringOrList.optional(),
  bcc: stringOrList.optional(),
  reply_to: stringOrList.optional(),
  html: z.string().optional(),
  text: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  tags: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  attachments: z.array(z.unknown()).optional(),
  scheduled_at: z.string().optional(),
  template: z.object({ id: z.string() }).loose().optional(),
});
type EmailBody = z.output<typeof emailBody>;

const list = (v: string | string[] | undefined): string[] | null => (v === undefined ? null : Array.isArray(v) ? v : [v]);

const controlEventBody = z.object({
  email_id: z.string(),
  type: z.enum(["email.delivered", "email.bounced", "email.complained", "email.opened", "email.clicked", "email.delivery_delayed", "email.failed"]),
});

export class ResendSimulator implements ProviderSimulator {
  readonly name = "resend" as const;
  private readonly emails = new Map<string, Email>();
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly idempotency = new Map<string, IdempotencyEntry>();
  private readonly router = new Router();
  private requestTimes: number[] = [];

  constructor(
    private readonly ctx: SimContext,
    private readonly config: ResendSimConfig,
  ) {
    for (const hook of config.webhooks) this.addEndpoint(hook.url, hook.events, hook.secret);
    this.routes();
  }

  errorReply(status: number, message: string): Reply {
    const name = status === 429 ? "rate_limit_exceeded" : status >= 500 ? "internal_server_error" : "application_error";
    return fail(status, name, message);
  }

  async handle(req: SimRequest): Promise<Reply> {
    // Cloudflare in front of the API refuses requests without a User-Agent, with a non-JSON page.
    if (!req.headers["user-agent"]) return { status: 403, body: "error code: 1010" };
    if (!req.headers.authorization) {
      return fail(401, "missing_api_key", "Missing API key in the authorization header. Include the following header Authorization: Bearer YOUR_API_KEY in the request.");
    }
    const token = bearerToken(req.headers);
    if (!token || !this.config.apiKeys.includes(token)) return fail(403, "invalid_api_key", "API key is invalid");

    const limit = this.ctx.scenario().resend.requestsPerSecond;
    const now = Date.now();
    this.requestTimes = this.requestTimes.filter((t) => t > now - 1_000);
    const limited = this.requestTimes.length >= limit;
    if (!limited) this.requestTimes.push(now);
    const rateHeaders = {
      "ratelimit-limit": String(limit),
      "ratelimit-remaining": String(Math.max(0, limit - this.requestTimes.length)),
      "ratelimit-reset": "1",
      "ratelimit-policy": `${limit};w=1`,
    };
    if (limited) {
      const reply = fail(429, "rate_limit_exceeded", `Too many requests. You can only make ${limit} requests per second. See rate limit response headers for more information.`);
      return { ...reply, headers: { ...rateHeaders, "retry-after": "1" } };
    }

    const found = this.router.match(req.method, req.path);
    let reply: Reply;
    if (found === undefined) reply = fail(404, "not_found", "The requested endpoint does not exist.");
    else if (found === "method") reply = fail(405, "method_not_allowed", "Method is not allowed for the requested path.");
    else {
      try {
        reply = await found.handler({ ...req, params: found.params });
      } catch (error) {
        if (error instanceof BadJsonError) reply = fail(400, "validation_error", "Invalid JSON body.");
        else if (error instanceof z.ZodError) reply = fail(422, "validation_error", error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
        else throw error;
      }
    }
    return { ...reply, headers: { ...rateHeaders, ...reply.headers } };
  }

  private routes(): void {
    const r = this.router;
    r.on("POST", "/emails", (req) => this.idempotent(req, async () => {
      const body = emailBody.parse(readJson(req));
      const problem = this.validate(body, false);
      if (problem) return problem;
      return json(200, { id: this.accept(body, req.headers["idempotency-key"]) });
    }));
    r.on("POST", "/emails/batch", (req) => this.idempotent(req, async () => {
      const raw = readJson(req);
      const parsed = z.array(z.unknown()).min(1).max(100).safeParse(raw);
      if (!parsed.success) return fail(422, "validation_error", "The request body must be an array of 1 to 100 emails.");
      const permissive = String(req.headers["x-batch-validation"] ?? "strict").toLowerCase() === "permissive";
      const checked = parsed.data.map((item, index) => {
        const body = emailBody.safeParse(item);
        if (!body.success) return { index, error: `emails[${index}]: invalid email object` };
        const problem = this.validate(body.data, true);
        return problem ? { index, error: `emails[${index}]: ${(problem.body as { message: string }).message}` } : { index, body: body.data };
      });
      const errors = checked.filter((c): c is { index: number; error: string } => "error" in c && typeof c.error === "string");
      if (errors.length > 0 && !permissive) return fail(422, "validation_error", errors[0]!.error);
      const data = checked.flatMap((c) => ("body" in c && c.body ? [{ id: this.accept(c.body, req.headers["idempotency-key"]) }] : []));
      return json(200, permissive ? { data, errors: errors.map((e) => ({ index: e.index, message: e.error })) } : { data });
    }));
    r.on("GET", "/emails/:id", (req) => {
      const email = this.emails.get(req.params.id!);
      return email ? json(200, this.emailJson(email)) : fail(404, "not_found", "Email not found");
    });
    r.on("POST", "/webhooks", (req) => {
      const body = z.object({ endpoint: z.url(), events: z.array(z.enum(RESEND_EMAIL_EVENT_TYPES)).min(1) }).parse(readJson(req));
      const secret = `whsec_${Buffer.from(this.ctx.rng.hex(48), "hex").toString("base64")}`;
      const endpoint = this.addEndpoint(body.endpoint, body.events, secret);
      return json(201, { object: "webhook", id: endpoint.id, signing_secret: endpoint.signingSecret });
    });
    r.on("GET", "/webhooks", () => json(200, { object: "list", has_more: false, data: [...this.endpoints.values()].map((e) => this.endpointJson(e)) }));
    r.on("GET", "/webhooks/:id", (req) => {
      const e = this.endpoints.get(req.params.id!);
      return e ? json(200, this.endpointJson(e)) : fail(404, "not_found", "Webhook not found");
    });
    r.on("DELETE", "/webhooks/:id", (req) => {
      const existed = this.endpoints.delete(req.params.id!);
      return existed ? json(200, { object: "webhook", id: req.params.id, deleted: true }) : fail(404, "not_found", "Webhook not found");
    });
  }

  /**
   * Idempotency-Key semantics: same key + same body → the stored answer, nothing re-sent; same key +
   * other body → 409 invalid_idempotent_request; same key while the first is running → 409
   * concurrent_idempotent_requests. Only successes are stored, so a corrected request can reuse its key.
   */
  private async idempotent(req: SimRequest, run: () => Promise<Reply>): Promise<Reply> {
    const header = req.headers["idempotency-key"];
    const key = Array.isArray(header) ? header[0] : header;
    const delay = this.ctx.scenario().resend.processingDelayMs;
    if (key === undefined) {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      return run();
    }
    if (key.length < 1 || key.length > 256) return fail(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    const now = this.ctx.clock.now();
    const storeKey = `${req.path}\u0000${key}`;
    const hash = createHash("sha256").update(req.rawBody).digest("hex");
    const existing = this.idempotency.get(storeKey);
    if (existing && existing.expiresAt > now) {
      if (existing.hash !== hash) {
        return fail(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload. Change your idempotency key or payload.");
      }
      if (existing.state === "in_flight") {
        return fail(409, "concurrent_idempotent_requests", "Same idempotency key used while original request is still in progress. Try the request again later.");
      }
      return existing.reply!;
    }
    const entry: IdempotencyEntry = { hash, state: "in_flight", expiresAt: now + IDEMPOTENCY_TTL_MS };
    this.idempotency.set(storeKey, entry);
    try {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const reply = await run();
      if (reply.status >= 200 && reply.status < 300) {
        entry.state = "done";
        entry.reply = reply;
      } else {
        this.idempotency.delete(storeKey);
      }
      return reply;
    } catch (error) {
      this.idempotency.delete(storeKey);
      throw error;
    }
  }

  private validate(body: EmailBody, inBatch: boolean): Reply | undefined {
    if (!body.from && !body.template) return fail(422, "missing_required_field", "Missing `from` field.");
    if (!body.to || (Array.isArray(body.to) && body.to.length === 0)) return fail(422, "missing_required_field", "Missing `to` field.");
    if (body.subject === undefined && !body.template) return fail(422, "missing_required_field", "Missing `subject` field.");
    if (body.from && !FROM.test(body.from.trim())) {
      return fail(422, "validation_error", "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.");
    }
    const recipients = list(body.to)!;
    if (recipients.length > MAX_RECIPIENTS) return fail(422, "invalid_parameter", `Too many recipients: \`to\` accepts at most ${MAX_RECIPIENTS} addresses.`);
    if (body.tags?.some((t) => !TAG.test(t.name) || !TAG.test(t.value))) {
      return fail(422, "invalid_parameter", "Tags should only contain ASCII letters, numbers, underscores, or dashes.");
    }
    if (inBatch && (body.attachments || body.scheduled_at)) return fail(422, "validation_error", "`attachments` and `scheduled_at` are not supported in batch sending.");
    return undefined;
  }

  /** Stores the email, logs it, and schedules its life (sent → delivered/bounced → opened/clicked/complained). */
  private accept(body: EmailBody, idempotencyKey: string | string[] | undefined): string {
    const { rng, clock } = this.ctx;
    const s = this.ctx.scenario();
    const now = clock.now();
    const email: Email = {
      id: rng.uuid(),
      from: body.from ?? "template@resend.dev",
      to: list(body.to)!,
      cc: list(body.cc),
      bcc: list(body.bcc),
      replyTo: list(body.reply_to),
      subject: body.subject ?? "",
      html: body.html ?? null,
      text: body.text ?? null,
      tags: body.tags ?? [],
      createdAt: now,
      lastEvent: "queued",
    };
    this.emails.set(email.id, email);
    this.ctx.logs.message({
      provider: "resend",
      id: email.id,
      channel: "email_warm",
      direction: "outbound",
      from: email.from,
      to: email.to.join(", "),
      subject: email.subject,
      text: email.text ?? email.html ?? "",
      at: isoAt(now),
      refs: typeof idempotencyKey === "string" ? { idempotencyKey } : {},
    });
    // Every outcome drawn now, in a fixed order, from the seeded stream.
    const deliveredAt = now + between(rng, s.email.deliveryDelayMs);
    const bounces = rng.chance(s.email.bounceRate);
    const complains = !bounces && rng.chance(s.email.complaintRate);
    const opens = !bounces && rng.chance(s.email.openProbability);
    const clicks = opens && rng.chance(s.email.clickProbability);
    const laterAt = deliveredAt + between(rng, s.email.openDelayMs);
    this.emitEvent(email, "email.sent");
    clock.at(deliveredAt, () => this.emitEvent(email, bounces ? "email.bounced" : "email.delivered"));
    if (opens) clock.at(laterAt, () => this.emitEvent(email, "email.opened"));
    if (clicks) clock.at(laterAt + 20_000, () => this.emitEvent(email, "email.clicked"));
    if (complains) clock.at(laterAt + 60_000, () => this.emitEvent(email, "email.complained"));
    return email.id;
  }

  private emitEvent(email: Email, type: EventType): void {
    const now = this.ctx.clock.now();
    email.lastEvent = type.slice("email.".length);
    const link = /href="([^"]+)"/.exec(email.html ?? "")?.[1] ?? "https://cerniq.ro/oferta";
    const payload = {
      type,
      created_at: isoAt(now),
      data: {
        created_at: isoAt(email.createdAt).replace("Z", "+00:00"),
        email_id: email.id,
        from: email.from,
        to: email.to,
        subject: email.subject,
        message_id: `<${email.id}@email.amazonses.com>`,
        // Webhook tags are an object, unlike the array the send request takes.
        tags: Object.fromEntries(email.tags.map((t) => [t.name, t.value])),
        ...(type === "email.bounced"
          ? { bounce: { message: "The recipient's email address does not exist (550 5.1.1 user unknown).", subType: "General", type: "Permanent" } }
          : {}),
        ...(type === "email.clicked" ? { click: { ipAddress: "86.120.10.1", link, timestamp: isoAt(now), userAgent: "Mozilla/5.0 (Linux; Android 14)" } } : {}),
        ...(type === "email.failed" ? { failed: { reason: "reached_daily_quota" } } : {}),
      },
    };
    const body = JSON.stringify(payload);
    const { retryScale, timeoutMs, resendSignatureSkewSeconds } = this.ctx.scenario().webhooks;
    for (const endpoint of this.endpoints.values()) {
      if (!endpoint.events.includes(type)) continue;
      // One svix-id per message, kept across retries; each attempt is signed afresh with its own timestamp.
      const svixId = `msg_${this.ctx.rng.hex(26)}`;
      const signer = new SvixWebhook(endpoint.signingSecret);
      this.ctx.webhooks.deliver({
        provider: "resend",
        url: endpoint.endpoint,
        eventType: type,
        body,
        headers: () => {
          // Signatures use wall-clock time: the receiver checks them against its own clock (±5 min),
          // whatever the simulated clock says.
          const at = new Date(Date.now() + resendSignatureSkewSeconds * 1000);
          return {
            "svix-id": svixId,
            "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
            "svix-signature": signer.sign(svixId, at, body),
          };
        },
        retryDelaysMs: RETRY_SCHEDULE_MS.map((d) => d * retryScale),
        timeoutMs,
        meta: { svixId, endpointId: endpoint.id, emailId: email.id },
      });
    }
  }

  private addEndpoint(url: string, events: string[], secret: string): Endpoint {
    const endpoint: Endpoint = { id: this.ctx.rng.uuid(), endpoint: url, events, signingSecret: secret, createdAt: this.ctx.clock.now() };
    this.endpoints.set(endpoint.id, endpoint);
    return endpoint;
  }

  async control(req: SimRequest): Promise<Reply | undefined> {
    if (req.method !== "POST" || req.path !== "/events") return undefined;
    const body = controlEventBody.parse(readJson(req));
    const email = this.emails.get(body.email_id);
    if (!email) return fail(404, "not_found", "Email not found");
    this.emitEvent(email, body.type);
    return json(200, this.emailJson(email));
  }

  private emailJson(e: Email) {
    return {
      object: "email",
      id: e.id,
      from: e.from,
      to: e.to,
      cc: e.cc,
      bcc: e.bcc,
      reply_to: e.replyTo,
      subject: e.subject,
      html: e.html,
      text: e.text,
      created_at: isoAt(e.createdAt),
      scheduled_at: null,
      tags: e.tags,
      last_event: e.lastEvent,
    };
  }

  private endpointJson(e: Endpoint) {
    return { object: "webhook", id: e.id, endpoint: e.endpoint, events: e.events, status: "enabled", created_at: isoAt(e.createdAt), signing_secret: e.signingSecret };
  }

  snapshot() {
    const byEvent: Record<string, number> = {};
    for (const e of this.emails.values()) byEvent[e.lastEvent] = (byEvent[e.lastEvent] ?? 0) + 1;
    return { emails: this.emails.size, lastEvents: byEvent, webhooks: [...this.endpoints.values()].map((e) => ({ id: e.id, endpoint: e.endpoint, events: e.events })) };
  }
}
