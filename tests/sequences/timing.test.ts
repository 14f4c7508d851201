/** Sequence step validation and timing, pure, against the Quota Guardian's real calendar. */
import { describe, expect, it } from "vitest";
import { DEFAULT_SENDING_WINDOW, calendarFor } from "../../server/quota/window";
import { checkSteps, nextStepFor, type SequenceStepInput, type StepTiming } from "../../server/sequences/definition";

const calendar = calendarFor(DEFAULT_SENDING_WINDOW);
const T1 = "11111111-1111-4111-8111-111111111111";
const T2 = "22222222-2222-4222-8222-222222222222";
const T3 = "44444444-4444-4444-8444-444444444444";
const T4 = "55555555-5555-4555-8555-555555555555";
const templates = new Map([
  [T1, { id: T1, channel: "WHATSAPP" as const, isActive: true }],
  [T2, { id: T2, channel: "EMAIL_COLD" as const, isActive: true }],
  [T3, { id: T3, channel: "EMAIL_WARM" as const, isActive: true }],
  [T4, { id: T4, channel: "EMAIL_COLD" as const, isActive: false }],
]);

const step = (n: number, over: Partial<SequenceStepInput> = {}): SequenceStepInput => ({
  stepNumber: n,
  channel: "WHATSAPP",
  templateId: T1,
  delayHours: 0,
  delayMinutes: 0,
  stopOnReply: true,
  respectBusinessHours: true,
  ...over,
});

describe("checkSteps", () => {
  it("accepts 1..n in any input order", () => {
    expect(checkSteps([step(2), step(1), step(3, { channel: "EMAIL_COLD", templateId: T2 })], templates)).toEqual([]);
  });

  it.each([
    [[step(1), step(3)], "STEP_NUMBERING"],
    [[step(1), step(1)], "STEP_NUMBERING"],
    [[step(2)], "STEP_NUMBERING"],
    [[], "NO_STEPS"],
    [[step(1, { channel: "EMAIL_COLD" })], "TEMPLATE_CHANNEL_MISMATCH"],
    [[step(1, { templateId: "33333333-3333-4333-8333-333333333333" })], "TEMPLATE_NOT_FOUND"],
  ] as const)("%j → %s", (steps, code) => {
    expect(checkSteps(steps, templates).map((i) => i.code)).toContain(code);
  });

  it("accepts a fallback template of the other side: email behind WhatsApp, WhatsApp behind either email", () => {
    expect(
      checkSteps(
        [step(1, { fallbackTemplateId: T2 }), step(2, { fallbackTemplateId: T3 }), step(3, { channel: "EMAIL_COLD", templateId: T2, fallbackTemplateId: T1 }), step(4, { fallbackTemplateId: null })],
        templates,
      ),
    ).toEqual([]);
  });

  it.each([
    [step(1, { fallbackTemplateId: T1 }), "FALLBACK_TEMPLATE_SAME_CHANNEL"],
    // Cold ↔ warm is not a fallback: channel selection already switches emails with the step's template.
    [step(1, { channel: "EMAIL_COLD", templateId: T2, fallbackTemplateId: T3 }), "FALLBACK_TEMPLATE_SAME_CHANNEL"],
    [step(1, { fallbackTemplateId: "33333333-3333-4333-8333-333333333333" }), "FALLBACK_TEMPLATE_NOT_FOUND"],
    [step(1, { fallbackTemplateId: T4 }), "FALLBACK_TEMPLATE_INACTIVE"],
  ] as const)("fallback %j → %s", (s, code) => {
    expect(checkSteps([s], templates).map((i) => i.code)).toEqual([code]);
  });
});

const steps: StepTiming[] = [
  { stepNumber: 1, channel: "WHATSAPP", templateId: T1, delayHours: 0, delayMinutes: 0, stopOnReply: true, respectBusinessHours: true },
  { stepNumber: 2, channel: "WHATSAPP", templateId: T1, delayHours: 72, delayMinutes: 30, stopOnReply: true, respectBusinessHours: true },
  { stepNumber: 3, channel: "EMAIL_COLD", templateId: T2, delayHours: 1, delayMinutes: 0, stopOnReply: false, respectBusinessHours: false },
];

describe("nextStepFor", () => {
  // Tuesday 2026-03-10 10:00 Bucharest (EET, UTC+2) = 08:00Z.
  const tuesday10 = new Date("2026-03-10T08:00:00Z");

  it("step 1 with no delay inside the window is due at once", () => {
    const n = nextStepFor({ currentStep: 0, enrolledAt: tuesday10, lastStepAt: null, steps }, tuesday10, calendar);
    expect(n?.step.stepNumber).toBe(1);
    expect(n?.at).toEqual(tuesday10);
  });

  it("delay from the previous send, moved to the next opening when it lands outside the window", () => {
    // Sent Thursday 2026-03-12 17:00 local (15:00Z) + 72h30 = Sunday 17:30 → Monday 09:00 local (07:00Z).
    const sent = new Date("2026-03-12T15:00:00Z");
    const n = nextStepFor({ currentStep: 1, enrolledAt: tuesday10, lastStepAt: sent, steps }, sent, calendar);
    expect(n?.step.stepNumber).toBe(2);
    expect(n?.at).toEqual(new Date("2026-03-16T07:00:00Z"));
    expect(n?.reason).toMatch(/next opening/);
  });

  it("a step that ignores business hours keeps its exact time", () => {
    const sent = new Date("2026-03-13T20:00:00Z"); // Friday night
    const n = nextStepFor({ currentStep: 2, enrolledAt: tuesday10, lastStepAt: sent, steps }, sent, calendar);
    expect(n?.at).toEqual(new Date("2026-03-13T21:00:00Z"));
  });

  it("an overdue step (resumed after a pause) is due now, not in the past", () => {
    const later = new Date("2026-04-01T08:00:00Z"); // Wednesday 11:00 local (EEST)
    const n = nextStepFor({ currentStep: 1, enrolledAt: tuesday10, lastStepAt: tuesday10, steps }, later, calendar);
    expect(n?.at).toEqual(later);
  });

  it("a holiday is skipped (1 May is a public holiday in Romania)", () => {
    const eve = new Date("2026-04-30T16:00:00Z"); // Thursday 19:00 local, window closed
    const n = nextStepFor({ currentStep: 0, enrolledAt: eve, lastStepAt: null, steps }, eve, calendar);
    // Friday 1 May is a holiday, then the weekend: Monday 4 May 09:00 EEST = 06:00Z.
    expect(n?.at).toEqual(new Date("2026-05-04T06:00:00Z"));
  });

  it("after the last step there is none", () => {
    expect(nextStepFor({ currentStep: 3, enrolledAt: tuesday10, lastStepAt: tuesday10, steps }, tuesday10, calendar)).toBeNull();
  });
});
