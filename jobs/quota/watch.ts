/**
 * A watcher in every process that runs workers: every few seconds it reads the quota store's sentinel
 * (one HGETALL), and when Redis no longer has it (restart, FLUSHALL, fail-over) it asks for the
 * quota-store monitor at once instead of waiting for the next minute's tick. The singleton key makes
 * the many processes that notice together enqueue one run. The rebuild itself is the monitor's
 * (jobs/monitoring/monitors.ts), so correctness never depends on this watcher: it only shortens the
 * time sends are refused.
 */
import type { PgBoss } from "pg-boss";
import type { Redis } from "ioredis";
import { readQuotaStoreState } from "../../server/quota/heal.server";
import { errorFields, logEvent } from "../../server/observability/logger.server";
import { MONITOR_QUOTA_STORE_QUEUE } from "../queues";

export function startQuotaStoreWatch(boss: Pick<PgBoss, "send">, redis: Redis, intervalMs = 5_000): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void (async () => {
      const state = await readQuotaStoreState(redis);
      if (state.state === "LOST") {
        const id = await boss.send(MONITOR_QUOTA_STORE_QUEUE, {}, { singletonKey: "quota-store-lost", singletonSeconds: 30 });
        if (id) logEvent("warn", { worker: "quota.watch", action: "quota.store_lost_noticed", metadata: { jobId: id } });
      }
    })()
      .catch((error: unknown) => logEvent("warn", { worker: "quota.watch", action: "quota.watch_failed", error: errorFields(error) }))
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
