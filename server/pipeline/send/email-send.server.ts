/**
 * Email sends (issue 5 item 5; seeds: workers D and E).
 *
 * Cold (EMAIL_COLD, Instantly): Instantly sends from its own campaigns on its own schedule, so "send"
 * means adding the lead to the campaign of its sequence step, with the message we rendered for it as
 * personalization variables (the campaign's only variant is `{{cerniq_subject}}` / `{{cerniq_body}}`):
 * the spintax variant stays ours, deterministic per lead and reproducible. One campaign per tenant and
 * sequence step, created on first use (under an advisory lock) and activated. The log row stays
 * QUEUED with instantly_campaign_id/lead id; the webhook path moves it on (sent, opened, bounced …).
 * `skip_if_in_campaign` makes a repeated add harmless, so a retry after a timeout is safe.
 *
 * Warm (EMAIL_WARM, Resend): subject, HTML and text, with the idempotency key as Resend's
 * Idempotency-Key (kept 24 h by Resend): a retried send after a timeout is deduplicated by Resend.
 *
 * Both: the intent row (idempotency key journey:step:channel, UNIQUE) is written before the provider
 * call; the window is re-checked at run time; the state moves COLD → CONTACTED_EMAIL on a cold add.
 */
import type { Prisma } from "../../generated/prisma/client";
import { withTenant, type TenantTx } from "../../db/client.server";
import { dncStatusOf } from "../../dnc/dnc.server";
import { DomainError } from "../../errors";
import { logEvent } from "../../observability/logger.server";
import type { InstantlyClient } from "../../providers/instantly/client.server";
import type { ResendClient } from "../../providers/resend/client.server";
import { quotaSettingsFromTenant, type TenantQuotaSettings } from "../../quota/settings";
import { calendarFor } from "../../quota/window";
import type { Clock } from "../../clock";
import { DISPATCHABLE_STATES } from "../rules/eligibility";
import { classifySendFailure, withAttempt } from "../rules/failure";
import { stateAfterSend } from "../../lead-state/transitions";
import { contentHash, sendIdempotencyKey } from "../rules/ids.server";
import type { DispatchOutcome, OutcomeCode } from "../rules/outcome";
import type { PipelinePorts } from "../ports";
import type { EmailSendPayload } from "../../../jobs/queues";
import type { CurrentState } from "../rules/types";
// Webhooks that arrive before Resend's id is stored are attributed by these tags (server/webhooks).
import { resendAttributionTags } from "../../webhooks/attribution";
import { appendDecision, recordDispatchOutcome } from "../record-outcome.server";
import { assertStepNotSentOnOtherChannel, isStepSentOnOtherChannel } from "./step-claim.server";

export interface EmailSendDeps {
  instantly: Pick<InstantlyClient, "createCampaign" | "activateCampaign" | "addLead">;
  resend: Pick<ResendClient, "send">;
  ports: PipelinePorts;
  clock: Clock;
  waitMs?: { afterDeadLetter: number; campaignPaused: number };
}

export type EmailChannel = "EMAIL_COLD" | "EMAIL_WARM";

export type EmailSendResult =
  | { kind: "SENT"; channel: EmailChannel; providerId: string; logId: string }
  | { kind: "ALREADY_SENT"; logId: string }
  | { kind: "DONE"; code: OutcomeCode; reason: string }
  | { kind: "RESCHEDULE"; startAfter: Date; payload: EmailSendPayload; code: string; reason: string }
  | { kind: "DEAD_LETTER"; code: string; message: string };

const DEFAULT_WAIT = { afterDeadLetter: 24 * 3600_000, campaignPaused: 24 * 3600_000 };

interface Ctx {
  settings: TenantQuotaSettings;
  state: CurrentState;
  stale: string | null;
  email: string | null;
  lead: { denumire: string; contactPrincipalNume: string | null; judet: string | null; localitate: string | null };
  intent: { id: string; status: string; externalMessageId: string | null; instantlyLeadId: string | null; resendEmailId: string | null; metadata: Record<string, unknown> } | null;
}

