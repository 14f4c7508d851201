import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";

/** Loads .env (if present) without overriding variables already set in the environment. */
export function loadDotEnv(root: string): void {
  const file = path.join(root, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}

/** A per-machine session secret for local runs, kept beside the local data so sessions survive restarts. */
export function localSessionSecret(dataRoot: string): string {
  const file = path.join(dataRoot, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataRoot, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
