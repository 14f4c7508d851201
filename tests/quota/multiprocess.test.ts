/**
 * 10,000 concurrent check-and-consume calls from 4 separate processes over 20 phones (issue 3).
 * Logical Redis DB 12; own random ids.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quotaKey } from "../../server/quota/keys";
import { QuotaStore, type PhoneMirror } from "../../server/quota/store.server";
import type { PhoneStatus } from "../../server/phones/status";
import type { HammerResult, HammerSetup } from "./support/hammer-child";
import { WEDNESDAY_10_00, deleteOwnKeys, ids, sharedRedisUrl } from "./support/index";

const PROCESSES = 4;
const CALLS = 10_000;
const PHONES = 20;
const LIMIT = 200;

let redisUrl: string;
let redis: Redis;
const [tenantId] = ids(1) as [string];
const phoneIds = ids(PHONES);
// 16 ACTIVE, 2 PAUSED, 2 BANNED.
const statusOf = (i: number): PhoneStatus => (i < 16 ? "ACTIVE" : i < 18 ? "PAUSED" : "BANNED");

beforeAll(async () => {
  redisUrl = await sharedRedisUrl(12);
  redis = new Redis(redisUrl);
  const mirrors: PhoneMirror[] = phoneIds.map((phoneId, i) => ({ phoneId, status: statusOf(i), enabled: true, limit: LIMIT }));
  await new QuotaStore(redis).writeMirrors(mirrors);
});

afterAll(async () => {
  await deleteOwnKeys(redis, [tenantId], phoneIds);
  await redis.quit();
});

function waitFor<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown) => {
      if (typeof m === "object" && m !== null && (m as { type?: unknown }).type === type) {
        child.off("message", onMessage);
        resolve(m as T);
      }
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`child exited with ${code} before "${type}"`)));
  });
}

describe("check-and-consume under real concurrency", () => {
  it(`grants exactly ${LIMIT} per ACTIVE phone across ${PROCESSES} processes and ${CALLS} calls`, async () => {
    const childPath = path.join(import.meta.dirname, "support/hammer-child.ts");
    const children = Array.from({ length: PROCESSES }, () =>
      fork(childPath, { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }),
    );
    try {
      // Every process covers every phone (offset per process), 500 calls per phone in total.
      const perProcess = CALLS / PROCESSES;
      await Promise.all(
        children.map((child, p) => {
          const ready = waitFor(child, "ready");
          const setup: HammerSetup = {
            type: "setup",
            redisUrl,
            tenantId,
            now: WEDNESDAY_10_00,
            concurrency: 50,
            calls: Array.from({ length: perProcess }, (_, k) => phoneIds[(k + p * 5) % PHONES] as string),
          };
          child.send(setup);
          return ready;
        }),
      );
      // All connected and loaded: start together.
      const results = children.map((child) => waitFor<HammerResult>(child, "result"));
      for (const child of children) child.send({ type: "go" });
      const reports = await Promise.all(results);

      const allowed = new Map<string, number>();
      const refused: Record<string, number> = {};
      for (const r of reports) {
        for (const [phoneId, n] of Object.entries(r.allowed)) allowed.set(phoneId, (allowed.get(phoneId) ?? 0) + n);
        for (const [reason, n] of Object.entries(r.refused)) refused[reason] = (refused[reason] ?? 0) + n;
      }

      for (const [i, phoneId] of phoneIds.entries()) {
        const expected = statusOf(i) === "ACTIVE" ? LIMIT : 0;
        expect(allowed.get(phoneId) ?? 0, `phone ${i} (${statusOf(i)})`).toBe(expected);
        const counter = await redis.get(quotaKey(tenantId, phoneId, "2026-06-10"));
        expect(Number(counter ?? 0), `counter of phone ${i}`).toBe(expected);
      }
      expect(refused).toEqual({ QUOTA_EXHAUSTED: 16 * (500 - LIMIT), PHONE_NOT_ACTIVE: 4 * 500 });
      // The grants really were contested: more than one process won units.
      expect(reports.filter((r) => Object.keys(r.allowed).length > 0).length).toBeGreaterThan(1);
    } finally {
      for (const child of children) if (child.exitCode === null) child.kill();
    }
    // Four Node processes compiling TypeScript and 10,000 calls: seconds on a quiet machine, minutes on
    // a loaded one. The assertions are counts; the time allowed only has to cover the work.
  }, 300_000);
});
