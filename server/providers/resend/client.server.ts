import { Resend } from "resend";
import {
  ProviderAuthError,
  ProviderRateLimitedError,
  ProviderRequestError,
  ProviderUnavailableError,
  type ProviderError,
} from "../errors";
import { decode, parseRetryAfter } from "../http.server";
import { withRetry, type RetryPolicy } from "../retry";
import { systemTimekeeper, type Timekeeper } from "../../clock";
import { logEvent } from "../../observability/logger.server";
import { batchResultSchema, emailSchema, sdkErrorSchema, sendResultSchema, type ResendEmail } from "./schemas";

export const RESEND_DEFAULT_BASE_URL = "https://api.resend.com";

export interface ResendClientConfig {
  /** No trailing slash: the SDK appends `/emails`. */
  baseUrl: string;
  apiKey: string;
  /** Default sender, "Name <address>", used when a message does not name one. */
  from?: string;
  timeoutMs?: number;
  retryPolicy?: Partial<RetryPolicy>;
  time?: Timekeeper;
}

export interface WarmEmail {
  from?: string;
  to: string | string[];
  subject: string;
  html?: string;
  text?: string;
  replyTo?: string | string[];
  /** Sent as Resend tags (ASCII letters, digits, _ and - only); they come back on webhooks as an object. */
  tags?: Record<string, string>;
  headers?: Record<string, string>;
}

type SdkResult<T> = { data: T | null; error: unknown; headers: Record<string, string> | null };

const AUTH_NAMES = new Set(["missing_api_key", "invalid_api_key", "restricted_api_key"]);
const QUOTA_NAMES = new Set(["daily_quota_exceeded", "monthly_quota_exceeded"]);

/**
 * Resend through the official SDK, pointed at `baseUrl` (the constructor option, v6.12.4+; the SDK
 * would also read RESEND_BASE_URL, but explicit config keeps the client free of process.env).
 * The SDK returns errors instead of throwing; this wrapper turns them into our typed errors and runs
 * the seeds' retry policy. Every send carries an Idempotency-Key, so retrying a timeout is safe.
 */
export class ResendClient {
  private readonly sdk: Resend;
  private readonly time: Timekeeper;
  private readonly timeoutMs: number;

  constructor(private readonly config: ResendClientConfig) {
    this.sdk = new Resend(config.apiKey, { baseUrl: config.baseUrl.replace(/\/+$/, "") });
    this.time = config.time ?? systemTimekeeper;
    this.timeoutMs = config.timeoutMs ?? 30_000;
  }

  private toWire(email: WarmEmail) {
    const from = email.from ?? this.config.from;
    if (!from) {
      throw new ProviderRequestError("resend: no sender (set RESEND_FROM or pass from)", { provider: "resend", operation: "send" });
    }
    return {
      from,
      to: email.to,
      subject: email.subject,
      ...(email.html !== undefined ? { html: email.html } : {}),
      ...(email.text !== undefined ? { text: email.text } : {}),
      ...(email.replyTo !== undefined ? { replyTo: email.replyTo } : {}),
      ...(email.headers ? { headers: email.headers } : {}),
      ...(email.tags ? { tags: Object.entries(email.tags).map(([name, value]) => ({ name, value })) } : {}),
    };
  }

  /** Idempotency-Key (1–256 chars, kept 24 h): use a stable id of the message, e.g. its communication-log id. */
  async send(email: WarmEmail, options: { idempotencyKey: string }): Promise<{ id: string }> {
    const payload = this.toWire(email);
    return this.run("send", async (signal) => {
      const result = await this.sdk.emails.send(payload as Parameters<Resend["emails"]["send"]>[0], {
        idempotencyKey: options.idempotencyKey,
        signal,
      });
      return this.unwrap("send", result, signal, (data) => decode(sendResultSchema, data, { provider: "resend", operation: "send" }));
    });
  }

  /** 1–100 emails in one request; `strict` (default) is all-or-nothing. */
  async sendBatch(
    emails: WarmEmail[],
    options: { idempotencyKey: string; validation?: "strict" | "permissive" },
  ): Promise<{ ids: string[]; errors: { index: number; message: string }[] }> {
    const payload = emails.map((e) => this.toWire(e));
    return this.run("sendBatch", async (signal) => {
      const result = await this.sdk.batch.send(payload as Parameters<Resend["batch"]["send"]>[0], {
        idempotencyKey: options.idempotencyKey,
        batchValidation: options.validation ?? "strict",
        signal,
      });
      return this.unwrap("sendBatch", result, signal, (data) => {
        const parsed = decode(batchResultSchema, data, { provider: "resend", operation: "sendBatch" });
        return { ids: parsed.data.map((d) => d.id), errors: parsed.errors ?? [] };
      });
    });
  }

  async getEmail(id: string): Promise<ResendEmail> {
    return this.run("getEmail", async (signal) => {
      const result = await this.sdk.emails.get(id, { signal });
      return this.unwrap("getEmail", result, signal, (data) => decode(emailSchema, data, { provider: "resend", operation: "getEmail" }));
    });
  }

  private run<T>(operation: string, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withRetry(() => attempt(AbortSignal.timeout(this.timeoutMs)), {
      policy: this.config.retryPolicy,
      time: this.time,
      idempotent: true,
      onRetry: ({ attempt: n, delayMs, error }) =>
        logEvent("warn", {
          action: "provider.retry",
          channel: "resend",
          error: { code: error.code, message: error.message },
          metadata: { provider: "resend", operation, attempt: n, delayMs },
        }),
    });
  }

  private unwrap<T, R>(operation: string, result: SdkResult<T>, signal: AbortSignal, parse: (data: T) => R): R {
    if (result.error) throw this.mapError(operation, result.error, result.headers, signal);
    return parse(result.data as T);
  }

  private mapError(operation: string, raw: unknown, headers: Record<string, string> | null, signal: AbortSignal): ProviderError {
    const error = sdkErrorSchema.safeParse(raw);
    const { name, message, statusCode } = error.success ? error.data : { name: "application_error", message: "", statusCode: null };
    const ctx = { provider: "resend" as const, operation, status: statusCode ?? undefined, providerMessage: `${name}: ${message}` };
    const what = `resend ${operation}: ${name}${message ? ` (${message})` : ""}`;
    // The SDK swallows fetch failures into statusCode null; our own signal tells a timeout apart.
    if (statusCode === null || statusCode === undefined) {
      return signal.aborted
        ? new ProviderUnavailableError(`resend ${operation}: no answer within ${this.timeoutMs} ms`, { ...ctx, reason: "timeout" })
        : new ProviderUnavailableError(what, { ...ctx, reason: "network" });
    }
    if (AUTH_NAMES.has(name)) return new ProviderAuthError(what, ctx);
    if (statusCode === 429) {
      // Quotas reset at the day/month boundary; a huge retryAfter makes the retry helper hand it to the job.
      const retryAfterMs = QUOTA_NAMES.has(name) ? 24 * 3_600_000 : parseRetryAfter(headers?.["retry-after"], this.time.now());
      return new ProviderRateLimitedError(what, { ...ctx, retryAfterMs });
    }
    if (name === "concurrent_idempotent_requests") {
      // The first request with this key is still running; asking again shortly returns its result.
      return new ProviderRateLimitedError(what, { ...ctx, retryAfterMs: 1_000 });
    }
    if (statusCode >= 500) return new ProviderUnavailableError(what, { ...ctx, reason: "server" });
    if (statusCode === 401) return new ProviderAuthError(what, ctx);
    return new ProviderRequestError(what, { ...ctx, providerCode: name });
  }
}
