/**
 * Simulated time. Delivery, read and reply delays are scheduled on this clock, so a test can advance
 * an hour of "provider time" in a millisecond, and a demo can run the same scenario in real time.
 *
 * - "real": time flows (optionally sped up by `scale`); due tasks fire from a timer.
 * - "manual": time stands still until `advance(ms)`; due tasks fire inside advance, in time order.
 */
export type ClockMode = "real" | "manual";

interface Task {
  at: number;
  seq: number;
  run: () => void;
}

export class SimClock {
  private tasks: Task[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly realStart = Date.now();
  private base: number;
  private offset = 0;
  private readonly scale: number;
  private readonly source: (() => number) | undefined;

  /**
   * `source` (real mode, in-process hosts only): simulated epoch ms from the host's own clock, so a
   * test whose clock changes speed and the simulator read the same time; `scale` then only sizes
   * timer waits (a task that wakes early is re-armed).
   */
  constructor(
    readonly mode: ClockMode = "real",
    options: { start?: number; scale?: number; source?: () => number } = {},
  ) {
    this.base = options.start ?? Date.now();
    this.scale = options.scale ?? 1;
    this.source = mode === "real" ? options.source : undefined;
  }

  now(): number {
    if (this.source) return Math.floor(this.source() + this.offset);
    const flowing = this.mode === "real" ? (Date.now() - this.realStart) * this.scale : 0;
    return Math.floor(this.base + flowing + this.offset);
  }

  /** Runs `run` once simulated time reaches `at` (immediately on the next tick if already past). */
  at(at: number, run: () => void): void {
    this.tasks.push({ at, seq: this.seq++, run });
    this.tasks.sort((a, b) => a.at - b.at || a.seq - b.seq);
    this.arm();
  }

  after(delayMs: number, run: () => void): void {
    this.at(this.now() + Math.max(0, delayMs), run);
  }

  /**
   * Moves time forward and runs every task that falls inside the jump, in time order. While a task
   * runs, `now()` is that task's own time, so work it schedules "5 s later" lands 5 s after it, not
   * 5 s after the end of the jump: a discrete-event step, which keeps chains (sent → delivered → read
   * → reply) exact however far a test advances.
   */
  advance(ms: number): void {
    const target = this.now() + Math.max(0, ms);
    for (;;) {
      const next = this.tasks[0];
      if (!next || next.at > target) break;
      this.tasks.shift();
      this.moveTo(next.at);
      this.run(next);
    }
    this.moveTo(target);
    this.arm();
  }

  pending(): number {
    return this.tasks.length;
  }

  /** Drops scheduled work (reset); time itself keeps going. */
  clear(): void {
    this.tasks = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Time never goes back: moving to an earlier instant is a no-op. */
  private moveTo(instant: number): void {
    const now = this.now();
    if (instant > now) this.offset += instant - now;
  }

  private run(task: Task): void {
    try {
      task.run();
    } catch (error) {
      // A failing task must not stop the clock for everything scheduled after it.
      process.emitWarning(`simulator task failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }

  private runDue(): void {
    for (;;) {
      const next = this.tasks[0];
      if (!next || next.at > this.now()) break;
      this.tasks.shift();
      this.run(next);
    }
    this.arm();
  }

  private arm(): void {
    if (this.mode !== "real") return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = this.tasks[0];
    if (!next) return;
    const realDelay = Math.max(0, (next.at - this.now()) / this.scale);
    // setTimeout caps at ~24.8 days; re-arming on wake handles longer waits.
    this.timer = setTimeout(() => this.runDue(), Math.min(realDelay, 2 ** 31 - 1));
    this.timer.unref();
  }
}
