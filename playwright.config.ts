import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3111);
const baseURL = `http://127.0.0.1:${port}`;

/**
 * Drives the real built app in Debian's Chromium (never a downloaded browser: no internet here).
 * `npm test` seeds the database and builds the app first, then runs this with the URLs in env.
 */
export default defineConfig({
  testDir: "e2e",
  workers: 1,
  retries: 0,
  // Hang guards, not speed checks (see vitest.config.ts): a loaded CI machine renders slowly, and
  // expectations poll until their condition holds.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json"]],
  use: {
    baseURL,
    locale: "ro-RO",
    timezoneId: "Europe/Bucharest",
    screenshot: "only-on-failure",
    trace: "off",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "node --import tsx server/http/main.server.ts",
    url: `${baseURL}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    env: { ...(process.env as Record<string, string>), PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", LOG_LEVEL: "warn" },
  },
});
