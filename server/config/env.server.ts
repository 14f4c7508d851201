import { z } from "zod";

/**
 * Every environment variable the app reads, in one schema, checked once at start.
 * Provider keys are optional on purpose: a missing key switches that provider to its local simulator
 * (sandbox mode), so a fresh clone runs without any account anywhere.
 */
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().min(1).optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url().optional());
const boolFlag = (fallback: boolean) =>
  z.preprocess(
    (v) => (v === undefined || v === "" ? fallback : ["1", "true", "yes", "on"].includes(String(v).toLowerCase())),
    z.boolean(),
  );

const postgresUrl = z
  .string({ error: "is required" })
  .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// URL");

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Public base URL of this app; webhook URLs handed to providers are built from it. */
  APP_BASE_URL: optionalUrl,
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  /** Readable lines in an interactive terminal, JSON lines otherwise; set to force either (observability/logger.server.ts). */
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),

  /** The app's own connection: a role that row-level security applies to (never the table owner). */
  DATABASE_URL: postgresUrl,
  /** Owner connection used only for migrations and seeding. */
  DATABASE_ADMIN_URL: postgresUrl.optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Redis holds only the WhatsApp quota counters and phone status mirror. */
  REDIS_URL: z.string().refine((v) => /^rediss?:\/\//.test(v), "must be a redis:// URL"),

  SESSION_SECRET: z.string().min(32, "must be at least 32 characters"),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  COOKIE_SECURE: boolFlag(false),

  /** Run pg-boss workers inside the web process (the default single-machine setup). */
  WORKERS_EMBEDDED: boolFlag(true),
  PGBOSS_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).default("pgboss"),

  TIMELINESAI_API_KEY: optionalString,
  TIMELINESAI_BASE_URL: optionalUrl,
  TIMELINESAI_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(50),
  INSTANTLY_API_KEY: optionalString,
  INSTANTLY_BASE_URL: optionalUrl,
  INSTANTLY_WEBHOOK_SECRET: optionalString,
  RESEND_API_KEY: optionalString,
  RESEND_BASE_URL: optionalUrl,
  RESEND_WEBHOOK_SECRET: optionalString,
  RESEND_FROM: optionalString,
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: optionalString,
  LLM_MODEL: z.string().default("gpt-4o-mini"),
  /** Chat requests per minute to the LLM endpoint, shared by every process through Redis (seeds: ai:* 60/min). */
  LLM_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /**
   * Reply understanding engine: auto = the LLM when one is configured (LLM_API_KEY), else the built-in
   * rules; builtin = always the rules; llm = the LLM even in sandbox mode (then its simulator).
   */
  REPLY_ENGINE: z.enum(["auto", "builtin", "llm"]).default("auto"),
  /** Port of the local provider simulators in sandbox mode. */
  SIMULATOR_PORT: z.coerce.number().int().min(1).max(65535).default(4010),

  /**
   * Bearer token Prometheus sends to /metrics. Unset: /metrics answers loopback callers only
   * (a scraper on the same host), everyone else gets 403.
   */
  METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, "must be at least 16 characters").optional()),
  /** Requests per minute each REST API key may make (/api/v1/outreach/*); past it: 429 + Retry-After. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(120),
  /** Slack-compatible incoming webhook that receives new alerts (optional). */
  ALERT_SLACK_WEBHOOK_URL: optionalUrl,
  /** Email new alerts to the tenant's managers and admins through Resend (the simulator in sandbox mode). */
  ALERT_EMAIL: boolFlag(true),
  /** Alerts below this severity stay in the app only. */
  ALERT_NOTIFY_MIN_SEVERITY: z.enum(["LOW", "MEDIUM", "HIGH", "CRITICAL"]).default("MEDIUM"),
});

export type EnvInput = z.input<typeof envSchema>;
export type Env = z.output<typeof envSchema> & {
  /** True when no provider key is configured: every provider is served by its local simulator. */
  sandbox: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example for every variable.`);
    this.name = "ConfigError";
  }
}

/** Parses an environment; lists every missing or bad value at once instead of failing on the first. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  const env = result.data;
  const sandbox = !env.TIMELINESAI_API_KEY && !env.INSTANTLY_API_KEY && !env.RESEND_API_KEY && !env.LLM_API_KEY;
  return { ...env, sandbox };
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests that change process.env call this to re-read it. */
export function resetEnvCache(): void {
  cached = undefined;
}
