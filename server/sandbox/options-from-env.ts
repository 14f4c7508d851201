import { readFileSync } from "node:fs";
import { z } from "zod";
import { SANDBOX_CREDENTIALS } from "../providers/sandbox";
import { INSTANTLY_WEBHOOK_SECRET_HEADER } from "../providers/instantly/webhooks";
import type { SimulatorOptions } from "./launcher";

/**
 * Simulator options from environment variables, for `scripts/simulators.ts` and for `npm start` in
 * sandbox mode. Kept apart from the app's env schema: the simulators run without a database.
 *
 * SIMULATOR_PORT (4010) · SIMULATOR_HOST (127.0.0.1) · SIMULATOR_SEED (42) · SIMULATOR_CLOCK real|manual ·
 * SIMULATOR_TIME_SCALE (1; 60 = one simulated hour per real minute) · SIMULATOR_CONFIG (path of a JSON
 * file with any SimulatorOptions, merged under the variables) · SIMULATOR_WEBHOOK_TIMELINESAI_URL /
 * _INSTANTLY_URL / _RESEND_URL (the app's receivers, registered at start) · INSTANTLY_WEBHOOK_SECRET and
 * RESEND_WEBHOOK_SECRET (what the simulators authenticate with; sandbox values by default).
 */
const envSchema = z.object({
  SIMULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  SIMULATOR_HOST: z.string().default("127.0.0.1"),
  SIMULATOR_SEED: z.coerce.number().int().default(42),
  SIMULATOR_CLOCK: z.enum(["real", "manual"]).default("real"),
  SIMULATOR_TIME_SCALE: z.coerce.number().positive().default(1),
  SIMULATOR_CONFIG: z.string().optional(),
  SIMULATOR_WEBHOOK_TIMELINESAI_URL: z.url().optional(),
  SIMULATOR_WEBHOOK_INSTANTLY_URL: z.url().optional(),
  SIMULATOR_WEBHOOK_RESEND_URL: z.url().optional(),
  INSTANTLY_WEBHOOK_SECRET: z.string().min(1).default(SANDBOX_CREDENTIALS.instantlyWebhookSecret),
  RESEND_WEBHOOK_SECRET: z.string().startsWith("whsec_").default(SANDBOX_CREDENTIALS.resendWebhookSecret),
});

const blankToUndefined = (source: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(source).map(([k, v]) => [k, v === "" ? undefined : v]));

export function simulatorOptionsFromEnv(source: Record<string, string | undefined> = process.env): SimulatorOptions {
  const env = envSchema.parse(blankToUndefined(source));
  const file: SimulatorOptions = env.SIMULATOR_CONFIG ? (JSON.parse(readFileSync(env.SIMULATOR_CONFIG, "utf8")) as SimulatorOptions) : {};
  return {
    ...file,
    host: env.SIMULATOR_HOST,
    port: env.SIMULATOR_PORT,
    seed: source.SIMULATOR_SEED ? env.SIMULATOR_SEED : (file.seed ?? env.SIMULATOR_SEED),
    clock: { ...file.clock, mode: env.SIMULATOR_CLOCK, scale: env.SIMULATOR_TIME_SCALE },
    webhooks: {
      timelinesai: [...(file.webhooks?.timelinesai ?? []), ...(env.SIMULATOR_WEBHOOK_TIMELINESAI_URL ? [{ url: env.SIMULATOR_WEBHOOK_TIMELINESAI_URL }] : [])],
      instantly: [
        ...(file.webhooks?.instantly ?? []),
        ...(env.SIMULATOR_WEBHOOK_INSTANTLY_URL
          ? [{ url: env.SIMULATOR_WEBHOOK_INSTANTLY_URL, eventType: "all_events", headers: { [INSTANTLY_WEBHOOK_SECRET_HEADER]: env.INSTANTLY_WEBHOOK_SECRET } }]
          : []),
      ],
      resend: [
        ...(file.webhooks?.resend ?? []),
        ...(env.SIMULATOR_WEBHOOK_RESEND_URL ? [{ url: env.SIMULATOR_WEBHOOK_RESEND_URL, secret: env.RESEND_WEBHOOK_SECRET }] : []),
      ],
    },
  };
}
