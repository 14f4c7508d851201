import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { en } from "~/lib/messages/en";
import { ro } from "~/lib/messages/ro";
import { availableActions, countdown, formatDuration, neighbour, reviewErrorKey, SHORTCUTS, shortcutFor, type ReviewDetail } from "./review-model";

type Item = Pick<ReviewDetail, "status" | "assignedUser" | "answer" | "journey">;
const REP = { id: "11111111-1111-4111-8111-111111111111", role: "SALES_REP" as const };
const OTHER = { id: "22222222-2222-4222-8222-222222222222", name: "Ana Pop" };
const MANAGER = { id: "33333333-3333-4333-8333-333333333333", role: "MANAGER" as const };

function item(over: Partial<Item> = {}, journey: Partial<Item["journey"]> = {}): Item {
  return {
    status: "PENDING",
    assignedUser: null,
    answer: { id: "a", body: "Bună ziua!", subject: null, status: "DRAFT", source: "TEMPLATE", channel: "WHATSAPP", mode: null, errorCode: null },
    ...over,
    journey: {
      currentState: "WARM_REPLY",
      previousState: "CONTACTED_WA",
      isHumanControlled: false,
      whatsappOptedOut: false,
      emailOptedOut: false,
      nextActionAt: null,
      nextActionReason: null,
      sentimentScore: 60,
      lastIntent: "INTERESTED",
      holder: null,
      owner: null,
      ...journey,
    },
  };
}

describe("availableActions", () => {
  it("lets a rep claim and work an unassigned item with a draft", () => {
    const a = availableActions(item(), REP);
    expect([...a].sort()).toEqual(["approve", "claim", "edit", "escalate", "note", "outcome", "reject", "reply", "takeOver"].sort());
  });

  it("shows a rep only a note on a colleague's item; a manager may assign, claim and work it", () => {
    const theirs = item({ status: "ASSIGNED", assignedUser: OTHER });
    expect([...availableActions(theirs, REP)]).toEqual(["note"]);
    const m = availableActions(theirs, MANAGER);
    for (const a of ["assign", "claim", "approve", "reject"] as const) expect(m.has(a)).toBe(true);
  });

  it("offers no sending to a lead that opted out everywhere, or without a draft no approval", () => {
    const optedOut = availableActions(item({}, { whatsappOptedOut: true, emailOptedOut: true }), REP);
    expect(optedOut.has("approve") || optedOut.has("reply")).toBe(false);
    const noDraft = availableActions(item({ answer: null }), REP);
    expect(noDraft.has("approve")).toBe(false);
    expect(noDraft.has("reply")).toBe(true);
  });

  it("offers release to the person holding the lead, even on a resolved item, and nothing else there", () => {
    const held = item({ status: "RESOLVED" }, { isHumanControlled: true, holder: { id: REP.id, name: "Eu" } });
    expect([...availableActions(held, REP)]).toEqual(["release"]);
  });
});

describe("countdown", () => {
  const createdAt = new Date("2026-11-10T08:00:00Z");
  const slaDueAt = new Date("2026-11-10T09:00:00Z");
  it("is calm, amber from 75 % of the SLA, red once due, grey when resolved", () => {
    expect(countdown({ createdAt, slaDueAt, status: "PENDING" }, new Date("2026-11-10T08:30:00Z")).tone).toBe("ok");
    expect(countdown({ createdAt, slaDueAt, status: "PENDING" }, new Date("2026-11-10T08:50:00Z")).tone).toBe("soon");
    const late = countdown({ createdAt, slaDueAt, status: "ASSIGNED" }, new Date("2026-11-10T10:05:00Z"));
    expect(late).toEqual({ tone: "overdue", leftMs: -65 * 60_000 });
    expect(countdown({ createdAt, slaDueAt, status: "RESOLVED" }, new Date("2026-11-10T10:05:00Z")).tone).toBe("done");
  });

  it("words the time compactly", () => {
    const u = { day: "z", hour: "h", minute: "min" };
    expect(formatDuration(12 * 60_000 + 59_000, u)).toBe("12 min");
    expect(formatDuration(-(65 * 60_000), u)).toBe("1 h 05 min");
    expect(formatDuration((2 * 1440 + 4 * 60 + 30) * 60_000, u)).toBe("2 z 4 h");
  });
});

describe("shortcuts", () => {
  it("maps keys and arrows, and every label exists in both languages", () => {
    expect(shortcutFor("j")).toBe("next");
    expect(shortcutFor("ArrowUp")).toBe("previous");
    expect(shortcutFor("Escape")).toBe("close");
    expect(shortcutFor("q")).toBeNull();
    const keys = SHORTCUTS.flatMap((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of SHORTCUTS) {
      expect(ro[s.label]).toBeTruthy();
      expect(en[s.label]).toBeTruthy();
    }
  });

  it("walks the list and stops at its ends", () => {
    const items = [{ id: "a" }, { id: "b" }, { id: "c" }];
    expect(neighbour(items, null, 1)).toBe("a");
    expect(neighbour(items, null, -1)).toBe("c");
    expect(neighbour(items, "b", 1)).toBe("c");
    expect(neighbour(items, "c", 1)).toBe("c");
    expect(neighbour(items, "a", -1)).toBe("a");
    expect(neighbour([], "a", 1)).toBeNull();
  });
});

describe("reviewErrorKey", () => {
  const failure = (code: string, domainCode?: string) => new TRPCClientError("x", { result: { error: { code: -32600, message: "x", data: { code, ...(domainCode ? { domainCode } : {}) } } } } as never);
  it("prefers the domain code, then the tRPC code, and never shows the server's English", () => {
    expect(reviewErrorKey(failure("CONFLICT", "REVIEW_ASSIGNED_TO_OTHER"))).toBe("review.error.REVIEW_ASSIGNED_TO_OTHER");
    expect(reviewErrorKey(failure("PRECONDITION_FAILED", "ANSWER_NO_CHANNEL"))).toBe("review.error.CANNOT_ANSWER");
    expect(reviewErrorKey(failure("FORBIDDEN"))).toBe("review.error.FORBIDDEN");
    expect(reviewErrorKey(new TRPCClientError("Failed to fetch"))).toBe("review.error.NETWORK");
    expect(reviewErrorKey(new Error("boom"))).toBe("review.error.UNKNOWN");
  });
});
