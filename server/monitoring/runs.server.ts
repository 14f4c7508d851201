/**
 * Bookkeeping of monitor runs (monitor_runs): when each monitor last ran and how it ended, so the
 * operations page can show that the watchers themselves are alive. Global rows (no tenant data).
 */
import { getPrisma } from "../db/client.server";
import type { Prisma } from "../generated/prisma/client";
import { errorFields, logEvent } from "../observability/logger.server";
import type { Clock } from "../clock";

export type MonitorOutcome = "OK" | "FAILED" | "SKIPPED";

export interface MonitorResult {
  outcome?: MonitorOutcome;
  summary: Record<string, number | string | boolean | null | undefined>;
}

/** Runs one monitor and records its run; a failure is recorded and rethrown (the job logs it). */
export async function recordMonitorRun<T extends MonitorResult>(monitor: string, clock: Clock, run: () => Promise<T>): Promise<T> {
  const db = getPrisma();
  const startedAt = clock();
  await db.monitorRun.upsert({
    where: { monitor },
    create: { monitor, startedAt, outcome: "RUNNING" },
    update: { startedAt, finishedAt: null, outcome: "RUNNING", error: null },
  });
  try {
    const result = await run();
    const outcome = result.outcome ?? "OK";
    await db.monitorRun.update({ where: { monitor }, data: { finishedAt: clock(), outcome, summary: result.summary as Prisma.InputJsonValue } });
    logEvent(outcome === "OK" ? "debug" : "info", { worker: monitor, action: "monitor.done", duration: clock().getTime() - startedAt.getTime(), metadata: { outcome, ...result.summary } });
    return result;
  } catch (error) {
    const e = errorFields(error);
    await db.monitorRun.update({ where: { monitor }, data: { finishedAt: clock(), outcome: "FAILED", error: `${e.code}: ${e.message}`.slice(0, 1000) } }).catch(() => undefined);
    throw error;
  }
}

export interface MonitorRunView {
  monitor: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: string;
  error: string | null;
}

export async function listMonitorRuns(): Promise<MonitorRunView[]> {
  return getPrisma().monitorRun.findMany({ select: { monitor: true, startedAt: true, finishedAt: true, outcome: true, error: true }, orderBy: { monitor: "asc" } });
}
