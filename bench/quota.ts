/**
 * `npm run bench:quota`: latency and throughput of check-and-consume through the real guardian
 * (window computation + EVALSHA + zod parse), with 1 and with 50 concurrent callers, next to the
 * ceiling on the same Redis in the same run: a trivial EVALSHA (`return 1`) driven the same way.
 *
 * Redis: REDIS_URL if set, else the project's own bench Redis (started here). Uses logical DB 15 and a
 * random tenant, and deletes its keys afterwards. The clock is pinned inside the sending window with
 * an effectively unlimited quota, so every measured call takes the full allow path (HMGET, GET, INCR).
 * Each configuration runs 3 times, alternating with the ceiling; the median run by throughput is
 * reported. Exits 0 whatever the
 * figures; the targets (p99 < 2 ms, ≥ 50 % of the ceiling) are printed beside them.
 */
import { randomUUID } from "node:crypto";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { PROJECT_ROOT } from "../scripts/lib/layout";
import { ensureRedis } from "../scripts/lib/services";

process.env.LOG_LEVEL ??= "silent";
const { createQuotaGuardian } = await import("../server/quota/guardian.server");
const { DEFAULT_QUOTA_SETTINGS } = await import("../server/quota/settings");
const { QuotaStore } = await import("../server/quota/store.server");
const { createQuotaRedis } = await import("../server/quota/redis.server");
const { phoneStatusKey, tenantQuotaPattern } = await import("../server/quota/keys");

const OPS = { 1: 10_000, 50: 50_000 } as const;
const ROUNDS = 3;
const PHONES = 50;

interface Run {
  ops: number;
  seconds: number;
  p50: number;
  p99: number;
  opsPerSecond: number;
}

async function measure(concurrency: number, total: number, op: () => Promise<unknown>): Promise<Run> {
  const latencies = new Float64Array(total);
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      await op();
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort();
  const at = (q: number) => latencies[Math.min(total - 1, Math.floor(q * total))] as number;
  return { ops: total, seconds, p50: at(0.5), p99: at(0.99), opsPerSecond: total / seconds };
}

const medianRun = (runs: Run[]): Run => [...runs].sort((a, b) => a.opsPerSecond - b.opsPerSecond)[Math.floor(runs.length / 2)] as Run;

/**
 * Alternates ceiling and check runs so both see the same machine: on a shared box the background
 * load drifts, and the ratio between the two is the figure that matters.
 */
async function compare(concurrency: number, total: number, check: () => Promise<unknown>, ceiling: () => Promise<unknown>): Promise<{ check: Run; ceiling: Run }> {
  const checks: Run[] = [];
  const ceilings: Run[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    ceilings.push(await measure(concurrency, total, ceiling));
    checks.push(await measure(concurrency, total, check));
  }
  return { check: medianRun(checks), ceiling: medianRun(ceilings) };
}

const ownRedis = process.env.REDIS_URL
  ? null
  : await ensureRedis({ root: path.join(PROJECT_ROOT, ".data/bench"), redisPort: Number(process.env.BENCH_REDIS_PORT ?? 63819), pgPort: 0, database: "" });
const baseUrl = process.env.REDIS_URL ?? ownRedis!.redisUrl;
const url = new URL(baseUrl);
url.pathname = "/15";
// The production connection settings, shared by the measured calls and the ceiling.
const redis = createQuotaRedis(url.toString(), { connectionName: "cerniq-quota-bench" });
const store = new QuotaStore(redis);
await store.loadScripts();
const trivialSha = String(await redis.script("LOAD", "return 1"));
// Not a target, a diagnosis: a script that does nothing but takes the check's 2 keys + 6 args and
// returns its 6-field reply. The distance to the ceiling that this line already shows is the cost of
// moving a real request and answer through the client, not of the quota logic.
const shapedSha = String(await redis.script("LOAD", "return {1, 'ALLOWED', 1, 200, 0, 'ACTIVE'}"));

