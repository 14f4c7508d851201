/**
 * wa.status.sync (seeds `wa:status:sync`): every minute, for each active tenant, poll TimelinesAI
 * status history of recent outbound WhatsApp messages that are not final yet
 * (server/events/status-sync.server.ts has the cadence and the request budget).
 *
 * Policy `stately`: at most one run queued and one active, so a slow run (provider pacing) makes the
 * next tick wait instead of piling up concurrent pollers competing for the same rate limit.
 * No retries: the next tick is a minute away and picks up where this one stopped.
 */
import type { PgBoss } from "pg-boss";
import { activeTenantIds } from "../../server/db/client.server";
import { pgBossTransactionalQueue } from "../transactional-queue";
import { WA_STATUS_SYNC_QUEUE, waStatusSyncPayload } from "../queues";
import { syncWhatsAppStatuses, type StatusHistorySource, type StatusSyncSummary } from "../../server/events/status-sync.server";
import { logEvent } from "../../server/observability/logger.server";
import { createProviderClients } from "../../server/providers/factory.server";
import { getRedis } from "../../server/redis.server";
import { defineJob } from "../definition";

/** The production source: the TimelinesAI client (paced per sending account in Redis, seeds' retry policy). */
export function timelinesStatusSource(): StatusHistorySource {
  const { timelinesai } = createProviderClients({ redis: getRedis() });
  return {
    async statusHistory(uid, account) {
      const entries = await timelinesai.getMessageStatusHistory(uid, account ? { account } : {});
      return entries.map((e) => ({ status: e.status, at: e.timestamp }));
    },
  };
}

export async function runStatusSync(boss: PgBoss, source: StatusHistorySource, tenantIds: string[]): Promise<StatusSyncSummary> {
  const total: StatusSyncSummary = { polled: 0, changed: 0, deferredAccounts: 0, errors: 0 };
  for (const tenantId of tenantIds) {
    const s = await syncWhatsAppStatuses({ source, queue: pgBossTransactionalQueue(boss), now: () => new Date() }, tenantId);
    total.polled += s.polled;
    total.changed += s.changed;
    total.deferredAccounts += s.deferredAccounts;
    total.errors += s.errors;
  }
  return total;
}

export const waStatusSyncJob = defineJob({
  name: WA_STATUS_SYNC_QUEUE,
  seedName: "wa:status:sync",
  payload: waStatusSyncPayload,
  policy: "stately",
  retryLimit: 0,
  retryDelaySeconds: 60,
  retryBackoff: false,
  // A run that outlives a few ticks is stuck (pacing waits are capped at 60 s per request).
  expireInSeconds: 600,
  localConcurrency: 1,
  schedule: { cron: "* * * * *", tz: "Europe/Bucharest", data: {} },
  async handler(data, { jobId, boss }) {
    const tenants = data.tenantId ? [data.tenantId] : await activeTenantIds();
    const summary = await runStatusSync(boss, timelinesStatusSource(), tenants);
    logEvent(summary.polled > 0 ? "info" : "debug", { worker: WA_STATUS_SYNC_QUEUE, jobId, action: "status_sync.done", metadata: { tenants: tenants.length, ...summary } });
    return summary;
  },
});
