import { Redis } from "ioredis";
import { getEnv } from "./config/env.server";

let client: Redis | undefined;

/** The shared Redis connection (quota counters and phone status mirror only). */
export function getRedis(): Redis {
  client ??= new Redis(getEnv().REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
  return client;
}

export async function disconnectRedis(): Promise<void> {
  if (client) {
    const c = client;
    client = undefined;
    await c.quit().catch(() => c.disconnect());
  }
}
