/**
 * Provider status for the settings page: for each provider whether it runs live or against its local
 * simulator (sandbox), whether its key and webhook secret are configured (never the values), where it
 * points (the host only), and when this tenant last received a webhook from it.
 */
import type { Env } from "../config/env.server";
import type { TenantTx } from "../db/client.server";
import { INSTANTLY_DEFAULT_BASE_URL } from "../providers/instantly/client.server";
import { providerModes, simulatorOrigin, LLM_DEFAULT_BASE_URL } from "../providers/factory.server";
import { RESEND_DEFAULT_BASE_URL } from "../providers/resend/client.server";
import { TIMELINESAI_DEFAULT_BASE_URL } from "../providers/timelinesai/client.server";

export type ProviderKey = "timelinesai" | "instantly" | "resend" | "llm";
const WEBHOOK_PROVIDER = { timelinesai: "TIMELINESAI", instantly: "INSTANTLY", resend: "RESEND" } as const;
const STATUSES = ["RECEIVED", "PROCESSED", "IGNORED", "FAILED", "REJECTED"] as const;

export interface ProviderStatus {
  provider: ProviderKey;
  mode: "live" | "simulator";
  keyPresent: boolean;
  /** Null for the LLM (it sends no webhooks) and for TimelinesAI (its URL carries a per-tenant secret instead). */
  webhookSecretPresent: boolean | null;
  host: string;
  receivesWebhooks: boolean;
  lastWebhookAt: Date | null;
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export async function providerStatus(tx: TenantTx, env: Env): Promise<ProviderStatus[]> {
  const modes = providerModes(env);
  const sim = simulatorOrigin(env);
  // The newest event per provider: one backward index scan per status on (tenant_id, status,
  // received_at), so the answer does not depend on how many events are stored.
  const rows = await tx.$queryRaw<Array<{ provider: string; last: Date | null }>>`
    SELECT p.provider, max(l.received_at) AS last
      FROM unnest(ARRAY['TIMELINESAI', 'INSTANTLY', 'RESEND']::webhook_provider_enum[]) AS p(provider)
      CROSS JOIN unnest(${[...STATUSES]}::webhook_status_enum[]) AS s(status)
      LEFT JOIN LATERAL (
        SELECT w.received_at FROM webhook_events w
         WHERE w.tenant_id = app_current_tenant_id() AND w.status = s.status AND w.provider = p.provider
         ORDER BY w.received_at DESC LIMIT 1
      ) l ON true
     GROUP BY p.provider`;
  const last = new Map(rows.map((r) => [r.provider, r.last]));
  const entry = (provider: ProviderKey, key: string | undefined, secret: string | undefined | null, base: string): ProviderStatus => ({
    provider,
    mode: modes[provider],
    keyPresent: Boolean(key),
    webhookSecretPresent: secret === null ? null : Boolean(secret),
    host: host(modes[provider] === "live" ? base : sim),
    receivesWebhooks: provider !== "llm",
    lastWebhookAt: provider === "llm" ? null : (last.get(WEBHOOK_PROVIDER[provider]) ?? null),
  });
  return [
    entry("timelinesai", env.TIMELINESAI_API_KEY, null, env.TIMELINESAI_BASE_URL ?? TIMELINESAI_DEFAULT_BASE_URL),
    entry("instantly", env.INSTANTLY_API_KEY, env.INSTANTLY_WEBHOOK_SECRET, env.INSTANTLY_BASE_URL ?? INSTANTLY_DEFAULT_BASE_URL),
    entry("resend", env.RESEND_API_KEY, env.RESEND_WEBHOOK_SECRET, env.RESEND_BASE_URL ?? RESEND_DEFAULT_BASE_URL),
    entry("llm", env.LLM_API_KEY, null, env.LLM_BASE_URL ?? LLM_DEFAULT_BASE_URL),
  ];
}
