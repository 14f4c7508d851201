/**
 * The tick batcher on its own (no Redis): what goes into one request, and that every call gets its
 * own answer or its own failure.
 */
import { describe, expect, it } from "vitest";
import { createTickBatch } from "../../server/quota/tick-batch";

function recorder(reply: (inputs: readonly number[]) => Promise<readonly unknown[]> = async (inputs) => inputs.map((n) => n * 10)) {
  const requests: number[][] = [];
  const call = createTickBatch<number, number>({
    maxBatch: 3,
    send: (inputs) => {
      requests.push([...inputs]);
      return reply(inputs);
    },
    parse: (raw) => {
      if (typeof raw !== "number") throw new Error(`not a number: ${String(raw)}`);
      return raw;
    },
  });
  return { call, requests };
}

describe("tick batch", () => {
  it("sends the calls of one tick together, in order, split at maxBatch, and answers each from its own entry", async () => {
    const { call, requests } = recorder();
    const answers = await Promise.all([1, 2, 3, 4, 5].map(call));
    expect(answers).toEqual([10, 20, 30, 40, 50]);
    expect(requests).toEqual([[1, 2, 3], [4, 5]]);
  });

  it("starts a new batch for calls made after the previous one left", async () => {
    const { call, requests } = recorder();
    expect(await call(1)).toBe(10);
    expect(await call(2)).toBe(20);
    expect(requests).toEqual([[1], [2]]);
  });

  it("gathers calls that settled promises make in the same tick (the 50-sender case)", async () => {
    const { call, requests } = recorder();
    const lane = async (first: number) => {
      const a = await call(first);
      return call(a);
    };
    expect(await Promise.all([lane(1), lane(2), lane(3)])).toEqual([100, 200, 300]);
    expect(requests).toEqual([[1, 2, 3], [10, 20, 30]]);
  });

  it("fails one call alone for an Error entry or an entry that does not parse", async () => {
    const { call } = recorder(async () => [10, new Error("WRONGTYPE"), "garbage"]);
    const [a, b, c] = await Promise.allSettled([call(1), call(2), call(3)]);
    expect(a).toEqual({ status: "fulfilled", value: 10 });
    expect(b).toMatchObject({ status: "rejected", reason: { message: "WRONGTYPE" } });
    expect(c).toMatchObject({ status: "rejected", reason: { message: "not a number: garbage" } });
  });

  it("fails every call of a batch whose request failed, or whose reply has the wrong length, and not the next batch", async () => {
    let attempt = 0;
    const { call } = recorder(async (inputs) => {
      attempt += 1;
      if (attempt === 1) throw new Error("connection reset");
      if (attempt === 2) return [1];
      return inputs.map((n) => n);
    });
    const first = await Promise.allSettled([call(1), call(2)]);
    expect(first.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(first[0]).toMatchObject({ reason: { message: "connection reset" } });
    const second = await Promise.allSettled([call(1), call(2)]);
    expect(second[1]).toMatchObject({ status: "rejected", reason: { message: "batch reply has 1 entries for 2 calls" } });
    expect(await call(7)).toBe(7);
  });

  it("turns a send that throws synchronously into failed calls", async () => {
    const call = createTickBatch<number, number>({
      maxBatch: 2,
      send: () => {
        throw new Error("cannot build");
      },
      parse: (raw) => raw as number,
    });
    await expect(call(1)).rejects.toThrow("cannot build");
  });
});
