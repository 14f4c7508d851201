import { describe, expect, it } from "vitest";
import { calendarFor, DEFAULT_SENDING_WINDOW } from "../../server/quota/window";
import { resumeDecision, SEQUENCE_STOP_REASONS } from "../../server/sequences/pause";

const calendar = calendarFor(DEFAULT_SENDING_WINDOW);
const steps = [
  { stepNumber: 1, channel: "WHATSAPP" as const, templateId: "t1", delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true },
  { stepNumber: 2, channel: "WHATSAPP" as const, templateId: "t2", delayHours: 72, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true },
];
const monday10 = new Date("2026-12-07T08:00:00Z");

describe("what resuming a sequence does to an enrollment it paused", () => {
  it("resumes due at once when the delay ran out, later when it did not, in the window either way", () => {
    const overdue = resumeDecision({ currentStep: 1, enrolledAt: new Date("2026-11-20T08:00:00Z"), lastStepAt: new Date("2026-11-20T08:00:00Z"), leadState: "CONTACTED_WA" }, steps, monday10, calendar);
    expect(overdue).toMatchObject({ kind: "RESUME", dueNow: true, at: monday10 });
    const waiting = resumeDecision({ currentStep: 1, enrolledAt: monday10, lastStepAt: monday10, leadState: "CONTACTED_WA" }, steps, monday10, calendar);
    expect(waiting).toMatchObject({ kind: "RESUME", dueNow: false, at: new Date("2026-12-10T08:00:00Z") });
    // Saturday night: moved to Monday's opening.
    const saturday = new Date("2026-12-12T20:00:00Z");
    expect(resumeDecision({ currentStep: 0, enrolledAt: saturday, lastStepAt: null, leadState: "COLD" }, steps, saturday, calendar)).toMatchObject({ kind: "RESUME", at: new Date("2026-12-14T07:00:00Z") });
  });

  it("completes when every step was sent, leaves a paused lead to its own pause, stops a lead that left outreach", () => {
    expect(resumeDecision({ currentStep: 2, enrolledAt: monday10, lastStepAt: monday10, leadState: "CONTACTED_WA" }, steps, monday10, calendar)).toEqual({ kind: "COMPLETE" });
    expect(resumeDecision({ currentStep: 0, enrolledAt: monday10, lastStepAt: null, leadState: "PAUSED" }, steps, monday10, calendar)).toEqual({ kind: "LEAD_PAUSED" });
    expect(resumeDecision({ currentStep: 1, enrolledAt: monday10, lastStepAt: monday10, leadState: "WARM_REPLY" }, steps, monday10, calendar)).toEqual({ kind: "STOP", reason: SEQUENCE_STOP_REASONS.leftOutreach });
  });
});
