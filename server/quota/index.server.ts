/**
 * The process-wide quota objects, built on first use from the environment. Tests and the benchmark
 * build their own with `new QuotaStore(redis)` / `createQuotaGuardian({ store, clock })`.
 */
import { createQuotaGuardian, type QuotaGuardian } from "./guardian.server";
import { getQuotaRedis } from "./redis.server";
import { QuotaStore } from "./store.server";

let store: QuotaStore | undefined;
let guardian: QuotaGuardian | undefined;

export function getQuotaStore(): QuotaStore {
  store ??= new QuotaStore(getQuotaRedis());
  return store;
}

export function getQuotaGuardian(): QuotaGuardian {
  guardian ??= createQuotaGuardian({ store: getQuotaStore() });
  return guardian;
}
