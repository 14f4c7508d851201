import { describe, expect, it } from "vitest";
import { cumulativeDelays, draftFromSequence, emptyStep, fallbackTemplatesFor, moveStep, templatesFor, toStepInputs, validateDraft, type SequenceDraft, type TemplateOption } from "./builder-model";

const T = (id: string, channel: TemplateOption["channel"], isActive = true): TemplateOption => ({ id: `00000000-0000-4000-8000-00000000000${id}`, name: `T${id}`, channel, isActive });
const wa = T("1", "WHATSAPP");
const cold = T("2", "EMAIL_COLD");
const warm = T("3", "EMAIL_WARM");
const off = T("4", "WHATSAPP", false);
const templates = [wa, cold, warm, off];

function draft(steps: Array<Partial<ReturnType<typeof emptyStep>>>): SequenceDraft {
  return { name: "Secvență", description: "", isDefault: false, steps: steps.map((s) => ({ ...emptyStep(undefined, templates), ...s })) };
}

describe("the sequence builder's form", () => {
  it("numbers steps by their order and turns days/hours/minutes into the stored delay", () => {
    const d = draft([{ templateId: wa.id }, { channel: "EMAIL_COLD", templateId: cold.id, delayDays: 2, delayHours: 3, delayMinutes: 15 }]);
    expect(toStepInputs(d.steps).map((s) => [s.stepNumber, s.channel, s.delayHours, s.delayMinutes])).toEqual([
      [1, "WHATSAPP", 0, 0],
      [2, "EMAIL_COLD", 51, 15],
    ]);
    const moved = moveStep(d.steps, 1, 0);
    expect(toStepInputs(moved).map((s) => [s.stepNumber, s.channel])).toEqual([
      [1, "EMAIL_COLD"],
      [2, "WHATSAPP"],
    ]);
    expect(moveStep(d.steps, 0, 5)).toEqual(d.steps);
  });

  it("reads a stored sequence back into the same form", () => {
    const back = draftFromSequence({
      name: "S",
      description: null,
      isDefault: true,
      steps: [{ name: null, channel: "WHATSAPP", templateId: wa.id, fallbackTemplateId: null, delayHours: 51, delayMinutes: 15, respectBusinessHours: false, stopOnReply: true }],
    });
    expect(back.steps[0]).toMatchObject({ delayDays: 2, delayHours: 3, delayMinutes: 15, respectBusinessHours: false });
    expect(toStepInputs(back.steps)[0]).toMatchObject({ delayHours: 51, delayMinutes: 15 });
  });

  it("reports the procedure's own issues per step, as the manager types", () => {
    const v = validateDraft(draft([{ templateId: cold.id }, { templateId: off.id }, { templateId: wa.id, fallbackTemplateId: wa.id }, { templateId: "" }, { templateId: wa.id, delayHours: 30 }]), templates);
    expect(v.steps.map((s) => [s.template, s.fallback, s.delay])).toEqual([
      ["TEMPLATE_CHANNEL_MISMATCH", null, null],
      ["TEMPLATE_INACTIVE", null, null],
      [null, "FALLBACK_TEMPLATE_SAME_CHANNEL", null],
      ["TEMPLATE_REQUIRED", null, null],
      [null, null, "DELAY_INVALID"],
    ]);
    expect(v.valid).toBe(false);
    expect(validateDraft({ ...draft([]), name: " " }, templates)).toMatchObject({ name: "NAME_REQUIRED", sequence: ["NO_STEPS"], valid: false });
    expect(validateDraft(draft([{ templateId: wa.id, fallbackTemplateId: cold.id }]), templates).valid).toBe(true);
  });

  it("offers a step's channel's templates, and fallbacks from the other side only", () => {
    expect(templatesFor("WHATSAPP", templates, "").map((t) => t.id)).toEqual([wa.id]);
    expect(templatesFor("WHATSAPP", templates, off.id).map((t) => t.id)).toEqual([wa.id, off.id]);
    expect(fallbackTemplatesFor("WHATSAPP", templates, "").map((t) => t.id)).toEqual([cold.id, warm.id]);
    expect(fallbackTemplatesFor("EMAIL_WARM", templates, "").map((t) => t.id)).toEqual([wa.id]);
  });

  it("adds up when each step is due at the earliest", () => {
    const d = draft([{ delayDays: 0 }, { delayDays: 3 }, { delayDays: 1, delayHours: 12 }]);
    expect(cumulativeDelays(d.steps).map((ms) => ms / 3_600_000)).toEqual([0, 72, 108]);
  });
});
