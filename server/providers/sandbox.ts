/**
 * Sandbox wiring shared by the app (client factory, webhook routes) and the simulators, so both sides
 * agree on where each simulated provider lives and which credentials it accepts. None of these values
 * is a secret: they only open the local simulators.
 */
export const SIMULATOR_PATHS = {
  /** Mirrors the real base `https://app.timelines.ai/integrations/api`. */
  timelinesai: "/timelinesai/integrations/api",
  /** The Instantly client appends `/api/v2/...` itself, as against `https://api.instantly.ai`. */
  instantly: "/instantly",
  /** The Resend SDK appends `/emails`, as against `https://api.resend.com`. */
  resend: "/resend",
  /** OpenAI-compatible clients append `/chat/completions`. */
  llm: "/llm/v1",
  control: "/__control",
} as const;

export const SANDBOX_CREDENTIALS = {
  timelinesaiToken: "sandbox-timelinesai-token",
  instantlyApiKey: "sandbox-instantly-api-key",
  resendApiKey: "re_sandbox_0123456789abcdef",
  llmApiKey: "sk-sandbox-llm",
  /** Svix-style signing secret the Resend simulator signs with unless configured otherwise. */
  resendWebhookSecret: "whsec_c2FuZGJveC1yZXNlbmQtd2ViaG9vay1zZWNyZXQtMzI=",
  /** Value the Instantly simulator sends in INSTANTLY_WEBHOOK_SECRET_HEADER unless configured otherwise. */
  instantlyWebhookSecret: "sandbox-instantly-webhook-secret",
} as const;

export function simulatorBaseUrls(origin: string): Record<"timelinesai" | "instantly" | "resend" | "llm", string> {
  const o = origin.replace(/\/+$/, "");
  return {
    timelinesai: o + SIMULATOR_PATHS.timelinesai,
    instantly: o + SIMULATOR_PATHS.instantly,
    resend: o + SIMULATOR_PATHS.resend,
    llm: o + SIMULATOR_PATHS.llm,
  };
}
