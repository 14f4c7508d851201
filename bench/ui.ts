/**
 * `npm run bench:ui`: the leads workspace on the 1,000,000-lead seed (issue 10, "Performance").
 *
 *  1. server time of the leads list's common views (bench/support/ui-cases.ts): each case called
 *     BENCH_ITERATIONS times (default 30, after 3 warm-up calls) through the real tRPC router as a
 *     signed-in rep or manager; p50 / p95 / max against its target (p95 < 100 ms);
 *  2. the total's cost: how each view's total was obtained (exact count, planner estimate) and what the
 *     count step costs alone;
 *  3. Chromium: the leads page loaded BENCH_PAGE_LOADS times (default 5) as a signed-in rep, from
 *     navigation to the first row of the table on screen (target < 1.5 s), against the built app
 *     (`remix build` runs first unless BENCH_SKIP_BUILD=1) served by this project's web process;
 *     BENCH_SKIP_CHROMIUM=1 leaves it out (server cases only).
 *
 * Data: bench/support/ui-data.ts (the demo seed with BENCH_LEADS leads, kept between runs). The
 * machine is shared: the load average is printed before and after and belongs with the figures.
 * Ends with one JSON line. Exits 0 whatever the figures; targets are printed beside them.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { chromium } from "@playwright/test";
import pg from "pg";
import type { SessionUser } from "../server/auth/roles";
import { ensureBenchUiData } from "./support/ui-data";

process.env.LOG_LEVEL ??= "silent";
const LEADS = Number(process.env.BENCH_LEADS ?? 1_000_000);
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);
const PAGE_LOADS = Number(process.env.BENCH_PAGE_LOADS ?? 5);
const PORT = Number(process.env.BENCH_UI_PORT ?? (process.env.PORT ? Number(process.env.PORT) + 5 : 3199));
const ROOT = path.resolve(import.meta.dirname, "..");
const PASSWORD = "Cerniq!2026";
const say = (msg: string) => process.stdout.write(`[bench:ui] ${msg}\n`);
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

const data = await ensureBenchUiData(LEADS);
process.env.DATABASE_URL = data.appUrl;
process.env.DATABASE_ADMIN_URL = data.adminUrl;
process.env.REDIS_URL = data.redisUrl;
process.env.SESSION_SECRET ??= "bench-session-secret-bench-session-secret-0123456789";
const { resetEnvCache } = await import("../server/config/env.server");
resetEnvCache();
const { appRouter } = await import("../server/trpc/router.server");
const { disconnectPrisma, withTenant } = await import("../server/db/client.server");
const { UI_CASE_GROUPS } = await import("./support/ui-cases");
const { listScope } = await import("../server/leads/list/list.server");
const { fromWhere } = await import("../server/leads/list/query.server");
const { countLeads } = await import("../server/leads/list/count.server");

const admin = new pg.Client({ connectionString: data.adminUrl });
await admin.connect();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function userByEmail(email: string): Promise<SessionUser> {
  const r = await admin.query<{ id: string; tenant_id: string; tenant_name: string; role: SessionUser["role"]; name: string }>(
    `SELECT u.id, u.tenant_id, t.name AS tenant_name, u.role, u.name FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.email = $1`,
    [email],
  );
  const u = r.rows[0];
  if (!u) throw new Error(`no user ${email} in the bench database`);
  return { id: u.id, tenantId: u.tenant_id, tenantName: u.tenant_name, role: u.role, name: u.name, email, locale: "ro", sessionId: "bench" };
}

const rep = await userByEmail("rep1@agroverde.ro");
const manager = await userByEmail("manager1@agroverde.ro");
const ctx = {
  tenantId: rep.tenantId,
  rep,
  manager,
  admin,
  callerFor: (user: SessionUser) => appRouter.createCaller({ user, requestId: "bench-ui", ip: null, boss: null }),
};

interface CaseFigures {
  name: string;
  targetMs: number;
  p50: number;
  p95: number;
  max: number;
  total?: string;
}

const results: CaseFigures[] = [];
const counts: Array<{ name: string; precision: string; value: number; p50: number; p95: number }> = [];
const chromium_: { figures: { p50: number; p95: number; max: number; loads: number } | null } = { figures: null };
const loadBefore = load();

try {
  say(`${LEADS.toLocaleString("en")} leads${data.seeded ? " (seeded by this run)" : ""}; node ${process.version}, ${cpus().length} cores, load average ${loadBefore}`);

  // ─── 1. Server time per case ────────────────────────────────────────────────────────────────────
  // The groups' setup shares one pg client, which runs one query at a time: build them in turn.
  const cases: Awaited<ReturnType<(typeof UI_CASE_GROUPS)[number]>> = [];
  for (const group of UI_CASE_GROUPS) cases.push(...(await group(ctx)));
  for (const c of cases) {
    for (let i = 0; i < 3; i++) await c.run();
    const times: number[] = [];
    let last: unknown;
    for (let i = 0; i < ITERATIONS; i++) {
      const t0 = performance.now();
      last = await c.run();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const total = (last as { total?: { value: number; precision: string } } | undefined)?.total;
    const figures: CaseFigures = { name: c.name, targetMs: c.targetMs, p50: times[Math.floor(times.length / 2)]!, p95: percentile(times, 95), max: times.at(-1)!, ...(total ? { total: `${total.precision === "exact" ? "" : total.precision === "estimate" ? "≈ " : "> "}${total.value.toLocaleString("ro-RO")}` } : {}) };
    results.push(figures);
    say(`${c.name}: p50 ${ms(figures.p50)}, p95 ${ms(figures.p95)}, max ${ms(figures.max)} (target p95 < ${c.targetMs} ms)${figures.p95 < c.targetMs ? "" : "  ← over target"}${figures.total ? `; total ${figures.total}` : ""}`);
  }

  // ─── 2. The count step alone ────────────────────────────────────────────────────────────────────
  const countViews: Array<{ name: string; user: SessionUser; filters: Parameters<typeof listScope>[1]["filters"] }> = [
    { name: "all leads", user: manager, filters: {} },
    { name: "my leads", user: rep, filters: { assigned: "me" } },
    { name: "state A răspuns", user: manager, filters: { states: ["WARM_REPLY"] } },
    { name: "Iași + Necontactat", user: manager, filters: { county: "Iași", states: ["COLD"] } },
    { name: "search 'recolta voluntari'", user: manager, filters: { search: "recolta voluntari" } },
    { name: "needs review + Iași", user: manager, filters: { needsReview: true, county: "Iași" } },
  ];
  for (const view of countViews) {
    const times: number[] = [];
    let total = { value: 0, precision: "exact" };
    for (let i = 0; i < Math.max(5, Math.floor(ITERATIONS / 3)); i++) {
      await withTenant(view.user.tenantId, async (tx) => {
        const scope = await listScope(tx, { tenantId: view.user.tenantId, userId: view.user.id, filters: view.filters });
        const t0 = performance.now();
        total = await countLeads(tx, fromWhere(scope));
        times.push(performance.now() - t0);
      });
    }
    times.sort((a, b) => a - b);
    const exact = await admin.query<{ n: string }>(`SELECT count(*)::text AS n FROM gold_lead_journey WHERE tenant_id = $1`, [ctx.tenantId]);
    counts.push({ name: view.name, precision: total.precision, value: total.value, p50: times[Math.floor(times.length / 2)]!, p95: percentile(times, 95) });
    say(`count step, ${view.name}: ${total.precision} ${total.value.toLocaleString("ro-RO")}${view.name === "all leads" ? ` (true: ${Number(exact.rows[0]?.n).toLocaleString("ro-RO")})` : ""}; p50 ${ms(times[Math.floor(times.length / 2)]!)}, p95 ${ms(percentile(times, 95))}`);
  }

  // ─── 3. Chromium: the leads page ────────────────────────────────────────────────────────────────
  if (process.env.BENCH_SKIP_CHROMIUM === "1") say("BENCH_SKIP_CHROMIUM=1: the page load is not measured");
  else await measurePageLoad();
} finally {
  await admin.end();
  await disconnectPrisma();
}

async function measurePageLoad(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD !== "1" || !existsSync(path.join(ROOT, "build/index.js"))) {
    say("building the app (remix build)");
    await runCommand(path.join(ROOT, "node_modules/.bin/remix"), ["build"], { NODE_ENV: "production" });
  }
  const server = spawn(process.execPath, ["--import", "tsx", "server/http/main.server.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(PORT), HOST: "127.0.0.1", NODE_ENV: "production", WORKERS_EMBEDDED: "false", LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  try {
    await waitForHttp(`http://127.0.0.1:${PORT}/healthz`, 90_000);
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    try {
      const page = await browser.newPage({ locale: "ro-RO", timezoneId: "Europe/Bucharest", viewport: { width: 1440, height: 900 } });
      await page.goto(`http://127.0.0.1:${PORT}/login`);
      await page.getByLabel("Email").fill(rep.email);
      await page.getByLabel("Parolă").fill(PASSWORD);
      await page.getByRole("button", { name: "Intră în cont" }).click();
      await page.waitForURL(/\/outreach\/dashboard$/);
      const url = `http://127.0.0.1:${PORT}/outreach/leads`;
      await page.goto(url);
      await page.getByTestId("lead-row").first().waitFor({ timeout: 30_000 });
      const times: number[] = [];
      for (let i = 0; i < PAGE_LOADS; i++) {
        await page.goto("about:blank");
        const t0 = performance.now();
        await page.goto(url);
        await page.getByTestId("lead-row").first().waitFor({ timeout: 30_000 });
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const chromiumFigures = { p50: times[Math.floor(times.length / 2)]!, p95: percentile(times, 95), max: times.at(-1)!, loads: PAGE_LOADS };
      say(
        `Chromium, /outreach/leads as a rep, navigation → first row on screen: p50 ${ms(chromiumFigures.p50)}, p95 ${ms(chromiumFigures.p95)}, max ${ms(chromiumFigures.max)} over ${PAGE_LOADS} loads (target < 1500 ms)`,
      );
      chromium_.figures = chromiumFigures;
    } finally {
      await browser.close();
    }
  } finally {
    server.kill("SIGTERM");
  }
}

const loadAfter = load();
say(`load average before ${loadBefore}, after ${loadAfter} (${cpus().length} cores, shared machine)`);
process.stdout.write(
  `${JSON.stringify({
    bench: "ui",
    leads: LEADS,
    iterations: ITERATIONS,
    loadavg: { before: loadBefore, after: loadAfter },
    cases: Object.fromEntries(results.map((r) => [r.name, { p50: round(r.p50), p95: round(r.p95), max: round(r.max), targetMs: r.targetMs, total: r.total ?? null }])),
    count: Object.fromEntries(counts.map((c) => [c.name, { precision: c.precision, value: c.value, p50: round(c.p50), p95: round(c.p95) }])),
    chromium: chromium_.figures && { p50: round(chromium_.figures.p50), p95: round(chromium_.figures.p95), max: round(chromium_.figures.max), loads: chromium_.figures.loads, targetMs: 1500 },
  })}\n`,
);
process.exit(0);

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function runCommand(cmd: string, args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: "inherit" });
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}`))));
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms`);
}
