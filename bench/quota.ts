/**
 * `npm run bench:quota`: latency and throughput of check-and-consume through the real guardian
 * (window computation, the store's tick batch, EVALSHA, zod parse), with 1 and with 50 concurrent
 * callers, next to the ceiling on the same Redis in the same run: a trivial EVALSHA (`return 1`, no
 * keys, no arguments) per call, driven the same way over the same connection settings.
 *
 * Redis: REDIS_URL if set, else the project's own bench Redis (started here, BENCH_REDIS_PORT). Uses
 * logical DB 15 and a random tenant, and deletes its keys afterwards. The clock is pinned inside the
 * sending window with an effectively unlimited quota, so every measured call takes the full allow
 * path (HMGET, GET, INCR). Each configuration runs 3 times, alternating with the ceiling; the median
 * run by throughput is reported, with its p99 and its CPU time per call (client process and Redis
 * server: steadier than rates on a shared machine; the Redis figure includes other clients when
 * REDIS_URL points at a shared server).
 *
 * Targets (issue 14): at 50 callers ≥ 50 % of the ceiling's calls per second and a p99 no worse than
 * the ceiling's; at 1 caller p99 < 2 ms. Exits 0 whatever the figures; ends with one JSON line.
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
const { QUOTA_KEY_TTL_SECONDS, phoneStatusKey, quotaKey, tenantQuotaPattern } = await import("../server/quota/keys");

const OPS = { 1: 10_000, 50: 50_000 } as const;
const ROUNDS = 3;
const PHONES = 50;
const RATIO_TARGET = 0.5;
const SINGLE_P99_TARGET_MS = 2;

interface Run {
  ops: number;
  seconds: number;
  p50: number;
  p99: number;
  opsPerSecond: number;
  /** CPU µs per call of this process and of the Redis server. */
  clientCpuUs: number;
  redisCpuUs: number;
  /** EVALSHA commands Redis ran per call (below 1 when calls share a script call). */
  evalshaPerOp: number;
}

const loadBefore = loadavg();

const ownRedis = process.env.REDIS_URL
  ? null
  : await ensureRedis({ root: path.join(PROJECT_ROOT, ".data/bench"), redisPort: Number(process.env.BENCH_REDIS_PORT ?? 63819), pgPort: 0, database: "" });
const baseUrl = process.env.REDIS_URL ?? ownRedis!.redisUrl;
const url = new URL(baseUrl);
url.pathname = "/15";
// The production connection settings, shared by the measured calls and the ceiling.
const redis = createQuotaRedis(url.toString(), { connectionName: "cerniq-quota-bench" });

async function redisCounters(): Promise<{ cpuSeconds: number; evalshaCalls: number }> {
  const info = await redis.info("all");
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
  return { cpuSeconds: field("used_cpu_user") + field("used_cpu_sys"), evalshaCalls: Number(/^cmdstat_evalsha:calls=(\d+)/m.exec(info)?.[1] ?? 0) };
}

