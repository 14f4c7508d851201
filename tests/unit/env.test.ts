import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "../../server/config/env.server";

const valid = {
  DATABASE_URL: "postgres://app:pw@127.0.0.1:5432/cerniq",
  REDIS_URL: "redis://127.0.0.1:6379",
  SESSION_SECRET: "x".repeat(32),
};

describe("environment configuration", () => {
  it("accepts the minimum and fills defaults", () => {
    const env = parseEnv(valid);
    expect(env.PORT).toBe(3000);
    expect(env.TIMELINESAI_REQUESTS_PER_MINUTE).toBe(50);
    expect(env.WORKERS_EMBEDDED).toBe(true);
  });

  it("is sandbox exactly when no provider key is set", () => {
    expect(parseEnv(valid).sandbox).toBe(true);
    expect(parseEnv({ ...valid, RESEND_API_KEY: "re_live" }).sandbox).toBe(false);
    // An empty value counts as absent, the way .env files usually leave unused keys.
    expect(parseEnv({ ...valid, RESEND_API_KEY: "  " }).sandbox).toBe(true);
  });

  it("lists every missing or bad value at once", () => {
    let error: unknown;
    try {
      parseEnv({ DATABASE_URL: "mysql://nope", PORT: "99999", TIMELINESAI_BASE_URL: "not a url" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    for (const name of ["DATABASE_URL", "REDIS_URL", "SESSION_SECRET", "PORT", "TIMELINESAI_BASE_URL"]) {
      expect(problems).toContain(name);
    }
    expect((error as ConfigError).message).toContain(".env.example");
  });

  it("parses boolean flags the way operators write them", () => {
    expect(parseEnv({ ...valid, WORKERS_EMBEDDED: "false" }).WORKERS_EMBEDDED).toBe(false);
    expect(parseEnv({ ...valid, WORKERS_EMBEDDED: "0" }).WORKERS_EMBEDDED).toBe(false);
    expect(parseEnv({ ...valid, COOKIE_SECURE: "yes" }).COOKIE_SECURE).toBe(true);
  });
});
