/**
 * The transition table, every pair: 8 states × 8 targets, and for PAUSED every previous state. The
 * expected table is written out here independently of the implementation, so a change to either
 * shows up as a failing row.
 */
import { describe, expect, it } from "vitest";
import { DomainError } from "../../server/errors";
import { LEAD_STATES, allowedTargets, assertTransition, checkTransition, type LeadState } from "../../server/lead-state/transitions";

const Y = "allowed";
const N = "illegal";
const S = "noop";
type Cell = typeof Y | typeof N | typeof S;

// Columns in LEAD_STATES order: COLD, CONTACTED_WA, CONTACTED_EMAIL, WARM_REPLY, NEGOTIATION, CONVERTED, DEAD, PAUSED
const TABLE: Record<Exclude<LeadState, "PAUSED">, Cell[]> = {
  COLD: /*            */ [S, Y, Y, Y, N, N, Y, Y],
  CONTACTED_WA: /*    */ [N, S, Y, Y, N, N, Y, Y],
  CONTACTED_EMAIL: /* */ [N, Y, S, Y, N, N, Y, Y],
  WARM_REPLY: /*      */ [N, N, N, S, Y, N, Y, Y],
  NEGOTIATION: /*     */ [N, N, N, N, S, Y, Y, Y],
  CONVERTED: /*       */ [N, N, N, N, N, S, Y, N],
  DEAD: /*            */ [N, N, N, N, N, N, S, N],
};

const pairs = (Object.keys(TABLE) as Array<keyof typeof TABLE>).flatMap((from) => LEAD_STATES.map((to, i) => [from, to, TABLE[from][i]!] as const));

describe("transition table (not paused)", () => {
  it("covers all 56 pairs", () => expect(pairs).toHaveLength(56));

  it.each(pairs)("%s → %s is %s", (from, to, expected) => {
    // previous_state does not matter outside PAUSED and WARM_REPLY's way back: try every value.
    for (const previous of [null, ...LEAD_STATES]) {
      const back = from === "WARM_REPLY" && to === previous && ["COLD", "CONTACTED_WA", "CONTACTED_EMAIL"].includes(to);
      expect(checkTransition(from, to, previous).kind).toBe(back ? Y : expected);
    }
  });
});

describe("back to sequence (WARM_REPLY → the outreach state before the reply)", () => {
  const outreach = ["COLD", "CONTACTED_WA", "CONTACTED_EMAIL"] as const;
  it.each(outreach.flatMap((previous) => outreach.map((to) => [previous, to] as const)))("replied from %s → %s", (previous, to) => {
    expect(checkTransition("WARM_REPLY", to, previous).kind).toBe(to === previous ? Y : N);
  });
  it("is refused when the state before the reply is unknown or not an outreach state", () => {
    for (const previous of [null, "PAUSED", "NEGOTIATION"] as const) expect(checkTransition("WARM_REPLY", "CONTACTED_WA", previous).kind).toBe(N);
  });
});

describe("leaving PAUSED", () => {
  const resumable = ["COLD", "CONTACTED_WA", "CONTACTED_EMAIL", "WARM_REPLY", "NEGOTIATION"] as const;

  it.each(resumable.flatMap((previous) => LEAD_STATES.map((to) => [previous, to] as const)))("paused from %s → %s", (previous, to) => {
    const expected: Cell = to === "PAUSED" ? S : to === previous || to === "DEAD" ? Y : N;
    expect(checkTransition("PAUSED", to, previous).kind).toBe(expected);
  });

  it("without a known previous state only DEAD (and the no-op) remain", () => {
    for (const to of LEAD_STATES) expect(checkTransition("PAUSED", to, null).kind).toBe(to === "DEAD" ? Y : to === "PAUSED" ? S : N);
  });
});

describe("errors", () => {
  it("an illegal move throws CONFLICT / ILLEGAL_TRANSITION with from and to", () => {
    let error: unknown;
    try {
      assertTransition("COLD", "CONVERTED", null, "j1");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ kind: "CONFLICT", code: "ILLEGAL_TRANSITION", details: { from: "COLD", to: "CONVERTED", journeyId: "j1" } });
  });

  it("allowedTargets agrees with the table", () => {
    expect(allowedTargets("COLD", null)).toEqual(["CONTACTED_WA", "CONTACTED_EMAIL", "WARM_REPLY", "DEAD", "PAUSED"]);
    expect(allowedTargets("PAUSED", "NEGOTIATION")).toEqual(["NEGOTIATION", "DEAD"]);
    expect(allowedTargets("DEAD", null)).toEqual([]);
  });
});
