import type { IncomingHttpHeaders } from "node:http";

/**
 * The few HTTP pieces the simulators share: a request view, a reply value and a path router.
 * Handlers return a Reply (or a promise of one) instead of writing to the socket, which keeps each
 * provider's routes plain functions and lets the launcher apply faults and logging in one place.
 */
export interface SimRequest {
  method: string;
  /** Path inside the provider, e.g. "/messages/abc/status_history". */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  params: Record<string, string>;
}

export interface Reply {
  status: number;
  /** Objects are sent as JSON; strings as text/plain (e.g. Cloudflare's non-JSON refusals). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Hold the request open and never answer (timeout injection). */
  hang?: boolean;
  /** Destroy the socket without an answer (connection reset injection). */
  reset?: boolean;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, body, headers });

export class BadJsonError extends Error {}

/** Parses the body as JSON; an empty body is `undefined`. Throws BadJsonError on malformed JSON. */
export function readJson(req: SimRequest): unknown {
  if (req.rawBody.length === 0) return undefined;
  try {
    return JSON.parse(req.rawBody.toString("utf8"));
  } catch {
    throw new BadJsonError("Unexpected token in JSON body");
  }
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const value = headers.authorization;
  if (!value) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(value.trim());
  return m ? m[1]!.trim() : "";
}

export type Handler = (req: SimRequest) => Reply | Promise<Reply>;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

/** Exact segments and `:name` parameters; literal segments win over parameters ("/campaigns/analytics" before "/campaigns/:id"). */
export class Router {
  private readonly routes: Route[] = [];

  on(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split("/").filter(Boolean), handler });
    // More literal segments first, so a fixed path is never captured by a parameter route.
    this.routes.sort((a, b) => literalScore(b) - literalScore(a));
    return this;
  }

  /** The handler and params, `"method"` when the path exists with another verb, or undefined. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | "method" | undefined {
    const segments = path.split("/").filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchParts(route.parts, segments);
      if (!params) continue;
      if (route.method !== method) {
        pathMatched = true;
        continue;
      }
      return { handler: route.handler, params };
    }
    return pathMatched ? "method" : undefined;
  }
}

function literalScore(route: Route): number {
  return route.parts.filter((p) => !p.startsWith(":")).length * 100 - route.parts.length;
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | undefined {
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const segment = segments[i]!;
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(segment);
    else if (part !== segment) return undefined;
  }
  return params;
}
