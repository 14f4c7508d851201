/**
 * `npm start`: the one command that runs the product on a fresh machine.
 * Starts project-local Postgres and Redis (unless DATABASE_URL / REDIS_URL point elsewhere), migrates,
 * seeds demo data when the database is empty, starts the provider simulators in sandbox mode (and tells
 * the TimelinesAI one the WhatsApp history the database holds), builds
 * the app and serves it, and runs the pg-boss workers. Ctrl-C stops everything it started.
 *
 * Workers (START_WORKERS): "process" (default) runs them in a worker process beside the web process,
 * at a lower CPU priority (nice START_WORKER_NICE, default 10), so a burst of webhooks is answered
 * first and processed just after (README "Webhook throughput": 2,900 req/s, p99 43 ms this way, about
 * 1,300 req/s, p99 65–70 ms with both in one event loop). "embedded" runs them inside the web
 * process (one process, as `node server/http/main.server.ts` alone does by default).
 */
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { setPriority } from "node:os";
import pg from "pg";
import { DEV_LAYOUT, PROJECT_ROOT } from "./lib/layout";
import { ensurePostgres, ensureRedis } from "./lib/services";
import { loadDotEnv, localSessionSecret } from "./lib/env-file";
import { mustRun } from "./lib/run";
import { teachTimelinesHistory, waitForSimulators } from "./lib/sandbox-history";
import { migrate } from "../server/db/migrate.server";
import { parseEnv } from "../server/config/env.server";

const say = (msg: string) => process.stdout.write(`[start] ${msg}\n`);
loadDotEnv(PROJECT_ROOT);

const stops: Array<() => void> = [];
const children: ChildProcess[] = [];
let shuttingDown = false;

function shutdown(code: number): void {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  const deadline = Date.now() + 25_000;
  const wait = () => {
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null) || Date.now() > deadline) {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      for (const stop of stops.reverse()) stop();
      process.exit(code);
    }
    setTimeout(wait, 100);
  };
  wait();
}
/**
 * The sandbox TimelinesAI workspace stands for the first tenant's (the one with the 20 phones); its
 * webhook URL carries that tenant's secret, as a real workspace's registered URL would.
 */
async function timelinesWebhookUrl(appOrigin: string): Promise<Record<string, string>> {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ secret: string }>("SELECT timelinesai_webhook_secret AS secret FROM tenants WHERE is_active ORDER BY created_at, slug LIMIT 1");
    return rows[0] ? { SIMULATOR_WEBHOOK_TIMELINESAI_URL: `${appOrigin}/webhooks/timelinesai/${rows[0].secret}` } : {};
  } finally {
    await admin.end();
  }
}

process.on("SIGINT", () => shutdown(0));
process.on("SIGTERM", () => shutdown(0));

