/**
 * The clock of the simulated business day, driven by the work instead of by real time.
 *
 * Simulated time stands still while anything is due: the workers handle every job whose start has
 * come, and only when none is running and none is due does the test move the clock on, to the next
 * instant something happens (a deferred send's start, a dispatch slot). A slow or loaded machine
 * therefore makes the day last longer in real time and changes nothing in it: no send is handled
 * late because the machine fell behind, and the counts the test asserts do not depend on its speed.
 *
 * Three parties read the clock and all see the same instant:
 *   - every process of the test (the test itself and its workers: `SteppedClock`, told each step over
 *     IPC before the step takes effect);
 *   - pg-boss, through its schema clock: every pg-boss statement reads the time from
 *     `${schema}.job_now()` (pg-boss's own `TestClock` uses the same function). `installSchemaClock`
 *     makes it read this clock's row, for every session of the test's database, so a job deferred to
 *     10:03:30 simulated becomes fetchable exactly when the clock reaches 10:03:30, and the send path's
 *     TimeSource maps a simulated instant to itself;
 *   - the TimelinesAI simulator, in manual clock mode, advanced by the same steps.
 */
import type pg from "pg";
import type { TimeSource } from "../../server/clock";

export class SteppedClock implements TimeSource {
  constructor(private instant: number) {}

  readonly now = (): Date => new Date(this.instant);

  /** pg-boss waits on this same clock (see installSchemaClock): a simulated instant is its own start. */
  readonly realInstant = (instant: Date): Date => instant;

  get ms(): number {
    return this.instant;
  }

  /** Time never goes back. */
  set(instant: number): void {
    if (instant < this.instant) throw new Error(`the clock cannot go back from ${new Date(this.instant).toISOString()} to ${new Date(instant).toISOString()}`);
    this.instant = instant;
  }
}

export interface SchemaClock {
  set(instant: number): Promise<void>;
  /** Puts pg-boss back on the database's own clock. */
  restore(): Promise<void>;
}

/**
 * Points `${schema}.job_now()` at a one-row table holding the simulated instant, for every session
 * (pg-boss's TestClock gates its override on a session setting; here the workers' pools, the app's
 * transactions that enqueue dispatch's jobs and the test's own pg-boss must all read the same time).
 * The test's database is its own, so nothing else is affected.
 */
export async function installSchemaClock(admin: pg.Client, schema: string, start: number): Promise<SchemaClock> {
  const table = `${schema}.simulated_clock`;
  await admin.query(`
    DROP TABLE IF EXISTS ${table};
    CREATE TABLE ${table} (now timestamptz NOT NULL);
    GRANT SELECT ON ${table} TO PUBLIC;
    INSERT INTO ${table} (now) VALUES (to_timestamp(${start / 1000}));
    CREATE OR REPLACE FUNCTION ${schema}.job_now() RETURNS timestamptz AS $$
      SELECT COALESCE((SELECT c.now FROM ${table} c LIMIT 1), pg_catalog.now());
    $$ LANGUAGE sql STABLE;
  `);
  return {
    set: async (instant) => {
      await admin.query(`UPDATE ${table} SET now = to_timestamp($1)`, [instant / 1000]);
    },
    restore: async () => {
      await admin.query(`
        CREATE OR REPLACE FUNCTION ${schema}.job_now() RETURNS timestamptz AS $$ SELECT pg_catalog.now(); $$ LANGUAGE sql STABLE;
        DROP TABLE IF EXISTS ${table};
      `);
    },
  };
}

export interface QueueState {
  /** Jobs a worker is handling. */
  active: number;
  /** Jobs pg-boss would hand out now (start reached, their key not held: key_strict_fifo's rule). */
  due: number;
  /** The earliest start of a job still waiting for its time, if any. */
  next: Date | null;
}

/** What a queue holds at the schema clock's current instant, read the way pg-boss's fetch reads it. */
export async function queueState(admin: pg.Client, schema: string, queue: string): Promise<QueueState> {
  const { rows } = await admin.query<{ active: number; due: number; next: Date | null }>(
    `SELECT
       (SELECT count(*) FROM ${schema}.job WHERE name = $1 AND state = 'active')::int AS active,
       (SELECT count(*) FROM ${schema}.job j
         WHERE j.name = $1 AND j.state < 'active' AND NOT j.blocked AND j.start_after <= ${schema}.job_now()
           AND NOT EXISTS (SELECT 1 FROM ${schema}.job b
                            WHERE b.name = j.name AND b.singleton_key = j.singleton_key AND b.id <> j.id
                              AND b.state IN ('active', 'retry', 'failed')))::int AS due,
       (SELECT min(start_after) FROM ${schema}.job WHERE name = $1 AND state < 'active' AND start_after > ${schema}.job_now()) AS next`,
    [queue],
  );
  return rows[0]!;
}
