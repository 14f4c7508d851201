import type { PgBoss } from "pg-boss";

/**
 * What the HTTP server hands to every loader/action. The Remix build bundles its own copy of
 * server/, so process-wide singletons that must be shared with the server entry (the started pg-boss)
 * travel through here instead of module state.
 */
export interface ServerLoadContext {
  boss: PgBoss | null;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    boss: PgBoss | null;
  }
}

export function bossFrom(context: unknown): PgBoss | null {
  if (typeof context === "object" && context !== null && "boss" in context) {
    return (context as ServerLoadContext).boss ?? null;
  }
  return null;
}
