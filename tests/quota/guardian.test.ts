/**
 * The guardian against a real Redis (logical DB 11 of the test server; own random ids).
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createQuotaGuardian } from "../../server/quota/guardian.server";
import { QUOTA_KEY_TTL_SECONDS, phoneStatusKey, quotaKey } from "../../server/quota/keys";
import { QuotaStore, type PhoneMirror } from "../../server/quota/store.server";
import { WEDNESDAY_10_00, deleteOwnKeys, ids, manualClock, settings, sharedRedisUrl } from "./support/index";

let redis: Redis;
let store: QuotaStore;
const tenants: string[] = [];
const phones: string[] = [];

beforeAll(async () => {
  redis = new Redis(await sharedRedisUrl(11));
  store = new QuotaStore(redis);
  await store.loadScripts();
});

afterAll(async () => {
  await deleteOwnKeys(redis, tenants, phones);
  await redis.quit();
});

interface World {
  tenantId: string;
  phone: (overrides?: Partial<Omit<PhoneMirror, "phoneId">>) => Promise<string>;
  clock: ReturnType<typeof manualClock>;
  guardian: ReturnType<typeof createQuotaGuardian>;
}

let w: World;

beforeEach(() => {
  const [tenantId] = ids(1) as [string];
  tenants.push(tenantId);
  const clock = manualClock(WEDNESDAY_10_00);
  w = {
    tenantId,
    clock,
    guardian: createQuotaGuardian({ store, clock, logDecisions: false }),
    phone: async (overrides = {}) => {
      const [phoneId] = ids(1) as [string];
      phones.push(phoneId);
      await store.writeMirrors([{ phoneId, status: "ACTIVE", enabled: true, limit: 200, ...overrides }]);
      return phoneId;
    },
  };
});

const s = settings();

describe("check-and-consume", () => {
  it("allows new contacts up to the phone's limit, then refuses until the next sending day", async () => {
    const phoneId = await w.phone({ limit: 3 });
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await w.guardian.check({ tenantId: w.tenantId, phoneId, cost: 1, settings: s }));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results.map((r) => r.used)).toEqual([1, 2, 3, 3, 3]);
    expect(results[3]).toMatchObject({
      allowed: false,
      reason: "QUOTA_EXHAUSTED",
      limit: 3,
      usageDate: "2026-06-10",
      retryAt: new Date("2026-06-11T06:00:00Z"), // Thursday 09:00 Bucharest
    });
    const key = quotaKey(w.tenantId, phoneId, "2026-06-10");
    expect(await redis.get(key)).toBe("3");
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(QUOTA_KEY_TTL_SECONDS - 5);
    expect(ttl).toBeLessThanOrEqual(QUOTA_KEY_TTL_SECONDS);
  });

  it("allows follow-ups at 200/200 and never counts them", async () => {
    const phoneId = await w.phone();
    await store.setUsage({ tenantId: w.tenantId, phoneId, usageDate: "2026-06-10" }, 200, "set");
    expect(await w.guardian.check({ tenantId: w.tenantId, phoneId, cost: 1, settings: s })).toMatchObject({ allowed: false, reason: "QUOTA_EXHAUSTED" });
    for (let i = 0; i < 3; i++) {
      expect(await w.guardian.check({ tenantId: w.tenantId, phoneId, cost: 0, settings: s })).toMatchObject({ allowed: true, used: 200, limit: 200 });
    }
    expect(await redis.get(quotaKey(w.tenantId, phoneId, "2026-06-10"))).toBe("200");
  });

  it("allows nothing for a BANNED phone, new contact or follow-up, and creates no counter", async () => {
    const phoneId = await w.phone({ status: "BANNED" });
    for (const cost of [1, 0] as const) {
      expect(await w.guardian.check({ tenantId: w.tenantId, phoneId, cost, settings: s })).toMatchObject({
        allowed: false,
        reason: "PHONE_NOT_ACTIVE",
        phoneStatus: "BANNED",
        retryAt: null,
      });
    }
    expect(await redis.exists(quotaKey(w.tenantId, phoneId, "2026-06-10"))).toBe(0);
  });

  it("refuses a disabled phone even if ACTIVE, and a phone Redis does not know", async () => {
    const disabled = await w.phone({ enabled: false });
    expect(await w.guardian.check({ tenantId: w.tenantId, phoneId: disabled, cost: 0, settings: s })).toMatchObject({ allowed: false, reason: "PHONE_NOT_ACTIVE", phoneStatus: "ACTIVE" });
    const [unknown] = ids(1) as [string];
    expect(await w.guardian.check({ tenantId: w.tenantId, phoneId: unknown, cost: 1, settings: s })).toMatchObject({ allowed: false, reason: "PHONE_UNKNOWN", phoneStatus: null });
  });

  it("refuses outside the window with the next opening, for follow-ups too, without counting", async () => {
    const phoneId = await w.phone();
    w.clock.set("2026-06-12T15:00:00Z"); // Friday 18:00:00 Bucharest
    for (const cost of [1, 0] as const) {
      expect(await w.guardian.check({ tenantId: w.tenantId, phoneId, cost, settings: s })).toMatchObject({
        allowed: false,
        reason: "OUTSIDE_WINDOW",
        retryAt: new Date("2026-06-15T06:00:00Z"), // Monday 09:00
      });
    }
    w.clock.set("2026-06-12T14:59:59Z"); // Friday 17:59:59
    expect(await w.guardian.check({ tenantId: w.tenantId, phoneId, cost: 1, settings: s })).toMatchObject({ allowed: true, used: 1 });
    expect(await redis.get(quotaKey(w.tenantId, phoneId, "2026-06-12"))).toBe("1");
  });

  it("counts each Bucharest day on its own key", async () => {
    const phoneId = await w.phone({ limit: 1 });
    expect((await w.guardian.check({ tenantId: w.tenantId, phoneId, cost: 1, settings: s })).allowed).toBe(true);
    expect((await w.guardian.check({ tenantId: w.tenantId, phoneId, cost: 1, settings: s })).allowed).toBe(false);
    w.clock.set("2026-06-11T06:00:00Z"); // Thursday 09:00
    expect(await w.guardian.check({ tenantId: w.tenantId, phoneId, cost: 1, settings: s })).toMatchObject({ allowed: true, used: 1, usageDate: "2026-06-11" });
    expect(await redis.get(quotaKey(w.tenantId, phoneId, "2026-06-10"))).toBe("1");
  });

  it("falls back to the tenant's default limit when the mirror has none", async () => {
    const phoneId = await w.phone();
    await redis.hdel(phoneStatusKey(phoneId), "limit");
    await store.setUsage({ tenantId: w.tenantId, phoneId, usageDate: "2026-06-10" }, 2, "set");
    expect(await w.guardian.check({ tenantId: w.tenantId, phoneId, cost: 1, settings: settings({ defaultLimit: 2 }) })).toMatchObject({ allowed: false, reason: "QUOTA_EXHAUSTED", limit: 2 });
  });
});

describe("release", () => {
  it("gives back a unit and never goes below zero or creates a key", async () => {
    const phoneId = await w.phone();
    const decision = await w.guardian.check({ tenantId: w.tenantId, phoneId, cost: 1, settings: s });
    expect(decision).toMatchObject({ allowed: true, used: 1 });
    const ref = { tenantId: w.tenantId, phoneId, usageDate: decision.usageDate };
    expect(await w.guardian.release(ref)).toEqual({ released: true, used: 0 });
    expect(await w.guardian.release(ref)).toEqual({ released: false, used: 0 });
    expect(await redis.get(quotaKey(w.tenantId, phoneId, decision.usageDate))).toBe("0");

    const neverUsed = { tenantId: w.tenantId, phoneId, usageDate: "2026-06-09" };
    expect(await w.guardian.release(neverUsed)).toEqual({ released: false, used: 0 });
    expect(await redis.exists(quotaKey(w.tenantId, phoneId, "2026-06-09"))).toBe(0);
  });

  it("releases into the day of the consumption, not the day of the release", async () => {
    const phoneId = await w.phone();
    const decision = await w.guardian.check({ tenantId: w.tenantId, phoneId, cost: 1, settings: s });
    w.clock.set("2026-06-11T06:00:00Z");
    await w.guardian.check({ tenantId: w.tenantId, phoneId, cost: 1, settings: s });
    await w.guardian.release({ tenantId: w.tenantId, phoneId, usageDate: decision.usageDate });
    expect(await redis.get(quotaKey(w.tenantId, phoneId, "2026-06-10"))).toBe("0");
    expect(await redis.get(quotaKey(w.tenantId, phoneId, "2026-06-11"))).toBe("1");
  });
});

describe("usage and alternative phone", () => {
  it("reads status, limit and count of every phone in one script call", async () => {
    const a = await w.phone({ limit: 200 });
    const b = await w.phone({ status: "PAUSED", limit: 150 });
    const [c] = ids(1) as [string];
    await store.setUsage({ tenantId: w.tenantId, phoneId: a, usageDate: "2026-06-10" }, 42, "set");
    // Every ioredis command goes through sendCommand: count what this read puts on the wire.
    const sent = vi.spyOn(redis, "sendCommand");
    const usage = await w.guardian.usage(w.tenantId, [a, b, c], s);
    expect(sent.mock.calls.map(([command]) => command.name)).toEqual(["evalsha"]);
    sent.mockRestore();
    expect(usage).toEqual([
      { phoneId: a, status: "ACTIVE", enabled: true, used: 42, limit: 200, remaining: 158 },
      { phoneId: b, status: "PAUSED", enabled: true, used: 0, limit: 150, remaining: 150 },
      { phoneId: c, status: null, enabled: true, used: 0, limit: 200, remaining: 200 },
    ]);
  });

  it("moves a new lead to the ACTIVE phone with most quota left; a sticky lead waits", async () => {
    const full = await w.phone({ limit: 1 });
    const some = await w.phone({ limit: 10 });
    const most = await w.phone({ limit: 50 });
    const paused = await w.phone({ status: "PAUSED", limit: 200 });
    await w.guardian.check({ tenantId: w.tenantId, phoneId: full, cost: 1, settings: s });
    const phonesInDb = [full, some, most, paused].map((phoneId) => ({ phoneId, reputationScore: 90 }));

    expect(await w.guardian.alternativePhone({ tenantId: w.tenantId, settings: s, stickyPhoneId: null, excludePhoneId: full, phones: phonesInDb })).toEqual({
      kind: "ALTERNATIVE",
      phoneId: most,
      remaining: 50,
    });
    expect(await w.guardian.alternativePhone({ tenantId: w.tenantId, settings: s, stickyPhoneId: full, excludePhoneId: full, phones: phonesInDb })).toEqual({
      kind: "WAIT_FOR_STICKY_PHONE",
      phoneId: full,
    });
    expect(
      await w.guardian.alternativePhone({ tenantId: w.tenantId, settings: s, stickyPhoneId: null, excludePhoneId: full, phones: [full, paused].map((phoneId) => ({ phoneId, reputationScore: 90 })) }),
    ).toEqual({ kind: "NONE" });
  });

  it("gives the next window opening from the injected clock", () => {
    w.clock.set("2026-11-27T16:30:00Z");
    expect(w.guardian.nextWindow(s)).toEqual(new Date("2026-12-02T07:00:00Z"));
  });
});

describe("checks made in the same tick (one script call)", () => {
  it("decides them in call order with the same answers as one by one, and sends one EVALSHA", async () => {
    const small = await w.phone({ limit: 3 });
    const paused = await w.phone({ status: "PAUSED" });
    const [unknown, otherTenant] = ids(2) as [string, string];
    tenants.push(otherTenant);
    const sent = vi.spyOn(redis, "sendCommand");
    const check = (phoneId: string, cost: 0 | 1, tenantId = w.tenantId) => w.guardian.check({ tenantId, phoneId, cost, settings: s });
    const results = await Promise.all([
      ...Array.from({ length: 5 }, () => check(small, 1)),
      check(small, 0),
      check(paused, 1),
      check(unknown, 1),
      check(small, 1, otherTenant),
    ]);
    expect(sent.mock.calls.map(([command]) => command.name)).toEqual(["evalsha"]);
    sent.mockRestore();
    expect(results.map((r) => (r.allowed ? `ok ${r.used}` : `${r.reason} ${r.used}`))).toEqual([
      "ok 1", "ok 2", "ok 3", "QUOTA_EXHAUSTED 3", "QUOTA_EXHAUSTED 3",
      "ok 3", // a follow-up at 3/3
      "PHONE_NOT_ACTIVE 0",
      "PHONE_UNKNOWN 0",
      "ok 1", // another tenant's counter for the same phone
    ]);
    expect(results[3]).toMatchObject({ retryAt: new Date("2026-06-11T06:00:00Z") });
    expect(await redis.get(quotaKey(w.tenantId, small, "2026-06-10"))).toBe("3");
    expect(await redis.exists(quotaKey(w.tenantId, paused, "2026-06-10"))).toBe(0);
  });

  it("fails only the check whose key Redis cannot use; the others in its call are decided", async () => {
    const good = await w.phone();
    const broken = await w.phone();
    // A counter that is not a string (someone wrote it by hand): INCR would be WRONGTYPE.
    const brokenKey = quotaKey(w.tenantId, broken, "2026-06-10");
    await redis.hset(brokenKey, "oops", "1");
    const [a, b, c] = await Promise.allSettled([
      w.guardian.check({ tenantId: w.tenantId, phoneId: good, cost: 1, settings: s }),
      w.guardian.check({ tenantId: w.tenantId, phoneId: broken, cost: 1, settings: s }),
      w.guardian.check({ tenantId: w.tenantId, phoneId: good, cost: 1, settings: s }),
    ]);
    expect(a).toMatchObject({ status: "fulfilled", value: { allowed: true, used: 1 } });
    expect(b).toMatchObject({ status: "rejected", reason: { name: "ReplyError", message: expect.stringContaining("WRONGTYPE") } });
    expect(c).toMatchObject({ status: "fulfilled", value: { allowed: true, used: 2 } });
    await redis.del(brokenKey);
  });

  it("fails a check with a malformed date alone, before it joins a call", async () => {
    const phoneId = await w.phone();
    const [bad, good] = await Promise.allSettled([
      store.checkAndConsume({ tenantId: w.tenantId, phoneId, usageDate: "10.06.2026", cost: 1, windowOpen: true, defaultLimit: 200, retryAtClosed: null, retryAtNextDay: new Date() }),
      w.guardian.check({ tenantId: w.tenantId, phoneId, cost: 1, settings: s }),
    ]);
    expect(bad).toMatchObject({ status: "rejected", reason: { message: expect.stringContaining("not a yyyy-mm-dd date") } });
    expect(good).toMatchObject({ status: "fulfilled", value: { allowed: true, used: 1 } });
  });
});

describe("failures", () => {
  it("turns an unreachable Redis into a coded 'try later', never an allow", async () => {
    const dead = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    const guardian = createQuotaGuardian({ store: new QuotaStore(dead), clock: w.clock, logDecisions: false });
    await expect(guardian.check({ tenantId: w.tenantId, phoneId: ids(1)[0] as string, cost: 1, settings: s })).rejects.toMatchObject({
      name: "DomainError",
      code: "QUOTA_STORE_UNAVAILABLE",
    });
    dead.disconnect();
  });
});