const tenantId = randomUUID();
const phones = Array.from({ length: PHONES }, () => randomUUID());
await store.writeMirrors(phones.map((phoneId) => ({ phoneId, status: "ACTIVE" as const, enabled: true, limit: 1_000_000_000 })));
// Wednesday 10 June 2026, 10:00 Bucharest: inside the window.
const now = new Date("2026-06-10T07:00:00Z");
const guardian = createQuotaGuardian({ store, clock: () => now, logDecisions: false });

let counter = 0;
const check = () => guardian.check({ tenantId, phoneId: phones[counter++ % PHONES] as string, cost: 1, settings: DEFAULT_QUOTA_SETTINGS });
const trivial = () => redis.evalsha(trivialSha, 0);
const shapedKeys = [phoneStatusKey(phones[0] as string), `quota:${tenantId}:${phones[0] as string}:2026-06-10`];
const shaped = () => redis.evalsha(shapedSha, 2, ...shapedKeys, 1, 1, 200, 172800, 0, 1781157600000);

const info = await redis.info("server");
const version = /redis_version:(\S+)/.exec(info)?.[1] ?? "?";
// Client and Redis share this machine's cores: the load average says how quiet it was.
process.stdout.write(
  `quota benchmark: Redis ${version} at ${url.host}, node ${process.version}, ${cpus().length} cores, ` +
    `load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}, median of ${ROUNDS} runs\n\n`,
);

// Warm-up: JIT, connection, script cache, the calendar memo.
await measure(50, 5_000, check);
await measure(50, 5_000, trivial);

const rows: Array<{ label: string; concurrency: number; run: Run }> = [];
const results: Record<number, { check: Run; ceiling: Run }> = {};
for (const concurrency of [1, 50] as const) {
  const r = await compare(concurrency, OPS[concurrency], check, trivial);
  const reference = medianRun([await measure(concurrency, OPS[concurrency], shaped), await measure(concurrency, OPS[concurrency], shaped), await measure(concurrency, OPS[concurrency], shaped)]);
  results[concurrency] = r;
  rows.push(
    { label: "check-and-consume", concurrency, run: r.check },
    { label: "ceiling (EVALSHA return 1)", concurrency, run: r.ceiling },
    { label: "  same I/O shape, no logic", concurrency, run: reference },
  );
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (n: number, digits = 3) => n.toFixed(digits).padStart(8);
process.stdout.write(`${pad("operation", 28)} ${pad("conc", 5)} ${"ops".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"ops/s".padStart(9)}\n`);
for (const { label, concurrency, run } of rows) {
  process.stdout.write(`${pad(label, 28)} ${pad(String(concurrency), 5)} ${String(run.ops).padStart(8)} ${num(run.p50)} ${num(run.p99)} ${run.opsPerSecond.toFixed(0).padStart(9)}\n`);
}
process.stdout.write("\n");
for (const concurrency of [1, 50] as const) {
  const r = results[concurrency];
  if (!r) continue;
  const share = (100 * r.check.opsPerSecond) / r.ceiling.opsPerSecond;
  process.stdout.write(
    `concurrency ${String(concurrency).padStart(2)}: p99 ${r.check.p99.toFixed(3)} ms (target < 2 ms: ${r.check.p99 < 2 ? "met" : "MISSED"}), ` +
      `${share.toFixed(1)} % of ceiling (target >= 50 %: ${share >= 50 ? "met" : "MISSED"})\n`,
  );
}

// Own keys only.
const keys = phones.map(phoneStatusKey);
let cursor = "0";
do {
  const [nextCursor, batch] = await redis.scan(cursor, "MATCH", tenantQuotaPattern(tenantId), "COUNT", 1000);
  keys.push(...batch);
  cursor = nextCursor;
} while (cursor !== "0");
await redis.del(...keys);
await redis.quit();
// Leave nothing running that this run started.
if (ownRedis?.started) ownRedis.stop();
