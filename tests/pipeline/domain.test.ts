/** Pure pipeline rules: eligibility, channel scoring with fallback, phone allocation, spacing, failures, ids. */
import { describe, expect, it } from "vitest";
import { allocatePhones, type PhoneSnapshot } from "../../server/pipeline/rules/allocation";
import { channelForStep, selectChannel, type ChannelInput, type StepChannels } from "../../server/pipeline/rules/channel";
import { evaluateEligibility, isDue } from "../../server/pipeline/rules/eligibility";
import { certainlyNotSent, classifySendFailure } from "../../server/pipeline/rules/failure";
import { deterministicUuid, dispatchSingletonKey, dispatchSlot, sendIdempotencyKey } from "../../server/pipeline/rules/ids.server";
import { countOutcome, emptySummary } from "../../server/pipeline/rules/outcome";
import { nextSendAllowedAt, spacingMs } from "../../server/pipeline/rules/pacing.server";
import { isFollowUp } from "../../server/pipeline/rules/send-order";
import { holdsStep } from "../../server/pipeline/send/step-claim.server";
import { NO_DNC, type JourneyFacts, type LeadContact } from "../../server/pipeline/rules/types";
import { ProviderInvalidRecipientError, ProviderRateLimitedError, ProviderRequestError, ProviderUnavailableError } from "../../server/providers/errors";
import { DomainError } from "../../server/errors";

const NOW = new Date("2026-06-10T08:00:00Z");

function journey(o: Partial<JourneyFacts> = {}): JourneyFacts {
  return {
    journeyId: "j1",
    leadId: "l1",
    state: "COLD",
    nextActionAt: new Date(NOW.getTime() - 60_000),
    requiresHumanReview: false,
    sequencePaused: false,
    isHumanControlled: false,
    whatsappOptedOut: false,
    emailOptedOut: false,
    assignedPhoneId: null,
    lastChannelUsed: null,
    preferredChannel: null,
    isNewContact: true,
    ...o,
  };
}

const contact = (o: Partial<LeadContact> = {}): LeadContact => ({ phone: "+40722000001", hlrReachable: true, email: "ion@ferma.ro", emailStatus: "VALID", ...o });

describe("eligibility", () => {
  it("accepts a due COLD / CONTACTED_* journey", () => {
    for (const state of ["COLD", "CONTACTED_WA", "CONTACTED_EMAIL"] as const) {
      expect(evaluateEligibility(journey({ state }), NO_DNC, NOW)).toEqual({ eligible: true });
    }
  });

  it("reports every failing rule", () => {
    const result = evaluateEligibility(
      journey({ state: "WARM_REPLY", nextActionAt: new Date(NOW.getTime() + 1000), requiresHumanReview: true, sequencePaused: true, isHumanControlled: true, whatsappOptedOut: true, emailOptedOut: true }),
      { phone: true, email: true, domain: false },
      NOW,
    );
    expect(result).toEqual({
      eligible: false,
      reasons: ["STATE_NOT_DISPATCHABLE", "NOT_DUE", "REQUIRES_HUMAN_REVIEW", "SEQUENCE_PAUSED", "HUMAN_CONTROLLED", "OPTED_OUT_ALL_CHANNELS", "DO_NOT_CONTACT"],
    });
  });

  it("treats a missing next_action_at as due only for a COLD lead", () => {
    expect(isDue({ state: "COLD", nextActionAt: null }, NOW)).toBe(true);
    expect(isDue({ state: "CONTACTED_WA", nextActionAt: null }, NOW)).toBe(false);
    expect(isDue({ state: "CONTACTED_WA", nextActionAt: NOW }, NOW)).toBe(true);
  });

  it("keeps a lead opted out of one channel eligible (the selector handles it)", () => {
    expect(evaluateEligibility(journey({ whatsappOptedOut: true }), NO_DNC, NOW).eligible).toBe(true);
    expect(evaluateEligibility(journey(), { phone: true, email: false, domain: false }, NOW).eligible).toBe(true);
  });
});

