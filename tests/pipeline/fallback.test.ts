/**
 * A sequence step on its fallback channel, against real Postgres, pg-boss and the provider simulators:
 * dispatch sends a step whose channel is unusable on the other channel with the step's fallback
 * template and says why; a number TimelinesAI refuses goes out by email at the next dispatch; and a
 * step never goes out twice across channels (a late WhatsApp job after the fallback email, an email
 * fallback while a WhatsApp attempt may have reached the lead).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobDefinition } from "../../jobs/definition";
import { dispatchJob } from "../../jobs/pipeline/dispatch";
import { emailColdJob, emailWarmJob } from "../../jobs/pipeline/email-send";
import { waSendJob } from "../../jobs/pipeline/wa-send";
import { runDispatch } from "../../server/pipeline/dispatch/dispatch.server";
import { processEmailSend, type EmailSendDeps } from "../../server/pipeline/send/email-send.server";
import { EMAIL_COLD_QUEUE, waSendQueue, emailSendPayload, waSendPayload, type EmailSendPayload, type WaSendPayload } from "../../jobs/queues";
import { processWaSend } from "../../server/pipeline/send/whatsapp-send.server";
import { InstantlyClient } from "../../server/providers/instantly/client.server";
import { ResendClient } from "../../server/providers/resend/client.server";
import { SANDBOX_CREDENTIALS } from "../../server/providers/sandbox";
import { insertLead } from "../support/factories";
import { createWorld, guardianFor, manualClock, sendDeps, simulatorMessages, startPipelineEnv, WEDNESDAY_10_00, type PipelineEnv, type World } from "./support";
import { pgBossTransactionalQueue } from "../../jobs/transactional-queue";

let env: PipelineEnv;
let emailDeps: (clock: () => Date) => EmailSendDeps;

beforeAll(async () => {
  env = await startPipelineEnv("plfb", [dispatchJob, waSendJob, emailColdJob, emailWarmJob] as JobDefinition[]);
  const retryPolicy = { backoffBaseMs: 5, backoffMaxMs: 20, rateLimitWaitMs: 10 };
  const instantly = new InstantlyClient({ baseUrl: env.sims.urls.instantly, apiKey: SANDBOX_CREDENTIALS.instantlyApiKey, timeoutMs: 2_000, retryPolicy });
  const resend = new ResendClient({ baseUrl: env.sims.urls.resend, apiKey: SANDBOX_CREDENTIALS.resendApiKey, from: "Cerniq <outreach@sandbox.cerniq.local>", timeoutMs: 2_000, retryPolicy });
  emailDeps = (clock) => ({ instantly, resend, ports: env.ports, clock });
});
afterAll(async () => {
  await env?.close();
});

interface FallbackWorld extends World {
  templates: { wa: string; mail: string; waFallback: string; mailFallback: string };
  /** Default: step 1 WhatsApp (fallback email), step 2 email (fallback WhatsApp), a day apart. */
  fallbackSequenceId: string;
  /** Step 1 WhatsApp without a fallback template. */
  plainSequenceId: string;
}

