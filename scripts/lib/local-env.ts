/**
 * What `npm start` does to find the project's Postgres and Redis, for every operator command
 * (`npm run ops`, `npm run quota:resync`, `npm run worker`): read .env, and where DATABASE_URL /
 * REDIS_URL / SESSION_SECRET are not set, use the project-local servers in .data/dev (the ports they
 * were started on are remembered there) and the session secret generated beside them. A command run
 * next to `npm start` therefore talks to the same database and Redis without any export.
 *
 * `start: true` starts the local servers when they are not running (as `npm start` would) and stops
 * what it started when the command ends; `start: false` only reuses running ones, and leaves the
 * environment as it was otherwise, so a missing variable fails with the usual configuration message.
 * Nothing here runs when the variables are set (production, containers, CI).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadDotEnv, localSessionSecret } from "./env-file";
import { DEV_LAYOUT, PROJECT_ROOT } from "./layout";
import { ensurePostgres, ensureRedis, portOpen, type ServiceLayout } from "./services";

export interface LocalServices {
  /** What was found or started, for the command's first line. */
  source: "environment" | "local";
  stop: () => void;
}

function savedPort(dir: string): number | null {
  const file = path.join(dir, "port");
  if (!existsSync(file)) return null;
  const port = Number(readFileSync(file, "utf8").trim());
  return Number.isInteger(port) && port > 0 ? port : null;
}

async function running(dir: string): Promise<number | null> {
  const port = savedPort(dir);
  return port !== null && (await portOpen(port)) ? port : null;
}

export async function findLocalServices(options: { start: boolean; layout?: ServiceLayout }): Promise<LocalServices> {
  const layout = options.layout ?? DEV_LAYOUT;
  loadDotEnv(PROJECT_ROOT);
  const stops: Array<() => void> = [];
  let local = false;

  if (!process.env.DATABASE_URL) {
    if (options.start) {
      const pg = await ensurePostgres(layout);
      if (pg.started) stops.push(pg.stop);
      process.env.DATABASE_URL = pg.appUrl;
      process.env.DATABASE_ADMIN_URL ??= pg.adminUrl;
      local = true;
    } else {
      const port = await running(path.resolve(layout.root, "pg"));
      if (port !== null) {
        const base = `127.0.0.1:${port}/${layout.database}`;
        process.env.DATABASE_URL = `postgres://cerniq_app:cerniq_app_local@${base}`;
        process.env.DATABASE_ADMIN_URL ??= `postgres://postgres@${base}`;
        local = true;
      }
    }
  }
  if (!process.env.REDIS_URL) {
    if (options.start) {
      const redis = await ensureRedis(layout);
      if (redis.started) stops.push(redis.stop);
      process.env.REDIS_URL = redis.redisUrl;
      local = true;
    } else {
      const port = await running(path.resolve(layout.root, "redis"));
      if (port !== null) {
        process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
        local = true;
      }
    }
  }
  // The secret `npm start` generated (sessions signed by the web process stay valid); commands that
  // sign nothing only need the value to pass the configuration check.
  if (!process.env.SESSION_SECRET && (local || existsSync(path.join(layout.root, "session-secret")))) {
    process.env.SESSION_SECRET = localSessionSecret(layout.root);
  }
  return {
    source: local ? "local" : "environment",
    stop: () => {
      for (const stop of stops.reverse()) stop();
    },
  };
}