describe("channel selection", () => {
  const input = (o: Partial<ChannelInput> = {}, j: Partial<JourneyFacts> = {}, c: Partial<LeadContact> = {}): ChannelInput => ({
    journey: journey(j),
    contact: contact(c),
    dnc: NO_DNC,
    ...o,
  });

  it("prefers WhatsApp (100) over cold email (70), with email as the fallback", () => {
    const s = selectChannel(input());
    expect(s.selected).toBe("WHATSAPP");
    expect(s.fallback).toBe("EMAIL_COLD");
    expect(s.reasoning.preferenceScore).toEqual({ WHATSAPP: 100, EMAIL_COLD: 70, EMAIL_WARM: 0 });
  });

  it("uses warm email (80) for a contacted lead and boosts WhatsApp when it was the last channel", () => {
    const s = selectChannel(input({}, { state: "CONTACTED_WA", lastChannelUsed: "WHATSAPP" }));
    expect(s.reasoning.preferenceScore).toEqual({ WHATSAPP: 120, EMAIL_COLD: 0, EMAIL_WARM: 80 });
    expect(s.selected).toBe("WHATSAPP");
    expect(s.fallback).toBe("EMAIL_WARM");
  });

  it("falls back to email when the phone is unverified, opted out or on the do-not-contact list", () => {
    expect(selectChannel(input({}, {}, { hlrReachable: null })).selected).toBe("EMAIL_COLD");
    expect(selectChannel(input({}, { whatsappOptedOut: true })).selected).toBe("EMAIL_COLD");
    const dnc = selectChannel(input({ dnc: { phone: true, email: false, domain: false } }));
    expect(dnc.selected).toBe("EMAIL_COLD");
    expect(dnc.fallback).toBeNull();
    expect(dnc.reasons).toContain("PHONE_DO_NOT_CONTACT");
  });

  it("selects nothing when no channel is usable", () => {
    const s = selectChannel(input({ dnc: { phone: false, email: false, domain: true } }, {}, { hlrReachable: false }));
    expect(s.selected).toBeNull();
    expect(s.reasons).toEqual(["PHONE_NOT_VERIFIED", "DOMAIN_DO_NOT_CONTACT", "NO_USABLE_CHANNEL"]);
  });

  it("honours a usable requested channel (sequence step) and the journey's preference", () => {
    expect(selectChannel(input({ requested: "EMAIL_COLD" })).selected).toBe("EMAIL_COLD");
    // A warm-email step for a COLD lead becomes cold email: never a warm email to a stranger.
    expect(selectChannel(input({ requested: "EMAIL_WARM" })).selected).toBe("EMAIL_COLD");
    const unusable = selectChannel(input({ requested: "WHATSAPP" }, {}, { phone: null }));
    expect(unusable.selected).toBe("EMAIL_COLD");
    expect(unusable.reasons).toContain("REQUESTED_WHATSAPP_UNAVAILABLE");
    expect(selectChannel(input({}, { state: "CONTACTED_EMAIL", preferredChannel: "EMAIL_WARM" })).selected).toBe("EMAIL_WARM");
  });
});

