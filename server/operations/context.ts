/**
 * What the runbook's operations run with, whether a person starts them from the operations page or an
 * operator from `npm run ops` (scripts/ops.ts): the same use cases, the same audit, the same dry runs.
 */
import type { Redis } from "ioredis";
import type { BossDb } from "../monitoring/queue-stats.server";
import type { PendingSends } from "../phones/pending-sends.server";
import type { QuotaStore } from "../quota/store.server";
import type { Clock } from "../clock";

export interface OperationsDeps {
  clock: Clock;
  boss: BossDb;
  redis: Redis;
  store: QuotaStore;
  pendingSends: PendingSends;
}
