import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve(import.meta.dirname, "app"),
      "#server": path.resolve(import.meta.dirname, "server"),
      "#jobs": path.resolve(import.meta.dirname, "jobs"),
    },
  },
  test: {
    environment: "node",
    pool: "forks",
    include: ["app/**/*.test.{ts,tsx}", "server/**/*.test.ts", "jobs/**/*.test.ts", "tests/**/*.test.ts", "lua/**/*.test.ts"],
    exclude: ["node_modules", "build", "e2e"],
    // Hang guards, not speed checks: tests assert counts and order, never time. On a machine loaded to
    // 30 (2 cores) a file's database setup took 64 s, so the guards leave room for a slow machine.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Integration files create their own databases, so files may run in parallel; 2 cores here.
    maxWorkers: 2,
    env: { TZ: "UTC", NODE_ENV: "test" },
    // Starts the test services when a file is run on its own (npm test provides them already).
    globalSetup: ["tests/support/global-setup.ts"],
    // In every file: fails it when a connection is sent a query while it runs another (see the file).
    setupFiles: ["tests/support/setup.ts"],
  },
});
