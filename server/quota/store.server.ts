/**
 * Typed access to the quota data in Redis: the four Lua scripts and the phone mirror hashes.
 * No time, no policy: callers (the guardian, phone lifecycle, resync) decide what to ask; this module
 * only builds keys, calls Redis and parses what comes back.
 */
import type { Redis } from "ioredis";
import { z } from "zod";
import { DomainError } from "../errors";
import { PHONE_STATUSES, type PhoneStatus } from "../phones/status";
import {
  parseCheckReply,
  parseUsageReply,
  releaseReplySchema,
  setUsageReplySchema,
  type PhoneUsage,
  type QuotaCost,
  type QuotaDecision,
} from "./decision";
import { QUOTA_KEY_TTL_SECONDS, phoneStatusKey, quotaKey, tenantQuotaPattern } from "./keys";
import { LuaScripts } from "./scripts.server";

/** What Redis knows about a phone: enough for the Lua check to decide without the database. */
export interface PhoneMirror {
  phoneId: string;
  status: PhoneStatus;
  enabled: boolean;
  limit: number;
}

export interface CheckAndConsumeArgs {
  tenantId: string;
  phoneId: string;
  usageDate: string;
  cost: QuotaCost;
  windowOpen: boolean;
  defaultLimit: number;
  /** Returned with OUTSIDE_WINDOW. */
  retryAtClosed: Date | null;
  /** Returned with QUOTA_EXHAUSTED. */
  retryAtNextDay: Date;
}

export interface CounterRef {
  tenantId: string;
  phoneId: string;
  usageDate: string;
}

const mirrorHashSchema = z.object({
  status: z.enum(PHONE_STATUSES),
  enabled: z.enum(["0", "1"]).default("1"),
  limit: z.coerce.number().int().min(0),
});

let sharedScripts: LuaScripts | undefined;

/**
 * Runs one Redis exchange. Not reaching Redis (refused, reset, timed out, offline queue full)
 * becomes a coded "try later" that callers and the tRPC formatter understand; an error *reply* is
 * Redis answering (a script bug, a wrong key type) and stays what it is.
 */
async function io<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof Error && error.name === "ReplyError") throw error;
    throw new DomainError("UNAVAILABLE", "QUOTA_STORE_UNAVAILABLE", `quota store unavailable: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export class QuotaStore {
  constructor(
    readonly redis: Redis,
    readonly scripts: LuaScripts = (sharedScripts ??= new LuaScripts()),
  ) {}

  /** Optional warm-up at process start; calls work without it (the first one loads on NOSCRIPT). */
  async loadScripts(): Promise<void> {
    await io(() => this.scripts.loadAll(this.redis));
  }

  async checkAndConsume(a: CheckAndConsumeArgs): Promise<QuotaDecision> {
    const keys = [phoneStatusKey(a.phoneId), quotaKey(a.tenantId, a.phoneId, a.usageDate)];
    const args = [a.cost, a.windowOpen ? 1 : 0, a.defaultLimit, QUOTA_KEY_TTL_SECONDS, a.retryAtClosed?.getTime() ?? 0, a.retryAtNextDay.getTime()];
    const raw = await io(() => this.scripts.run(this.redis, "check_and_consume", keys, args));
    return parseCheckReply(raw, { phoneId: a.phoneId, cost: a.cost, usageDate: a.usageDate });
  }

  async release(ref: CounterRef): Promise<{ released: boolean; used: number }> {
    const raw = await io(() => this.scripts.run(this.redis, "release", [quotaKey(ref.tenantId, ref.phoneId, ref.usageDate)], []));
    const [released, used] = releaseReplySchema.parse(raw);
    return { released: released === 1, used };
  }

  /** Status, limit and today's count of many phones in one round trip. */
  async usage(tenantId: string, phoneIds: readonly string[], usageDate: string, defaultLimit: number): Promise<PhoneUsage[]> {
    if (phoneIds.length === 0) return [];
    const keys = phoneIds.flatMap((id) => [phoneStatusKey(id), quotaKey(tenantId, id, usageDate)]);
    const raw = await io(() => this.scripts.run(this.redis, "usage", keys, [defaultLimit]));
    return parseUsageReply(raw, phoneIds);
  }

  /** 'set' overwrites (manual adjustment); 'max' never lowers (resync). */
  async setUsage(ref: CounterRef, value: number, mode: "set" | "max"): Promise<{ before: number; after: number }> {
    if (!Number.isInteger(value) || value < 0) throw new Error(`setUsage: not a count: ${value}`);
    const raw = await io(() => this.scripts.run(this.redis, "set_usage", [quotaKey(ref.tenantId, ref.phoneId, ref.usageDate)], [value, mode, QUOTA_KEY_TTL_SECONDS]));
    const [before, after] = setUsageReplySchema.parse(raw);
    return { before, after };
  }

  /** Writes the mirrors of many phones in one MULTI (all or none become visible). */
  async writeMirrors(mirrors: readonly PhoneMirror[]): Promise<void> {
    if (mirrors.length === 0) return;
    const multi = this.redis.multi();
    for (const m of mirrors) {
      multi.hset(phoneStatusKey(m.phoneId), { status: m.status, enabled: m.enabled ? "1" : "0", limit: String(m.limit) });
    }
    const results = await io(() => multi.exec());
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error("phone mirror write was aborted");
  }

  async readMirror(phoneId: string): Promise<PhoneMirror | null> {
    const h = await io(() => this.redis.hgetall(phoneStatusKey(phoneId)));
    if (!h.status) return null;
    const m = mirrorHashSchema.parse(h);
    return { phoneId, status: m.status, enabled: m.enabled === "1", limit: m.limit };
  }

  /** Every counter key of a tenant (tests, diagnostics); SCAN, never KEYS. */
  async tenantCounterKeys(tenantId: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await io(() => this.redis.scan(cursor, "MATCH", tenantQuotaPattern(tenantId), "COUNT", 500));
      keys.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    return keys;
  }
}
