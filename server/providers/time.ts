/**
 * The only two time primitives the clients use. Injected so tests control waiting (a 60 s Retry-After
 * becomes instant) without fake timers leaking into fetch or Redis internals.
 */
export interface Timekeeper {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemTime: Timekeeper = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
