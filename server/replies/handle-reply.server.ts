/**
 * A reply, understood and acted on (issue 15; seeds: workers overview §5.2 step 6, worker category J):
 * the use case of the `ai.sentiment.analyze` job, one job per inbound message (job id = its log id).
 *
 *   1. read the reply, the conversation, the lead and the tenant's settings (no lock);
 *   2. understand it: the engine the environment chose (the LLM when configured, with the built-in
 *      rules as its fallback and opt-out/complaint guardrail; the built-in engine otherwise);
 *   3. draft an answer when the intent gets one (LLM or intent template);
 *   4. one transaction, the journey locked first (server/db/lock-order.server.ts):
 *      - the message locked; already analysed → nothing (a retried job after a commit);
 *      - the analysis stored on the message and the journey (score, intent, engine, reason, route);
 *      - the plan (plan.ts) applied: opt-out, back to sequence, contact suggestion, the answer (sent
 *        through its send job, or held), the review item with its SLA timers.
 *    The understanding and the draft are computed before the lock (an LLM call must not hold a row
 *    lock); everything that writes happens in the one transaction, so a crash before its commit
 *    leaves nothing behind and the retry does it all, a crash after it leaves a retry nothing to do.
 */
import type { Actor } from "../audit/actor";
import type { Clock } from "../clock";
import { withTenant, type TenantTx } from "../db/client.server";
import { lockJourney } from "../db/lock-order.server";
import type { TransactionalQueue } from "../db/transactional-queue.server";
import type { Prisma } from "../generated/prisma/client";
import type { Channel } from "../generated/prisma/enums";
import { backToSequence } from "../leads/back-to-sequence.server";
import { optOutLead } from "../leads/opt-out.server";
import { dncStatusOf } from "../dnc/dnc.server";
import { notify } from "../notifications/notifications.server";
import { dayBounds } from "../quota/window";
import { openReview } from "../review/open.server";
import { loadReviewSettings, type ReviewSettings } from "../review/settings.server";
import { postponeForOutOfOffice } from "../sequences/sequences.server";
import { autoAnswersToday, createAnswer, releaseAnswer, tenantAutoAnswersToday } from "./answers/answers.server";
import { answerRoute, type AnswerRoute } from "./answers/channel";
import type { AnswerDrafter, DraftedAnswer } from "./answers/draft.server";
import { romanianDate } from "./answers/templates";
import { planReply, type ReplyPlan } from "./plan";
import { routeReply, type ReplyUnderstanding, type ReplyUnderstandingEngine, type RouteDecision } from "./understanding";

export interface ReplyHandlingDeps {
  engine: ReplyUnderstandingEngine;
  drafter: AnswerDrafter;
  queue: TransactionalQueue;
  clock: Clock;
}

export interface HandleReplyInput {
  tenantId: string;
  messageId: string;
  jobId?: string;
}

export type HandleReplyResult =
  | { outcome: "missing" }
  | { outcome: "already_analysed"; messageId: string }
  | {
      outcome: "handled";
      messageId: string;
      intent: string;
      score: number;
      route: RouteDecision["route"];
      plan: ReplyPlan;
      reviewId: string | null;
      answerId: string | null;
      answerSent: boolean;
      suggestionId: string | null;
    };

const ACTOR: Actor = { type: "JOB", name: "ai.sentiment.analyze" };
const CHANNEL_RO: Record<Channel, string> = { WHATSAPP: "WhatsApp", EMAIL_COLD: "email", EMAIL_WARM: "email", PHONE: "telefon", MANUAL: "manual" };
const CONVERSATION_MESSAGES = 8;

interface ReplyContext {
  message: { id: string; journeyId: string; leadId: string; channel: Channel; text: string; subject: string | null; phoneId: string | null; createdAt: Date; automatic: boolean };
  conversation: Array<{ direction: "OUTBOUND" | "INBOUND"; text: string; at: Date }>;
  lead: { company: string; county: string | null; contactName: string | null; phone: string | null; email: string | null };
  settings: ReviewSettings;
}

