/**
 * Losing Redis, noticed and healed (runbook §6.2). Redis keeps the quota counters and phone mirrors
 * only in memory (`--save ""`): a restart, a FLUSHALL or a fail-over to an empty replica loses them,
 * and from then on every send is refused (PHONE_UNKNOWN) until someone rebuilds them.
 *
 * The sentinel (keys.ts QUOTA_SENTINEL_KEY) is written by a full rebuild and by nothing else, so its
 * absence means exactly "Redis does not hold what the log says": the quota-store monitor, a watcher in
 * every worker process and /healthz all read it. A rebuild:
 *   1. marks the sentinel HEALING with a fresh epoch,
 *   2. rebuilds every active tenant from the log (resync.server.ts: counters = max(current, the
 *      log's new contacts today), then the mirrors),
 *   3. turns the sentinel OK only if it still carries its own epoch: had Redis been lost again in
 *      between, part of the rebuild went with it and the sentinel stays missing (rebuilt again).
 * A send whose unit was counted just before the loss but whose log row was not yet written is the one
 * case the log cannot see; the rebuild after a loss is therefore followed by a second one a little later
 * (max() never lowers, so both are safe at any time).
 */
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { raiseAlert } from "../alerts/alerts.server";
import type { Actor } from "../audit/actor";
import { withTenant } from "../db/client.server";
import { DomainError } from "../errors";
import { errorFields, logEvent } from "../observability/logger.server";
import type { Clock } from "../clock";
import { QUOTA_SENTINEL_KEY } from "./keys";
import { resyncTenants, type ResyncResult } from "./resync.server";
import type { QuotaStore } from "./store.server";

export type QuotaStoreState =
  | { state: "OK"; epoch: string; healedAt: Date; reason: string | null }
  | { state: "HEALING"; epoch: string; startedAt: Date }
  | { state: "LOST" }
  | { state: "UNREACHABLE"; error: string };

/** A rebuild marked HEALING longer than this ago died with its process. */
const HEALING_STALE_MS = 2 * 60_000;

export async function readQuotaStoreState(redis: Redis): Promise<QuotaStoreState> {
  let h: Record<string, string>;
  try {
    h = await redis.hgetall(QUOTA_SENTINEL_KEY);
  } catch (error) {
    return { state: "UNREACHABLE", error: errorFields(error).message };
  }
  if (h.state === "ok" && h.epoch) return { state: "OK", epoch: h.epoch, healedAt: new Date(Number(h.at)), reason: h.reason ?? null };
  if (h.state === "healing" && h.epoch) return { state: "HEALING", epoch: h.epoch, startedAt: new Date(Number(h.at)) };
  return { state: "LOST" };
}

// Compare-and-set: finish only the rebuild that started (same epoch).
const FINISH_LUA = `
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', 'ok', 'at', ARGV[2], 'reason', ARGV[3])
return 1`;

export interface HealResult {
  epoch: string;
  tenants: ResyncResult[];
  /** Counters the log raised (were lower in Redis than the log says). */
  raised: number;
}

export async function healQuotaStore(
  deps: { store: QuotaStore; clock: Clock },
  tenantIds: readonly string[],
  actor: Actor,
  reason: string,
): Promise<HealResult> {
  const redis = deps.store.redis;
  const epoch = randomUUID();
  await redis.hset(QUOTA_SENTINEL_KEY, { state: "healing", epoch, at: String(deps.clock().getTime()) });
  const tenants = await resyncTenants(deps, tenantIds, actor);
  const finished = Number(await redis.eval(FINISH_LUA, 1, QUOTA_SENTINEL_KEY, epoch, String(deps.clock().getTime()), reason));
  if (finished !== 1) {
    throw new DomainError("UNAVAILABLE", "QUOTA_STORE_LOST_DURING_REBUILD", "Redis lost its data again while the quota store was being rebuilt; rebuilding again");
  }
  const raised = tenants.reduce((n, t) => n + t.phones.filter((p) => p.after !== p.before).length, 0);
  logEvent("info", { worker: "quota.heal", action: "quota.store_rebuilt", metadata: { epoch, reason, tenants: tenants.length, raised } });
  return { epoch, tenants, raised };
}

export type DetectOutcome =
  | { kind: "OK" }
  | { kind: "UNREACHABLE"; error: string }
  | { kind: "HEALING_ELSEWHERE"; startedAt: Date }
  | { kind: "HEALED"; heal: HealResult; alerts: number };

/**
 * What the quota-store monitor runs: nothing while the sentinel is there; after a loss, the alert in
 * every tenant (it names the rebuild's outcome) and the rebuild. A rebuild that fails throws after the
 * alert is raised, so the job retries and people know.
 */
export async function detectAndHeal(deps: { store: QuotaStore; clock: Clock; tenants: () => Promise<string[]> }, actor: Actor): Promise<DetectOutcome> {
  const now = deps.clock();
  const state = await readQuotaStoreState(deps.store.redis);
  if (state.state === "OK") return { kind: "OK" };
  if (state.state === "UNREACHABLE") return { kind: "UNREACHABLE", error: state.error };
  if (state.state === "HEALING" && now.getTime() - state.startedAt.getTime() < HEALING_STALE_MS) return { kind: "HEALING_ELSEWHERE", startedAt: state.startedAt };

  const tenants = await deps.tenants();
  let heal: HealResult | null = null;
  let failure: unknown = null;
  try {
    heal = await healQuotaStore(deps, tenants, actor, "redis-lost");
  } catch (error) {
    failure = error;
  }
  let alerts = 0;
  for (const tenantId of tenants) {
    const phones = heal?.tenants.find((t) => t.tenantId === tenantId)?.phones ?? [];
    const r = await withTenant(tenantId, (tx) =>
      raiseAlert(
        tx,
        {
          tenantId,
          type: "redis:lost",
          title: "Redis și-a pierdut datele cotelor",
          message: heal
            ? `Detectat la ${now.toISOString()}: contoarele de azi și starea celor ${phones.length} telefoane au fost reconstruite automat din jurnalul de comunicări. Runbook §6.2: aflați de ce a repornit Redis fără date.`
            : `Detectat la ${now.toISOString()}: reconstruirea din jurnal a eșuat (${errorFields(failure).message}); se reîncearcă. Până atunci telefoanele nu trimit mesaje noi.`,
          dedupeKey: "redis:lost",
          metadata: { detectedAt: now.toISOString(), rebuilt: heal !== null, phones: phones.length, raised: phones.filter((p) => p.after !== p.before).length },
        },
        now,
      ),
    );
    if (r.raised) alerts += 1;
  }
  if (failure) throw failure;
  return { kind: "HEALED", heal: heal!, alerts };
}