async function measure(concurrency: number, total: number, op: () => Promise<unknown>): Promise<Run> {
  const latencies = new Float64Array(total);
  let next = 0;
  const redisBefore = await redisCounters();
  const cpuBefore = process.cpuUsage();
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
  const cpu = process.cpuUsage(cpuBefore);
  const redisAfter = await redisCounters();
  latencies.sort();
  const at = (q: number) => latencies[Math.min(total - 1, Math.floor(q * total))] as number;
  return {
    ops: total,
    seconds,
    p50: at(0.5),
    p99: at(0.99),
    opsPerSecond: total / seconds,
    clientCpuUs: (cpu.user + cpu.system) / total,
    redisCpuUs: ((redisAfter.cpuSeconds - redisBefore.cpuSeconds) * 1e6) / total,
    evalshaPerOp: (redisAfter.evalshaCalls - redisBefore.evalshaCalls) / total,
  };
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

const store = new QuotaStore(redis);
await store.loadScripts();
const trivialSha = String(await redis.script("LOAD", "return 1"));

const tenantId = randomUUID();
const phones = Array.from({ length: PHONES }, () => randomUUID());
await store.writeMirrors(phones.map((phoneId) => ({ phoneId, status: "ACTIVE" as const, enabled: true, limit: 1_000_000_000 })));
// Wednesday 10 June 2026, 10:00 Bucharest: inside the window.
const now = new Date("2026-06-10T07:00:00Z");
const guardian = createQuotaGuardian({ store, clock: () => now, logDecisions: false });

let counter = 0;
const check = () => guardian.check({ tenantId, phoneId: phones[counter++ % PHONES] as string, cost: 1, settings: DEFAULT_QUOTA_SETTINGS });
const trivial = () => redis.evalsha(trivialSha, 0);
// Not a target, a diagnosis: the real script deciding one check per EVALSHA (the design before the
// tick batch). Its distance to the ceiling is the price of moving one real request and answer, plus
// Redis running the decision, through the client per call.
const single = () => {
  const phoneId = phones[counter++ % PHONES] as string;
  return store.scripts.run(redis, "check_and_consume", 2, [phoneStatusKey(phoneId), quotaKey(tenantId, phoneId, "2026-06-10"), String(QUOTA_KEY_TTL_SECONDS), "1", "1", "200"]);
};

const info = await redis.info("server");
const version = /redis_version:(\S+)/.exec(info)?.[1] ?? "?";
// Client and Redis share this machine's cores: the load average says how quiet it was.
process.stdout.write(
  `quota benchmark: Redis ${version} at ${url.host}, node ${process.version}, ${cpus().length} cores, median of ${ROUNDS} runs\n` +
    `load average before the run (1 / 5 / 15 min): ${loadBefore.map((l) => l.toFixed(2)).join(" / ")}\n\n`,
);

// Warm-up: JIT, connection, script cache, the calendar memo.
await measure(50, 5_000, check);
await measure(50, 5_000, trivial);
await measure(50, 5_000, single);

const rows: Array<{ label: string; concurrency: number; run: Run }> = [];
const results: Record<number, { check: Run; ceiling: Run }> = {};
for (const concurrency of [1, 50] as const) {
  const r = await compare(concurrency, OPS[concurrency], check, trivial);
  const reference = medianRun([await measure(concurrency, OPS[concurrency], single), await measure(concurrency, OPS[concurrency], single), await measure(concurrency, OPS[concurrency], single)]);
  results[concurrency] = r;
  rows.push(
    { label: "check-and-consume", concurrency, run: r.check },
    { label: "ceiling (EVALSHA return 1)", concurrency, run: r.ceiling },
    { label: "  1 check per EVALSHA", concurrency, run: reference },
  );
}

const pad = (s: string, n: number) => s.padEnd(n);
const num = (n: number, digits = 3, width = 8) => n.toFixed(digits).padStart(width);
process.stdout.write(
  `${pad("operation", 28)} ${pad("conc", 5)} ${"ops".padStart(7)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"ops/s".padStart(8)} ` +
    `${"client µs/op".padStart(13)} ${"redis µs/op".padStart(12)} ${"EVALSHA/op".padStart(11)}\n`,
);
for (const { label, concurrency, run } of rows) {
  process.stdout.write(
    `${pad(label, 28)} ${pad(String(concurrency), 5)} ${String(run.ops).padStart(7)} ${num(run.p50)} ${num(run.p99)} ${run.opsPerSecond.toFixed(0).padStart(8)} ` +
      `${num(run.clientCpuUs, 2, 13)} ${num(run.redisCpuUs, 2, 12)} ${num(run.evalshaPerOp, 3, 11)}\n`,
  );
}
process.stdout.write("\n");

const one = results[1] as { check: Run; ceiling: Run };
const many = results[50] as { check: Run; ceiling: Run };
const met = (ok: boolean) => (ok ? "met" : "MISSED");
const ratio = many.check.opsPerSecond / many.ceiling.opsPerSecond;
const ratioMet = ratio >= RATIO_TARGET;
const p99Met = many.check.p99 <= many.ceiling.p99;
const singleMet = one.check.p99 < SINGLE_P99_TARGET_MS;
const cpuPerOp = (r: Run) => r.clientCpuUs + r.redisCpuUs;
process.stdout.write(
  `concurrency  1: p99 ${one.check.p99.toFixed(3)} ms (target < ${SINGLE_P99_TARGET_MS} ms: ${met(singleMet)}), ` +
    `${((100 * one.check.opsPerSecond) / one.ceiling.opsPerSecond).toFixed(1)} % of the ceiling's calls/s\n` +
    `concurrency 50: ${many.check.opsPerSecond.toFixed(0)} checks/s = ${(100 * ratio).toFixed(1)} % of the ceiling's ${many.ceiling.opsPerSecond.toFixed(0)} calls/s ` +
    `(target >= ${100 * RATIO_TARGET} %: ${met(ratioMet)}); p99 ${many.check.p99.toFixed(3)} ms vs the ceiling's ${many.ceiling.p99.toFixed(3)} ms ` +
    `(target: no worse: ${met(p99Met)})\n` +
    `CPU per call at 50: check ${cpuPerOp(many.check).toFixed(2)} µs (client ${many.check.clientCpuUs.toFixed(2)} + Redis ${many.check.redisCpuUs.toFixed(2)}), ` +
    `ceiling ${cpuPerOp(many.ceiling).toFixed(2)} µs (client ${many.ceiling.clientCpuUs.toFixed(2)} + Redis ${many.ceiling.redisCpuUs.toFixed(2)}); ` +
    `${(1 / many.check.evalshaPerOp).toFixed(1)} checks per EVALSHA\n`,
);

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

const round = (n: number, digits: number) => Number(n.toFixed(digits));
process.stdout.write(
  JSON.stringify({
    bench: "quota",
    callers: 50,
    opsPerSec: Math.round(many.check.opsPerSecond),
    ceilingOpsPerSec: Math.round(many.ceiling.opsPerSecond),
    ratio: round(ratio, 3),
    p99Ms: round(many.check.p99, 3),
    ceilingP99Ms: round(many.ceiling.p99, 3),
    target: RATIO_TARGET,
    met: ratioMet && p99Met,
    cpuUsPerOp: round(cpuPerOp(many.check), 2),
    ceilingCpuUsPerOp: round(cpuPerOp(many.ceiling), 2),
    checksPerEvalsha: round(1 / many.check.evalshaPerOp, 1),
    singleCallerP99Ms: round(one.check.p99, 3),
    loadAvg1m: round(loadBefore[0] as number, 2),
  }) + "\n",
);