async function loadContext(tx: TenantTx, tenantId: string, messageId: string): Promise<ReplyContext | "missing" | "already_analysed"> {
  const m = await tx.goldCommunicationLog.findUnique({
    where: { id: messageId },
    select: { id: true, journeyId: true, leadId: true, channel: true, direction: true, contentPreview: true, subject: true, phoneId: true, createdAt: true, analysis: true, metadata: true },
  });
  if (!m || m.direction !== "INBOUND") return "missing";
  if (m.analysis !== null) return "already_analysed";
  const earlier = await tx.goldCommunicationLog.findMany({
    where: { journeyId: m.journeyId, id: { not: m.id }, createdAt: { lte: m.createdAt }, contentPreview: { not: null } },
    orderBy: { createdAt: "desc" },
    take: CONVERSATION_MESSAGES,
    select: { direction: true, contentPreview: true, createdAt: true },
  });
  const lead = await tx.goldCompany.findUniqueOrThrow({ where: { id: m.leadId }, select: { denumire: true, judet: true, contactPrincipalNume: true, telefonPrincipal: true, emailPrincipal: true } });
  const settings = await loadReviewSettings(tx, tenantId);
  const metadata = (m.metadata ?? {}) as Record<string, unknown>;
  return {
    message: { id: m.id, journeyId: m.journeyId, leadId: m.leadId, channel: m.channel, text: m.contentPreview ?? "", subject: m.subject, phoneId: m.phoneId, createdAt: m.createdAt, automatic: metadata.automatic === true },
    conversation: earlier.reverse().map((e) => ({ direction: e.direction, text: e.contentPreview ?? "", at: e.createdAt })),
    lead: { company: lead.denumire, county: lead.judet, contactName: lead.contactPrincipalNume, phone: lead.telefonPrincipal, email: lead.emailPrincipal },
    settings,
  };
}

export async function understandAndRoute(deps: ReplyHandlingDeps, input: HandleReplyInput): Promise<HandleReplyResult> {
  const ctx = await withTenant(input.tenantId, (tx) => loadContext(tx, input.tenantId, input.messageId));
  if (ctx === "missing") return { outcome: "missing" };
  if (ctx === "already_analysed") return { outcome: "already_analysed", messageId: input.messageId };
  const now = deps.clock();
  const m = ctx.message;

  const understanding = await deps.engine.understand({
    text: m.text,
    subject: m.subject,
    channel: m.channel,
    now,
    calendar: { timeZone: ctx.settings.timeZone },
    conversation: ctx.conversation,
    lead: { company: ctx.lead.company, county: ctx.lead.county, contactName: ctx.lead.contactName },
  });
  const decision = routeReply(understanding, { sentimentAutoThreshold: ctx.settings.sentimentAutoThreshold });
  const answerChannel = m.channel === "WHATSAPP" ? "WHATSAPP" : "EMAIL_WARM";
  const draft =
    decision.actions.optOut || m.automatic
      ? null
      : await deps.drafter.draft({
          understanding,
          reply: { text: m.text, subject: m.subject },
          conversation: ctx.conversation,
          lead: { company: ctx.lead.company, contactName: ctx.lead.contactName, county: ctx.lead.county },
          tenant: { name: ctx.settings.tenantName, offerSummary: ctx.settings.offerSummary },
          channel: answerChannel,
        });

  return withTenant(input.tenantId, (tx) => apply(tx, deps, input, ctx, understanding, decision, draft, now), { timeoutMs: 30_000 });
}

