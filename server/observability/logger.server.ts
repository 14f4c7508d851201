import { pino, type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

/**
 * Structured logs in the shape of the seeds' OutreachLogEvent (workers overview §7.2):
 * `worker`, `jobId`, `leadId`, `phoneId`, `channel`, `action`, `duration`, `error: {code,message,stack}`,
 * `metadata`. Callers pass those fields; pino adds level, time and the message.
 */
export interface OutreachLogFields {
  worker?: string;
  jobId?: string;
  leadId?: string;
  phoneId?: string;
  channel?: string;
  action: string;
  duration?: number;
  error?: { code: string; message: string; stack?: string };
  metadata?: Record<string, unknown>;
  tenantId?: string;
  requestId?: string;
}

/**
 * One readable line per event for a person at a terminal: time, level, what happened, the ids that
 * place it, and an error's code and message. The stack and the raw fields stay in the JSON form.
 */
export function readableLine(log: Record<string, unknown>): string {
  const f = log as Partial<OutreachLogFields> & { msg?: string };
  const place = [f.worker, f.tenantId && `tenant ${f.tenantId.slice(0, 8)}`, f.leadId && `lead ${f.leadId.slice(0, 8)}`, f.phoneId && `phone ${f.phoneId.slice(0, 8)}`, f.channel]
    .filter(Boolean)
    .join(" · ");
  const said = f.msg && f.msg !== f.action ? ` — ${f.msg}` : "";
  const took = typeof f.duration === "number" ? ` (${f.duration} ms)` : "";
  const error = f.error ? ` ✖ ${f.error.code}: ${f.error.message}` : "";
  const metadata = f.metadata && Object.keys(f.metadata).length > 0 ? ` ${JSON.stringify(f.metadata).slice(0, 240)}` : "";
  return `${f.action ?? f.msg ?? ""}${said}${place ? ` [${place}]` : ""}${took}${error}${metadata}`;
}

/**
 * JSON lines (what log collectors read) unless a person is watching: in an interactive terminal the
 * lines are readable (pino-pretty), unless LOG_FORMAT=json asks for JSON there too.
 */
function destination(): DestinationStream | undefined {
  const format = process.env.LOG_FORMAT ?? (process.stdout.isTTY ? "pretty" : "json");
  if (format !== "pretty") return undefined;
  return pretty({ colorize: true, sync: true, translateTime: "SYS:HH:MM:ss", hideObject: true, messageFormat: readableLine, ignore: "pid,hostname,service" });
}

export const logger: Logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
    base: { service: "cerniq-outreach" },
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["*.password", "*.passwordHash", "*.token", "*.apiKey", "headers.authorization", "headers.cookie"], censor: "[redacted]" },
  },
  destination(),
);

export function logEvent(level: "debug" | "info" | "warn" | "error", fields: OutreachLogFields, msg?: string): void {
  logger[level](fields, msg ?? fields.action);
}

export function errorFields(error: unknown, code = "UNEXPECTED"): { code: string; message: string; stack?: string } {
  if (error instanceof Error) {
    const withCode = error as Error & { code?: unknown };
    return { code: typeof withCode.code === "string" ? withCode.code : code, message: error.message, stack: error.stack };
  }
  return { code, message: String(error) };
}
