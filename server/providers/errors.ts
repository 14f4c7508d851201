import { DomainError, type DomainErrorKind } from "../errors";

/**
 * Typed provider failures. Every class carries a stable `code` (for logs, the DLQ and the UI's
 * Romanian sentence) and a `retryable` flag that the retry helper and the job layer both read, so the
 * decision "try again or give up" is made from the error, never from parsing a message.
 *
 * They extend DomainError so the single tRPC error formatter maps them like any other domain error.
 */
export type ProviderName = "timelinesai" | "instantly" | "resend" | "llm";

export interface ProviderErrorContext {
  provider: ProviderName;
  /** Client operation, e.g. "sendToPhone"; useful in logs and DLQ entries. */
  operation?: string;
  /** HTTP status when the provider answered. */
  status?: number;
  /** The provider's own error name/message, trimmed; never request bodies or tokens. */
  providerMessage?: string;
  cause?: unknown;
}

export abstract class ProviderError extends DomainError {
  abstract readonly retryable: boolean;
  readonly provider: ProviderName;
  readonly operation: string | undefined;
  readonly status: number | undefined;
  readonly providerMessage: string | undefined;

  protected constructor(
    kind: DomainErrorKind,
    code: string,
    message: string,
    ctx: ProviderErrorContext,
    extra?: Record<string, unknown>,
  ) {
    super(kind, code, message, { provider: ctx.provider, operation: ctx.operation, status: ctx.status, ...extra });
    this.name = new.target.name;
    this.provider = ctx.provider;
    this.operation = ctx.operation;
    this.status = ctx.status;
    this.providerMessage = ctx.providerMessage;
    if (ctx.cause !== undefined) (this as { cause?: unknown }).cause = ctx.cause;
  }
}

/** 401/403 (and Instantly's 402 "no paid plan"): configuration problem, retrying cannot help. */
export class ProviderAuthError extends ProviderError {
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext) {
    super("UNAVAILABLE", "PROVIDER_AUTH", message, ctx);
  }
}

/** The recipient cannot be reached on this channel (TimelinesAI: invalid WhatsApp number). */
export class ProviderInvalidRecipientError extends ProviderError {
  readonly retryable = false;
  constructor(
    message: string,
    ctx: ProviderErrorContext & { recipient?: string },
  ) {
    super("BAD_INPUT", "PROVIDER_INVALID_RECIPIENT", message, ctx);
  }
}

/**
 * 429 from the provider, or our own pacing could not get a slot within its max wait.
 * `scope` tells them apart: the retry helper retries only provider 429s; a local pacing refusal goes
 * straight back to the job, which reschedules instead of holding a worker for minutes.
 */
export class ProviderRateLimitedError extends ProviderError {
  readonly retryable = true;
  readonly retryAfterMs: number | undefined;
  readonly scope: "provider" | "local-pacing";
  constructor(
    message: string,
    ctx: ProviderErrorContext & { retryAfterMs?: number; scope?: "provider" | "local-pacing" },
  ) {
    super("RATE_LIMITED", "PROVIDER_RATE_LIMITED", message, ctx);
    this.retryAfterMs = ctx.retryAfterMs;
    this.scope = ctx.scope ?? "provider";
  }
}

export type UnavailableReason = "timeout" | "network" | "server";

/**
 * 5xx, network failure or timeout. `ambiguous` is true when the request may have been processed
 * (we timed out after sending it): a non-idempotent send must not be blindly repeated then.
 */
export class ProviderUnavailableError extends ProviderError {
  readonly retryable = true;
  readonly reason: UnavailableReason;
  readonly ambiguous: boolean;
  constructor(message: string, ctx: ProviderErrorContext & { reason: UnavailableReason; ambiguous?: boolean }) {
    super("UNAVAILABLE", "PROVIDER_UNAVAILABLE", message, ctx);
    this.reason = ctx.reason;
    this.ambiguous = ctx.ambiguous ?? ctx.reason !== "network";
  }
}

/** Any other 4xx: our request is wrong (validation, not found, conflict). Not retried (seeds §6.1). */
export class ProviderRequestError extends ProviderError {
  readonly retryable = false;
  /** The provider's machine-readable error name when it has one (Resend `name`, Instantly `error`). */
  readonly providerCode: string | undefined;
  constructor(message: string, ctx: ProviderErrorContext & { providerCode?: string }) {
    super("PRECONDITION_FAILED", "PROVIDER_REQUEST_REJECTED", message, ctx);
    this.providerCode = ctx.providerCode;
  }
}

/** 2xx whose body does not match the schema we rely on (or an LLM answer that is not the asked JSON). */
export class ProviderResponseError extends ProviderError {
  readonly retryable = false;
  constructor(message: string, ctx: ProviderErrorContext & { issues?: string[] }) {
    super("UNAVAILABLE", "PROVIDER_BAD_RESPONSE", message, ctx, ctx.issues ? { issues: ctx.issues } : undefined);
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
