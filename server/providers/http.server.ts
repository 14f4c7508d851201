import { EventEmitter } from "node:events";
import { request } from "undici";
import type { z } from "zod";
import { logEvent } from "../observability/logger.server";
import {
  ProviderAuthError,
  ProviderRateLimitedError,
  ProviderRequestError,
  ProviderResponseError,
  ProviderUnavailableError,
  type ProviderError,
  type ProviderName,
} from "./errors";
import { withRetry, type RetryOptions } from "./retry";
import { systemTimekeeper, type Timekeeper } from "../clock";

/**
 * The one HTTP path every JSON provider client goes through:
 * pace → fetch with a timeout → map non-2xx to a typed error → zod-parse the body, all inside the
 * seeds' retry policy. Provider modules only describe their paths, schemas and error envelopes.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
export type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];

/** A response's headers, by case-insensitive name (several values of one header joined with ", "). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  /** Parsed JSON, or undefined when the body is empty or not JSON (then see `text`). */
  body: unknown;
  text: string;
}

export interface RawRequest {
  provider: ProviderName;
  operation: string;
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

/** Connection errors that prove the request never reached the server, so repeating it is safe. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** undici's header object (lower-case names) read the way a WHATWG Headers is. */
function headerReader(headers: Record<string, string | string[] | undefined>): ResponseHeaders {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

/**
 * One request with an overall deadline (connecting, the answer and its whole body), through undici's
 * `request` rather than the global `fetch`: the same client underneath without the WHATWG layer
 * (Request/Response objects, web streams, an AbortSignal per call), which cost about 0.3 ms of CPU
 * per request (docs/decisions/0019). Errors are classified as before: a timeout or a broken
 * connection may have reached the provider (ambiguous); a refused or unresolvable connection did not.
 */
export async function sendRaw(req: RawRequest): Promise<HttpResponse> {
  const ctx = { provider: req.provider, operation: req.operation };
  // An EventEmitter is one of the signals undici's request takes (AbortSignal is the other); it
  // costs nothing until it fires, unlike an AbortSignal.timeout per call.
  const abort = new EventEmitter();
  let timedOut = false;
  const deadline = setTimeout(() => {
    timedOut = true;
    abort.emit("abort");
  }, req.timeoutMs);
  deadline.unref();
  try {
    const response = await request(req.url, {
      method: req.method,
      headers: req.body === undefined ? req.headers : { "content-type": "application/json", ...req.headers },
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal: abort,
    });
    // The deadline also covers reading the body: a server that sends headers and then stalls is down too.
    const text = await response.body.text();
    let body: unknown;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
    }
    return { status: response.statusCode, headers: headerReader(response.headers), body, text };
  } catch (error) {
    if (timedOut) {
      throw new ProviderUnavailableError(`${req.provider} ${req.operation}: no answer within ${req.timeoutMs} ms`, {
        ...ctx,
        reason: "timeout",
        ambiguous: true,
        cause: error,
      });
    }
    const code = causeCode(error);
    const notSent = code !== undefined && NOT_SENT_CODES.has(code);
    throw new ProviderUnavailableError(`${req.provider} ${req.operation}: network error${code ? ` (${code})` : ""}`, {
      ...ctx,
      reason: "network",
      ambiguous: !notSent,
      cause: error,
    });
  } finally {
    clearTimeout(deadline);
  }
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface ErrorContext {
  provider: ProviderName;
  operation: string;
  now: number;
}

/** Status-based mapping shared by all providers; provider modules refine it (e.g. invalid number). */
export function defaultHttpError(res: HttpResponse, ctx: ErrorContext, providerMessage?: string, providerCode?: string): ProviderError {
  const base = { provider: ctx.provider, operation: ctx.operation, status: res.status, providerMessage };
  const what = `${ctx.provider} ${ctx.operation}: HTTP ${res.status}${providerMessage ? ` ${providerMessage}` : ""}`;
  if (res.status === 401 || res.status === 402 || res.status === 403) return new ProviderAuthError(what, base);
  if (res.status === 429) {
    return new ProviderRateLimitedError(what, { ...base, retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), ctx.now) });
  }
  if (res.status >= 500) return new ProviderUnavailableError(what, { ...base, reason: "server" });
  return new ProviderRequestError(what, { ...base, providerCode });
}

export function decode<S extends z.ZodType>(schema: S, value: unknown, ctx: { provider: ProviderName; operation: string; status?: number }): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new ProviderResponseError(`${ctx.provider} ${ctx.operation}: unexpected response shape`, { ...ctx, issues });
}

export interface JsonApiConfig {
  provider: ProviderName;
  baseUrl: string;
  /** Auth and identification headers sent on every request. */
  headers: Record<string, string>;
  timeoutMs: number;
  retry?: Omit<RetryOptions, "idempotent" | "onRetry">;
  time?: Timekeeper;
  /** Turns a non-2xx answer into a typed error; the provider's error envelope lives there. */
  mapError: (res: HttpResponse, ctx: ErrorContext) => ProviderError;
}

export interface JsonCall<S extends z.ZodType> {
  operation: string;
  method: HttpMethod;
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  headers?: Record<string, string>;
  schema: S;
  /** See RetryOptions.idempotent. GET/PUT/DELETE default to true, POST/PATCH to false. */
  idempotent?: boolean;
  /** Runs before every attempt, retries included (pacing: each attempt is a request the provider counts). */
  beforeAttempt?: () => Promise<void>;
  /** Pulls the payload out of an envelope before `schema` runs. */
  unwrap?: (body: unknown) => unknown;
}

export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const url = new URL(baseUrl.replace(/\/+$/, "") + path);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    url.searchParams.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  return url.toString();
}

export class JsonApi {
  private readonly time: Timekeeper;
  constructor(private readonly config: JsonApiConfig) {
    this.time = config.time ?? config.retry?.time ?? systemTimekeeper;
  }

  async call<S extends z.ZodType>(spec: JsonCall<S>): Promise<z.output<S>> {
    const { provider } = this.config;
    const url = buildUrl(this.config.baseUrl, spec.path, spec.query);
    const idempotent = spec.idempotent ?? !(spec.method === "POST" || spec.method === "PATCH");
    return withRetry(
      async (attempt) => {
        await spec.beforeAttempt?.();
        const started = this.time.now();
        const res = await sendRaw({
          provider,
          operation: spec.operation,
          method: spec.method,
          url,
          headers: { ...this.config.headers, ...spec.headers },
          body: spec.body,
          timeoutMs: this.config.timeoutMs,
        });
        logEvent("debug", {
          action: "provider.request",
          channel: provider,
          duration: this.time.now() - started,
          metadata: { provider, operation: spec.operation, method: spec.method, status: res.status, attempt },
        });
        if (res.status < 200 || res.status >= 300) {
          throw this.config.mapError(res, { provider, operation: spec.operation, now: this.time.now() });
        }
        if (res.body === undefined && res.text.length > 0) {
          throw new ProviderResponseError(`${provider} ${spec.operation}: response is not JSON`, {
            provider,
            operation: spec.operation,
            status: res.status,
          });
        }
        const payload = spec.unwrap ? spec.unwrap(res.body) : res.body;
        return decode(spec.schema, payload, { provider, operation: spec.operation, status: res.status });
      },
      {
        ...this.config.retry,
        time: this.time,
        idempotent,
        onRetry: ({ attempt, delayMs, error }) =>
          logEvent("warn", {
            action: "provider.retry",
            channel: provider,
            error: { code: error.code, message: error.message },
            metadata: { provider, operation: spec.operation, attempt, delayMs },
          }),
      },
    );
  }
}
