import type { WebhookProvider } from "../generated/prisma/enums";
import type { BodyRead } from "./body";

/**
 * One provider's rules for its webhook, as the ingest pipeline (ingest.server.ts) asks for them:
 * credentials first (before the body is read), then the bytes (signatures), then the payload's shape
 * and identity, then whose it is. Each provider answers in its own module; the order, the status
 * codes and the storage are the pipeline's alone, so the three routes cannot drift apart.
 */
export type Verdict<T> = { ok: true; value: T } | { ok: false; message: string };

export const pass = <T>(value: T): Verdict<T> => ({ ok: true, value });
export const fail = <T = never>(message: string): Verdict<T> => ({ ok: false, message });

/**
 * What the pipeline needs of an HTTP request, whichever server received it: Remix's fetch Request
 * (route.server.ts) or Express's IncomingMessage (express.server.ts). Both adapters build this, so
 * the pipeline and the providers are one implementation for both (docs/decisions/0006-webhook-fast-path.md).
 */
export interface WebhookRequest {
  readonly method: string;
  /** A header's value, or null; `name` is lower-case. Repeated headers are joined with ", ". */
  header(name: string): string | null;
  /** Path parameters: TimelinesAI's `secret`. */
  readonly params: Readonly<Record<string, string | undefined>>;
  /** Reads the body, never holding more than `maxBytes` of it: past that, `tooLarge` and the rest is left unread. */
  readBody(maxBytes: number): Promise<BodyRead>;
}

/** What every source learns from the credentials; TimelinesAI's URL secret already names the tenant. */
export interface Credentials {
  tenantId: string | null;
}

export interface InterpretedEvent {
  /** The provider's id for this delivery; retries of one event repeat it (the replay guard). */
  providerEventId: string;
  eventType: string;
  /** False for authentic event types we have no use for; they are acknowledged, not processed. */
  supported: boolean;
}

export type Attribution =
  | { tenantId: string }
  | { tenantId: null; code: "UNKNOWN_TENANT" | "UNSUPPORTED_EVENT"; message: string };

export interface WebhookSource<C extends Credentials, P> {
  readonly provider: WebhookProvider;
  /** URL secret, secret header, presence of signature headers: checks that need no body. */
  checkRequest(request: WebhookRequest): Promise<Verdict<C>>;
  /** Checks over the exact bytes received (signatures). */
  verifyBody(bytes: Buffer, credentials: C): Verdict<void>;
  /** Validates the parsed JSON (zod) and names the event. */
  interpret(json: unknown, bytes: Buffer, credentials: C): Verdict<{ event: InterpretedEvent; payload: P }>;
  /** The tenant the event belongs to, or why none can be named. */
  attribute(event: InterpretedEvent, payload: P, credentials: C): Promise<Attribution>;
}