async function fallbackWorld(): Promise<FallbackWorld> {
  const w = await createWorld(env, { phones: 1, leads: 0 });
  const { withTenant } = await import("../../server/db/client.server");
  const { createTemplate } = await import("../../server/templates/templates.server");
  const { createSequence } = await import("../../server/sequences/sequences.server");
  return withTenant(w.tenantId, async (tx) => {
    const vars = [{ name: "companyName", required: true }];
    const wa = await createTemplate(tx, w.tenantId, { name: "WA pas 1", channel: "WHATSAPP", content: "Bună ziua, {{companyName}}! Vă scriem pe WhatsApp.", variables: vars });
    const mailFallback = await createTemplate(tx, w.tenantId, { name: "Email în loc de WA", channel: "EMAIL_COLD", subject: "Pentru {{companyName}}", content: "Bună ziua, {{companyName}}! Nu v-am găsit pe WhatsApp.", variables: vars });
    const mail = await createTemplate(tx, w.tenantId, { name: "Email pas 2", channel: "EMAIL_COLD", subject: "Revenim, {{companyName}}", content: "Revenim cu o ofertă, {{companyName}}.", variables: vars });
    const waFallback = await createTemplate(tx, w.tenantId, { name: "WA în loc de email", channel: "WHATSAPP", content: "Revenim pe WhatsApp, {{companyName}}.", variables: vars });
    const step = { delayMinutes: 0, stopOnReply: true, respectBusinessHours: true };
    const s = await createSequence(tx, w.tenantId, {
      name: "Cu rezervă",
      isDefault: true,
      steps: [
        { ...step, stepNumber: 1, channel: "WHATSAPP", templateId: wa.id, fallbackTemplateId: mailFallback.id, delayHours: 0 },
        { ...step, stepNumber: 2, channel: "EMAIL_COLD", templateId: mail.id, fallbackTemplateId: waFallback.id, delayHours: 24 },
      ],
    });
    const plain = await createSequence(tx, w.tenantId, { name: "Fără rezervă", steps: [{ ...step, stepNumber: 1, channel: "WHATSAPP", templateId: wa.id, delayHours: 0 }] });
    return { ...w, templates: { wa: wa.id, mail: mail.id, waFallback: waFallback.id, mailFallback: mailFallback.id }, fallbackSequenceId: s.id, plainSequenceId: plain.id };
  });
}

let leadNo = 0;
/** A COLD lead with a phone (HLR as given) and an email address (status as given), never scheduled. */
async function addLead(w: World, o: { hlr: boolean | null; emailStatus?: string }): Promise<{ leadId: string; journeyId: string; phone: string; email: string; name: string }> {
  leadNo += 1;
  const phone = `+4073${String(leadNo).padStart(7, "0")}`;
  const email = `office${leadNo}@ferma-fb${leadNo}.ro`;
  const name = `Ferma Rezervă ${leadNo} SRL`;
  const ids = await insertLead(env.admin, w.tenantId, {
    company: { denumire: name, telefonPrincipal: phone, hlrReachable: o.hlr, emailPrincipal: email, emailStatus: o.emailStatus ?? "VALID", judet: "Iași" },
  });
  return { ...ids, phone, email, name };
}

async function enroll(w: World, sequenceId: string, leadIds: string[], now: Date): Promise<void> {
  const { withTenant } = await import("../../server/db/client.server");
  const { enrollLeads } = await import("../../server/sequences/sequences.server");
  const { calendarFor, DEFAULT_SENDING_WINDOW } = await import("../../server/quota/window");
  await withTenant(w.tenantId, (tx) => enrollLeads(tx, { tenantId: w.tenantId, sequenceId, target: { leadIds }, now, calendar: calendarFor(DEFAULT_SENDING_WINDOW) }));
}

const dispatch = (w: World, clock: () => Date) => runDispatch({ guardian: guardianFor(env, clock), boss: env.boss, queue: pgBossTransactionalQueue(env.boss), sequences: env.ports.sequences, clock }, { tenantId: w.tenantId });

/** Takes the queued jobs of the given journeys off both send queues (the test runs them by hand). */
async function takeJobs(journeyIds: string[], w: World): Promise<{ wa: WaSendPayload[]; email: EmailSendPayload[] }> {
  const wa: WaSendPayload[] = [];
  for (const phoneId of w.phoneIds) {
    for (const j of await env.boss.findJobs(waSendQueue(w.tenantId), { key: phoneId, queued: true })) {
      const p = waSendPayload.parse(j.data);
      if (!journeyIds.includes(p.journeyId)) continue;
      wa.push(p);
      await env.boss.deleteJob(waSendQueue(w.tenantId), j.id);
    }
  }
  const email: EmailSendPayload[] = [];
  for (const journeyId of journeyIds) {
    for (const j of await env.boss.findJobs(EMAIL_COLD_QUEUE, { key: journeyId, queued: true })) {
      email.push(emailSendPayload.parse(j.data));
      await env.boss.deleteJob(EMAIL_COLD_QUEUE, j.id);
    }
  }
  return { wa, email };
}

