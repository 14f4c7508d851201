/**
 * `npm run bench:classify`: the built-in reply engine on one core (one JavaScript thread).
 *
 * - Accuracy on the labelled evaluation set (server/replies/understanding/eval): the tuning part, the
 *   held-out part (never tuned on) and per intent; opt-out recall; UNSUBSCRIBE/COMPLAINT routed AUTO.
 * - Throughput: understandReply + routeReply over the whole set repeated (BENCH_CLASSIFY_REPLIES,
 *   default 60,000 replies per round, 3 rounds, median round), with p50/p99 per reply in µs.
 *   "On one core" is measured as replies per second of this thread's CPU time (process.cpuUsage), the
 *   figure that does not depend on what else the machine runs; the wall-clock rate is printed beside it
 *   (on a shared machine it is lower by the share of the core the bench did not get).
 *
 * Prints every figure beside its target and ends with one JSON line. Exits 0 whatever the figures.
 */
import { cpus, loadavg } from "node:os";
import { routeReply, understandReply } from "../server/replies/understanding";
import { EVAL_NOW, evaluate, formatReport, loadEvalSet, type LabelledReply } from "../server/replies/understanding/eval/evaluate.server";

const REPLIES = Number(process.env.BENCH_CLASSIFY_REPLIES ?? 60_000);
const ROUNDS = 3;
const TARGET_PER_SEC = 2_000;
const TARGETS = { tune: 0.97, heldOut: 0.9, optOutRecall: 1 };

const run = (item: LabelledReply) => understandReply({ text: item.text, subject: item.subject, channel: item.channel, now: EVAL_NOW });

const tune = loadEvalSet("tune");
const heldOut = loadEvalSet("held-out");
const tuneReport = evaluate(tune, run);
const heldReport = evaluate(heldOut, run);
const all = evaluate([...tune, ...heldOut], run);

process.stdout.write(`bench:classify — built-in engine, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}\n\n`);
process.stdout.write(`${formatReport("tuning set", tuneReport)}\n\n${formatReport("held-out set", heldReport)}\n\n`);

interface Round {
  /** Replies per second of CPU time of this (single) thread. */
  perSec: number;
  wallPerSec: number;
  p50: number;
  p99: number;
}

function measure(count: number): Round {
  const items = [...tune, ...heldOut];
  const micros = new Float64Array(count);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const item = items[i % items.length]!;
    const t0 = performance.now();
    routeReply(run(item));
    micros[i] = (performance.now() - t0) * 1000;
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  micros.sort();
  return { perSec: count / cpuSeconds, wallPerSec: count / seconds, p50: micros[Math.floor(count * 0.5)]!, p99: micros[Math.floor(count * 0.99)]! };
}

measure(Math.min(REPLIES, 5_000)); // warm-up: JIT and the time-zone formatter
const rounds = Array.from({ length: ROUNDS }, () => measure(REPLIES)).sort((a, b) => a.perSec - b.perSec);
const median = rounds[Math.floor(ROUNDS / 2)]!;

const met = (ok: boolean) => (ok ? "met" : "MISSED");
const pct = (n: number) => `${(100 * n).toFixed(1)} %`;
process.stdout.write(
  [
    `throughput on one core (median of ${ROUNDS} rounds of ${REPLIES} replies, per CPU second): ${median.perSec.toFixed(0)} replies/s (target >= ${TARGET_PER_SEC}: ${met(median.perSec >= TARGET_PER_SEC)}); rounds ${rounds.map((r) => r.perSec.toFixed(0)).join(" / ")}`,
    `wall clock: ${median.wallPerSec.toFixed(0)} replies/s (${(100 * median.wallPerSec / median.perSec).toFixed(0)} % of a core was ours); ${(1e6 / median.perSec).toFixed(1)} µs CPU per reply`,
    `latency per reply (wall clock): p50 ${median.p50.toFixed(1)} µs, p99 ${median.p99.toFixed(1)} µs`,
    `accuracy: tuning ${pct(tuneReport.accuracy)} (floor ${pct(TARGETS.tune)}: ${met(tuneReport.accuracy >= TARGETS.tune)}), held-out ${pct(heldReport.accuracy)} (floor ${pct(TARGETS.heldOut)}: ${met(heldReport.accuracy >= TARGETS.heldOut)}), all ${pct(all.accuracy)} of ${all.total}`,
    `opt-out recall ${pct(all.optOutRecall)} (target 100 %: ${met(all.optOutRecall >= TARGETS.optOutRecall)}); UNSUBSCRIBE/COMPLAINT routed AUTO: ${all.unsafeAuto.length} (target 0: ${met(all.unsafeAuto.length === 0)})`,
    "",
  ].join("\n"),
);
process.stdout.write(
  `${JSON.stringify({
    bench: "classify",
    repliesPerSec: Math.round(median.perSec),
    target: TARGET_PER_SEC,
    wallRepliesPerSec: Math.round(median.wallPerSec),
    p50Micros: Number(median.p50.toFixed(1)),
    p99Micros: Number(median.p99.toFixed(1)),
    accuracy: Number(tuneReport.accuracy.toFixed(4)),
    heldOutAccuracy: Number(heldReport.accuracy.toFixed(4)),
    overallAccuracy: Number(all.accuracy.toFixed(4)),
    replies: all.total,
    optOutRecall: all.optOutRecall,
    unsafeAuto: all.unsafeAuto.length,
    loadAverage: Number(loadavg()[0]!.toFixed(2)),
  })}\n`,
);
