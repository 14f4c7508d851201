/**
 * A sped-up clock for simulated business days, shared by the test, its worker processes and the
 * TimelinesAI simulator.
 *
 * Simulated time is piecewise linear in real time: each segment says "from real instant realFrom,
 * simulated time runs from simFrom at `speed` simulated ms per real ms". Segments only ever start in
 * the (near) future and continue the previous one without a jump, so every process that knows the same
 * segments reads the same simulated time at the same real instant, and time never goes back. The test
 * process owns the clock and may change its speed (a governor slows it down when the machine lags,
 * so a loaded machine stretches the real duration instead of squeezing the simulated day); it sends
 * each new segment to the workers ahead of the moment it takes effect.
 *
 * It is a TimeSource: the send path hands pg-boss the real instant of a deferral ("start after
 * 10:03:30 simulated"), computed with the segments known at the time. If the speed changes later
 * the job runs a little early (the handler sees the simulated time and defers again) or late (the
 * phone waits longer than it had to): never before its simulated instant is reached.
 */
import { z } from "zod";
import type { TimeSource } from "../../server/clock";

export const clockSegment = z.object({
  realFrom: z.number().int(),
  simFrom: z.number().int(),
  /** Simulated ms per real ms. */
  speed: z.number().positive(),
});
export type ClockSegment = z.infer<typeof clockSegment>;

export class SimulatedClock implements TimeSource {
  private readonly segments: ClockSegment[];
  private last = Number.NEGATIVE_INFINITY;

  constructor(first: ClockSegment) {
    this.segments = [clockSegment.parse(first)];
  }

  /** Simulated epoch ms at a real epoch ms, by the segments known now. */
  simulatedAt(realMs: number): number {
    const s = this.segmentAtReal(realMs);
    return Math.floor(s.simFrom + (realMs - s.realFrom) * s.speed);
  }

  readonly now = (): Date => {
    // Monotonic even if a segment arrived after its start (a worker told late): never go back.
    this.last = Math.max(this.last, this.simulatedAt(Date.now()));
    return new Date(this.last);
  };

  readonly realInstant = (instant: Date): Date => {
    const ms = instant.getTime();
    let i = this.segments.length - 1;
    while (i > 0 && this.segments[i]!.simFrom > ms) i--;
    const s = this.segments[i]!;
    // ceil: a job started at this real instant never reads a simulated time before `instant`.
    return new Date(Math.ceil(s.realFrom + (ms - s.simFrom) / s.speed));
  };

  /** The simulated instant of a real one (e.g. a database timestamp). */
  simulatedInstant(real: Date): Date {
    return new Date(this.simulatedAt(real.getTime()));
  }

  get speed(): number {
    return this.segmentAtReal(Date.now()).speed;
  }

  get firstSegment(): ClockSegment {
    return this.segments[0]!;
  }

  /** Adds a segment received from the owner of the clock. */
  add(segment: ClockSegment): void {
    const s = clockSegment.parse(segment);
    const previous = this.segments.at(-1)!;
    if (s.realFrom <= previous.realFrom) throw new Error("clock segments must start later than the previous one");
    this.segments.push(s);
  }

  /**
   * Changes the speed from `realFrom` on (default: 200 ms from now, so the workers hear of it first),
   * continuing the current segment without a jump. Returns the new segment to send to the others.
   */
  changeSpeed(speed: number, realFrom = Date.now() + 200): ClockSegment {
    const from = Math.max(realFrom, this.segments.at(-1)!.realFrom + 1);
    const segment = { realFrom: from, simFrom: this.simulatedAt(from), speed };
    this.add(segment);
    return segment;
  }

  private segmentAtReal(realMs: number): ClockSegment {
    // From the newest: the current segment is almost always the last or the one before it.
    let i = this.segments.length - 1;
    while (i > 0 && this.segments[i]!.realFrom > realMs) i--;
    return this.segments[i]!;
  }
}
