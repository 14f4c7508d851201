/**
 * Time, injected. Domain code never reads the ambient clock: it takes a `Clock` (or a `TimeSource`),
 * so tests run a business day in seconds and assert on simulated instants, never on this machine's speed.
 */

/** The current instant, as the domain sees it. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/**
 * A clock plus the way back to real time. pg-boss compares a job's startAfter with the database's
 * own clock, so a job deferred to an instant of a clock that is not the system's (a test's simulated
 * business day running hundreds of times faster than real time) must be handed to pg-boss as the
 * real instant at which that clock will show it. For the system clock that is the instant itself.
 */
export interface TimeSource {
  now: Clock;
  /** The real (database) instant at which `now()` reaches `instant`. */
  realInstant(instant: Date): Date;
}
export const systemTime: TimeSource = Object.freeze({ now: systemClock, realInstant: (instant: Date) => instant });

/**
 * The two time primitives the provider clients use: milliseconds and waiting. Injected so tests control
 * waiting (a 60 s Retry-After becomes instant) without fake timers leaking into fetch or Redis internals.
 */
export interface Timekeeper {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemTimekeeper: Timekeeper = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
