/**
 * A fresh start in sandbox mode has a quiet log (issue 13 item 5): the TimelinesAI simulator is told
 * the WhatsApp history the seeded database holds (scripts/lib/sandbox-history.ts, run by `npm start`),
 * so the status-sync job's polls of seeded messages find them, with the statuses the database already
 * has. Without it every poll is a "Message not found" failure, which is what the start log used to be.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTenantSeed, DEMO_TENANTS } from "../../prisma/seed/tenant";
import { teachTimelinesHistory } from "../../scripts/lib/sandbox-history";
import { syncWhatsAppStatuses, type StatusHistorySource } from "../../server/events/status-sync.server";
import type { TransactionalQueue } from "../../server/db/transactional-queue.server";
import { RedisSlidingWindowPacer } from "../../server/providers/pacing.server";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { TimelinesAiClient } from "../../server/providers/timelinesai/client.server";
import { startSimulators, type RunningSimulators } from "../../server/sandbox/launcher";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";

let db: TestDatabase;
let sim: RunningSimulators;
let redis: Redis;
let tenantId: string;
let source: StatusHistorySource;
const seededAt = new Date();

/** Status polls only apply delivery statuses; a reply (the one thing that enqueues) cannot come from them. */
const noReplies: TransactionalQueue = {
  send: () => Promise.reject(new Error("a status poll enqueued a job")),
  sendMany: () => Promise.reject(new Error("a status poll enqueued jobs")),
};

beforeAll(async () => {
  db = await createTestDatabase("sandbox_history");
  await useDatabase(db);
  const client = new pg.Client({ connectionString: db.adminUrl });
  await client.connect();
  try {
    ({ tenantId } = await buildTenantSeed(client, { tenant: DEMO_TENANTS[0], seed: 9, leadCount: 1200, passwordHash: "x", now: seededAt }));
  } finally {
    await client.end();
  }
  sim = await startSimulators({ port: 0 });
  redis = new Redis(process.env.REDIS_URL!);
  const timelines = new TimelinesAiClient({
    baseUrl: sim.urls.timelinesai,
    token: SANDBOX_CREDENTIALS.timelinesaiToken,
    requestsPerMinute: 100_000,
    pacer: new RedisSlidingWindowPacer({ redis, provider: "timelinesai", keyPrefix: `test-${randomUUID()}` }),
  });
  source = { statusHistory: async (uid, account) => (await timelines.getMessageStatusHistory(uid, account ? { account } : {})).map((e) => ({ status: e.status, at: e.timestamp })) };
}, 120_000);

afterAll(async () => {
  await sim?.close();
  redis?.disconnect();
  const { disconnectPrisma } = await import("../../server/db/client.server");
  await disconnectPrisma();
  await db?.drop();
});

const sync = (now: Date) => syncWhatsAppStatuses({ source, queue: noReplies, now: () => now, perAccount: 1000, perRun: 5000 }, tenantId);

describe("the sandbox TimelinesAI workspace after a fresh start", () => {
  it("knows every seeded message the status sync polls, with the statuses the database has", async () => {
    const taught = await teachTimelinesHistory(db.adminUrl, sim.origin, seededAt);
    expect(taught.messages).toBeGreaterThan(50);
    const first = await sync(new Date());
    expect(first.polled).toBeGreaterThan(20);
    expect(first.errors).toBe(0);
    // The simulator's history is the database's: nothing to change.
    expect(first.changed).toBe(0);
  });

  it("answers 'not found' for every one of them when it was not told (the noisy start this replaces)", async () => {
    await fetch(`${sim.origin}/__control/reset`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    // Six hours on, every message polled above is due again (cadence ≤ 6 h for messages over a day old).
    const later = await sync(new Date(Date.now() + 6 * 3_600_000 + 60_000));
    expect(later.polled).toBeGreaterThan(0);
    expect(later.errors).toBe(later.polled);
  });
});