describe("a step's channel and its fallback template", () => {
  const waStep = (fallback: StepChannels["fallback"] = { templateId: "t-mail", channel: "EMAIL_COLD" }): StepChannels => ({ stepNumber: 1, channel: "WHATSAPP", templateId: "t-wa", fallback });
  const mailStep = (fallback: StepChannels["fallback"] = { templateId: "t-wa", channel: "WHATSAPP" }): StepChannels => ({ stepNumber: 2, channel: "EMAIL_COLD", templateId: "t-mail", fallback });
  const select = (step: StepChannels, j: Partial<JourneyFacts> = {}, c: Partial<LeadContact> = {}, dnc = NO_DNC) =>
    selectChannel({ journey: journey(j), contact: contact(c), dnc, requested: step.channel });

  it("sends the step's own template on its channel while that channel is usable, fallback or not", () => {
    const step = waStep();
    expect(channelForStep(select(step), step)).toEqual({ kind: "SEND", channel: "WHATSAPP", templateId: "t-wa", fallback: false, reasons: [], why: "" });
    // An email step moves between cold and warm with its own template: that is not a fallback.
    const mail = mailStep();
    expect(channelForStep(select(mail, { state: "CONTACTED_WA" }), mail)).toMatchObject({ kind: "SEND", channel: "EMAIL_WARM", templateId: "t-mail", fallback: false });
  });

  it("sends a WhatsApp step on email with its fallback template when WhatsApp is unusable, and says why", () => {
    const step = waStep();
    for (const [c, j, dnc, cause] of [
      [{ hlrReachable: false }, {}, NO_DNC, "PHONE_NOT_VERIFIED"],
      [{ phone: null }, {}, NO_DNC, "NO_PHONE_NUMBER"],
      [{}, { whatsappOptedOut: true }, NO_DNC, "WHATSAPP_OPTED_OUT"],
      [{}, {}, { phone: true, email: false, domain: false }, "PHONE_DO_NOT_CONTACT"],
    ] as const) {
      const send = channelForStep(select(step, j, c, dnc), step);
      expect(send).toMatchObject({ kind: "SEND", channel: "EMAIL_COLD", templateId: "t-mail", fallback: true, reasons: ["STEP_CHANNEL_UNUSABLE", "FALLBACK_EMAIL_COLD"] });
      if (send.kind === "SEND") expect(send.why).toBe(`step 1 is a WHATSAPP step and that channel is unusable for this lead (${cause}): sent on EMAIL_COLD with the step's fallback template`);
    }
    // A contacted lead gets the warm flavour of the fallback email, as for any email step.
    expect(channelForStep(select(step, { state: "CONTACTED_WA" }, { hlrReachable: false }), step)).toMatchObject({ kind: "SEND", channel: "EMAIL_WARM", templateId: "t-mail", fallback: true });
  });

  it("sends an email step on WhatsApp with its fallback template when the address is unusable", () => {
    const step = mailStep();
    expect(channelForStep(select(step, {}, { emailStatus: "BOUNCED" }), step)).toMatchObject({
      kind: "SEND",
      channel: "WHATSAPP",
      templateId: "t-wa",
      fallback: true,
      reasons: ["STEP_CHANNEL_UNUSABLE", "FALLBACK_WHATSAPP"],
      why: expect.stringContaining("(EMAIL_NOT_VALID_BOUNCED)"),
    });
    expect(channelForStep(select(step, { emailOptedOut: true }), step)).toMatchObject({ kind: "SEND", channel: "WHATSAPP", fallback: true });
  });

  it("keeps today's behaviour without a fallback template: the step is unusable for the lead", () => {
    const step = waStep(null);
    expect(channelForStep(select(step, {}, { hlrReachable: false }), step)).toEqual({
      kind: "UNUSABLE",
      reasons: ["STEP_CHANNEL_UNUSABLE"],
      why: "step 1 is a WHATSAPP step and that channel is unusable for this lead (PHONE_NOT_VERIFIED) and the step has no fallback template",
    });
  });

  it("has nothing to send when neither channel is usable", () => {
    const step = waStep();
    expect(channelForStep(select(step, { emailOptedOut: true }, { hlrReachable: false }), step)).toMatchObject({ kind: "UNUSABLE", reasons: ["NO_USABLE_CHANNEL"] });
  });
});

describe("follow-ups first", () => {
  it("calls any message after the first one a follow-up", () => {
    expect(isFollowUp({ isNewContact: true }, { stepNumber: 1 })).toBe(false);
    expect(isFollowUp({ isNewContact: false }, { stepNumber: 1 })).toBe(true);
    expect(isFollowUp({ isNewContact: true }, { stepNumber: 2 })).toBe(true);
  });
});

describe("one message per step across channels", () => {
  const row = (o: Partial<Parameters<typeof holdsStep>[0]> = {}) => ({ status: "QUEUED", externalMessageId: null, instantlyLeadId: null, resendEmailId: null, metadata: {}, ...o });

  it("a step is held once a provider has it, and while an attempt may have reached it", () => {
    expect(holdsStep(row({ status: "SENT", externalMessageId: "m1" }))).toBe(true);
    expect(holdsStep(row({ instantlyLeadId: "il1" }))).toBe(true);
    expect(holdsStep(row({ status: "DELIVERED" }))).toBe(true);
    expect(holdsStep(row({ metadata: { attemptAt: "2026-06-10T08:00:00.000Z" } }))).toBe(true);
  });

  it("a failed attempt, or one that certainly never reached the provider, does not hold it", () => {
    expect(holdsStep(row({ status: "FAILED" }))).toBe(false);
    expect(holdsStep(row({ metadata: { attemptAt: null } }))).toBe(false);
    expect(holdsStep(row())).toBe(false);
  });
});

