/**
 * Vitest global setup: `npx vitest run <file>` (or `npm run test:one -- <file>`) works on a fresh clone
 * with nothing running. When `npm test` already provided the environment this does nothing; otherwise it
 * starts the project's test Postgres and Redis (.data/test, as `npm test` does), sets the environment
 * the files expect, and stops at the end what it started.
 */
import { TEST_LAYOUT } from "../../scripts/lib/layout";
import { ensureServices } from "../../scripts/lib/services";
import { testEnvironment } from "../../scripts/lib/test-env";

export default async function setup(): Promise<() => void> {
  if (process.env.TEST_PG_ADMIN_URL) return () => undefined;
  const services = await ensureServices(TEST_LAYOUT);
  // Set before vitest forks its workers, which inherit it.
  Object.assign(process.env, testEnvironment(services));
  return () => services.stopStarted();
}
