/**
 * The environment every test process runs with, from the test services' URLs: used by `npm test`
 * (scripts/test.ts) and by vitest's global setup when a file is run on its own.
 */
import type { RunningServices } from "./services";

export function testEnvironment(services: Pick<RunningServices, "adminUrl" | "appUrl" | "redisUrl">): Record<string, string> {
  return {
    NODE_ENV: "test",
    TZ: "UTC",
    // Each integration test file derives its own database from this server URL (tests/support/db.ts).
    TEST_PG_ADMIN_URL: services.adminUrl,
    DATABASE_ADMIN_URL: services.adminUrl,
    DATABASE_URL: services.appUrl,
    REDIS_URL: services.redisUrl,
    SESSION_SECRET: "test-session-secret-test-session-secret-0123456789",
    BCRYPT_COST: "4",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
  };
}
