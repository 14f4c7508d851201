/**
 * `npm run test:busy [-- <runs> [<burners>]]`: the whole suite (`npm test`) several times in a row while
 * busy-looping child processes keep the cores loaded (issue 13: "the suite passes three times in a row
 * under a CPU burner"). Defaults: 3 runs, one burner per core, at normal priority. Prints each run's
 * result line, duration and the load average before and after, then one JSON line; exits 1 if any run
 * failed. The burners stop with the script (also on Ctrl-C).
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { z } from "zod";

if (process.argv[2] === "--burn") {
  // A burner: spin until killed.
  for (;;) Math.sqrt(Math.random());
}

const [runs, burners] = z
  .tuple([z.coerce.number().int().min(1).default(3), z.coerce.number().int().min(0).default(availableParallelism())])
  .parse([process.argv[2], process.argv[3]]);

const self = fileURLToPath(import.meta.url);
const children: ChildProcess[] = Array.from({ length: burners }, () => fork(self, ["--burn"], { execArgv: ["--import", "tsx"], stdio: "ignore" }));
const stop = () => children.forEach((c) => c.kill("SIGKILL"));
process.on("SIGINT", () => {
  stop();
  process.exit(130);
});
process.on("exit", stop);

const load = () => loadavg()[0]!.toFixed(1);
// Let the load average climb to the burners' level before the first run.
await new Promise((r) => setTimeout(r, 60_000));
const results: Array<{ run: number; ok: boolean; seconds: number; loadBefore: string; loadAfter: string; summary: string }> = [];
for (let run = 1; run <= runs; run++) {
  const loadBefore = load();
  const started = Date.now();
  const lines: string[] = [];
  const code = await new Promise<number>((resolve) => {
    const child = spawn("npm", ["test"], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      lines.push(...chunk.toString().split("\n").filter(Boolean));
    });
    child.on("exit", (c) => resolve(c ?? 1));
  });
  const summary = lines.filter((l) => /passed|failed/.test(l)).at(-1) ?? "";
  results.push({ run, ok: code === 0, seconds: Math.round((Date.now() - started) / 1000), loadBefore, loadAfter: load(), summary });
  console.log(`\n[test:busy] run ${run}/${runs}: ${code === 0 ? "PASSED" : "FAILED"} in ${results.at(-1)!.seconds} s, load average ${loadBefore} → ${results.at(-1)!.loadAfter} (${burners} burners): ${summary}`);
}
stop();
console.log(JSON.stringify({ bench: "test-busy", burners, runs: results }));
process.exit(results.every((r) => r.ok) ? 0 : 1);