describe("phone allocation", () => {
  const phone = (id: string, o: Partial<PhoneSnapshot> = {}): PhoneSnapshot => ({ phoneId: id, status: "ACTIVE", enabled: true, remaining: 200, reputationScore: 100, pending: 0, ...o });
  const req = (journeyId: string, assignedPhoneId: string | null = null, isNewContact = true) => ({ journeyId, assignedPhoneId, isNewContact });

  it("keeps a contacted lead on its phone, and makes it wait when that phone is not ACTIVE", () => {
    const result = allocatePhones([req("a", "p1", false), req("b", "p2", false)], [phone("p1", { remaining: 0 }), phone("p2", { status: "BANNED" }), phone("p3")], { maxPendingPerPhone: 10 });
    expect(result.get("a")).toMatchObject({ kind: "STICKY", phoneId: "p1" });
    expect(result.get("b")).toMatchObject({ kind: "NONE", code: "STICKY_PHONE_NOT_ACTIVE", phoneId: "p2" });
  });

  it("gives new leads to the phone with the most quota left and spreads a batch evenly", () => {
    const phones = [phone("p1", { remaining: 5 }), phone("p2", { remaining: 3 }), phone("p3", { remaining: 3 })];
    const reqs = Array.from({ length: 8 }, (_, i) => req(`j${i}`));
    const result = allocatePhones(reqs, phones, { maxPendingPerPhone: 10 });
    const per = new Map<string, number>();
    for (const a of result.values()) if (a.kind === "NEW") per.set(a.phoneId, (per.get(a.phoneId) ?? 0) + 1);
    expect(Object.fromEntries(per)).toEqual({ p1: 4, p2: 2, p3: 2 });
    expect(result.get("j0")).toMatchObject({ kind: "NEW", phoneId: "p1", remainingBefore: 5 });
  });

  it("moves a never-contacted lead off a full or inactive phone, and reports why when nothing is left", () => {
    const result = allocatePhones([req("a", "p1"), req("b"), req("c")], [phone("p1", { remaining: 0 }), phone("p2", { remaining: 1 }), phone("p3", { status: "PAUSED" })], { maxPendingPerPhone: 10 });
    expect(result.get("a")).toMatchObject({ kind: "NEW", phoneId: "p2" });
    expect(result.get("b")).toMatchObject({ kind: "NONE", code: "ALL_PHONES_FULL" });
    expect(allocatePhones([req("x")], [phone("p1", { status: "OFFLINE" })], { maxPendingPerPhone: 1 }).get("x")).toMatchObject({ code: "NO_ACTIVE_PHONE" });
    expect(allocatePhones([req("x")], [phone("p1", { pending: 1 })], { maxPendingPerPhone: 1 }).get("x")).toMatchObject({ code: "ALL_QUEUES_FULL" });
  });

  it("is deterministic on ties (reputation, then id)", () => {
    const result = allocatePhones([req("a")], [phone("p2"), phone("p1"), phone("p0", { reputationScore: 50 })], { maxPendingPerPhone: 10 });
    expect(result.get("a")).toMatchObject({ phoneId: "p1" });
  });
});

describe("spacing", () => {
  const s = { jitterMinSeconds: 30, jitterMaxSeconds: 150 };
  it("is 30 s + up to 120 s, the same for every worker, and varies between sends", () => {
    const values = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const at = new Date(NOW.getTime() + i * 97_000);
      const ms = spacingMs("p1", at, s);
      expect(ms).toBeGreaterThanOrEqual(30_000);
      expect(ms).toBeLessThanOrEqual(150_000);
      expect(spacingMs("p1", at, s)).toBe(ms);
      values.add(Math.floor(ms / 10_000));
    }
    expect(values.size).toBeGreaterThanOrEqual(12);
    expect(nextSendAllowedAt("p1", null, s)).toBeNull();
    expect(spacingMs("p1", NOW, { jitterMinSeconds: 0, jitterMaxSeconds: 0 })).toBe(0);
  });
});

