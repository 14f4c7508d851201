/**
 * `npm run -s classify`: reply understanding as a filter, for evaluation from outside.
 *
 * stdin: JSON lines {"text": "...", "subject"?: "...", "channel"?: "WHATSAPP" | "EMAIL_COLD" |
 *        "EMAIL_WARM" | "PHONE" | "MANUAL" (case-insensitive; "email" = EMAIL_COLD), "id"?: any}
 * stdout: one JSON line per input line, in order:
 *        {"id"?, "intent", "score", "optOut", "route": "AUTO"|"REVIEW"|"URGENT", "priority", "reviewReason",
 *         "confidence", "reason", "complaint", "keywordTriggers", "laterUntil", "suggestedContact",
 *         "handling": {answer, optOut, postponeUntil, suggestContact}, "engine"}
 *        A line that is not a JSON object with a non-empty "text" gives {"line": n, "error": "..."}
 *        and the tool goes on. Blank lines are skipped. Nothing else is written to stdout.
 *
 * Engine: the built-in rules, unless an LLM is configured (LLM_BASE_URL and LLM_API_KEY set, and not
 * the sandbox key); `--engine=builtin|llm` forces one. With the LLM, REDIS_URL (if set) shares the
 * LLM_REQUESTS_PER_MINUTE pacing with the running app.
 * Options: --now=<ISO instant> (default: the current time), --tz=<IANA zone> (default Europe/Bucharest),
 *          --threshold=<sentiment auto threshold> (default 50).
 */
import { createInterface } from "node:readline";
import { z } from "zod";
import { SANDBOX_CREDENTIALS } from "../server/providers/sandbox";
import {
  BuiltinReplyEngine,
  DEFAULT_SENTIMENT_AUTO_THRESHOLD,
  DEFAULT_TIME_ZONE,
  REPLY_CHANNELS,
  routeReply,
  type ReplyChannel,
  type ReplyUnderstandingEngine,
} from "../server/replies/understanding";

const CHANNEL_ALIASES: Readonly<Record<string, ReplyChannel>> = { EMAIL: "EMAIL_COLD", WA: "WHATSAPP", SMS: "WHATSAPP" };

const lineSchema = z.object({
  text: z.string().refine((t) => t.trim() !== "", "text is empty"),
  subject: z.string().nullish(),
  channel: z
    .string()
    .transform((c) => c.trim().toUpperCase().replace(/[\s-]+/g, "_"))
    .transform((c) => CHANNEL_ALIASES[c] ?? c)
    .pipe(z.enum(REPLY_CHANNELS))
    .default("WHATSAPP"),
  id: z.unknown().optional(),
});

const envSchema = z.object({
  LLM_BASE_URL: z.url().optional().or(z.literal("").transform(() => undefined)),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().default("gpt-4o-mini"),
  LLM_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  REDIS_URL: z.string().optional(),
});

function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

function fail(message: string): never {
  process.stderr.write(`classify: ${message}\n`);
  process.exit(2);
}

const nowOption = option("now");
const fixedNow = nowOption ? new Date(nowOption) : undefined;
if (fixedNow && Number.isNaN(fixedNow.getTime())) fail(`--now is not a date: ${nowOption}`);
const timeZone = option("tz") ?? DEFAULT_TIME_ZONE;
try {
  new Intl.DateTimeFormat("en", { timeZone });
} catch {
  fail(`--tz is not a time zone: ${timeZone}`);
}
const threshold = Number(option("threshold") ?? DEFAULT_SENTIMENT_AUTO_THRESHOLD);
if (!Number.isInteger(threshold) || threshold < -100 || threshold > 100) fail("--threshold must be an integer in -100..100");

const env = envSchema.safeParse(process.env);
if (!env.success) fail(`bad LLM environment: ${env.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
const engineOption = option("engine") ?? "auto";
if (!["auto", "builtin", "llm"].includes(engineOption)) fail("--engine must be auto, builtin or llm");
const llmConfigured = Boolean(env.data.LLM_BASE_URL && env.data.LLM_API_KEY && env.data.LLM_API_KEY !== SANDBOX_CREDENTIALS.llmApiKey);
const useLlm = engineOption === "llm" || (engineOption === "auto" && llmConfigured);

let closeResources = async (): Promise<void> => {};
async function createEngine(): Promise<ReplyUnderstandingEngine> {
  if (!useLlm) return new BuiltinReplyEngine();
  const { data } = env as { data: z.output<typeof envSchema> };
  if (!data.LLM_BASE_URL || !data.LLM_API_KEY) fail("--engine=llm needs LLM_BASE_URL and LLM_API_KEY");
  const [{ LlmClient }, { LlmReplyEngine }, { RedisSlidingWindowPacer }] = await Promise.all([
    import("../server/providers/llm/client.server"),
    import("../server/replies/understanding/llm-engine"),
    import("../server/providers/pacing.server"),
  ]);
  let pacer;
  if (data.REDIS_URL) {
    const { Redis } = await import("ioredis");
    const redis = new Redis(data.REDIS_URL, { maxRetriesPerRequest: 1 });
    closeResources = async () => void redis.disconnect();
    pacer = new RedisSlidingWindowPacer({ redis, provider: "llm" });
  }
  return new LlmReplyEngine({
    client: new LlmClient({ baseUrl: data.LLM_BASE_URL, apiKey: data.LLM_API_KEY, model: data.LLM_MODEL }),
    model: data.LLM_MODEL,
    pacer,
    pacingKey: `chat:${new URL(data.LLM_BASE_URL).host}`,
    requestsPerMinute: data.LLM_REQUESTS_PER_MINUTE,
  });
}

function write(line: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(`${line}\n`)) resolve();
    else process.stdout.once("drain", resolve);
  });
}

const engine = await createEngine();
const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
let lineNumber = 0;
for await (const raw of input) {
  lineNumber++;
  if (raw.trim() === "") continue;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    await write(JSON.stringify({ line: lineNumber, error: "not JSON" }));
    continue;
  }
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) {
    const id = typeof json === "object" && json !== null && "id" in json ? { id: (json as { id: unknown }).id } : {};
    await write(JSON.stringify({ ...id, line: lineNumber, error: parsed.error.issues.map((i) => `${i.path.join(".") || "line"}: ${i.message}`).join("; ") }));
    continue;
  }
  const { text, subject, channel, id } = parsed.data;
  try {
    const u = await engine.understand({ text, subject, channel, now: fixedNow ?? new Date(), calendar: { timeZone } });
    const r = routeReply(u, { sentimentAutoThreshold: threshold });
    await write(
      JSON.stringify({
        ...(id !== undefined ? { id } : {}),
        intent: u.intent,
        score: u.score,
        optOut: u.optOut,
        route: r.route,
        priority: r.priority,
        reviewReason: r.reason,
        confidence: u.confidence,
        reason: u.reason,
        complaint: u.complaint,
        keywordTriggers: u.keywordTriggers,
        laterUntil: u.laterUntil,
        suggestedContact: u.suggestedContact,
        handling: r.actions,
        engine: u.engine,
        ...(u.fallback ? { fallback: u.fallback } : {}),
        ...(u.guardrail ? { guardrail: u.guardrail } : {}),
      }),
    );
  } catch (error) {
    await write(JSON.stringify({ ...(id !== undefined ? { id } : {}), line: lineNumber, error: error instanceof Error ? error.message : String(error) }));
  }
}
await closeResources();
