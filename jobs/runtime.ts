import type { Job, PgBoss } from "pg-boss";
import { DEAD_LETTER_QUEUES } from "./dead-letters";
import type { JobDefinition, QueueDefinition } from "./definition";
import { errorFields, logEvent } from "../server/observability/logger.server";

/**
 * Creates the given queues, and the dead-letter queues they name, and applies their policies; safe to
 * run from many processes at once. The only place a queue is created.
 */
export async function ensureQueues(boss: PgBoss, definitions: QueueDefinition[]): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  const given = new Map(definitions.map((d) => [d.name, d]));
  for (const name of new Set(definitions.map((d) => d.deadLetter).filter((n): n is string => Boolean(n)))) {
    const known = given.get(name) ?? DEAD_LETTER_QUEUES.find((q) => q.name === name);
    if (!known) throw new Error(`queue ${name} is named as a dead letter but has no definition (jobs/registry.ts)`);
    given.set(name, known);
  }
  // Dead-letter queues first: pg-boss refuses a queue whose dead letter does not exist yet.
  const ordered = [...given.values()].sort((a, b) => Number(Boolean(a.deadLetter)) - Number(Boolean(b.deadLetter)));
  for (const queue of ordered) {
    const options = {
      policy: queue.policy ?? "standard",
      retryLimit: queue.retryLimit,
      retryDelay: queue.retryDelaySeconds,
      retryBackoff: queue.retryBackoff,
      expireInSeconds: queue.expireInSeconds ?? 900,
      ...(queue.heartbeatSeconds ? { heartbeatSeconds: queue.heartbeatSeconds } : {}),
      ...(queue.retentionSeconds ? { retentionSeconds: queue.retentionSeconds } : {}),
      // pg-boss validates `deadLetter` whenever the key is present, so only set it when there is one.
      ...(queue.deadLetter ? { deadLetter: queue.deadLetter } : {}),
    };
    if (existing.has(queue.name)) {
      const { policy: _policy, ...mutable } = options;
      await boss.updateQueue(queue.name, mutable);
    } else {
      await boss.createQueue(queue.name, options);
    }
  }
}

export async function ensureSchedules(boss: PgBoss, registry: JobDefinition[]): Promise<void> {
  for (const job of registry) {
    if (job.schedule) await boss.schedule(job.name, job.schedule.cron, job.schedule.data as object, { tz: job.schedule.tz });
    for (const s of job.schedules ?? []) await boss.schedule(job.name, s.cron, s.data as object, { tz: s.tz, key: s.key });
  }
}

/** Starts handlers for every queue; a payload that fails its schema fails the job with a clear reason. */
export async function startWorkers(boss: PgBoss, registry: JobDefinition[]): Promise<void> {
  for (const job of registry) {
    const batchSize = job.batchSize ?? 1;
    const options = {
      batchSize,
      // pg-boss ignores this at batchSize 1; above it a full batch triggers the next fetch at once.
      burstWhenBatchFull: batchSize > 1,
      pollingIntervalSeconds: job.pollingIntervalSeconds ?? 2,
    };
    if (job.batchHandler) {
      await boss.work<unknown>(job.name, { ...options, localConcurrency: job.localConcurrency ?? 1, perJobResults: true }, (jobs) => settleBatch(boss, job, jobs));
      continue;
    }
    const completions = new Completions((ids) => boss.complete(job.name, ids));
    const handle = (jobs: Array<Job<unknown>>) => settle(boss, job, jobs, completions);
    if (!job.fetchAgainWhileBusy) {
      await boss.work<unknown>(job.name, { ...options, localConcurrency: job.localConcurrency ?? 1 }, handle);
      continue;
    }
    // One pg-boss worker per fetch loop, so each loop knows its own id: a loop whose fetch found work
    // wakes itself when the work is done (pg-boss skips the polling delay of a notified worker).
    for (let i = 0; i < (job.localConcurrency ?? 1); i++) {
      const loop: { id?: string } = {};
      loop.id = await boss.work<unknown>(job.name, { ...options, localConcurrency: 1 }, async (jobs) => {
        try {
          await handle(jobs);
        } finally {
          if (loop.id) boss.notifyWorker(loop.id);
        }
      });
    }
  }
}