async function loadCtx(tx: TenantTx, p: EmailSendPayload, channel: EmailChannel, key: string): Promise<Ctx | null> {
  const journey = await tx.goldLeadJourney.findUnique({ where: { id: p.journeyId }, select: { currentState: true, requiresHumanReview: true, sequencePaused: true, isHumanControlled: true, emailOptedOut: true } });
  const lead = await tx.goldCompany.findUnique({ where: { id: p.leadId }, select: { emailPrincipal: true, emailStatus: true, denumire: true, contactPrincipalNume: true, judet: true, localitate: true } });
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: p.tenantId }, select: { timezone: true, sendingDays: true, sendingStartHour: true, sendingEndHour: true, waDailyQuota: true, settings: true } });
  const intent = await tx.goldCommunicationLog.findUnique({ where: { idempotencyKey: key }, select: { id: true, status: true, externalMessageId: true, instantlyLeadId: true, resendEmailId: true, metadata: true } });
  if (!journey || !lead) return null;
  const email = lead.emailPrincipal?.trim().toLowerCase() ?? null;
  let stale: string | null = null;
  if (!DISPATCHABLE_STATES.has(journey.currentState)) stale = `lead is ${journey.currentState}`;
  else if (channel === "EMAIL_COLD" && journey.currentState !== "COLD") stale = "lead was contacted meanwhile: no cold email";
  else if (channel === "EMAIL_WARM" && journey.currentState === "COLD") stale = "lead was never contacted: no warm email";
  else if (journey.requiresHumanReview) stale = "lead requires human review";
  else if (journey.sequencePaused) stale = "sequence paused";
  else if (journey.isHumanControlled) stale = "a person took over the lead";
  else if (journey.emailOptedOut) stale = "lead opted out of email";
  else if (!email || lead.emailStatus !== "VALID") stale = "no valid email address";
  else {
    // Read when the job runs, not when dispatch queued it: an entry added since stops the send.
    const dnc = await dncStatusOf(tx, { phone: null, email });
    if (dnc.email) stale = "the address is on the do-not-contact list";
    else if (dnc.domain) stale = "the address's domain is on the do-not-contact list";
  }
  return {
    settings: quotaSettingsFromTenant(tenant),
    state: journey.currentState,
    stale,
    email,
    lead,
    intent: intent ? { ...intent, metadata: (intent.metadata ?? {}) as Record<string, unknown> } : null,
  };
}

function outcome(deps: EmailSendDeps, result: OutcomeCode, summary: string, p: EmailSendPayload): DispatchOutcome {
  return { v: 1, stage: "send", at: deps.clock().toISOString(), result, summary, sequence: { sequenceId: p.sequenceId, stepNumber: p.stepNumber }, ...(p.dispatchSlot ? { runSlot: p.dispatchSlot } : {}) };
}

function record(deps: EmailSendDeps, p: EmailSendPayload, o: DispatchOutcome, next?: { at: Date | null; reason: string }, tx?: TenantTx): Promise<void> {
  return recordDispatchOutcome(p, o, deps.clock(), next, tx);
}

