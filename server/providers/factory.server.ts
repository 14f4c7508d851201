import type { Redis } from "ioredis";
import { getEnv, type Env } from "../config/env.server";
import type { ProviderName } from "./errors";
import { INSTANTLY_DEFAULT_BASE_URL, InstantlyClient } from "./instantly/client.server";
import { LlmClient } from "./llm/client.server";
import { RedisSlidingWindowPacer } from "./pacing.server";
import { RESEND_DEFAULT_BASE_URL, ResendClient } from "./resend/client.server";
import { SANDBOX_CREDENTIALS, simulatorBaseUrls } from "./sandbox";
import type { Timekeeper } from "../clock";
import { TIMELINESAI_DEFAULT_BASE_URL, TimelinesAiClient } from "./timelinesai/client.server";

export const LLM_DEFAULT_BASE_URL = "https://api.openai.com/v1";
const SANDBOX_FROM = "Cerniq Outreach <outreach@sandbox.cerniq.local>";

export type ProviderMode = "live" | "simulator";

export interface ProviderClients {
  timelinesai: TimelinesAiClient;
  instantly: InstantlyClient;
  resend: ResendClient;
  llm: LlmClient;
  /** Per provider: a missing key sends that provider to its local simulator (shown in the UI). */
  modes: Record<ProviderName, ProviderMode>;
}

/** Where the simulators listen in sandbox mode (scripts/simulators.ts binds the same port). */
export function simulatorOrigin(env: Env): string {
  return `http://127.0.0.1:${env.SIMULATOR_PORT}`;
}

export function providerModes(env: Env): Record<ProviderName, ProviderMode> {
  return {
    timelinesai: env.TIMELINESAI_API_KEY ? "live" : "simulator",
    instantly: env.INSTANTLY_API_KEY ? "live" : "simulator",
    resend: env.RESEND_API_KEY ? "live" : "simulator",
    llm: env.LLM_API_KEY ? "live" : "simulator",
  };
}

/**
 * Secrets the webhook routes check. For a simulated provider they fall back to the sandbox values the
 * simulator signs/sends with, so sandbox mode needs no configuration at all.
 */
export function webhookSecrets(env: Env = getEnv()): { resend: string | undefined; instantly: string | undefined } {
  const modes = providerModes(env);
  return {
    resend: env.RESEND_WEBHOOK_SECRET ?? (modes.resend === "simulator" ? SANDBOX_CREDENTIALS.resendWebhookSecret : undefined),
    instantly:
      env.INSTANTLY_WEBHOOK_SECRET ?? (modes.instantly === "simulator" ? SANDBOX_CREDENTIALS.instantlyWebhookSecret : undefined),
  };
}

/**
 * Builds the four clients from the environment. The only place that reads configuration: the clients
 * themselves take explicit values, so tests construct them against a simulator on any port.
 */
export function createProviderClients(deps: {
  redis: Redis;
  env?: Env;
  time?: Timekeeper;
  /** Namespace of the pacing keys, for processes that share one Redis but not one workspace (tests). */
  pacingKeyPrefix?: string;
}): ProviderClients {
  const env = deps.env ?? getEnv();
  const modes = providerModes(env);
  const sim = simulatorBaseUrls(simulatorOrigin(env));

  const timelinesai = new TimelinesAiClient({
    baseUrl: modes.timelinesai === "live" ? (env.TIMELINESAI_BASE_URL ?? TIMELINESAI_DEFAULT_BASE_URL) : sim.timelinesai,
    token: env.TIMELINESAI_API_KEY ?? SANDBOX_CREDENTIALS.timelinesaiToken,
    requestsPerMinute: env.TIMELINESAI_REQUESTS_PER_MINUTE,
    pacer: new RedisSlidingWindowPacer({ redis: deps.redis, provider: "timelinesai", time: deps.time, keyPrefix: deps.pacingKeyPrefix }),
    time: deps.time,
  });
  const instantly = new InstantlyClient({
    baseUrl: modes.instantly === "live" ? (env.INSTANTLY_BASE_URL ?? INSTANTLY_DEFAULT_BASE_URL) : sim.instantly,
    apiKey: env.INSTANTLY_API_KEY ?? SANDBOX_CREDENTIALS.instantlyApiKey,
    time: deps.time,
  });
  const resend = new ResendClient({
    baseUrl: modes.resend === "live" ? (env.RESEND_BASE_URL ?? RESEND_DEFAULT_BASE_URL) : sim.resend,
    apiKey: env.RESEND_API_KEY ?? SANDBOX_CREDENTIALS.resendApiKey,
    from: env.RESEND_FROM ?? (modes.resend === "simulator" ? SANDBOX_FROM : undefined),
    time: deps.time,
  });
  const llm = createLlmClient(env, deps.time);
  return { timelinesai, instantly, resend, llm, modes };
}

/** Where the LLM client talks to: the configured endpoint, or the simulator in sandbox mode. */
export function llmBaseUrl(env: Env): string {
  return providerModes(env).llm === "live" ? (env.LLM_BASE_URL ?? LLM_DEFAULT_BASE_URL) : simulatorBaseUrls(simulatorOrigin(env)).llm;
}

/** The LLM client alone (reply understanding needs no other provider). */
export function createLlmClient(env: Env = getEnv(), time?: Timekeeper): LlmClient {
  return new LlmClient({
    baseUrl: llmBaseUrl(env),
    apiKey: env.LLM_API_KEY ?? SANDBOX_CREDENTIALS.llmApiKey,
    model: env.LLM_MODEL,
    time,
  });
}