async function apply(
  tx: TenantTx,
  deps: ReplyHandlingDeps,
  input: HandleReplyInput,
  ctx: ReplyContext,
  u: ReplyUnderstanding,
  decision: RouteDecision,
  draft: DraftedAnswer | null,
  now: Date,
): Promise<HandleReplyResult> {
  const m = ctx.message;
  const tenantId = input.tenantId;
  await lockJourney(tx, { journeyId: m.journeyId });
  const locked = await tx.$queryRaw<Array<{ analysed: boolean }>>`
    SELECT analysis IS NOT NULL AS analysed FROM gold_communication_log WHERE id = ${m.id}::uuid FOR NO KEY UPDATE`;
  if (locked[0]?.analysed) return { outcome: "already_analysed", messageId: m.id };

  const journey = await tx.goldLeadJourney.findUniqueOrThrow({
    where: { id: m.journeyId },
    select: { currentState: true, assignedPhoneId: true, whatsappOptedOut: true, emailOptedOut: true, isHumanControlled: true, assignedToUser: true },
  });
  const dnc = await dncStatusOf(tx, { phone: ctx.lead.phone, email: ctx.lead.email });
  const lastMove = await tx.leadStateHistory.findFirst({ where: { journeyId: m.journeyId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { toState: true, metadata: true } });
  const autoToday = await autoAnswersToday(tx, m.leadId, now, ctx.settings.timeZone);
  const tenantAutoToday = await tenantAutoAnswersToday(tx, now, ctx.settings.timeZone);
  const route: AnswerRoute = answerRoute({
    replyChannel: m.channel,
    assignedPhoneId: journey.assignedPhoneId,
    replyPhoneId: m.phoneId,
    leadPhone: ctx.lead.phone,
    leadEmail: ctx.lead.email,
    whatsappOptedOut: journey.whatsappOptedOut,
    emailOptedOut: journey.emailOptedOut,
    phoneOnDoNotContact: dnc.phone,
    emailOnDoNotContact: dnc.email || dnc.domain,
  });
  const warmedByThisReply =
    journey.currentState === "WARM_REPLY" && lastMove?.toState === "WARM_REPLY" && (lastMove.metadata as Record<string, unknown> | null)?.replyMessageId === m.id;
  const plan = planReply(u, decision, {
    autoAnswerMode: ctx.settings.autoAnswerMode,
    autoAnswerDailyCap: ctx.settings.autoAnswerDailyCap,
    autoAnswersToday: autoToday,
    autoAnswerTenantDailyCap: ctx.settings.autoAnswerTenantDailyCap,
    tenantAutoAnswersToday: tenantAutoToday,
    isHumanControlled: journey.isHumanControlled,
    answerBlock: route.ok ? null : route.block,
    providerAutomatic: m.automatic,
    warmedByThisReply,
    hasDraft: draft !== null,
  });

  // The analysis, where the reply is shown (the message) and on the lead (the journey).
  const analysis = {
    engine: u.engine,
    version: u.version,
    ...(u.model ? { model: u.model } : {}),
    intent: u.intent,
    score: u.score,
    confidence: u.confidence,
    reason: u.reason,
    optOut: u.optOut,
    complaint: u.complaint,
    keywordTriggers: u.keywordTriggers,
    laterUntil: u.laterUntil,
    suggestedContact: u.suggestedContact,
    language: u.language,
    cues: u.cues,
    ...(u.fallback ? { fallback: u.fallback } : {}),
    ...(u.guardrail ? { guardrail: u.guardrail } : {}),
    route: decision.route,
    rule: decision.rule,
    priority: decision.priority,
    reviewReason: decision.reason,
    whyParts: [decision.whyPart],
    why: decision.why,
    plan: { sendAutomatically: plan.sendAutomatically, hold: plan.hold, returnToSequence: plan.returnToSequence, postponeUntil: plan.postponeUntil },
    draft: draft ? { source: draft.source, ...(draft.fallback ? { fallback: draft.fallback } : {}) } : null,
    analysedAt: now.toISOString(),
    ...(input.jobId ? { jobId: input.jobId } : {}),
  };
  await tx.goldCommunicationLog.update({ where: { id: m.id }, data: { sentimentScore: u.score, intent: u.intent, analysis: analysis as Prisma.InputJsonValue } });
  await tx.goldLeadJourney.update({ where: { id: m.journeyId }, data: { sentimentScore: u.score, lastIntent: u.intent }, select: { id: true } });

  if (plan.optOut) {
    await optOutLead(tx, {
      tenantId,
      lead: { journeyId: m.journeyId },
      reason: plan.complaint ? `Reclamație în răspunsul pe ${CHANNEL_RO[m.channel]}` : `A cerut să nu mai fie contactat (${CHANNEL_RO[m.channel]})`,
      source: plan.complaint ? "reply:complaint" : "reply:opt_out",
      actor: ACTOR,
      now,
    });
  }

  if (plan.returnToSequence) {
    const r = plan.returnToSequence;
    const notBefore = r.notBefore ? dayBounds(ctx.settings.timeZone, r.notBefore).start : null;
    const reason =
      r.because === "LATER"
        ? `Lead-ul a cerut să revenim${r.notBefore ? ` pe ${romanianDate(r.notBefore)}` : ""}: „${snippet(m.text)}”`
        : r.notBefore ? `Răspuns automat (absent până pe ${romanianDate(r.notBefore)}): secvența continuă după întoarcere` : "Răspuns automat: secvența continuă";
    await backToSequence(tx, { tenantId, journeyId: m.journeyId, actor: ACTOR, reason, notBefore, now, metadata: { replyMessageId: m.id, intent: u.intent } });
  } else if (plan.postponeUntil) {
    const until = dayBounds(ctx.settings.timeZone, plan.postponeUntil).start;
    await postponeForOutOfOffice(tx, m.journeyId, until, { calendar: ctx.settings.calendar, reason: `Răspuns automat (absent până pe ${romanianDate(plan.postponeUntil)})` });
  }

  let suggestionId: string | null = null;
  if (plan.suggestContact && u.suggestedContact) {
    const c = u.suggestedContact;
    await tx.contactSuggestion.createMany({
      data: [{ tenantId, journeyId: m.journeyId, leadId: m.leadId, messageId: m.id, name: c.name ?? null, role: c.role ?? null, phone: c.phone ?? null, email: c.email ?? null, createdAt: now }],
      skipDuplicates: true,
    });
    suggestionId = (await tx.contactSuggestion.findFirst({ where: { messageId: m.id }, select: { id: true } }))?.id ?? null;
  }

  let answerId: string | null = null;
  let answerSent = false;
  if (draft && route.ok && !plan.optOut) {
    ({ id: answerId } = await createAnswer(tx, {
      tenantId,
      journeyId: m.journeyId,
      leadId: m.leadId,
      inboundMessageId: m.id,
      idempotencyKey: `ai:${m.id}`,
      route,
      subject: draft.subject,
      body: draft.body,
      source: draft.source,
      intent: u.intent,
      createdBy: null,
      now,
    }));
    if (plan.sendAutomatically) {
      const released = await releaseAnswer(tx, deps.queue, { tenantId, answerId, mode: "AUTO", actor: ACTOR, now });
      answerSent = released.released;
    }
  }

  let reviewId: string | null = null;
  if (plan.review) {
    const opened = await openReview(tx, deps.queue, {
      tenantId,
      journeyId: m.journeyId,
      leadId: m.leadId,
      kind: plan.review.kind === "APPROVAL" && !answerId ? "TRIAGE" : plan.review.kind,
      reason: plan.review.kind === "APPROVAL" && !answerId ? (plan.review.reason ?? "MANUAL_FLAG") : plan.review.reason,
      priority: plan.review.priority,
      triggerMessageId: m.id,
      analysis: { score: u.score, intent: u.intent, details: { ...analysis, whyParts: plan.review.whyParts, why: plan.review.why } },
      answerId,
      draftedAnswer: draft?.body ?? null,
      now,
      settings: ctx.settings,
      leadName: ctx.lead.company,
    });
    reviewId = opened.reviewId;
    // A lead a person holds: the item is theirs from the start.
    if (opened.created && journey.isHumanControlled && journey.assignedToUser) {
      await tx.humanReviewQueue.update({ where: { id: reviewId }, data: { assignedToUser: journey.assignedToUser, assignedAt: now, status: "ASSIGNED" } });
      await notify(tx, {
        tenantId,
        userIds: [journey.assignedToUser],
        kind: "review.assigned",
        params: { lead: ctx.lead.company, priority: plan.review.priority },
        link: `/outreach/review?item=${reviewId}`,
        reviewId,
        dedupeKey: `review.assigned:${reviewId}:${journey.assignedToUser}`,
        at: now,
      });
    }
  }
  return { outcome: "handled", messageId: m.id, intent: u.intent, score: u.score, route: decision.route, plan, reviewId, answerId, answerSent, suggestionId };
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, " ").trim();
  return t.length > 80 ? `${t.slice(0, 77)}…` : t;
}
