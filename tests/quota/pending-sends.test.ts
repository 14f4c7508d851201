/**
 * Cancelling a banned phone's queued sends, against real pg-boss 12 on an own migrated database.
 */
import { randomUUID } from "node:crypto";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGBOSS_SCHEMA } from "../../server/db/migrate.server";
import { WA_SEND_QUEUE } from "../../jobs/queues";
import { pgBossPendingSends } from "../../server/phones/pending-sends.server";
import { createTestDatabase, type TestDatabase } from "../support/db";

let database: TestDatabase;
let boss: PgBoss;

beforeAll(async () => {
  database = await createTestDatabase("quota_boss");
  boss = new PgBoss({ connectionString: database.appUrl, schema: PGBOSS_SCHEMA, createSchema: false, supervise: false, schedule: false });
  boss.on("error", () => undefined);
  await boss.start();
});

afterAll(async () => {
  await boss.stop({ graceful: false, timeout: 2_000 });
  await database.drop();
});

describe("cancelPendingSends", () => {
  it("is a no-op while the send queue does not exist yet", async () => {
    expect(await pgBossPendingSends(boss).cancelPendingSends(randomUUID())).toBe(0);
  });

  it("cancels the queued jobs keyed by that phone and leaves other phones' jobs alone", async () => {
    await boss.createQueue(WA_SEND_QUEUE, { policy: "key_strict_fifo" });
    const banned = randomUUID();
    const other = randomUUID();
    const later = new Date(Date.now() + 3_600_000);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await boss.send(WA_SEND_QUEUE, { step: i }, { singletonKey: banned, startAfter: later }));
    const otherId = await boss.send(WA_SEND_QUEUE, { step: 0 }, { singletonKey: other, startAfter: later });

    expect(await pgBossPendingSends(boss).cancelPendingSends(banned)).toBe(3);
    const bannedJobs = await boss.findJobs(WA_SEND_QUEUE, { key: banned });
    expect(bannedJobs.map((j) => j.state)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect(bannedJobs.map((j) => j.id).sort()).toEqual([...ids].sort());
    const [otherJob] = await boss.findJobs(WA_SEND_QUEUE, { id: otherId ?? "" });
    expect(otherJob?.state).toBe("created");
    // Nothing left to cancel: idempotent.
    expect(await pgBossPendingSends(boss).cancelPendingSends(banned)).toBe(0);
  });
});