export async function processEmailSend(deps: EmailSendDeps, channel: EmailChannel, p: EmailSendPayload, job: { jobId: string }): Promise<EmailSendResult> {
  const wait = deps.waitMs ?? DEFAULT_WAIT;
  const key = sendIdempotencyKey(p.journeyId, p.stepNumber, channel);
  const ctx = await withTenant(p.tenantId, (tx) => loadCtx(tx, p, channel, key));
  if (!ctx) return { kind: "DONE", code: "NO_LONGER_ELIGIBLE", reason: "journey or lead is gone" };
  const i = ctx.intent;
  // Accepted by the provider already (or moved on by a webhook): nothing to do.
  if (i && (i.externalMessageId || i.instantlyLeadId || i.resendEmailId || (i.status !== "QUEUED" && i.status !== "FAILED"))) return { kind: "ALREADY_SENT", logId: i.id };
  if (ctx.stale) {
    await record(deps, p, outcome(deps, "NO_LONGER_ELIGIBLE", ctx.stale, p));
    logEvent("info", { worker: channel === "EMAIL_COLD" ? "q.email.cold" : "q.email.warm", jobId: job.jobId, leadId: p.leadId, channel, action: "email.stood_down", metadata: { step: p.stepNumber, reason: ctx.stale } });
    return { kind: "DONE", code: "NO_LONGER_ELIGIBLE", reason: ctx.stale };
  }
  const now = deps.clock();
  const window = calendarFor(ctx.settings.window).state(now);
  if (!window.open) {
    await record(deps, p, { ...outcome(deps, "REFUSED_OUTSIDE_WINDOW", "outside the sending window", p), window: { open: false, nextOpening: window.nextOpening.toISOString() } }, { at: window.nextOpening, reason: "outside the sending window" });
    return { kind: "DONE", code: "REFUSED_OUTSIDE_WINDOW", reason: window.reason };
  }

  let rendered;
  try {
    rendered = await withTenant(p.tenantId, (tx) => deps.ports.templates.render(tx, { tenantId: p.tenantId, templateId: p.templateId, leadId: p.leadId, journeyId: p.journeyId, channel }));
    if (!rendered.subject) throw new DomainError("PRECONDITION_FAILED", "TEMPLATE_SUBJECT_MISSING", `email template ${p.templateId} has no subject`);
  } catch (error) {
    return fail(deps, p, null, error, wait.afterDeadLetter);
  }

  // The step went out (or is going out) on WhatsApp: never a second message for it.
  const intentId = await withTenant(p.tenantId, async (tx) => {
    await assertStepNotSentOnOtherChannel(tx, { journeyId: p.journeyId, stepNumber: p.stepNumber, channel });
    const data = {
      status: "QUEUED" as const,
      recipient: ctx.email!,
      subject: rendered.subject!,
      contentPreview: rendered.text.slice(0, 500),
      contentHash: contentHash(`${rendered.subject}\n\n${rendered.text}`),
      templateVersionId: rendered.templateVersionId,
      errorCode: null,
      errorMessage: null,
      metadata: { ...(i?.metadata ?? {}), attemptAt: now.toISOString(), jobId: job.jobId } as Prisma.InputJsonValue,
    };
    if (i) {
      await tx.goldCommunicationLog.update({ where: { id: i.id }, data });
      return i.id;
    }
    const row = await tx.goldCommunicationLog.create({
      data: { ...data, tenantId: p.tenantId, journeyId: p.journeyId, leadId: p.leadId, channel, direction: "OUTBOUND", idempotencyKey: key, sequenceId: p.sequenceId, sequenceStep: p.stepNumber, templateId: p.templateId },
      select: { id: true },
    });
    return row.id;
  }).catch((error: unknown) => error as Error);
  if (isStepSentOnOtherChannel(intentId)) {
    logEvent("info", { worker: channel === "EMAIL_COLD" ? "q.email.cold" : "q.email.warm", jobId: job.jobId, leadId: p.leadId, channel, action: "email.step_sent_on_other_channel", metadata: { step: p.stepNumber, reason: intentId.message } });
    return { kind: "DONE", code: "STEP_SENT_ON_OTHER_CHANNEL", reason: intentId.message };
  }
  if (intentId instanceof Error) throw intentId;

  let providerId: string;
  let campaignId: string | null = null;
  try {
    if (channel === "EMAIL_COLD") {
      const campaign = await ensureCampaign(deps, p, ctx.settings);
      if (campaign.paused) {
        await withTenant(p.tenantId, async (tx) => {
          await tx.goldCommunicationLog.update({ where: { id: intentId }, data: { metadata: { attemptAt: null } } });
          await record(deps, p, outcome(deps, "SEND_FAILED", `campaign paused: ${campaign.pausedReason ?? "bounce protection"}`, p), { at: new Date(now.getTime() + wait.campaignPaused), reason: "cold-email campaign paused" }, tx);
        });
        return { kind: "DONE", code: "SEND_FAILED", reason: "campaign paused" };
      }
      campaignId = campaign.id;
      const lead = await deps.instantly.addLead({
        campaign: campaign.id,
        email: ctx.email!,
        company_name: ctx.lead.denumire,
        ...(ctx.lead.contactPrincipalNume ? { first_name: ctx.lead.contactPrincipalNume } : {}),
        custom_variables: {
          cerniq_subject: rendered.subject!,
          cerniq_body: rendered.text,
          cerniq_journey: p.journeyId,
          companyName: ctx.lead.denumire,
          contactName: ctx.lead.contactPrincipalNume,
          judet: ctx.lead.judet,
          localitate: ctx.lead.localitate,
        },
      });
      providerId = lead.id;
    } else {
      ({ id: providerId } = await deps.resend.send(
        { to: ctx.email!, subject: rendered.subject!, text: rendered.text, ...(rendered.html ? { html: rendered.html } : {}), tags: { ...resendAttributionTags(p.tenantId, intentId), journey: p.journeyId, step: String(p.stepNumber) } },
        { idempotencyKey: key },
      ));
    }
  } catch (error) {
    return fail(deps, p, intentId, error, wait.afterDeadLetter);
  }

  const at = deps.clock();
  await withTenant(p.tenantId, async (tx) => {
    // The journey before the log row (server/db/lock-order.server.ts).
    const [row] = await tx.$queryRaw<Array<{ current_state: CurrentState; is_new_contact: boolean }>>`SELECT current_state, is_new_contact FROM gold_lead_journey WHERE id = ${p.journeyId}::uuid FOR NO KEY UPDATE`;
    await tx.goldCommunicationLog.update({
      where: { id: intentId },
      data:
        channel === "EMAIL_COLD"
          ? { instantlyCampaignId: campaignId, instantlyLeadId: providerId, metadata: { acceptedAt: at.toISOString(), attemptAt: null } }
          : { status: "SENT", resendEmailId: providerId, externalMessageId: providerId, sentAt: at, metadata: { attemptAt: null } },
    });
    // The state table's send rule: COLD (first contact) or CONTACTED_WA (continuing by email) → CONTACTED_EMAIL.
    const to = row ? stateAfterSend(row.current_state, "EMAIL") : null;
    if (row && to) {
      const reason = row.current_state === "COLD" ? (channel === "EMAIL_COLD" ? "Adăugat în campania de email" : "Primul email trimis") : "Secvența continuă pe email";
      await deps.ports.leadState.transition(tx, { tenantId: p.tenantId, journeyId: p.journeyId, to, actor: { type: "JOB", id: `${channel}:${job.jobId}` }, reason, metadata: { providerId, sequenceStep: p.stepNumber }, at });
    }
    const { nextActionAt } = await deps.ports.sequences.advanceAfterSend(tx, { tenantId: p.tenantId, journeyId: p.journeyId, sequenceId: p.sequenceId, stepNumber: p.stepNumber, sentAt: at });
    const o: DispatchOutcome = { ...outcome(deps, "SENT", channel === "EMAIL_COLD" ? "added to the Instantly campaign" : "sent through Resend", p), template: { templateId: p.templateId, templateVersionId: rendered.templateVersionId }, nextActionAt: nextActionAt?.toISOString() ?? null };
    await tx.goldLeadJourney.update({
      where: { id: p.journeyId },
      data: {
        isNewContact: false,
        lastChannelUsed: channel,
        lastContactAt: at,
        sequenceStep: p.stepNumber,
        nextActionAt,
        nextActionReason: nextActionAt ? `sequence step ${p.stepNumber + 1}` : "sequence finished",
        lastDispatchOutcome: o as unknown as Prisma.InputJsonValue,
        lastDispatchAt: at,
        ...(row?.is_new_contact ? { firstContactAt: at, firstContactChannel: channel } : {}),
      },
    });
    await appendDecision(tx, p, o, at);
  });
  logEvent("info", { worker: channel === "EMAIL_COLD" ? "q.email.cold" : "q.email.warm", jobId: job.jobId, leadId: p.leadId, channel, action: "email.sent", metadata: { providerId, step: p.stepNumber } });
  return { kind: "SENT", channel, providerId, logId: intentId };
}

