import { pino, type Logger } from "pino";

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

export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "cerniq-outreach" },
  formatters: { level: (label) => ({ level: label }) },
  timestamp: pino.stdTimeFunctions.isoTime,
  redact: { paths: ["*.password", "*.passwordHash", "*.token", "*.apiKey", "headers.authorization", "headers.cookie"], censor: "[redacted]" },
});

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