async function settle(boss: PgBoss, job: JobDefinition, jobs: Array<Job<unknown>>, completions: Completions): Promise<void> {
  if (jobs.length === 1) {
    await runOne(boss, job, jobs[0]!);
    return;
  }
  // In a batch each job is settled on its own, as soon as it is done: pg-boss completes only the
  // jobs still active when the handler returns, so the ones failed here keep their
  // retry/dead-letter path, and the ones completed here free their singleton key at once.
  await Promise.all(
    jobs.map((item) =>
      runOne(boss, job, item).then(
        () => completions.add(item.id),
        (error: unknown) => boss.fail(job.name, item.id, { message: error instanceof Error ? error.message : String(error) }),
      ),
    ),
  );
}

/**
 * A batch handler's answer as pg-boss's per-job results: a job whose payload fails its schema fails
 * alone; so does every job the handler reports failed. A handler that throws fails the whole batch.
 */
async function settleBatch(boss: PgBoss, job: JobDefinition, jobs: Array<Job<unknown>>) {
  const started = Date.now();
  const valid: Array<{ id: string; data: unknown; retryCount: number }> = [];
  const results: Array<{ id: string; status: "completed" | "failed"; output?: object }> = [];
  for (const item of jobs) {
    const parsed = job.payload.safeParse(item.data);
    if (parsed.success) {
      valid.push({ id: item.id, data: parsed.data, retryCount: item.retryCount });
    } else {
      logEvent("error", { worker: job.name, jobId: item.id, action: "job.invalid_payload", error: { code: "INVALID_PAYLOAD", message: parsed.error.message } });
      results.push({ id: item.id, status: "failed", output: { message: `INVALID_PAYLOAD: ${parsed.error.message}` } });
    }
  }
  const answers = valid.length > 0 ? await job.batchHandler!(valid, { boss }) : [];
  for (const answer of answers) {
    if ("error" in answer) {
      logEvent("error", { worker: job.name, jobId: answer.id, action: "job.failed", error: errorFields(answer.error) });
      results.push({ id: answer.id, status: "failed", output: { message: answer.error.message, name: answer.error.name } });
    } else {
      results.push({ id: answer.id, status: "completed", ...(answer.output && typeof answer.output === "object" ? { output: answer.output } : {}) });
    }
  }
  logEvent("debug", { worker: job.name, action: "job.batch_completed", duration: Date.now() - started, metadata: { jobs: jobs.length } });
  return results;
}

/**
 * Completes jobs of one queue as they finish, several per statement under load: the first one goes at
 * once, and those finished while a completion is in flight go together in the next one. No job waits
 * for a timer, and a busy queue pays one round trip per group instead of one per job.
 */
class Completions {
  private waiting: Array<{ id: string; resolve: () => void; reject: (error: unknown) => void }> = [];
  private flushing = false;

  constructor(private readonly complete: (ids: string[]) => Promise<unknown>) {}

  add(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ id, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0);
      try {
        await this.complete(group.map((w) => w.id));
        for (const w of group) w.resolve();
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
    this.flushing = false;
  }
}

async function runOne(boss: PgBoss, job: JobDefinition, item: Job<unknown>): Promise<void> {
  const started = Date.now();
  const parsed = job.payload.safeParse(item.data);
  if (!parsed.success) {
    logEvent("error", { worker: job.name, jobId: item.id, action: "job.invalid_payload", error: { code: "INVALID_PAYLOAD", message: parsed.error.message } });
    throw new Error(`INVALID_PAYLOAD: ${parsed.error.message}`);
  }
  try {
    await job.handler(parsed.data, { jobId: item.id, retryCount: item.retryCount, boss, signal: item.signal });
    logEvent("debug", { worker: job.name, jobId: item.id, action: "job.completed", duration: Date.now() - started });
  } catch (error) {
    logEvent("error", { worker: job.name, jobId: item.id, action: "job.failed", duration: Date.now() - started, error: errorFields(error) });
    throw error;
  }
}

/** Enqueues the start-up jobs; a singleton key makes concurrent starts of many processes enqueue one. */
export async function enqueueStartupJobs(boss: PgBoss, jobs: Array<{ name: string; data: object; singletonKey: string }>): Promise<void> {
  for (const job of jobs) await boss.send(job.name, job.data, { singletonKey: job.singletonKey, singletonSeconds: 60 });
}