describe("failure classification (seeds §6.1)", () => {
  const ctx = { provider: "timelinesai" as const, operation: "sendToPhone" };
  it("retries network 3x exponential, 5xx 3x, 429 5x at 60 s, then dead-letters", () => {
    const timeout = new ProviderUnavailableError("t", { ...ctx, reason: "timeout" });
    expect(classifySendFailure(timeout, {})).toMatchObject({ kind: "RETRY", budget: "network", delayMs: 30_000 });
    expect(classifySendFailure(timeout, { network: 2 })).toMatchObject({ kind: "RETRY", delayMs: 120_000 });
    expect(classifySendFailure(timeout, { network: 3 })).toMatchObject({ kind: "DEAD_LETTER" });
    expect(classifySendFailure(new ProviderUnavailableError("s", { ...ctx, reason: "server", status: 503 }), { server: 3 })).toMatchObject({ kind: "DEAD_LETTER" });
    const limited = new ProviderRateLimitedError("r", ctx);
    expect(classifySendFailure(limited, { rateLimit: 4 })).toMatchObject({ kind: "RETRY", delayMs: 60_000 });
    expect(classifySendFailure(limited, { rateLimit: 5 })).toMatchObject({ kind: "DEAD_LETTER" });
  });

  it("dead-letters 4xx and coded domain refusals at once; an invalid number goes to the fallback", () => {
    expect(classifySendFailure(new ProviderRequestError("bad", { ...ctx, status: 422 }), {})).toMatchObject({ kind: "DEAD_LETTER", code: "PROVIDER_REQUEST_REJECTED" });
    expect(classifySendFailure(new DomainError("BAD_INPUT", "TEMPLATE_VARIABLE_MISSING", "x"), {})).toMatchObject({ kind: "DEAD_LETTER", code: "TEMPLATE_VARIABLE_MISSING" });
    expect(classifySendFailure(new ProviderInvalidRecipientError("no wa", ctx), {})).toMatchObject({ kind: "RECIPIENT_INVALID" });
  });

  it("knows when a failed call may still have sent the message", () => {
    expect(certainlyNotSent(new ProviderUnavailableError("t", { ...ctx, reason: "timeout" }))).toBe(false);
    expect(certainlyNotSent(new ProviderUnavailableError("n", { ...ctx, reason: "network", ambiguous: false }))).toBe(true);
    expect(certainlyNotSent(new ProviderUnavailableError("s", { ...ctx, reason: "server" }))).toBe(true);
    expect(certainlyNotSent(new Error("db down"))).toBe(true);
  });
});

describe("ids and summary", () => {
  it("derives stable UUIDs, keys and slots", () => {
    const a = deterministicUuid("dispatch:t:1");
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid("dispatch:t:1")).toBe(a);
    expect(deterministicUuid("dispatch:t:2")).not.toBe(a);
    expect(sendIdempotencyKey("j", 2, "WHATSAPP")).toBe("j:2:WHATSAPP");
    expect(dispatchSlot(new Date("2026-06-10T08:07:59Z")).toISOString()).toBe("2026-06-10T08:05:00.000Z");
    expect(dispatchSingletonKey("t", new Date("2026-06-10T08:05:00Z"))).toBe("dispatch:t:2026-06-10T08:05:00.000Z");
  });

  it("counts outcomes into the seeds' DispatchResult fields", () => {
    const s = emptySummary();
    for (const code of ["DISPATCHED_WHATSAPP", "DISPATCHED_WHATSAPP", "NO_PHONE", "SKIPPED_OUTSIDE_HOURS", "WAITING_FOR_STICKY_PHONE"] as const) countOutcome(s, code);
    expect(s).toMatchObject({ dispatchedToWhatsApp: 2, skippedQuotaExceeded: 1, skippedOutsideHours: 1, outcomes: { WAITING_FOR_STICKY_PHONE: 1, DISPATCHED_WHATSAPP: 2 } });
  });
});
