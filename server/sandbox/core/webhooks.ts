import type { SimClock } from "./clock";
import type { SimProvider } from "./faults";

/**
 * Outbound webhook deliveries, as the real providers make them: a POST of exact bytes, a receiver
 * deadline, and the provider's own retry schedule (on the simulated clock, so tests advance through
 * Resend's 5 s / 5 min / 30 min … without waiting). Authentication is the caller's business: it passes
 * the headers per attempt (Resend re-signs each attempt with a fresh timestamp but the same svix-id).
 */
export interface DeliveryAttempt {
  at: string;
  status?: number;
  error?: string;
  durationMs: number;
}

export interface WebhookDelivery {
  id: string;
  provider: SimProvider;
  url: string;
  eventType: string;
  body: string;
  state: "pending" | "delivered" | "retrying" | "failed";
  attempts: DeliveryAttempt[];
  meta: Record<string, string>;
}

export interface DeliverRequest {
  provider: SimProvider;
  url: string;
  eventType: string;
  body: string;
  /** Headers for attempt n (1-based); content-type and user-agent are added. */
  headers: (attempt: number) => Record<string, string>;
  /** Waits before each retry; empty = one attempt only. */
  retryDelaysMs: readonly number[];
  timeoutMs: number;
  meta?: Record<string, string>;
  onAttempt?: (ok: boolean, attempt: DeliveryAttempt, delivery: WebhookDelivery) => void;
}

const USER_AGENT: Record<SimProvider, string> = {
  timelinesai: "TimelinesAI-Webhooks/1.0 (simulator)",
  instantly: "Instantly-Webhooks/2.0 (simulator)",
  resend: "Svix-Webhooks/1.0 (simulator; resend)",
  llm: "llm-simulator",
};

const MAX_DELIVERIES = 20_000;

export class WebhookDispatcher {
  private deliveries: WebhookDelivery[] = [];
  private byId = new Map<string, { delivery: WebhookDelivery; request: DeliverRequest }>();
  private inFlight = new Set<Promise<void>>();
  private seq = 0;

  constructor(private readonly clock: SimClock) {}

  deliver(request: DeliverRequest): WebhookDelivery {
    const delivery: WebhookDelivery = {
      id: `dlv_${(++this.seq).toString().padStart(6, "0")}`,
      provider: request.provider,
      url: request.url,
      eventType: request.eventType,
      body: request.body,
      state: "pending",
      attempts: [],
      meta: request.meta ?? {},
    };
    this.deliveries.push(delivery);
    this.byId.set(delivery.id, { delivery, request });
    if (this.deliveries.length > MAX_DELIVERIES) {
      for (const old of this.deliveries.splice(0, this.deliveries.length - MAX_DELIVERIES)) this.byId.delete(old.id);
    }
    this.track(this.attempt(delivery, request, 1));
    return delivery;
  }

  /** Sends a delivery again as it was (same body, same provider message id): a receiver must dedupe it. */
  replay(id: string): WebhookDelivery | undefined {
    const found = this.byId.get(id);
    if (!found) return undefined;
    this.track(this.attempt(found.delivery, { ...found.request, retryDelaysMs: [] }, found.delivery.attempts.length + 1));
    return found.delivery;
  }

  list(provider?: SimProvider): WebhookDelivery[] {
    return provider ? this.deliveries.filter((d) => d.provider === provider) : [...this.deliveries];
  }

  /** Resolves when no attempt is on the wire (retries scheduled for later do not count). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  clear(): void {
    this.deliveries = [];
    this.byId.clear();
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async attempt(delivery: WebhookDelivery, request: DeliverRequest, n: number): Promise<void> {
    const started = Date.now();
    const record: DeliveryAttempt = { at: new Date(this.clock.now()).toISOString(), durationMs: 0 };
    let ok = false;
    try {
      const res = await fetch(request.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": USER_AGENT[request.provider], ...request.headers(n) },
        body: request.body,
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      record.status = res.status;
      ok = res.status >= 200 && res.status < 300;
    } catch (error) {
      record.error = error instanceof Error ? (error.name === "TimeoutError" ? `no answer within ${request.timeoutMs} ms` : error.message) : String(error);
    }
    record.durationMs = Date.now() - started;
    delivery.attempts.push(record);
    const retryIndex = delivery.attempts.length - 1;
    const nextDelay = request.retryDelaysMs[retryIndex];
    delivery.state = ok ? "delivered" : nextDelay === undefined ? "failed" : "retrying";
    request.onAttempt?.(ok, record, delivery);
    if (!ok && nextDelay !== undefined) {
      this.clock.after(nextDelay, () => this.track(this.attempt(delivery, request, n + 1)));
    }
  }
}
