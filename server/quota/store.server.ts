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
import { createTickBatch } from "./tick-batch";

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
 * What a failed Redis exchange means for callers. Not reaching Redis (refused, reset, timed out,
 * offline queue full) becomes a coded "try later" that callers and the tRPC formatter understand; an
 * error *reply* is Redis answering (a script bug, a wrong key type) and stays what it is.
 */
function storeFailure(error: unknown): never {
  if (error instanceof Error && error.name === "ReplyError") throw error;
  throw new DomainError("UNAVAILABLE", "QUOTA_STORE_UNAVAILABLE", `quota store unavailable: ${error instanceof Error ? error.message : String(error)}`);
}

/** Runs one Redis exchange, failures mapped by `storeFailure`. */
async function io<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    storeFailure(error);
  }
}

const COST_ARG = ["0", "1"] as const;
const TTL_ARG = String(QUOTA_KEY_TTL_SECONDS);
/**
 * Most checks one script call decides. At ~4 µs of Redis time each, a full batch holds Redis for
 * under a millisecond; 50 concurrent senders make batches of about 50.
 */
const CHECK_BATCH_MAX = 128;

const batchReplySchema = z.array(z.unknown());

interface PendingCheck {
  check: CheckAndConsumeArgs;
  phoneKey: string;
  counterKey: string;
}

export class QuotaStore {
  /** Checks made in the same tick share one script call (tick-batch.ts); each keeps its own answer. */
  private readonly checkBatch = createTickBatch<PendingCheck, QuotaDecision>({
    maxBatch: CHECK_BATCH_MAX,
    send: (checks) => this.decide(checks),
    parse: (raw, pending) => parseCheckReply(raw, pending.check),
  });

  constructor(
    readonly redis: Redis,
    readonly scripts: LuaScripts = (sharedScripts ??= new LuaScripts()),
  ) {}

  /** Optional warm-up at process start; calls work without it (the first one loads on NOSCRIPT). */
  async loadScripts(): Promise<void> {
    await io(() => this.scripts.loadAll(this.redis));
  }

  /** The check before every WhatsApp send: one round trip, shared with the checks of the same tick. */
  checkAndConsume(check: CheckAndConsumeArgs): Promise<QuotaDecision> {
    let pending: PendingCheck;
    try {
      // Keys now, so a bad date fails this call alone rather than the batch it would join.
      pending = { check, phoneKey: phoneStatusKey(check.phoneId), counterKey: quotaKey(check.tenantId, check.phoneId, check.usageDate) };
    } catch (error) {
      return Promise.reject(error);
    }
    return this.checkBatch(pending);
  }

  /**
   * One EVALSHA for a batch of checks (lua/check_and_consume.lua): 2 keys each, then the TTL, then 3
   * arguments each, all strings. Written at once (`runNow`): the batch is already the pipeline.
   */
  private decide(batch: readonly PendingCheck[]): Promise<unknown[]> {
    const n = batch.length;
    const keysAndArgs = new Array<string>(5 * n + 1);
    keysAndArgs[2 * n] = TTL_ARG;
    for (let i = 0; i < n; i++) {
      const { check, phoneKey, counterKey } = batch[i] as PendingCheck;
      keysAndArgs[2 * i] = phoneKey;
      keysAndArgs[2 * i + 1] = counterKey;
      keysAndArgs[2 * n + 1 + 3 * i] = COST_ARG[check.cost];
      keysAndArgs[2 * n + 2 + 3 * i] = check.windowOpen ? "1" : "0";
      keysAndArgs[2 * n + 3 + 3 * i] = String(check.defaultLimit);
    }
    return this.scripts.runNow(this.redis, "check_and_consume", 2 * n, keysAndArgs).then((raw) => batchReplySchema.parse(raw), storeFailure);
  }

  async release(ref: CounterRef): Promise<{ released: boolean; used: number }> {
    const raw = await io(() => this.scripts.run(this.redis, "release", 1, [quotaKey(ref.tenantId, ref.phoneId, ref.usageDate)]));
    const [released, used] = releaseReplySchema.parse(raw);
    return { released: released === 1, used };
  }

  /** Status, limit and today's count of many phones in one round trip. */
  async usage(tenantId: string, phoneIds: readonly string[], usageDate: string, defaultLimit: number): Promise<PhoneUsage[]> {
    if (phoneIds.length === 0) return [];
    const keys = phoneIds.flatMap((id) => [phoneStatusKey(id), quotaKey(tenantId, id, usageDate)]);
    const raw = await io(() => this.scripts.run(this.redis, "usage", keys.length, [...keys, String(defaultLimit)]));
    return parseUsageReply(raw, phoneIds);
  }

  /** 'set' overwrites (manual adjustment); 'max' never lowers (resync). */
  async setUsage(ref: CounterRef, value: number, mode: "set" | "max"): Promise<{ before: number; after: number }> {
    if (!Number.isInteger(value) || value < 0) throw new Error(`setUsage: not a count: ${value}`);
    const raw = await io(() => this.scripts.run(this.redis, "set_usage", 1, [quotaKey(ref.tenantId, ref.phoneId, ref.usageDate), String(value), mode, TTL_ARG]));
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