const outcomeOf = async (journeyId: string) =>
  (await env.admin.query(`SELECT last_dispatch_outcome AS o, next_action_at, current_state FROM gold_lead_journey WHERE id = $1`, [journeyId])).rows[0] as {
    o: Record<string, unknown>;
    next_action_at: Date | null;
    current_state: string;
  };

async function rejectOnWhatsapp(phones: string[]): Promise<void> {
  await fetch(`${env.sims.origin}/__control/scenario`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ faults: [], whatsapp: { rejectedNumbers: phones } }) });
}

describe("fallback channel", () => {
  it("dispatch sends an unusable step's channel on the other one with the fallback template, and explains it; no fallback template keeps the lead parked", async () => {
    const w = await fallbackWorld();
    const clock = manualClock(WEDNESDAY_10_00);
    const noWhatsapp = await addLead(w, { hlr: false });
    const badEmail = await addLead(w, { hlr: true, emailStatus: "BOUNCED" });
    const noFallback = await addLead(w, { hlr: false });
    await enroll(w, w.plainSequenceId, [noFallback.leadId], clock());
    // badEmail is at the email step 2: step 1 went out on WhatsApp yesterday.
    await enroll(w, w.fallbackSequenceId, [badEmail.leadId], new Date(WEDNESDAY_10_00.getTime() - 86_400_000));
    await env.admin.query(`UPDATE sequence_enrollments SET current_step = 1, last_step_at = $2 WHERE journey_id = $1`, [badEmail.journeyId, new Date(WEDNESDAY_10_00.getTime() - 86_400_000)]);
    await env.admin.query(`UPDATE gold_lead_journey SET current_state = 'CONTACTED_WA', is_new_contact = false, assigned_phone_id = $2, next_action_at = $3 WHERE id = $1`, [badEmail.journeyId, w.phoneIds[0], new Date(WEDNESDAY_10_00.getTime() - 1000)]);

    const result = await dispatch(w, clock);
    expect(result).toMatchObject({ status: "DONE", summary: { dispatchedToWhatsApp: 1, dispatchedToEmail: 1, skippedNoChannel: 1 } });

    // A WhatsApp step for a lead not on WhatsApp: cold email with the step's fallback template.
    const mail = await outcomeOf(noWhatsapp.journeyId);
    expect(mail.o).toMatchObject({
      result: "DISPATCHED_EMAIL",
      channel: { selected: "EMAIL_COLD", reasons: expect.arrayContaining(["PHONE_NOT_VERIFIED", "REQUESTED_WHATSAPP_UNAVAILABLE", "STEP_CHANNEL_UNUSABLE", "FALLBACK_EMAIL_COLD"]) },
      sequence: { sequenceId: w.fallbackSequenceId, stepNumber: 1 },
      template: { templateId: w.templates.mailFallback },
    });
    expect(mail.o.summary).toBe("EMAIL_COLD (fallback: step 1 is a WHATSAPP step and that channel is unusable for this lead (PHONE_NOT_VERIFIED): sent on EMAIL_COLD with the step's fallback template)");

    // An email step for a contacted lead whose address bounced: WhatsApp on its own phone, fallback template.
    const wa = await outcomeOf(badEmail.journeyId);
    expect(wa.o).toMatchObject({
      result: "DISPATCHED_WHATSAPP",
      channel: { selected: "WHATSAPP", reasons: expect.arrayContaining(["EMAIL_NOT_VALID_BOUNCED", "STEP_CHANNEL_UNUSABLE", "FALLBACK_WHATSAPP"]) },
      phone: { kind: "STICKY", phoneId: w.phoneIds[0] },
      sequence: { stepNumber: 2 },
      template: { templateId: w.templates.waFallback },
    });

    // No fallback template: today's behaviour, the lead is parked with the reason.
    const parked = await outcomeOf(noFallback.journeyId);
    expect(parked.o).toMatchObject({ result: "SKIPPED_NO_CHANNEL", channel: { reasons: expect.arrayContaining(["STEP_CHANNEL_UNUSABLE"]) } });
    expect(parked.o.channel).not.toMatchObject({ reasons: expect.arrayContaining([expect.stringMatching(/^FALLBACK_/)]) });
    expect(parked.o.summary).toMatch(/the step has no fallback template$/);
    expect(new Date(parked.next_action_at!).getTime()).toBe(WEDNESDAY_10_00.getTime() + 24 * 3600_000);

    const jobs = await takeJobs([noWhatsapp.journeyId, badEmail.journeyId, noFallback.journeyId], w);
    expect(jobs.email).toEqual([expect.objectContaining({ journeyId: noWhatsapp.journeyId, stepNumber: 1, templateId: w.templates.mailFallback })]);
    // The WhatsApp fallback of step 2 is a follow-up on the lead's phone.
    expect(jobs.wa).toEqual([expect.objectContaining({ journeyId: badEmail.journeyId, stepNumber: 2, templateId: w.templates.waFallback, phoneId: w.phoneIds[0], followUp: true })]);
  });

  it("sends a step TimelinesAI refuses (not on WhatsApp) by email at the next dispatch, and a late WhatsApp retry of that step sends nothing", async () => {
    const w = await fallbackWorld();
    const clock = manualClock(WEDNESDAY_10_00);
    const lead = await addLead(w, { hlr: true });
    await dispatch(w, clock);
    const first = await takeJobs([lead.journeyId], w);
    expect(first.wa).toEqual([expect.objectContaining({ stepNumber: 1, templateId: w.templates.wa })]);
    expect(first.email).toEqual([]);
    const waJob = first.wa[0]!;

    await rejectOnWhatsapp([lead.phone]);
    expect(await processWaSend(sendDeps(env, clock), waJob, { jobId: "wa-1" })).toMatchObject({ kind: "DONE", code: "RECIPIENT_INVALID" });
    await rejectOnWhatsapp([]);
    const refused = await outcomeOf(lead.journeyId);
    expect(refused.o).toMatchObject({ result: "RECIPIENT_INVALID" });
    expect(new Date(refused.next_action_at!).getTime()).toBe(clock().getTime());

    // The next dispatch: WhatsApp is unusable now, the step goes out by email with its fallback template.
    clock.set(new Date(WEDNESDAY_10_00.getTime() + 5 * 60_000));
    await dispatch(w, clock);
    const second = await takeJobs([lead.journeyId], w);
    expect(second.wa).toEqual([]);
    expect(second.email).toEqual([expect.objectContaining({ stepNumber: 1, templateId: w.templates.mailFallback })]);
    expect((await outcomeOf(lead.journeyId)).o).toMatchObject({ result: "DISPATCHED_EMAIL", channel: { reasons: expect.arrayContaining(["PHONE_NOT_VERIFIED", "FALLBACK_EMAIL_COLD"]) } });
    expect(await processEmailSend(emailDeps(clock), "EMAIL_COLD", second.email[0]!, { jobId: "mail-1" })).toMatchObject({ kind: "SENT", channel: "EMAIL_COLD" });

    const log = await env.admin.query(`SELECT idempotency_key, channel, status, subject, template_id, instantly_lead_id FROM gold_communication_log WHERE journey_id = $1 ORDER BY created_at`, [lead.journeyId]);
    expect(log.rows).toMatchObject([
      { idempotency_key: `${lead.journeyId}:1:WHATSAPP`, channel: "WHATSAPP", status: "FAILED" },
      { idempotency_key: `${lead.journeyId}:1:EMAIL_COLD`, channel: "EMAIL_COLD", status: "QUEUED", subject: `Pentru ${lead.name}`, template_id: w.templates.mailFallback },
    ]);
    expect(log.rows[1].instantly_lead_id).not.toBeNull();
    const after = await outcomeOf(lead.journeyId);
    expect(after.current_state).toBe("CONTACTED_EMAIL");
    expect(after.o).toMatchObject({ result: "SENT", template: { templateId: w.templates.mailFallback } });

    // A duplicate of the old WhatsApp job (a retry, a redelivery) now finds the step sent by email.
    // The simulator would accept the number again, so only the guard stands between it and a second message.
    clock.set(new Date(WEDNESDAY_10_00.getTime() + 10 * 60_000));
    expect(await processWaSend(sendDeps(env, clock), waJob, { jobId: "wa-1-late" })).toMatchObject({ kind: "DONE", code: "STEP_SENT_ON_OTHER_CHANNEL" });
    expect((await simulatorMessages(env)).filter((m) => m.to === lead.phone)).toEqual([]);
    // Nor did it write: its intent row stays as the failed attempt left it (the statement that would
    // take it over saw the email holding the step and changed nothing).
    const again = await env.admin.query(`SELECT idempotency_key, status, metadata->>'jobId' AS job_id FROM gold_communication_log WHERE journey_id = $1 ORDER BY created_at`, [lead.journeyId]);
    expect(again.rows).toMatchObject([
      { idempotency_key: `${lead.journeyId}:1:WHATSAPP`, status: "FAILED", job_id: "wa-1" },
      { idempotency_key: `${lead.journeyId}:1:EMAIL_COLD`, status: "QUEUED" },
    ]);
    const usage = await guardianFor(env, clock).usage(w.tenantId, w.phoneIds, (await import("../../server/quota/settings")).DEFAULT_QUOTA_SETTINGS);
    expect(usage[0]!.used).toBe(0);
  });

  it("does not send the email fallback of a step while a WhatsApp attempt of it may have reached the lead", async () => {
    const w = await fallbackWorld();
    const clock = manualClock(WEDNESDAY_10_00);
    const lead = await addLead(w, { hlr: true });
    await dispatch(w, clock);
    const [waJob] = (await takeJobs([lead.journeyId], w)).wa;
    // The worker dies after TimelinesAI accepted the message, before logging it: the intent is in flight.
    const crashing = sendDeps(env, clock, {
      afterProviderAccepted: () => {
        throw new Error("worker killed");
      },
    });
    await expect(processWaSend(crashing, waJob!, { jobId: "wa-crash" })).rejects.toThrow("worker killed");

    // Meanwhile the number is marked unverified (an HLR check) and the lease runs out: dispatch falls back to email.
    await env.admin.query(`UPDATE gold_companies SET hlr_reachable = false WHERE id = $1`, [lead.leadId]);
    clock.set(new Date(WEDNESDAY_10_00.getTime() + 2 * 3600_000 + 60_000));
    await dispatch(w, clock);
    const [mailJob] = (await takeJobs([lead.journeyId], w)).email;
    expect(mailJob).toMatchObject({ stepNumber: 1, templateId: w.templates.mailFallback });
    expect(await processEmailSend(emailDeps(clock), "EMAIL_COLD", mailJob!, { jobId: "mail-1" })).toMatchObject({ kind: "DONE", code: "STEP_SENT_ON_OTHER_CHANNEL" });
    const emails = await env.admin.query(`SELECT 1 FROM gold_communication_log WHERE journey_id = $1 AND channel = 'EMAIL_COLD'`, [lead.journeyId]);
    expect(emails.rows).toEqual([]);

    // The WhatsApp retry finds its message in the chat and completes the step: one message in all.
    expect(await processWaSend(sendDeps(env, clock), waJob!, { jobId: "wa-retry" })).toMatchObject({ kind: "SENT", reconciled: true });
    expect((await simulatorMessages(env)).filter((m) => m.to === lead.phone)).toHaveLength(1);
    expect((await outcomeOf(lead.journeyId)).current_state).toBe("CONTACTED_WA");
  });
});
