/**
 * A discrete-event timeline for the seed's simulated past: callbacks run in time order (ties in the
 * order they were scheduled), and nothing scheduled after `end` (the seed's "now") ever runs, so no
 * seeded fact can be dated in the future.
 */
interface Entry {
  at: number;
  seq: number;
  run: (at: number) => void;
}

export class Timeline {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private current = -Infinity;

  constructor(readonly end: number) {}

  /** The time of the callback running now. */
  get now(): number {
    return this.current;
  }

  /** Runs `run` at `at`; a time already passed is an error (the past cannot be changed). */
  at(at: number, run: (at: number) => void): void {
    if (at < this.current) throw new Error(`timeline: ${new Date(at).toISOString()} is before ${new Date(this.current).toISOString()}`);
    if (at > this.end) return;
    this.push({ at, seq: this.seq++, run });
  }

  /** Runs everything scheduled up to `end`, including what callbacks schedule meanwhile. */
  runAll(): void {
    for (let e = this.pop(); e; e = this.pop()) {
      this.current = e.at;
      e.run(e.at);
    }
    this.current = this.end;
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** A min-queue of items by a numeric key (ties first in first out), for the dispatch's due leads. */
export class KeyedQueue<T> {
  private readonly heap: Array<{ key: number; seq: number; item: T }> = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(key: number, item: T): void {
    const h = this.heap;
    h.push({ key, seq: this.seq++, item });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  peekKey(): number | undefined {
    return this.heap[0]?.key;
  }

  pop(): T | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(l, m)) m = l;
        if (r < h.length && this.less(r, m)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top?.item;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.key < y.key || (x.key === y.key && x.seq < y.seq);
  }
}
