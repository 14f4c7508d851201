/**
 * Cancelling a banned phone's queued sends, against real pg-boss 12 on an own migrated database.
 */
import { randomUUID } from "node:crypto";
import { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PGBOSS_SCHEMA } from "../../server/db/migrate.server";
import { waSendQueue } from "../../jobs/queues";
import { pgBossPendingSends } from "../../server/phones/pending-sends.server";
import { moveSharedQueueSends } from "../../jobs/pipeline/wa-send-queue";
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
  const tenantId = randomUUID();
  const queue = waSendQueue(tenantId);

  it("is a no-op while the tenant's send queue does not exist yet", async () => {
    expect(await pgBossPendingSends(boss).cancelPendingSends(tenantId, randomUUID())).toBe(0);
  });

  it("cancels the queued jobs keyed by that phone and leaves other phones' jobs alone", async () => {
    await pgBossPendingSends(boss).openSendQueue(tenantId);
    expect(await boss.getQueue(queue)).toMatchObject({ policy: "key_strict_fifo" });
    const banned = randomUUID();
    const other = randomUUID();
    const later = new Date(Date.now() + 3_600_000);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await boss.send(queue, { step: i }, { singletonKey: banned, startAfter: later }));
    const otherId = await boss.send(queue, { step: 0 }, { singletonKey: other, startAfter: later });

    expect(await pgBossPendingSends(boss).cancelPendingSends(tenantId, banned)).toBe(3);
    const bannedJobs = await boss.findJobs(queue, { key: banned });
    expect(bannedJobs.map((j) => j.state)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect(bannedJobs.map((j) => j.id).sort()).toEqual([...ids].sort());
    const [otherJob] = await boss.findJobs(queue, { id: otherId ?? "" });
    expect(otherJob?.state).toBe("created");
    // Nothing left to cancel: idempotent.
    expect(await pgBossPendingSends(boss).cancelPendingSends(tenantId, banned)).toBe(0);
  });
});

describe("moveSharedQueueSends (upgrading to a queue per tenant, ADR 0014)", () => {
  it("moves the sends waiting on the old shared queue to their tenants' queues, once", async () => {
    expect(await moveSharedQueueSends(boss)).toBe(0);
    await boss.createQueue("wa.send", { policy: "key_strict_fifo" });
    const [t1, t2, phone1, phone2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const later = new Date(Date.now() + 3_600_000);
    const a = await boss.send("wa.send", { tenantId: t1, phoneId: phone1, n: 1 }, { singletonKey: phone1, startAfter: later });
    const b = await boss.send("wa.send", { tenantId: t1, phoneId: phone1, n: 2 }, { singletonKey: phone1, startAfter: later });
    const c = await boss.send("wa.send", { tenantId: t2, phoneId: phone2, n: 3 }, { singletonKey: phone2 });

    expect(await moveSharedQueueSends(boss)).toBe(3);
    const first = await boss.findJobs(waSendQueue(t1), { key: phone1 });
    expect(first.map((j) => j.id).sort()).toEqual([a, b].sort());
    expect(first.map((j) => j.startAfter.getTime())).toEqual([later.getTime(), later.getTime()]);
    expect((await boss.findJobs(waSendQueue(t2), { key: phone2 })).map((j) => ({ id: j.id, data: j.data }))).toEqual([{ id: c, data: { tenantId: t2, phoneId: phone2, n: 3 } }]);
    expect(await boss.findJobs("wa.send", { queued: true })).toEqual([]);
    // Nothing left to move: a second start moves nothing.
    expect(await moveSharedQueueSends(boss)).toBe(0);
  });
});
