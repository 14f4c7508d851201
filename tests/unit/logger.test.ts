/** The terminal form of a log event: one readable line, the error's code and message, never its stack. */
import { describe, expect, it } from "vitest";
import { readableLine } from "../../server/observability/logger.server";

describe("readable log lines", () => {
  it("says what happened, where, how long and what failed, in one line", () => {
    const line = readableLine({
      action: "job.failed",
      msg: "job.failed",
      worker: "wa.send",
      leadId: "0b1c2d3e-1111-2222-3333-444455556666",
      duration: 12,
      error: { code: "PROVIDER_UNAVAILABLE", message: "connection refused", stack: "Error: connection refused\n    at send (client.ts:1:1)" },
    });
    expect(line).toBe("job.failed [wa.send · lead 0b1c2d3e] (12 ms) ✖ PROVIDER_UNAVAILABLE: connection refused");
    expect(line).not.toContain("\n");
  });

  it("keeps a message that differs from the action, and the metadata, short", () => {
    const line = readableLine({ action: "worker.started", msg: "worker started", metadata: { queues: Array.from({ length: 60 }, (_, i) => `queue.${i}`) } });
    expect(line.startsWith("worker.started — worker started {")).toBe(true);
    expect(line.length).toBeLessThan(300);
  });
});
