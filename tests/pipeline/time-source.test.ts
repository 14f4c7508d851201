/**
 * The pipeline's time source: a deferred WhatsApp send reaches pg-boss as the real instant at which
 * the pipeline's clock shows its start (identity for a bare clock), and the sped-up clock the
 * simulated business day runs on (fast-clock.ts) maps both ways, keeps going without a jump when its
 * speed changes, and reads the same in every process that knows its segments.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { configurePipelineDeps } from "../../jobs/pipeline/deps";
import { handleWaSend, waSendJob } from "../../jobs/pipeline/wa-send";
import { runDispatch } from "../../server/pipeline/dispatch/dispatch.server";
import { waSendQueue, waSendPayload, type WaSendPayload } from "../../jobs/queues";
import { SimulatedClock } from "./fast-clock";
import { createWorld, guardianFor, manualClock, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv } from "./support";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";

describe("SimulatedClock", () => {
  it("runs `speed` times faster than real time and maps a simulated instant back to the real one", () => {
    const realFrom = Date.now();
    const clock = new SimulatedClock({ realFrom, simFrom: WEDNESDAY_10_00.getTime(), speed: 300 });
    expect(clock.simulatedAt(realFrom + 1_000)).toBe(WEDNESDAY_10_00.getTime() + 300_000);
    expect(clock.realInstant(new Date(WEDNESDAY_10_00.getTime() + 90_000)).getTime()).toBe(realFrom + 300);
    // Never a real instant at which the simulated clock still reads earlier than asked.
    const odd = new Date(WEDNESDAY_10_00.getTime() + 1_001);
    expect(clock.simulatedAt(clock.realInstant(odd).getTime())).toBeGreaterThanOrEqual(odd.getTime());
  });

  it("changes speed without a jump, and a copy told the same segments reads the same time", () => {
    const realFrom = Date.now() - 10_000;
    const owner = new SimulatedClock({ realFrom, simFrom: WEDNESDAY_10_00.getTime(), speed: 100 });
    const worker = new SimulatedClock(owner.firstSegment);
    const segment = owner.changeSpeed(20, realFrom + 12_000);
    worker.add(segment);
    expect(segment.simFrom).toBe(WEDNESDAY_10_00.getTime() + 1_200_000);
    for (const real of [realFrom + 11_999, realFrom + 12_000, realFrom + 12_001, realFrom + 15_000]) {
      expect(worker.simulatedAt(real)).toBe(owner.simulatedAt(real));
    }
    expect(owner.simulatedAt(realFrom + 13_000)).toBe(WEDNESDAY_10_00.getTime() + 1_200_000 + 20_000);
    // An instant after the change maps through the new speed, one before it through the old one.
    expect(owner.realInstant(new Date(segment.simFrom + 20_000)).getTime()).toBe(realFrom + 13_000);
    expect(owner.realInstant(new Date(segment.simFrom - 100_000)).getTime()).toBe(realFrom + 11_000);
    expect(() => worker.add({ ...segment, speed: 5 })).toThrow(/later/);
  });
});

describe("a deferred send on a clock that is not the system's", () => {
  let env: PipelineEnv;
  beforeAll(async () => {
    env = await startPipelineEnv("plt", [waSendJob] as JobDefinition[]);
  });
  afterAll(async () => {
    configurePipelineDeps({});
    await env?.close();
  });

  /** Two leads dispatched to one phone; their send payloads (the jobs are taken off the queue). */
  async function twoSends(): Promise<WaSendPayload[]> {
    const w = await createWorld(env, { phones: 1, leads: 2 });
    const clock = manualClock(WEDNESDAY_10_00);
    await runDispatch({ guardian: guardianFor(env, clock), boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock }, { tenantId: w.tenantId });
    const jobs = await env.boss.findJobs(waSendQueue(w.tenantId), { key: w.phoneIds[0]!, queued: true });
    for (const j of jobs) await env.boss.deleteJob(waSendQueue(w.tenantId), j.id);
    return jobs.map((j) => waSendPayload.parse(j.data));
  }

  /** The phone's one queued send (the deferred one, re-enqueued by the handler) and when pg-boss may start it. */
  async function queuedStart(tenantId: string, phoneId: string): Promise<Date> {
    const jobs = await env.boss.findJobs(waSendQueue(tenantId), { key: phoneId, queued: true });
    expect(jobs).toHaveLength(1);
    return jobs[0]!.startAfter;
  }

  it("is re-enqueued to start at the real instant its simulated start maps to", async () => {
    const [a, b] = await twoSends();
    const time = new SimulatedClock({ realFrom: Date.now(), simFrom: WEDNESDAY_10_00.getTime(), speed: 100 });
    configurePipelineDeps({ guardian: guardianFor(env, time.now), timelinesai: env.timelinesai, time });
    expect(await handleWaSend(env.boss, a!, "a")).toMatchObject({ kind: "SENT" });
    const deferred = await handleWaSend(env.boss, b!, "b");
    if (deferred.kind !== "RESCHEDULE") throw new Error(`expected a deferral, got ${deferred.kind}`);
    const startAfter = await queuedStart(b!.tenantId, b!.phoneId);
    expect(startAfter.getTime()).toBe(time.realInstant(deferred.startAfter).getTime());
    // 30–150 simulated seconds at 100× are 0.3–1.5 real seconds from now, not minutes.
    const realWait = startAfter.getTime() - Date.now();
    expect(realWait).toBeGreaterThan(0);
    expect(realWait).toBeLessThanOrEqual(1_500);
  });

  it("with a bare injected clock, passes the instant through as it is", async () => {
    const [a, b] = await twoSends();
    const clock = manualClock(WEDNESDAY_10_00);
    configurePipelineDeps({ guardian: guardianFor(env, clock), timelinesai: env.timelinesai, clock });
    await handleWaSend(env.boss, a!, "a");
    const deferred = await handleWaSend(env.boss, b!, "b");
    if (deferred.kind !== "RESCHEDULE") throw new Error(`expected a deferral, got ${deferred.kind}`);
    expect((await queuedStart(b!.tenantId, b!.phoneId)).getTime()).toBe(deferred.startAfter.getTime());
  });
});
