/**
 * Progress of a long operation, for the page's progress bar, written while the operation's own
 * transaction is still open. It has to be written on another connection (the work is invisible until
 * it commits), at most every `intervalMs`, never backwards, and only while the row says RUNNING: a
 * late write cannot undo the final DONE the work's transaction wrote.
 */
import { withTenant } from "../../db/client.server";

export interface ProgressReporter {
  /** Records `processed` leads done; written on the next tick. */
  set(processed: number): void;
  /** Stops ticking and waits for a write in flight. */
  stop(): Promise<void>;
}

export function progressReporter(tenantId: string, operationId: string, intervalMs = 300): ProgressReporter {
  let latest = 0;
  let written = 0;
  let inFlight: Promise<void> = Promise.resolve();
  const flush = () => {
    if (latest === written) return;
    const value = latest;
    inFlight = withTenant(tenantId, (tx) =>
      tx.bulkOperation.updateMany({ where: { id: operationId, status: "RUNNING", processed: { lt: value }, total: { gte: value } }, data: { processed: value } }),
    ).then(
      () => {
        written = value;
      },
      // A progress write that fails costs the bar one tick, never the operation.
      () => undefined,
    );
  };
  const timer = setInterval(() => {
    void inFlight.then(flush);
  }, intervalMs);
  return {
    set(processed) {
      latest = Math.max(latest, processed);
    },
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
