import type { Job, PgBoss } from "pg-boss";
import { DEAD_LETTER_QUEUES } from "./dead-letters";
import type { JobDefinition, QueueDefinition } from "./definition";
import { errorFields, logEvent } from "../server/observability/logger.server";
import { getEnv } from "../server/config/env.server";

/**
 * Creates the given queues, and the dead-letter queues they name, and applies their policies; safe to
 * run from many processes at once (pg-boss's create_queue ignores a queue that exists). The only place
 * a queue is created. A queue family (`perTenant`, ADR 0014) gets one queue per tenant in `tenantIds`.
 */
export async function ensureQueues(boss: Pick<PgBoss, "getQueues" | "createQueue" | "updateQueue">, definitions: QueueDefinition[], tenantIds: readonly string[] = []): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((q) => q.name));
  const given = new Map<string, QueueDefinition>();
  for (const d of definitions) {
    if (!d.perTenant) given.set(d.name, d);
    else for (const tenantId of tenantIds) given.set(d.perTenant.queueFor(tenantId), { ...d, name: d.perTenant.queueFor(tenantId) });
  }
  for (const name of new Set(definitions.map((d) => d.deadLetter).filter((n): n is string => Boolean(n)))) {
    const known = given.get(name) ?? definitions.find((d) => d.name === name) ?? DEAD_LETTER_QUEUES.find((q) => q.name === name);
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

export interface WorkerOptions {
  /** How often a queue family's worker looks for queues of new tenants (default 2 s: one read of pg-boss's queue table). */
  discoverQueuesEverySeconds?: number;
}

/**
 * How often a family queue's own fetch loops poll when nothing woke them. A process serving many
 * tenants would otherwise poll every queue at the definition's interval (100 tenants × 3 loops × 2/s
 * = 600 fetches a second with nothing to do); the family's look-out (see workFamily) wakes the loops
 * of a queue that has work, so this is only the floor should the look-out fail.
 */
const FAMILY_FLOOR_POLL_SECONDS = 10;

/**
 * Starts handlers for every queue; a payload that fails its schema fails the job with a clear reason.
 * A queue family is worked queue by queue, each tenant's queue with the definition's own loops, so
 * tenants are served side by side (a tenant's backlog never waits behind another's); the queues of
 * tenants added later are picked up within `discoverQueuesEverySeconds`.
 */
export async function startWorkers(boss: PgBoss, registry: JobDefinition[], options: WorkerOptions = {}): Promise<StopWorkers> {
  const stops: StopWorkers[] = [];
  for (const job of registry) {
    if (job.perTenant) {
      stops.push(await workFamily(boss, job, options.discoverQueuesEverySeconds ?? 2));
    } else {
      await workQueue(boss, job, job.name, job.pollingIntervalSeconds ?? 2);
      stops.push((o) => boss.offWork(job.name, { wait: o?.wait ?? true }));
    }
  }
  return async (o) => {
    for (const stop of stops) await stop(o);
  };
}

/**
 * Stops the handlers startWorkers started (pg-boss's `offWork`), and a family's look-outs. `wait: false`
 * only tells them to stop: a process shutting down leaves the waiting to pg-boss's graceful stop,
 * which has a time limit.
 */
export type StopWorkers = (options?: { wait?: boolean }) => Promise<void>;

/**
 * A queue family's workers: every tenant's queue gets the definition's fetch loops, polling only at
 * FAMILY_FLOOR_POLL_SECONDS. One look-out per process asks Postgres, at the definition's polling
 * interval, which of the queues have a job due (one statement, an index probe per queue) and wakes
 * one of each such queue's loops, in turn, so a tenant's send waits no longer than with one queue, and
 * idle tenants cost a probe each instead of fetches. A loop that found work fetches again at once as before.
 */
async function workFamily(boss: PgBoss, job: JobDefinition, everySeconds: number): Promise<StopWorkers> {
  const loops = new Map<string, string[]>();
  let stopped = false;
  const discover = async () => {
    for (const q of await boss.getQueues()) {
      if (stopped || loops.has(q.name) || !job.perTenant!.tenantOf(q.name)) continue;
      loops.set(q.name, []);
      loops.set(q.name, await workQueue(boss, job, q.name, Math.max(FAMILY_FLOOR_POLL_SECONDS, job.pollingIntervalSeconds ?? 2)));
    }
  };
  // One loop of a queue woken per look-out, in turn: the first fetch takes every phone's due head, so
  // waking all of a queue's loops made the others read the whole queue for nothing (with 100 tenants,
  // 0.6 fetches per message at ~1.6 jobs each). A woken loop that is busy fetches again once its batch
  // is done; the next look-out wakes the next loop, so a loop held up by a slow send holds up no phone
  // for longer than one interval.
  const nextLoop = loopsInTurn();
  const lookOut = async () => {
    for (const queue of await queuesWithWorkDue(boss, [...loops.keys()], { policy: job.policy ?? "standard" })) {
      const id = nextLoop(queue, loops.get(queue) ?? []);
      if (id) boss.notifyWorker(id);
    }
  };
  await discover();
  // Each on a timer, one run at a time: on a slow machine a run may outlast the interval.
  const every = (seconds: number, action: string, run: () => Promise<void>) => {
    let running = false;
    return setInterval(() => {
      if (running) return;
      running = true;
      run()
        .catch((error: unknown) => logEvent("warn", { worker: job.name, action, error: errorFields(error) }))
        .finally(() => {
          running = false;
        });
    }, seconds * 1000);
  };
  const timers = [every(everySeconds, "job.discover_failed", discover), every(job.pollingIntervalSeconds ?? 2, "job.look_out_failed", lookOut)];
  for (const t of timers) t.unref();
  const clear = () => {
    for (const t of timers) clearInterval(t);
  };
  boss.once("stopped", clear);
  return async (o) => {
    stopped = true;
    clear();
    for (const queue of loops.keys()) await boss.offWork(queue, { wait: o?.wait ?? true });
  };
}

/** Picks, for each call about a queue, the next of its loops in turn (undefined while it has none). */
export function loopsInTurn(): (queue: string, loopIds: readonly string[]) => string | undefined {
  const turn = new Map<string, number>();
  return (queue, loopIds) => {
    if (loopIds.length === 0) return undefined;
    const next = turn.get(queue) ?? 0;
    turn.set(queue, next + 1);
    return loopIds[next % loopIds.length];
  };
}

/**
 * Of these queues, the ones with a job waiting and due now, or due for longer than `dueForSeconds`
 * (a queue that is behind): the predicates of pg-boss 12's own fetch (queued, not blocked, start time
 * reached on its clock), each answered by a probe that stops at the first due job. A `policy` given
 * is inlined from its fixed list so the planner matches the partial index pg-boss's fetch uses for
 * it. pg-boss's table layout is pinned with its version (ADR 0005).
 */
async function queuesWithWorkDue(boss: PgBoss, queues: string[], o: { policy?: QueueDefinition["policy"]; dueForSeconds?: number } = {}): Promise<string[]> {
  if (queues.length === 0) return [];
  const schema = getEnv().PGBOSS_SCHEMA;
  const { rows } = await boss.getDb().executeSql(
    `SELECT q.name FROM unnest($1::text[]) AS q(name)
      WHERE EXISTS (SELECT 1 FROM ${schema}.job j
                     WHERE j.name = q.name AND j.state < 'active' AND NOT j.blocked${o.policy ? ` AND j.policy = '${o.policy}'` : ""}
                       AND j.start_after <= ${schema}.job_now() - make_interval(secs => $2::float8))`,
    [queues, o.dueForSeconds ?? 0],
  );
  return rows.map((r) => (r as { name: string }).name);
}

/**
 * `yieldsTo`: waits while the other queue is behind (a job due for longer than `backlogSeconds`), for
 * at most `maxWaitSeconds`. Asked of Postgres, not of this process, so it holds whichever process
 * works the other queue. The fetched jobs stay active meanwhile (hence the cap under their expiry).
 */
async function giveWay(boss: PgBoss, job: JobDefinition): Promise<void> {
  const rule = job.yieldsTo;
  if (!rule) return;
  const started = Date.now();
  while (Date.now() - started < rule.maxWaitSeconds * 1000 && (await isBehind(boss, rule.queue, rule.backlogSeconds))) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const waited = Date.now() - started;
  if (waited >= 1_000) logEvent("debug", { worker: job.name, action: "job.gave_way", duration: waited, metadata: { to: rule.queue } });
}

/** The process's latest answer per queue: a process's handlers waiting on one queue share one probe a second. */
const behindAnswers = new Map<string, { at: number; behind: Promise<boolean> }>();

/** Whether `queue` has a job due for longer than `seconds`. */
function isBehind(boss: PgBoss, queue: string, seconds: number): Promise<boolean> {
  const key = `${queue} ${seconds}`;
  const known = behindAnswers.get(key);
  if (known && Date.now() - known.at < 1_000) return known.behind;
  // A probe that fails holds nothing up (the work runs, as it would without yieldsTo) and is not
  // remembered: the next caller asks again.
  const behind = queuesWithWorkDue(boss, [queue], { dueForSeconds: seconds }).then((names) => names.length > 0, (error: unknown) => {
    behindAnswers.delete(key);
    logEvent("warn", { worker: queue, action: "job.backlog_probe_failed", error: errorFields(error) });
    return false;
  });
  behindAnswers.set(key, { at: Date.now(), behind });
  return behind;
}

/**
 * Handlers for one queue: `queue` is the job's own name, or one tenant's queue of its family. Returns
 * the ids of its fetch loops (pg-boss workers), which notifyWorker wakes.
 */
async function workQueue(boss: PgBoss, job: JobDefinition, queue: string, pollingIntervalSeconds: number): Promise<string[]> {
  const batchSize = job.batchSize ?? 1;
  const options = {
    batchSize,
    // pg-boss ignores this at batchSize 1; above it a full batch triggers the next fetch at once.
    burstWhenBatchFull: batchSize > 1,
    pollingIntervalSeconds,
  };
  if (job.batchHandler) {
    return [
      await boss.work<unknown>(queue, { ...options, localConcurrency: job.localConcurrency ?? 1, perJobResults: true }, async (jobs) => {
        await giveWay(boss, job);
        return settleBatch(boss, job, jobs);
      }),
    ];
  }
  const completions = new Completions((ids) => boss.complete(queue, ids));
  const handle = async (jobs: Array<Job<unknown>>) => {
    await giveWay(boss, job);
    await settle(boss, job, queue, jobs, completions);
  };
  if (!job.fetchAgainWhileBusy) {
    return [await boss.work<unknown>(queue, { ...options, localConcurrency: job.localConcurrency ?? 1 }, handle)];
  }
  // One pg-boss worker per fetch loop, so each loop knows its own id: a loop whose fetch found work
  // wakes itself when the work is done (pg-boss skips the polling delay of a notified worker).
  const ids: string[] = [];
  for (let i = 0; i < (job.localConcurrency ?? 1); i++) {
    const loop: { id?: string } = {};
    loop.id = await boss.work<unknown>(queue, { ...options, localConcurrency: 1 }, async (jobs) => {
      try {
        await handle(jobs);
      } finally {
        if (loop.id) boss.notifyWorker(loop.id);
      }
    });
    ids.push(loop.id);
  }
  return ids;
}

async function settle(boss: PgBoss, job: JobDefinition, queue: string, jobs: Array<Job<unknown>>, completions: Completions): Promise<void> {
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
        (error: unknown) => boss.fail(queue, item.id, { message: error instanceof Error ? error.message : String(error) }),
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
