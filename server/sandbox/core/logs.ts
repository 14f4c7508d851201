import type { SimProvider } from "./faults";

/**
 * What the simulators saw and did, for tests and the demo UI to compare with the app's own records:
 * every HTTP request (with the status it got, so retries are countable) and every outbound message.
 */
export interface RequestLogEntry {
  seq: number;
  /** Simulated time. */
  at: string;
  /** Wall-clock ms: what pacing and rate limits are about. */
  realAt: number;
  provider: SimProvider;
  method: string;
  path: string;
  status: number | "hang" | "reset" | "malformed";
  fault: boolean;
}

export interface MessageLogEntry {
  provider: SimProvider;
  /** Provider id: TimelinesAI message_uid, Instantly email_id, Resend email id. */
  id: string;
  channel: "whatsapp" | "email_cold" | "email_warm";
  direction: "outbound" | "inbound";
  from: string;
  to: string;
  subject?: string;
  text?: string;
  at: string;
  /** Extra provider references (chat id, campaign id, lead id, idempotency key). */
  refs: Record<string, string | number>;
}

const MAX_ENTRIES = 50_000;

export class SimLogs {
  requests: RequestLogEntry[] = [];
  messages: MessageLogEntry[] = [];
  private seq = 0;

  request(entry: Omit<RequestLogEntry, "seq" | "realAt">): void {
    this.requests.push({ seq: ++this.seq, realAt: Date.now(), ...entry });
    if (this.requests.length > MAX_ENTRIES) this.requests.splice(0, this.requests.length - MAX_ENTRIES);
  }

  message(entry: MessageLogEntry): void {
    this.messages.push(entry);
    if (this.messages.length > MAX_ENTRIES) this.messages.splice(0, this.messages.length - MAX_ENTRIES);
  }

  clear(): void {
    this.requests = [];
    this.messages = [];
    this.seq = 0;
  }
}
