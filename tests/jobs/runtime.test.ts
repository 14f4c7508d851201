import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { PgBoss } from "pg-boss";
import { createTestDatabase, useDatabase, type TestDatabase } from "../support/db";
import { adminQuery, createTenantFixture, type TenantFixture } from "../support/fixtures";
import { defineJob, type JobDefinition, type QueueDefinition } from "../../jobs/definition";

let db: TestDatabase;
let tenant: TenantFixture;
let boss: PgBoss;

async function waitForState(name: string, id: string, states: string[], timeoutMs = 15_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const job = await boss.getJobById(name, id);
    if (job && states.includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not reach ${states.join("/")}`);
}

beforeAll(async () => {
  db = await createTestDatabase("jobs");
  await useDatabase(db);
  tenant = await createTenantFixture(db.adminUrl, "jobs");
  const { startBoss } = await import("../../jobs/boss.server");
  boss = await startBoss();
});

afterAll(async () => {
  const { stopBoss } = await import("../../jobs/boss.server");
  const { disconnectPrisma } = await import("../../server/db/client.server");
  await stopBoss();
  await disconnectPrisma();
  await db.drop();
});

describe("pg-boss runtime", () => {
  it("runs as the app role in its own schema", async () => {
    const owner = await adminQuery<{ owner: string }>(db.adminUrl, "SELECT pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname = 'pgboss'");
    expect(owner[0]?.owner).toBe("cerniq_app");
  });

  it("purges expired sessions of every tenant through the registered job", async () => {
    const { jobRegistry } = await import("../../jobs/registry");
    const { ensureQueues, startWorkers } = await import("../../jobs/runtime");
    await ensureQueues(boss, jobRegistry);
    await startWorkers(boss, jobRegistry);
    const user = tenant.users.ADMIN;
    await adminQuery(
      db.adminUrl,
      `INSERT INTO user_sessions (tenant_id, user_id, token_hash, expires_at) VALUES ($1,$2,'expired-1', now() - interval '1 hour'), ($1,$2,'live-1', now() + interval '1 hour')`,
      [tenant.tenantId, user.id],
    );
    const id = await boss.send("maintenance.sessions.purge", {});
    expect(id).toBeTruthy();
    const job = await waitForState("maintenance.sessions.purge", id!, ["completed", "failed"]);
    expect(job.state).toBe("completed");
    const left = await adminQuery<{ token_hash: string }>(db.adminUrl, "SELECT token_hash FROM user_sessions ORDER BY token_hash");
    expect(left.map((r) => r.token_hash)).toEqual(["live-1"]);
  });

  /** A dead-letter queue must be defined like any other: ensureQueues refuses an unknown one. */
  const deadLetterQueue = (name: string): QueueDefinition => ({ name, retryLimit: 0, retryDelaySeconds: 0, retryBackoff: false });

  it("refuses a job whose dead letter has no definition", async () => {
    const { ensureQueues } = await import("../../jobs/runtime");
    const orphan = defineJob({ name: "test.orphan", payload: z.object({}), retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false, deadLetter: "test.nowhere", handler: async () => undefined });
    await expect(ensureQueues(boss, [orphan] as JobDefinition[])).rejects.toThrow("test.nowhere is named as a dead letter but has no definition");
    expect(await boss.getQueue("test.orphan")).toBeNull();
  });

  it("fails a job whose payload does not match its schema and dead-letters it", async () => {
    const { ensureQueues, startWorkers } = await import("../../jobs/runtime");
    const handled: number[] = [];
    const probe = defineJob({
      name: "test.probe",
      payload: z.object({ n: z.number().int() }),
      retryLimit: 0,
      retryDelaySeconds: 1,
      retryBackoff: false,
      deadLetter: "test.probe.dlq",
      async handler(data) {
        handled.push(data.n);
      },
    });
    const registry = [probe] as JobDefinition[];
    await ensureQueues(boss, [deadLetterQueue("test.probe.dlq"), ...registry]);
    await startWorkers(boss, registry);
    const good = await boss.send("test.probe", { n: 7 });
    const bad = await boss.send("test.probe", { n: "seven" });
    await waitForState("test.probe", good!, ["completed"]);
    const failed = await waitForState("test.probe", bad!, ["failed"]);
    expect(handled).toEqual([7]);
    expect(JSON.stringify(failed.output)).toContain("INVALID_PAYLOAD");
    const dead = await boss.fetch("test.probe.dlq");
    expect(dead?.[0]?.data).toEqual({ n: "seven" });
  });

  it("in a batch, a failing job fails alone and the others complete", async () => {
    const { ensureQueues, startWorkers } = await import("../../jobs/runtime");
    const handled: number[] = [];
    const batched = defineJob({
      name: "test.batched",
      payload: z.object({ n: z.number().int() }),
      retryLimit: 0,
      retryDelaySeconds: 1,
      retryBackoff: false,
      deadLetter: "test.batched.dlq",
      batchSize: 10,
      async handler(data) {
        if (data.n === 3) throw new Error("three is refused");
        handled.push(data.n);
      },
    });
    const registry = [batched] as JobDefinition[];
    await ensureQueues(boss, [deadLetterQueue("test.batched.dlq"), ...registry]);
    const ids = await Promise.all([1, 2, 3, 4, 5].map((n) => boss.send("test.batched", { n })));
    await startWorkers(boss, registry);
    const states = await Promise.all(ids.map((id) => waitForState("test.batched", id!, ["completed", "failed"])));
    expect(states.map((j) => j.state)).toEqual(["completed", "completed", "failed", "completed", "completed"]);
    expect(handled.sort()).toEqual([1, 2, 4, 5]);
    const dead = await boss.fetch("test.batched.dlq");
    expect(dead?.[0]?.data).toEqual({ n: 3 });
  });

  it("fetchAgainWhileBusy: one key's jobs run back to back, not one per polling interval", async () => {
    const { ensureQueues, startWorkers } = await import("../../jobs/runtime");
    const started: number[] = [];
    const serial = defineJob({
      name: "test.serial",
      payload: z.object({ n: z.number().int() }),
      policy: "key_strict_fifo",
      retryLimit: 0,
      retryDelaySeconds: 1,
      retryBackoff: false,
      batchSize: 5,
      localConcurrency: 2,
      fetchAgainWhileBusy: true,
      pollingIntervalSeconds: 2,
      async handler() {
        started.push(Date.now());
        await new Promise((r) => setTimeout(r, 5));
      },
    });
    const registry = [serial] as JobDefinition[];
    await ensureQueues(boss, registry);
    // key_strict_fifo: one job of the key at a time, so every fetch finds at most one.
    const ids = (await boss.insert("test.serial", Array.from({ length: 20 }, (_, n) => ({ data: { n }, singletonKey: "one-phone" })), { returnId: true })) ?? [];
    await startWorkers(boss, registry);
    const states = await Promise.all(ids.map((id) => waitForState("test.serial", id, ["completed", "failed"], 30_000)));
    expect(states.every((j) => j.state === "completed")).toBe(true);
    // Polling every 2 s, 20 one-job fetches would take ~40 s; fetching again after work takes well under 10.
    expect(Math.max(...started) - Math.min(...started)).toBeLessThan(10_000);
  });

  it("yieldsTo: fetched work waits while the other queue is behind, runs once it has caught up, and waits no longer than its cap", async () => {
    const { ensureQueues, startWorkers } = await import("../../jobs/runtime");
    const common = { payload: z.object({ n: z.number() }), retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false, pollingIntervalSeconds: 0.5 };
    const urgent = defineJob({ ...common, name: "test.urgent", handler: async () => undefined });
    // Never worked: a backlog that does not clear.
    const stuck = defineJob({ ...common, name: "test.stuck", handler: async () => undefined });
    const seen: Array<{ queue: string; otherState: string }> = [];
    const watch = (name: string, other: string, otherId: () => string, maxWaitSeconds: number) =>
      defineJob({
        ...common,
        name,
        yieldsTo: { queue: other, backlogSeconds: 0, maxWaitSeconds },
        async handler() {
          seen.push({ queue: name, otherState: (await boss.getJobById(other, otherId()))!.state });
        },
      });
    let urgentId = "";
    let stuckId = "";
    const patient = watch("test.patient", "test.urgent", () => urgentId, 600);
    const capped = watch("test.capped", "test.stuck", () => stuckId, 1);
    await ensureQueues(boss, [urgent, stuck, patient, capped] as JobDefinition[]);
    urgentId = (await boss.send("test.urgent", { n: 1 }))!;
    stuckId = (await boss.send("test.stuck", { n: 1 }))!;
    const patientId = (await boss.send("test.patient", { n: 1 }))!;
    const cappedId = (await boss.send("test.capped", { n: 1 }))!;
    const stops = [await startWorkers(boss, [patient, capped] as JobDefinition[])];
    try {
      // Fetched, and held: the urgent queue has a job due and nothing works it yet.
      await waitForState("test.patient", patientId, ["active"]);
      expect(seen.filter((s) => s.queue === "test.patient")).toEqual([]);
      stops.push(await startWorkers(boss, [urgent] as JobDefinition[]));
      expect((await waitForState("test.patient", patientId, ["completed", "failed"], 30_000)).state).toBe("completed");
      expect((await waitForState("test.capped", cappedId, ["completed", "failed"], 30_000)).state).toBe("completed");
      expect(seen.sort((a, b) => a.queue.localeCompare(b.queue))).toEqual([
        // After its cap, with the other queue still behind.
        { queue: "test.capped", otherState: "created" },
        // Only after the urgent job was done.
        { queue: "test.patient", otherState: "completed" },
      ]);
    } finally {
      for (const stop of stops) await stop();
    }
  });

  it("a queue family: one queue per tenant given, each worked, a tenant's queue created later found by the running worker", async () => {
    const { ensureQueues, startWorkers } = await import("../../jobs/runtime");
    const handled: number[] = [];
    const family = defineJob({
      name: "test.family",
      perTenant: { queueFor: (t) => `test.family.${t}`, tenantOf: (q) => (q.startsWith("test.family.") ? q.slice("test.family.".length) : undefined) },
      payload: z.object({ n: z.number() }),
      policy: "key_strict_fifo",
      retryLimit: 0,
      retryDelaySeconds: 1,
      retryBackoff: false,
      deadLetter: "test.family.dlq",
      pollingIntervalSeconds: 0.5,
      handler: async (data) => {
        handled.push(data.n);
      },
    });
    await ensureQueues(boss, [deadLetterQueue("test.family.dlq"), family as JobDefinition], ["a"]);
    // The family's name is no queue; the tenant's queue has the family's settings.
    expect(await boss.getQueue("test.family")).toBeNull();
    expect(await boss.getQueue("test.family.a")).toMatchObject({ policy: "key_strict_fifo", deadLetter: "test.family.dlq" });
    const stop = await startWorkers(boss, [family as JobDefinition], { discoverQueuesEverySeconds: 0.5 });
    try {
      await ensureQueues(boss, [deadLetterQueue("test.family.dlq"), family as JobDefinition], ["b"]);
      const a = await boss.send("test.family.a", { n: 1 }, { singletonKey: "k" });
      const b = await boss.send("test.family.b", { n: 2 }, { singletonKey: "k" });
      expect((await waitForState("test.family.a", a!, ["completed", "failed"])).state).toBe("completed");
      expect((await waitForState("test.family.b", b!, ["completed", "failed"])).state).toBe("completed");
      expect(handled.sort()).toEqual([1, 2]);
    } finally {
      await stop();
    }
  });

  it("the look-out wakes a queue's loops one at a time, each in turn, and each queue keeps its own turn", async () => {
    const { loopsInTurn } = await import("../../jobs/runtime");
    const next = loopsInTurn();
    const loops = ["w1", "w2", "w3"];
    expect([1, 2, 3, 4, 5, 6, 7].map(() => next("q.a", loops))).toEqual(["w1", "w2", "w3", "w1", "w2", "w3", "w1"]);
    expect(next("q.b", ["v1", "v2"])).toBe("v1");
    expect(next("q.a", loops)).toBe("w2");
    expect(next("q.c", [])).toBeUndefined();
  });

  it("a queue family: a loop held up by one slow job holds up none of the queue's other keys", async () => {
    // The look-out wakes one of a queue's loops per interval, in turn; the loop stuck on the slow job
    // must not be the only one ever woken, or the other keys would wait for the 10 s floor poll.
    const { ensureQueues, startWorkers } = await import("../../jobs/runtime");
    let release = () => {};
    const slowHeld = new Promise<void>((resolve) => (release = resolve));
    const done: string[] = [];
    const family = defineJob({
      name: "test.turns",
      perTenant: { queueFor: (t) => `test.turns.${t}`, tenantOf: (q) => (q.startsWith("test.turns.") ? q.slice("test.turns.".length) : undefined) },
      payload: z.object({ key: z.string(), n: z.number() }),
      policy: "key_strict_fifo",
      retryLimit: 0,
      retryDelaySeconds: 1,
      retryBackoff: false,
      batchSize: 20,
      localConcurrency: 3,
      fetchAgainWhileBusy: true,
      pollingIntervalSeconds: 0.5,
      handler: async (data) => {
        if (data.key === "slow") await slowHeld;
        done.push(`${data.key}${data.n}`);
      },
    });
    await ensureQueues(boss, [family as JobDefinition], ["a"]);
    const slow = await boss.send("test.turns.a", { key: "slow", n: 1 }, { singletonKey: "slow" });
    const fast = (await boss.insert("test.turns.a", Array.from({ length: 8 }, (_, n) => ({ data: { key: "fast", n }, singletonKey: "fast" })), { returnId: true })) ?? [];
    const stop = await startWorkers(boss, [family as JobDefinition], { discoverQueuesEverySeconds: 0.5 });
    try {
      // One key's jobs run one at a time, each from a new fetch; all of them finish while the slow job holds its loop.
      for (const id of fast) expect((await waitForState("test.turns.a", id, ["completed", "failed"])).state).toBe("completed");
      // (A batch insert shares one created_on, so pg-boss orders its jobs by id, not as inserted.)
      expect([...done].sort()).toEqual(Array.from({ length: 8 }, (_, n) => `fast${n}`));
      release();
      expect((await waitForState("test.turns.a", slow!, ["completed", "failed"])).state).toBe("completed");
      expect(done.at(-1)).toBe("slow1");
    } finally {
      release();
      await stop();
    }
  });
});
