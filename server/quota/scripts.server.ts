/**
 * The Lua scripts of lua/, loaded once per Redis server with SCRIPT LOAD and called by SHA.
 *
 * EVALSHA sends 40 bytes instead of the script body on every call. Redis forgets its script cache on
 * restart, on SCRIPT FLUSH and on fail-over, so a NOSCRIPT error reloads that script and retries the
 * call once; concurrent callers hitting NOSCRIPT together share one reload.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command, type Redis } from "ioredis";

export const SCRIPT_NAMES = ["check_and_consume", "release", "usage", "set_usage"] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

interface LoadedScript {
  name: ScriptName;
  source: string;
  sha: string;
}

/**
 * Finds lua/ by walking up from this module: it sits at ../../lua in the source tree, and one level
 * up from the server bundle after `remix build`.
 */
function findLuaDirectory(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "lua");
    if (existsSync(path.join(candidate, "check_and_consume.lua"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("lua/ scripts not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("NOSCRIPT");
}

export class LuaScripts {
  private readonly scripts: ReadonlyMap<ScriptName, LoadedScript>;
  private readonly reloading = new Map<ScriptName, Promise<void>>();
  /** How many NOSCRIPT recoveries happened (observability and tests). */
  reloads = 0;

  constructor(directory: string = findLuaDirectory()) {
    this.scripts = new Map(
      SCRIPT_NAMES.map((name) => {
        const source = readFileSync(path.join(directory, `${name}.lua`), "utf8");
        return [name, { name, source, sha: createHash("sha1").update(source).digest("hex") }];
      }),
    );
  }

  sha(name: ScriptName): string {
    return this.get(name).sha;
  }

  /** SCRIPT LOAD every script; checks Redis computed the same SHA we call with. */
  async loadAll(redis: Redis): Promise<void> {
    await Promise.all(SCRIPT_NAMES.map((name) => this.load(redis, name)));
  }

  /**
   * EVALSHA with the keys first, then the arguments, all as strings (ioredis would convert numbers
   * itself, at a cost bench:quota sees), through ioredis' usual path: auto-pipelined on the quota
   * connection with whatever else is sent in the same tick.
   */
  run(redis: Redis, name: ScriptName, numKeys: number, keysAndArgs: string[]): Promise<unknown> {
    return this.withReload(redis, name, (sha) => redis.evalsha(sha, numKeys, keysAndArgs));
  }

  /**
   * The same EVALSHA written to the connection at once, past ioredis' auto-pipelining, for a caller
   * that gathers its own batch (the quota check). Auto-pipelining would add an event-loop turn per
   * batch and hold a batch back until the previous one is answered; past it, the client's CPU per
   * check fell by about 40 % (bench:quota). Everything else of the connection still applies:
   * `sendCommand` arms the command timeout, queues offline and retries as for any command.
   */
  runNow(redis: Redis, name: ScriptName, numKeys: number, keysAndArgs: string[]): Promise<unknown> {
    return this.withReload(redis, name, (sha) => {
      const command = new Command("evalsha", [sha, numKeys, keysAndArgs], { replyEncoding: "utf8", keyPrefix: redis.options.keyPrefix });
      return redis.sendCommand(command) as Promise<unknown>;
    });
  }

  private withReload(redis: Redis, name: ScriptName, call: (sha: string) => Promise<unknown>): Promise<unknown> {
    const { sha } = this.get(name);
    return call(sha).catch((error: unknown) => {
      if (!isNoScript(error)) throw error;
      return this.reload(redis, name).then(() => call(sha));
    });
  }

  private async reload(redis: Redis, name: ScriptName): Promise<void> {
    let pending = this.reloading.get(name);
    if (!pending) {
      this.reloads += 1;
      pending = this.load(redis, name).finally(() => this.reloading.delete(name));
      this.reloading.set(name, pending);
    }
    await pending;
  }

  private async load(redis: Redis, name: ScriptName): Promise<void> {
    const script = this.get(name);
    const sha = await redis.script("LOAD", script.source);
    if (sha !== script.sha) throw new Error(`SCRIPT LOAD of ${name} returned ${String(sha)}, expected ${script.sha}`);
  }

  private get(name: ScriptName): LoadedScript {
    const script = this.scripts.get(name);
    if (!script) throw new Error(`unknown Lua script ${name}`);
    return script;
  }
}
