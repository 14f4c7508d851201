/**
 * The Dockerfile and docker-compose.yml are not built here (no image registry offline), so this checks
 * what can go stale without anyone noticing: the processes they start are the project's npm scripts,
 * the topology is the documented one (Postgres 15, Redis 7, migration first, web without embedded
 * workers, two workers), every variable they set is one the app reads, and the web process reads the
 * port the image exposes and the health check probes.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { envSchema } from "../../server/config/env.server";

const root = path.resolve(import.meta.dirname, "../..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string>; engines: { node: string } };
const compose = parse(readFileSync(path.join(root, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, { image?: string; build?: string; command?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; deploy?: { replicas?: number }; ports?: string[]; healthcheck?: { disable?: boolean; test?: string[] } }>;
};
const dockerfile = readFileSync(path.join(root, "Dockerfile"), "utf8");
/** Dockerfile instructions, continuation lines joined. */
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));
const envKeys = new Set(Object.keys(envSchema.shape));

function npmScript(command: string[] | undefined): string {
  expect(command?.slice(0, 2)).toEqual(["npm", "run"]);
  const script = command![2]!;
  expect(pkg.scripts, `npm script "${script}"`).toHaveProperty(script);
  return script;
}

describe("docker-compose.yml", () => {
  const s = compose.services;

  it("starts Postgres 15, Redis 7, a migration, the web process and two workers", () => {
    expect(Object.keys(s).sort()).toEqual(["migrate", "postgres", "redis", "web", "worker"]);
    expect(s.postgres!.image).toMatch(/^postgres:15(\.|$|-)/);
    expect(s.redis!.image).toMatch(/^redis:7(\.|$|-)/);
    expect(npmScript(s.migrate!.command)).toBe("db:migrate");
    expect(npmScript(s.web!.command)).toBe("serve");
    expect(npmScript(s.worker!.command)).toBe("worker");
    expect(s.worker!.deploy?.replicas).toBe(2);
  });

  it("runs the jobs in the workers only, after the migration, against the shared stores", () => {
    expect(s.web!.environment?.WORKERS_EMBEDDED).toBe("false");
    for (const name of ["web", "worker"]) {
      const svc = s[name]!;
      expect(svc.depends_on).toMatchObject({ postgres: { condition: "service_healthy" }, redis: { condition: "service_healthy" }, migrate: { condition: "service_completed_successfully" } });
      expect(svc.environment?.DATABASE_URL).toMatch(/^postgres:\/\/cerniq_app:.*@postgres:5432\/cerniq$/);
      expect(svc.environment?.REDIS_URL).toBe("redis://redis:6379");
    }
    // The migration runs as the owner and creates the app role the processes log in with.
    expect(s.migrate!.environment?.DATABASE_ADMIN_URL).toMatch(/^postgres:\/\/cerniq_owner:.*@postgres:5432\/cerniq$/);
    expect(s.migrate!.depends_on).toMatchObject({ postgres: { condition: "service_healthy" } });
  });

  it("sets only variables the app reads", () => {
    for (const [name, svc] of Object.entries(s)) {
      if (name === "postgres") continue;
      for (const key of Object.keys(svc.environment ?? {})) expect(envKeys, `${name}.${key}`).toContain(key);
    }
  });

  it("publishes the web process on the port it listens on; workers have no HTTP health check", () => {
    expect(s.web!.environment?.HOST).toBe("0.0.0.0");
    expect(s.web!.ports).toEqual([`${s.web!.environment?.PORT}:${s.web!.environment?.PORT}`]);
    expect(s.worker!.healthcheck?.disable).toBe(true);
  });
});

describe("Dockerfile", () => {
  it("uses a Node version the project accepts", () => {
    const froms = instructions.filter((l) => l.startsWith("FROM "));
    expect(froms.length).toBeGreaterThan(0);
    const minimum = pkg.engines.node.replace(/^>=/, "").split(".").map(Number);
    for (const from of froms) {
      const version = /node:(\d+)\.(\d+)/.exec(from);
      expect(version, from).not.toBeNull();
      const [major, minor] = [Number(version![1]), Number(version![2])];
      expect(major > minimum[0]! || (major === minimum[0] && minor >= minimum[1]!), from).toBe(true);
    }
  });

  it("copies files that exist, builds with the project's scripts and starts the web process by default", () => {
    for (const copy of instructions.filter((l) => l.startsWith("COPY ") && !l.includes("--from="))) {
      const sources = copy.split(/\s+/).slice(1, -1).filter((a) => !a.startsWith("--"));
      for (const src of sources) expect(existsSync(path.join(root, src)), copy).toBe(true);
    }
    expect(instructions).toContain("RUN npm ci --no-audit --no-fund");
    expect(instructions).toContain("RUN npm run build");
    expect(pkg.scripts).toHaveProperty("build");
    const cmd = instructions.find((l) => l.startsWith("CMD "))!;
    expect(npmScript(JSON.parse(cmd.slice(4)) as string[])).toBe("serve");
  });

  it("exposes and health-checks the port the web process reads", () => {
    const env = instructions.find((l) => l.startsWith("ENV ") && l.includes("PORT="))!;
    const port = /PORT=(\d+)/.exec(env)![1];
    expect(instructions).toContain(`EXPOSE ${port}`);
    expect(/HOST=0\.0\.0\.0/.test(env)).toBe(true);
    expect(instructions.find((l) => l.startsWith("HEALTHCHECK "))).toContain("/healthz");
    for (const key of env.slice(4).split(/\s+/).map((kv) => kv.split("=")[0]!)) {
      if (key !== "CHECKPOINT_DISABLE") expect(envKeys, key).toContain(key);
    }
  });
});
