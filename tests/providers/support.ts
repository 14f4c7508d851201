/**
 * Shared pieces of the provider tests: simulators on an ephemeral port with a manual clock, a control
 * API client, a webhook receiver that records exact bytes and headers, a Timekeeper that records
 * sleeps instead of waiting, and the project's test Redis.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import type { RetryPolicy } from "../../server/providers/retry";
import type { Timekeeper } from "../../server/clock";
import { startSimulators, type RunningSimulators, type SimulatorOptions } from "../../server/sandbox/launcher";
import type { MessageLogEntry, RequestLogEntry } from "../../server/sandbox/core/logs";
import type { WebhookDelivery } from "../../server/sandbox/core/webhooks";

/** The seeds' counts with tiny waits: retry tests check how many requests, not how long. */
export const FAST_RETRY: Partial<RetryPolicy> = { backoffBaseMs: 1, backoffMaxMs: 5, rateLimitWaitMs: 5 };

export function recordingTime(): Timekeeper & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { now: () => Date.now(), sleep: async (ms) => void sleeps.push(ms), sleeps };
}

export async function startTestSimulators(options: SimulatorOptions = {}): Promise<RunningSimulators & { control: ControlClient }> {
  const running = await startSimulators({ port: 0, clock: { mode: "manual", start: "2026-03-02T08:00:00.000Z" }, ...options });
  return { ...running, control: new ControlClient(running.origin) };
}

export class ControlClient {
  constructor(private readonly origin: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.origin}/__control${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`control ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  scenario(patch: unknown) {
    return this.call("POST", "/scenario", patch);
  }
  fault(rule: Record<string, unknown>) {
    return this.call("POST", "/faults", rule);
  }
  reset(body: { seed?: number; scenario?: unknown } = {}) {
    return this.call("POST", "/reset", body);
  }
  advance(ms: number) {
    return this.call<{ now: string }>("POST", "/clock/advance", { ms });
  }
  state() {
    return this.call<Record<string, unknown>>("GET", "/state");
  }
  requests(filter: { provider?: string; path?: string; method?: string } = {}) {
    return this.call<RequestLogEntry[]>("GET", `/requests?${new URLSearchParams(filter as Record<string, string>)}`);
  }
  messages(filter: { provider?: string; direction?: string } = {}) {
    return this.call<MessageLogEntry[]>("GET", `/messages?${new URLSearchParams(filter as Record<string, string>)}`);
  }
  deliveries(provider?: string) {
    return this.call<WebhookDelivery[]>("GET", `/webhooks${provider ? `?provider=${provider}` : ""}`);
  }
  replay(deliveryId: string) {
    return this.call<WebhookDelivery>("POST", `/webhooks/${deliveryId}/replay`);
  }
  post<T = unknown>(path: string, body: unknown) {
    return this.call<T>("POST", path, body);
  }
}

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: unknown;
}

/** A stand-in for the app's webhook routes: records everything; `respond` decides the status. */
export async function startReceiver(respond: (hook: ReceivedWebhook, index: number) => number = () => 200) {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const hook = { path: req.url ?? "/", headers: req.headers, raw, body: raw ? (JSON.parse(raw) as unknown) : undefined };
      received.push(hook);
      res.writeHead(respond(hook, received.length - 1)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    received,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

export async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The project's test Redis (scripts/services.ts starts it on 63809); REDIS_URL overrides. */
export async function connectTestRedis(): Promise<Redis> {
  const url = process.env.REDIS_URL ?? `redis://127.0.0.1:${process.env.TEST_REDIS_PORT ?? 63809}`;
  const tryConnect = async () => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    await redis.connect();
    return redis;
  };
  try {
    return await tryConnect();
  } catch {
    // Not running yet: start the project's own test services, as `npm test` does.
    const { ensureServices } = await import("../../scripts/lib/services");
    const { TEST_LAYOUT } = await import("../../scripts/lib/layout");
    await ensureServices(TEST_LAYOUT);
    return tryConnect();
  }
}