try {
  if (!process.env.DATABASE_URL) {
    const pgService = await ensurePostgres(DEV_LAYOUT);
    stops.push(pgService.stop);
    process.env.DATABASE_URL = pgService.appUrl;
    process.env.DATABASE_ADMIN_URL ??= pgService.adminUrl;
  } else if (!process.env.DATABASE_ADMIN_URL) {
    throw new Error("DATABASE_URL is set but DATABASE_ADMIN_URL is not: migrations need the owner connection");
  }
  if (!process.env.REDIS_URL) {
    const redisService = await ensureRedis(DEV_LAYOUT);
    stops.push(redisService.stop);
    process.env.REDIS_URL = redisService.redisUrl;
  }
  process.env.SESSION_SECRET ??= localSessionSecret(DEV_LAYOUT.root);
  process.env.NODE_ENV ??= "production";

  const { applied } = await migrate({ adminUrl: process.env.DATABASE_ADMIN_URL!, appUrl: process.env.DATABASE_URL, log: say });
  say(applied.length ? `applied ${applied.length} migration(s)` : "database schema is up to date");

  const admin = new pg.Client({ connectionString: process.env.DATABASE_ADMIN_URL });
  await admin.connect();
  const { rows } = await admin.query<{ n: string }>("SELECT count(*) AS n FROM tenants");
  await admin.end();
  if (Number(rows[0]?.n ?? 0) === 0) {
    say("empty database: seeding demo data");
    await mustRun(process.execPath, ["--import", "tsx", "prisma/seed/main.ts"], { cwd: PROJECT_ROOT, env: process.env });
  }

  const env = parseEnv(process.env);
  if (env.sandbox) {
    // Sandbox: every provider is served by its local simulator, which sends its webhooks back here.
    const appOrigin = `http://${env.HOST}:${env.PORT}`;
    const simulators = spawn(process.execPath, ["--import", "tsx", "scripts/simulators.ts"], {
      cwd: PROJECT_ROOT,
      stdio: "inherit",
      env: {
        ...process.env,
        SIMULATOR_PORT: String(env.SIMULATOR_PORT),
        SIMULATOR_WEBHOOK_RESEND_URL: `${appOrigin}/webhooks/resend`,
        SIMULATOR_WEBHOOK_INSTANTLY_URL: `${appOrigin}/webhooks/instantly`,
        ...(await timelinesWebhookUrl(appOrigin)),
      },
    });
    children.push(simulators);
    say(`sandbox mode: provider simulators on http://127.0.0.1:${env.SIMULATOR_PORT}`);
    // The simulator keeps its state in memory: give it the WhatsApp history the database holds, as a
    // real workspace would have it (scripts/lib/sandbox-history.ts), before the workers poll it.
    const origin = `http://127.0.0.1:${env.SIMULATOR_PORT}`;
    await waitForSimulators(origin);
    const taught = await teachTimelinesHistory(process.env.DATABASE_ADMIN_URL!, origin);
    say(`sandbox TimelinesAI workspace knows the last 8 days of WhatsApp history: ${taught.messages} messages in ${taught.chats} chats`);
  }

  say("building the app");
  await mustRun(process.execPath, [path.join(PROJECT_ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "build"], { cwd: PROJECT_ROOT, env: { ...process.env, NODE_ENV: "production" } });

  const workerMode = process.env.START_WORKERS ?? "process";
  if (workerMode !== "process" && workerMode !== "embedded") throw new Error(`START_WORKERS must be "process" or "embedded", not "${workerMode}"`);
  const workerNice = Number(process.env.START_WORKER_NICE ?? 10);
  if (!Number.isInteger(workerNice) || workerNice < 0 || workerNice > 19) throw new Error(`START_WORKER_NICE must be 0–19, not "${process.env.START_WORKER_NICE}"`);
  const embedded = workerMode === "embedded";
  // Whichever of the two exits on its own takes the rest down: a half-running app is worse than a stopped one.
  const supervise = (child: ChildProcess, name: string) => {
    children.push(child);
    child.once("exit", (code) => {
      if (!shuttingDown) {
        say(`${name} exited with ${code}`);
        shutdown(code ?? 1);
      }
    });
  };
  supervise(spawn(process.execPath, ["--import", "tsx", "server/http/main.server.ts"], { cwd: PROJECT_ROOT, env: { ...process.env, WORKERS_EMBEDDED: String(embedded) }, stdio: "inherit" }), "app");
  if (!embedded) {
    const worker = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], { cwd: PROJECT_ROOT, env: process.env, stdio: "inherit" });
    if (workerNice > 0 && worker.pid !== undefined) setPriority(worker.pid, workerNice);
    supervise(worker, "worker");
    say(`workers in their own process (pid ${worker.pid}, nice ${workerNice}); START_WORKERS=embedded runs them in the web process`);
  }
  const url = `http://${env.HOST}:${env.PORT}`;
  const ready = Date.now();
  while (!shuttingDown && Date.now() - ready < 60_000) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!shuttingDown) say(`ready: ${url}  (demo logins: README.md → "Demo logins"; Ctrl-C stops everything)`);
} catch (error) {
  process.stderr.write(`[start] ${(error as Error).message}\n`);
  shutdown(1);
}
