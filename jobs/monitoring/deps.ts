/**
 * What the monitors run with: provider clients from the factory (live or simulator by configuration),
 * the process's quota store and guardian, the system clock, all active tenants, and the alert
 * channels from the environment. Built on first use; tests replace parts with `configureMonitoringDeps`
 * (a manual clock, clients pointed at their simulators, a Slack receiver of their own).
 */
import { getEnv } from "../../server/config/env.server";
import { activeTenantIds } from "../../server/db/client.server";
import { slackWebhook, type NotifyChannels } from "../../server/alerts/notify.server";
import type { CampaignProvider } from "../../server/monitoring/deliverability.server";
import type { WhatsAppAccount } from "../../server/monitoring/phone-health.server";
import { createProviderClients } from "../../server/providers/factory.server";
import type { InstantlyClient } from "../../server/providers/instantly/client.server";
import type { ResendClient } from "../../server/providers/resend/client.server";
import type { TimelinesAiClient } from "../../server/providers/timelinesai/client.server";
import { RESEND_TAG_TENANT } from "../../server/webhooks/attribution";
import { getQuotaGuardian, getQuotaStore } from "../../server/quota/index.server";
import type { QuotaGuardian } from "../../server/quota/guardian.server";
import type { QuotaStore } from "../../server/quota/store.server";
import { systemClock, type Clock } from "../../server/clock";
import { getRedis } from "../../server/redis.server";

export interface MonitoringDeps {
  clock: Clock;
  tenants: () => Promise<string[]>;
  accounts: { list(): Promise<WhatsAppAccount[]> };
  instantly: CampaignProvider;
  store: QuotaStore;
  guardian: QuotaGuardian;
  notify: NotifyChannels;
  /** Seconds between a rebuild after a Redis loss and the second pass that catches in-flight units. */
  followUpResyncSeconds: number;
}

let overrides: Partial<MonitoringDeps> = {};
let built: MonitoringDeps | undefined;

/** TimelinesAI's account list as the phone-health monitor reads it. */
export function timelinesAccountSource(client: Pick<TimelinesAiClient, "listWhatsAppAccounts">): MonitoringDeps["accounts"] {
  return { list: async () => (await client.listWhatsAppAccounts()).map((a) => ({ id: a.id, phone: a.phone, status: a.status })) };
}

/** Instantly's analytics and pause, as the deliverability monitor needs them. */
export function instantlyCampaignProvider(client: Pick<InstantlyClient, "getCampaignAnalytics" | "pauseCampaign">): CampaignProvider {
  return {
    async analytics(ids) {
      const rows = await client.getCampaignAnalytics({ ids });
      return rows.map((r) => ({
        campaignId: r.campaign_id,
        status: r.campaign_status ?? null,
        sent: r.emails_sent_count,
        bounced: r.bounced_count,
        opened: r.open_count_unique,
        replied: r.reply_count_unique,
      }));
    },
    async pause(id) {
      await client.pauseCampaign(id);
    },
  };
}

/** Alert emails through Resend. */
export function alertEmailSender(client: Pick<ResendClient, "send">): NonNullable<NotifyChannels["email"]> {
  return async (m) => {
    await client.send(
      // The tenant tag lets the receiver attribute Resend's events for this email; no message tag: it is
      // not an outreach message and has no log row.
      { to: m.to, subject: m.subject, text: m.text, tags: { [RESEND_TAG_TENANT]: m.tenantId, cerniq_kind: "alert" } },
      { idempotencyKey: m.idempotencyKey },
    );
  };
}

function build(): MonitoringDeps {
  const env = getEnv();
  const o = overrides;
  const clients = o.accounts && o.instantly && o.notify ? undefined : createProviderClients({ redis: getRedis() });
  return {
    clock: o.clock ?? systemClock,
    tenants: o.tenants ?? activeTenantIds,
    accounts: o.accounts ?? timelinesAccountSource(clients!.timelinesai),
    instantly: o.instantly ?? instantlyCampaignProvider(clients!.instantly),
    store: o.store ?? getQuotaStore(),
    guardian: o.guardian ?? getQuotaGuardian(),
    notify: o.notify ?? {
      minSeverity: env.ALERT_NOTIFY_MIN_SEVERITY,
      ...(env.APP_BASE_URL ? { appBaseUrl: env.APP_BASE_URL } : {}),
      ...(env.ALERT_SLACK_WEBHOOK_URL ? { slack: slackWebhook(env.ALERT_SLACK_WEBHOOK_URL) } : {}),
      ...(env.ALERT_EMAIL ? { email: alertEmailSender(clients!.resend) } : {}),
    },
    followUpResyncSeconds: o.followUpResyncSeconds ?? 30,
  };
}

export function monitoringDeps(): MonitoringDeps {
  built ??= build();
  return built;
}

export function configureMonitoringDeps(next: Partial<MonitoringDeps>): void {
  overrides = next;
  built = undefined;
}
