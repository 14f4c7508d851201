/**
 * Starts the project's own Postgres and Redis on project-local data folders and non-default ports,
 * so `npm start` and `npm test` work on a fresh machine with nothing running. A server left running
 * by an earlier run (same data folder) is reused; `stop()` stops what lives in our folders.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, chownSync, statSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import path from "node:path";

export interface ServiceLayout {
  /** Folder that holds pg/ and redis/ data, e.g. .data/dev */
  root: string;
  pgPort: number;
  redisPort: number;
  database: string;
}

export interface RunningServices {
  adminUrl: string;
  appUrl: string;
  redisUrl: string;
  /** Stops both servers (whoever started them). */
  stop: () => void;
  /** Stops only the servers this call started, leaving ones another run is using. */
  stopStarted: () => void;
}

// Diagnostics go to stderr, so commands that print reports or JSON on stdout stay parseable.
const log = (msg: string) => process.stderr.write(`[services] ${msg}\n`);
const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function which(cmd: string): string | null {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function postgresBin(name: string): string {
  const onPath = which(name);
  if (onPath) return onPath;
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const candidate = path.join(base, v, "bin", name);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`${name} not found. Install PostgreSQL 15 (apt-get install postgresql-15) or set DATABASE_URL.`);
}

export function portOpen(port: number, host = "127.0.0.1", timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * The port a server in `dir` listens on: the one it was started with when it is still running (so a
 * restart reuses it), else the preferred port, else the next free one above it, so another program
 * (or another checkout's server) on the preferred port does not stop us.
 */
async function choosePort(dir: string, preferred: number, running: boolean): Promise<number> {
  const file = path.join(dir, "port");
  if (running) {
    const saved = existsSync(file) ? Number(readFileSync(file, "utf8").trim()) : NaN;
    return Number.isInteger(saved) && saved > 0 ? saved : preferred;
  }
  for (let port = preferred; port < preferred + 50; port++) {
    if (!(await portOpen(port))) {
      writeFileSync(file, String(port));
      return port;
    }
  }
  throw new Error(`no free port in ${preferred}..${preferred + 49}`);
}

/** Runs a command as the postgres OS user when we are root (initdb refuses to run as root). */
function runAsPostgres(bin: string, args: string[]): void {
  if (isRoot()) {
    const quoted = [bin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    execFileSync("su", ["postgres", "-s", "/bin/sh", "-c", quoted], { stdio: "pipe" });
  } else {
    execFileSync(bin, args, { stdio: "pipe" });
  }
}

function pidAlive(pidFile: string): boolean {
  if (!existsSync(pidFile)) return false;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function ensurePostgres(layout: ServiceLayout): Promise<{ adminUrl: string; appUrl: string; started: boolean; stop: () => void }> {
  const dir = path.resolve(layout.root, "pg");
  const dataDir = path.join(dir, "data");
  mkdirSync(dir, { recursive: true });
  if (isRoot()) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    if (statSync(dir).uid !== uid) chownSync(dir, uid, gid);
    // postgres must be able to reach the folder through its parents.
    let parent = path.dirname(dir);
    while (parent !== path.dirname(parent)) {
      const mode = statSync(parent).mode;
      if ((mode & 0o001) === 0) execFileSync("chmod", ["o+x", parent]);
      parent = path.dirname(parent);
    }
  }
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`initialising Postgres in ${dataDir}`);
    runAsPostgres(postgresBin("initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]);
  }
  const pidFile = path.join(dataDir, "postmaster.pid");
  const running = pidAlive(pidFile);
  const port = await choosePort(dir, layout.pgPort, running);
  const reuse = running && (await portOpen(port));
  if (reuse) {
    log(`reusing Postgres on port ${port}`);
  } else {
    log(`starting Postgres on 127.0.0.1:${port}`);
    runAsPostgres(postgresBin("pg_ctl"), [
      "-D", dataDir, "-w", "-t", "60", "-l", path.join(dir, "server.log"),
      "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      "start",
    ]);
  }
  await waitFor(() => portOpen(port), "Postgres");
  const psql = postgresBin("psql");
  const exists = execFileSync(psql, ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-tAc", `SELECT 1 FROM pg_database WHERE datname='${layout.database}'`], { encoding: "utf8" }).trim();
  if (exists !== "1") {
    execFileSync(psql, ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-c", `CREATE DATABASE "${layout.database}"`], { stdio: "pipe" });
  }
  const base = `127.0.0.1:${port}/${layout.database}`;
  return {
    adminUrl: `postgres://postgres@${base}`,
    appUrl: `postgres://cerniq_app:cerniq_app_local@${base}`,
    started: !reuse,
    stop: () => {
      if (!pidAlive(pidFile)) return;
      log("stopping Postgres");
      try {
        runAsPostgres(postgresBin("pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "stop"]);
      } catch (error) {
        log(`pg_ctl stop failed: ${(error as Error).message}`);
      }
    },
  };
}

function ensureRedisInstalled(): string {
  const found = which("redis-server");
  if (found) return found;
  if (!isRoot()) throw new Error("redis-server is not installed; install it (apt-get install redis-server) or set REDIS_URL.");
  log("redis-server missing: installing it from apt (one time)");
  execFileSync("sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server"], { stdio: "inherit" });
  // Debian starts a system redis on 6379 after install; we never use it, so stop it again.
  spawnSync("sh", ["-c", "service redis-server stop >/dev/null 2>&1 || true"]);
  const installed = which("redis-server");
  if (!installed) throw new Error("redis-server install failed");
  return installed;
}

export async function ensureRedis(layout: ServiceLayout): Promise<{ redisUrl: string; started: boolean; stop: () => void }> {
  const dir = path.resolve(layout.root, "redis");
  mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, "redis.pid");
  const running = pidAlive(pidFile);
  const port = await choosePort(dir, layout.redisPort, running);
  const reuse = running && (await portOpen(port));
  if (reuse) {
    log(`reusing Redis on port ${port}`);
  } else {
    const bin = ensureRedisInstalled();
    log(`starting Redis on 127.0.0.1:${port}`);
    execFileSync(bin, [
      "--port", String(port), "--bind", "127.0.0.1", "--daemonize", "yes",
      "--pidfile", pidFile, "--dir", dir, "--logfile", path.join(dir, "redis.log"),
      "--save", "", "--appendonly", "no",
    ]);
  }
  await waitFor(() => portOpen(port), "Redis");
  return {
    redisUrl: `redis://127.0.0.1:${port}`,
    started: !reuse,
    stop: () => {
      if (!pidAlive(pidFile)) return;
      log("stopping Redis");
      const pid = Number(readFileSync(pidFile, "utf8").trim());
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        /* already gone */
      }
    },
  };
}

export async function ensureServices(layout: ServiceLayout): Promise<RunningServices> {
  const pg = await ensurePostgres(layout);
  const redis = await ensureRedis(layout);
  return {
    adminUrl: pg.adminUrl,
    appUrl: pg.appUrl,
    redisUrl: redis.redisUrl,
    stop: () => {
      redis.stop();
      pg.stop();
    },
    stopStarted: () => {
      if (redis.started) redis.stop();
      if (pg.started) pg.stop();
    },
  };
}

/** Creates (or recreates) a database on the project's Postgres; used to give each test file its own. */
export function createDatabase(adminUrl: string, name: string, opts: { recreate?: boolean } = {}): string {
  const url = new URL(adminUrl);
  const psql = postgresBin("psql");
  const args = ["-h", url.hostname, "-p", url.port || "5432", "-U", decodeURIComponent(url.username || "postgres"), "-d", "postgres", "-v", "ON_ERROR_STOP=1"];
  if (opts.recreate) execFileSync(psql, [...args, "-c", `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`], { stdio: "pipe" });
  execFileSync(psql, [...args, "-c", `CREATE DATABASE "${name}"`], { stdio: "pipe" });
  url.pathname = `/${name}`;
  return url.toString();
}

/** Stops the servers living in a layout's folders, if any are running; starts nothing. */
export function stopLocalServices(layout: ServiceLayout): void {
  const redisPid = path.resolve(layout.root, "redis", "redis.pid");
  if (pidAlive(redisPid)) {
    log("stopping Redis");
    process.kill(Number(readFileSync(redisPid, "utf8").trim()), "SIGTERM");
  }
  const dataDir = path.resolve(layout.root, "pg", "data");
  if (pidAlive(path.join(dataDir, "postmaster.pid"))) {
    log("stopping Postgres");
    runAsPostgres(postgresBin("pg_ctl"), ["-D", dataDir, "-m", "fast", "-w", "stop"]);
  }
}
