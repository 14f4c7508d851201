/**
 * The reply plan (server/replies/plan.ts), pure: every row of its table, with understandings from the
 * real built-in engine and routes from the real routing table, so the plan is checked on what the
 * worker will actually see.
 */
import { describe, expect, it } from "vitest";
import { planReply, type PlanFacts } from "../../server/replies/plan";
import { routeReply, understandReply } from "../../server/replies/understanding";

const NOW = new Date("2026-11-10T08:00:00Z");
const facts = (o: Partial<PlanFacts> = {}): PlanFacts => ({
  autoAnswerMode: "AUTO",
  autoAnswerDailyCap: 2,
  autoAnswersToday: 0,
  autoAnswerTenantDailyCap: 500,
  tenantAutoAnswersToday: 0,
  isHumanControlled: false,
  answerBlock: null,
  providerAutomatic: false,
  warmedByThisReply: true,
  hasDraft: true,
  ...o,
});
const plan = (text: string, o: Partial<PlanFacts> = {}) => {
  const u = understandReply({ text, channel: "WHATSAPP", now: NOW });
  return { u, p: planReply(u, routeReply(u), facts(o)) };
};

describe("the plan of an understood reply", () => {
  it("positive, AUTO mode, nothing blocks: sent automatically, no person", () => {
    const { p } = plan("Da, suntem interesați. Când putem discuta la telefon?");
    expect(p).toMatchObject({ sendAutomatically: true, review: null, hold: null, optOut: false });
  });

  it.each([
    ["APPROVAL mode", { autoAnswerMode: "APPROVAL" as const }, "MODE_APPROVAL", "APPROVAL", null],
    ["OFF mode", { autoAnswerMode: "OFF" as const }, "MODE_OFF", "TRIAGE", "MANUAL_FLAG"],
    ["the daily cap reached", { autoAnswersToday: 2 }, "DAILY_CAP", "APPROVAL", null],
    ["the tenant's daily cap reached", { tenantAutoAnswersToday: 500 }, "TENANT_DAILY_CAP", "APPROVAL", null],
    ["a person holds the lead", { isHumanControlled: true }, "HUMAN_CONTROLLED", "APPROVAL", null],
    ["no usable channel", { answerBlock: "NO_SENDING_PHONE" as const }, "NO_SENDING_PHONE", "APPROVAL", null],
  ])("positive but %s: held for a person, HIGH", (_, o, hold, kind, reason) => {
    const { p } = plan("Da, suntem interesați. Când putem discuta la telefon?", o);
    expect(p).toMatchObject({ sendAutomatically: false, hold, review: { kind, priority: "HIGH", reason } });
  });

  it("an opt-out: stopped everywhere, a LOW item, never an answer", () => {
    const { p } = plan("Vă rog să nu mă mai contactați.");
    expect(p).toMatchObject({ optOut: true, sendAutomatically: false, review: { priority: "LOW" } });
  });

  it("a complaint: opt-out and URGENT with reason COMPLAINT", () => {
    const { p } = plan("Vă reclam la ANPC pentru spam!");
    expect(p).toMatchObject({ optOut: true, complaint: true, review: { priority: "URGENT", reason: "COMPLAINT" } });
  });

  it("LATER with a date: back to the sequence on that date and a MEDIUM item; not when the lead was already warm", () => {
    expect(plan("Reveniți în februarie.").p).toMatchObject({ returnToSequence: { notBefore: "2027-02-01", because: "LATER" }, review: { priority: "MEDIUM" } });
    expect(plan("Reveniți în februarie.", { warmedByThisReply: false }).p.returnToSequence).toBeNull();
  });

  it("an out-of-office: back to the sequence after the return date, no person, no answer", () => {
    const { p } = plan("Sunt în concediu până pe 15 ianuarie.");
    expect(p).toMatchObject({ returnToSequence: { notBefore: "2027-01-16", because: "OUT_OF_OFFICE" }, review: null, sendAutomatically: false });
  });

  it("a provider-flagged out-of-office only postpones (it never made the lead warm)", () => {
    const { p } = plan("Sunt în concediu până pe 15 ianuarie.", { providerAutomatic: true });
    expect(p).toEqual({ optOut: false, complaint: false, returnToSequence: null, postponeUntil: "2027-01-16", suggestContact: false, sendAutomatically: false, hold: null, review: null });
  });

  it("WRONG_PERSON naming someone: a contact suggestion and a MEDIUM item", () => {
    const { p } = plan("Nu eu mă ocup de asta, vorbiți cu fiul meu, Andrei, la 0722 123 456.");
    expect(p).toMatchObject({ suggestContact: true, review: { priority: "MEDIUM" } });
  });

  it("never automatic for NOT_INTERESTED, UNSUBSCRIBE or COMPLAINT, whatever the mode", () => {
    for (const text of ["Nu suntem interesați, mulțumim.", "STOP", "Vă reclam la ANPC!"]) {
      expect(plan(text).p.sendAutomatically).toBe(false);
    }
  });
});
