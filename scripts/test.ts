/**
 * `npm test`: the whole suite on a fresh machine. Starts the project's own test Postgres and Redis
 * (separate folders and ports from the dev ones), runs typecheck and lint, the vitest suites (unit and
 * integration; every integration file creates its own database), then builds the app and runs the
 * Playwright e2e tests in Debian's Chromium against a freshly seeded database. Stops what it started
 * and ends with one "N passed, N failed" line.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { TEST_LAYOUT, PROJECT_ROOT } from "./lib/layout";
import { createDatabase, ensureServices } from "./lib/services";
import { run } from "./lib/run";
import { testEnvironment } from "./lib/test-env";
import { migrate } from "../server/db/migrate.server";

const say = (msg: string) => process.stdout.write(`\n[test] ${msg}\n`);
const bin = (name: string) => path.join(PROJECT_ROOT, "node_modules/.bin", name);
// `npm test -- unit e2e` runs parts; `npm test -- tests/leads/lock-order.test.ts e2e/phones.spec.ts`
// (or `npm run test:one -- <file>`) runs those files: vitest files, then Playwright specs.
const args = process.argv.slice(2);
const files = args.filter((a) => /\.(test|spec)\.tsx?$/.test(a));
const only = new Set(args.filter((a) => !files.includes(a)));
const unitFiles = files.filter((f) => !f.startsWith("e2e/"));
const e2eFiles = files.filter((f) => f.startsWith("e2e/"));
const wants = (part: string) =>
  files.length > 0 ? (part === "unit" && unitFiles.length > 0) || (part === "e2e" && e2eFiles.length > 0) : only.size === 0 || only.has(part);

const services = await ensureServices(TEST_LAYOUT);
let stopped = false;
const stop = () => {
  if (!stopped) {
    stopped = true;
    // Servers another run was already using (a developer's second terminal) stay up.
    services.stopStarted();
  }
};
process.on("SIGINT", () => {
  stop();
  process.exit(130);
});

const cacheDir = path.join(PROJECT_ROOT, ".cache");
mkdirSync(cacheDir, { recursive: true });
const env = { ...process.env, ...testEnvironment(services) };

const results: Array<{ part: string; passed: number; failed: number; ok: boolean }> = [];

try {
  if (wants("static")) {
    say("typecheck");
    const tsc = await run(bin("tsc"), ["--noEmit"], { cwd: PROJECT_ROOT, env });
    say("lint");
    const lint = await run(bin("eslint"), ["."], { cwd: PROJECT_ROOT, env });
    results.push({ part: "typecheck+lint", passed: Number(tsc === 0) + Number(lint === 0), failed: Number(tsc !== 0) + Number(lint !== 0), ok: tsc === 0 && lint === 0 });
  }

  if (wants("unit")) {
    say("unit and integration tests (vitest)");
    const report = path.join(cacheDir, "vitest.json");
    rmSync(report, { force: true });
    const code = await run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...unitFiles], { cwd: PROJECT_ROOT, env });
    const json = existsSync(report) ? (JSON.parse(readFileSync(report, "utf8")) as { numPassedTests: number; numFailedTests: number }) : { numPassedTests: 0, numFailedTests: 1 };
    results.push({ part: "vitest", passed: json.numPassedTests, failed: json.numFailedTests, ok: code === 0 });
  }

  if (wants("e2e")) {
    say("e2e (Playwright, Debian Chromium): seeding a fresh database and building the app");
    const adminUrl = createDatabase(services.adminUrl, "cerniq_e2e", { recreate: true });
    const appUrl = adminUrl.replace("postgres@", "cerniq_app:cerniq_app_local@");
    await migrate({ adminUrl, appUrl });
    const e2eEnv = { ...env, DATABASE_ADMIN_URL: adminUrl, DATABASE_URL: appUrl, SEED_LEADS: "1500" };
    const seeded = await run(process.execPath, ["--import", "tsx", "prisma/seed/main.ts"], { cwd: PROJECT_ROOT, env: e2eEnv });
    const built = seeded === 0 ? await run(bin("remix"), ["build"], { cwd: PROJECT_ROOT, env: { ...e2eEnv, NODE_ENV: "production" as const } }) : 1;
    const report = path.join(cacheDir, "playwright.json");
    rmSync(report, { force: true });
    const code = built === 0 ? await run(bin("playwright"), ["test", ...e2eFiles], { cwd: PROJECT_ROOT, env: { ...e2eEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: report } }) : 1;
    const stats = existsSync(report) ? (JSON.parse(readFileSync(report, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number } }).stats : { expected: 0, unexpected: 1, flaky: 0 };
    results.push({ part: "e2e", passed: stats.expected + stats.flaky, failed: stats.unexpected, ok: code === 0 });
  }
} finally {
  stop();
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
for (const r of results) process.stdout.write(`[test] ${r.part}: ${r.passed} passed, ${r.failed} failed${r.ok ? "" : " (FAILED)"}\n`);
const ok = results.length > 0 && results.every((r) => r.ok);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(ok ? 0 : 1);