async function fail(deps: EmailSendDeps, p: EmailSendPayload, intentId: string | null, error: unknown, waitMs: number): Promise<EmailSendResult> {
  const action = classifySendFailure(error, p.attempts);
  const message = error instanceof Error ? error.message : String(error);
  if (action.kind === "RETRY") {
    // Both providers are safe to repeat (skip_if_in_campaign / Idempotency-Key): the row stays QUEUED.
    return { kind: "RESCHEDULE", startAfter: new Date(deps.clock().getTime() + action.delayMs), payload: withAttempt(p, action.budget), code: action.code, reason: message };
  }
  await withTenant(p.tenantId, async (tx) => {
    if (intentId) await tx.goldCommunicationLog.update({ where: { id: intentId }, data: { status: "FAILED", failedAt: deps.clock(), errorCode: action.code, errorMessage: message.slice(0, 1000), metadata: { attemptAt: null } } });
    await record(deps, p, { ...outcome(deps, "SEND_FAILED", message, p), error: { code: action.code, message } }, { at: new Date(deps.clock().getTime() + waitMs), reason: `send failed (${action.code}), in the dead-letter queue` }, tx);
  });
  return { kind: "DEAD_LETTER", code: action.code, message };
}

const INSTANTLY_DAYS: Record<number, string> = { 1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6", 7: "0" };
const hh = (h: number) => (h >= 24 ? "23:59" : `${String(h).padStart(2, "0")}:00`);

/**
 * The Instantly campaign of a sequence step, created and activated on first use. The advisory lock
 * (per sequence and step) makes concurrent first uses create one campaign; a create that timed out
 * may leave an empty draft at Instantly, never a second campaign with leads.
 */
async function ensureCampaign(deps: EmailSendDeps, p: EmailSendPayload, settings: TenantQuotaSettings): Promise<{ id: string; paused: boolean; pausedReason: string | null }> {
  const find = (tx: TenantTx) =>
    tx.emailCampaign.findFirst({ where: { sequenceId: p.sequenceId, stepNumber: p.stepNumber, status: { in: ["DRAFT", "ACTIVE", "PAUSED"] } }, orderBy: { createdAt: "asc" }, select: { instantlyCampaignId: true, status: true, pausedReason: true } });
  const known = await withTenant(p.tenantId, find);
  if (known) return { id: known.instantlyCampaignId, paused: known.status === "PAUSED", pausedReason: known.pausedReason };
  return withTenant(
    p.tenantId,
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`instantly-campaign:${p.sequenceId}:${p.stepNumber}`}))`;
      const again = await find(tx);
      if (again) return { id: again.instantlyCampaignId, paused: again.status === "PAUSED", pausedReason: again.pausedReason };
      const sequence = await tx.outreachSequence.findUnique({ where: { id: p.sequenceId }, select: { name: true } });
      const name = `Cerniq · ${sequence?.name ?? p.sequenceId} · pas ${p.stepNumber}`;
      const w = settings.window;
      const created = await deps.instantly.createCampaign({
        name,
        campaign_schedule: { schedules: [{ name: "Program de lucru", timing: { from: hh(w.startHour), to: hh(w.endHour) }, days: Object.fromEntries(w.days.map((d) => [INSTANTLY_DAYS[d]!, true])), timezone: w.timeZone }] },
        sequences: [{ steps: [{ type: "email", delay: 0, variants: [{ subject: "{{cerniq_subject}}", body: "{{cerniq_body}}" }] }] }],
        stop_on_reply: true,
      });
      await deps.instantly.activateCampaign(created.id);
      await tx.emailCampaign.create({ data: { tenantId: p.tenantId, instantlyCampaignId: created.id, name, sequenceId: p.sequenceId, stepNumber: p.stepNumber, status: "ACTIVE", instantlyStatus: 1 } });
      return { id: created.id, paused: false, pausedReason: null };
    },
    { timeoutMs: 60_000 },
  );
}
