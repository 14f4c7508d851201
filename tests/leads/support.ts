/**
 * Bulk operations and imports run as real pg-boss jobs: a world (two tenants), pg-boss started as the
 * app does, the two leads queues' workers running in this process, and callers that carry the boss.
 */
import type { PgBoss } from "pg-boss";
import type { SessionUser } from "../../server/auth/roles";
import { createWorld, type World } from "../sequences/support";

export interface JobWorld extends World {
  boss: PgBoss;
}

export async function createJobWorld(prefix: string): Promise<JobWorld> {
  const world = await createWorld(prefix);
  const { startBoss, stopBoss } = await import("../../jobs/boss.server");
  const { ensureQueues, startWorkers } = await import("../../jobs/runtime");
  const { leadsBulkJob } = await import("../../jobs/leads/bulk");
  const { leadsImportJob } = await import("../../jobs/leads/import");
  const boss = await startBoss();
  const jobs = [leadsBulkJob, leadsImportJob] as never[];
  await ensureQueues(boss, jobs);
  await startWorkers(boss, jobs);
  return {
    ...world,
    boss,
    close: async () => {
      await stopBoss();
      await world.close();
    },
  };
}

export async function jobCaller(user: SessionUser, boss: PgBoss | null) {
  const { appRouter } = await import("../../server/trpc/router.server");
  const { createCallerFactory } = await import("../../server/trpc/init.server");
  return createCallerFactory(appRouter)({ user, requestId: "test", ip: null, boss });
}

/** Polls bulk.status as `user` until the operation is DONE or FAILED; every state seen is kept. */
export async function waitForOperation(user: SessionUser, operationId: string, timeoutMs = 60_000) {
  const caller = await jobCaller(user, null);
  const seen: Array<{ status: string; processed: number }> = [];
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const op = await caller.bulk.status({ operationId });
    seen.push({ status: op.status, processed: op.processed });
    if (op.status === "DONE" || op.status === "FAILED") return { op, seen };
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`operation ${operationId} did not finish within ${timeoutMs} ms`);
}
