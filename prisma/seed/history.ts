/**
 * The demo tenants' past, produced by running the product's own rules over simulated time instead of
 * writing plausible-looking rows (issue 13 item 5: every seeded record must be something the running
 * system could have produced).
 *
 * What runs, in time order on one timeline that stops at the seed's "now":
 * - imports: leads arrive in batches before the window opens (gold_companies.created_at); a manager
 *   enrolls the large farms without WhatsApp in the email sequence (enrollLeads' rules);
 * - dispatch every 5 minutes while the sending window is open (server/quota/window.ts calendar,
 *   Romanian holidays included): at most `dispatchBatchSize` due leads per run, oldest due first and
 *   never-scheduled COLD leads last; eligibility, enrolment in the default sequence, the step's channel
 *   through the real selectChannel / channelForStep (fallback templates included), sticky phones,
 *   new leads to the ACTIVE phone with most quota left, at most 20 queued sends per phone; leads with
 *   no usable channel are parked 24 h, leads whose phone is not ACTIVE wait an hour;
 * - each phone sends its queue one message at a time, follow-ups first, spaced by the send path's own
 *   spacingMs (30 s + a hash-derived part up to 120 s), only inside the window, at most `dailyQuota`
 *   new contacts per Bucharest day; the template is rendered with the real A/B choice and spintax;
 *   the send is finalised as finalizeSent does (COLD → CONTACTED_WA, enrollment advanced with
 *   nextStepFor, quota history);
 * - email steps: Instantly (cold) sends minutes after the lead is added, inside the window; Resend
 *   (warm) at once; bounces, opens, clicks, unsubscribes and complaints as the webhook path applies
 *   them;
 * - outcomes drawn at send time like the simulators do: delivery seconds later, reads, replies after
 *   the read; a reply logs the inbound row, marks the message REPLIED, stops the sequence and moves
 *   the lead to WARM_REPLY (moveToWarmReply); the reply analysis (the reply worker to come) scores it
 *   and opens a review item with its SLA (positive → approval of a drafted answer, neutral → MEDIUM,
 *   negative or opt-out → URGENT; an opt-out also adds the lead to the do-not-contact list);
 * - people: reps pick review items up and resolve them (some after the SLA: the breach job marks
 *   them at the due time), then move leads on (NEGOTIATION, CONVERTED, DEAD, PAUSED) through the
 *   transition table, with an audit row, as the leads router does.
 * A fact whose time is after "now" is simply not there yet: a lead dispatched but not sent by then is
 * left due, a message not read yet stays DELIVERED, a review not resolved yet is open.
 */
import type { CurrentState, ReviewPriority, ReviewReason } from "../../server/generated/prisma/enums";
import { checkTransition } from "../../server/lead-state/transitions";
import { channelForStep, selectChannel, type ChannelSelection } from "../../server/pipeline/rules/channel";
import { contentHash, sendIdempotencyKey } from "../../server/pipeline/rules/ids.server";
import { spacingMs } from "../../server/pipeline/rules/pacing.server";
import type { ChannelName, DncMatch, LeadContact, SendChannel } from "../../server/pipeline/rules/types";
import type { SendingCalendar } from "../../server/quota/window";
import { nextStepFor, type StepTiming } from "../../server/sequences/definition";
import { chooseVersion, renderTemplate } from "../../server/templates/render.server";
import { leadVariableValues, variantSeed, type TemplateVariable } from "../../server/templates/template";
import { routeReply } from "../../server/replies/understanding/routing";
import { understandReply } from "../../server/replies/understanding/builtin-engine";
import type { ReplyChannel } from "../../server/replies/understanding/types";
import { holdWhy } from "../../server/replies/plan";
import { whyTextRo } from "../../server/replies/why";
import { REPLIES } from "./content";
import type { CompanyFactoryRow } from "./factories";
import type { Rng } from "./random";
import { CalendarIndex } from "./calendar-index";
import { KeyedQueue, Timeline } from "./timeline";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const SLOT = 5 * MINUTE;

// The pipeline's own constants (server/pipeline/dispatch.server.ts DEFAULT_DISPATCH_OPTIONS, wa-send waits).
const LEASE_MS = 2 * HOUR;
const MAX_PENDING_PER_PHONE = 20;
const STICKY_WAIT_MS = HOUR;
const PARK_MS = DAY;
const PHONE_INACTIVE_WAIT_MS = HOUR;

export type Priority = ReviewPriority;
export type ReplyKind = keyof typeof REPLIES;
type State = CurrentState;
const DISPATCHABLE: ReadonlySet<State> = new Set(["COLD", "CONTACTED_WA", "CONTACTED_EMAIL"]);

// ─── Inputs ──────────────────────────────────────────────────────────────────────────────────────

export interface HistorySettings {
  tenantId: string;
  calendar: SendingCalendar;
  timeZone: string;
  /** The first moment of the simulated past. */
  start: number;
  dailyQuota: number;
  jitter: { jitterMinSeconds: number; jitterMaxSeconds: number };
  slaMinutes: Record<Priority, number>;
  sentimentThreshold: number;
  dispatchBatchSize: number;
  /** The seed's "now": nothing is dated after it. */
  now: number;
}

export interface SimPhone {
  id: string;
  number: string;
  reputation: number;
  /** When the phone stopped being ACTIVE (null: still ACTIVE); before that it was ACTIVE. */
  inactiveFrom: number | null;
  /** When it was connected; it never sent before. */
  activeFrom: number;
  // simulation state
  queue: Job[];
  /** New-contact sends among `queue` (they hold quota the allocation must not hand out twice). */
  pendingNew: number;
  wakeAt: number | null;
  lastSentAt: number | null;
  /** lastSentAt + the send path's spacing (server/pipeline/pacing.ts nextSendAllowedAt). */
  nextAllowedAt: number;
  sentTotal: number;
  usage: Map<string, { newContacts: number; followups: number; first: number; last: number }>;
}

export interface SimTemplate {
  id: string;
  channel: SendChannel;
  subject: string | null;
  variables: TemplateVariable[];
  versions: Array<{ id: string; versionNumber: number; weight: number; isActive: boolean; subject: string | null; content: string }>;
}

export interface SimStep extends StepTiming {
  fallback: { templateId: string; channel: SendChannel } | null;
}

export interface SimSequence {
  id: string;
  name: string;
  isDefault: boolean;
  steps: SimStep[];
}

export interface SimUser {
  id: string;
  role: "ADMIN" | "MANAGER" | "SALES_REP";
}

// ─── The simulated rows ──────────────────────────────────────────────────────────────────────────

export interface SimEnrollment {
  sequence: SimSequence;
  status: "ACTIVE" | "PAUSED" | "COMPLETED" | "STOPPED";
  currentStep: number;
  enrolledAt: number;
  lastStepAt: number | null;
  nextStepAt: number | null;
  pausedAt: number | null;
  stoppedAt: number | null;
  stoppedReason: string | null;
  completedAt: number | null;
}

export interface SimMessage {
  id: string;
  lead: SimLead;
  channel: SendChannel;
  direction: "OUTBOUND" | "INBOUND";
  status: "QUEUED" | "SENT" | "DELIVERED" | "READ" | "OPENED" | "CLICKED" | "REPLIED" | "BOUNCED" | "FAILED";
  externalId: string | null;
  chatId: number | null;
  recipient: string | null;
  subject: string | null;
  preview: string;
  hash: string;
  quotaCost: 0 | 1;
  phone: SimPhone | null;
  sequenceId: string | null;
  step: number | null;
  templateId: string | null;
  versionId: string | null;
  idempotencyKey: string;
  instantlyCampaignId: string | null;
  instantlyLeadId: string | null;
  resendEmailId: string | null;
  sentimentScore: number | null;
  intent: string | null;
  analysis: Record<string, unknown> | null;
  errorCode: string | null;
  metadata: Record<string, unknown>;
  createdAt: number;
  sentAt: number | null;
  deliveredAt: number | null;
  readAt: number | null;
  openedAt: number | null;
  clickedAt: number | null;
  repliedAt: number | null;
  bouncedAt: number | null;
  failedAt: number | null;
}

export interface SimHistoryRow {
  lead: SimLead;
  from: State | null;
  to: State;
  actorType: "USER" | "JOB" | "SYSTEM" | "WEBHOOK";
  actorId: string | null;
  reason: string;
  metadata: Record<string, unknown>;
  at: number;
}

export interface SimReview {
  lead: SimLead;
  kind: "TRIAGE" | "APPROVAL";
  reason: ReviewReason | null;
  priority: Priority;
  status: "PENDING" | "ASSIGNED" | "IN_PROGRESS" | "RESOLVED";
  assignedTo: string | null;
  assignedAt: number | null;
  slaDueAt: number;
  slaBreachedAt: number | null;
  trigger: SimMessage;
  /** The reply's analysis with the item's own why (the route's, then why the answer is held). */
  analysis: Record<string, unknown>;
  score: number;
  intent: string;
  draftedAnswer: string | null;
  resolution: "TAKEN_OVER" | "REPLIED_MANUALLY" | "NO_ACTION" | null;
  resolutionNote: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
  createdAt: number;
}

export interface SimDnc {
  type: "PHONE" | "EMAIL" | "DOMAIN";
  value: string;
  reason: string;
  source: string;
  createdBy: string | null;
  at: number;
}

export interface SimAudit {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  at: number;
}

export interface SimCampaign {
  instantlyCampaignId: string;
  name: string;
  sequenceId: string;
  stepNumber: number;
  createdAt: number;
}

export interface SimLead {
  index: number;
  companyId: string;
  journeyId: string;
  company: CompanyFactoryRow;
  importedAt: number;
  /** gold_companies.source: the Gold-stage run that delivered the lead (server/leads/provenance.ts). */
  source: string;
  contact: LeadContact;
  dnc: DncMatch;
  /** A manager puts this lead in this sequence right after the import (before dispatch sees it). */
  managerSequence: SimSequence | null;

  state: State;
  previousState: State | null;
  stateChangedAt: number;
  stateChangeReason: string | null;
  phone: SimPhone | null;
  assignedAt: number | null;
  isNewContact: boolean;
  firstContactAt: number | null;
  firstContactChannel: SendChannel | null;
  lastContactAt: number | null;
  lastChannelUsed: SendChannel | null;
  quotaDate: string | null;
  whatsappOptedOut: boolean;
  emailOptedOut: boolean;
  sequencePaused: boolean;
  humanControlled: boolean;
  review: SimReview | null;
  owner: string | null;
  nextActionAt: number | null;
  nextActionReason: string | null;
  lastDispatchAt: number | null;
  lastDispatchOutcome: Record<string, unknown> | null;
  sentiment: number;
  engagement: number;
  replyCount: number;
  openCount: number;
  clickCount: number;
  lastReplyAt: number | null;
  lastOpenAt: number | null;
  convertedAt: number | null;
  enrollments: SimEnrollment[];
  /** The journey's mirror of its open enrollment (current_sequence_id, sequence_step, sequence_started_at). */
  currentSequenceId: string | null;
  sequenceStep: number;
  sequenceStartedAt: number | null;
  chatId: number | null;
  /** A send job of this lead is queued (dispatch's lease holds the lead). */
  inFlight: boolean;
  /** Bumped whenever the lead's due time changes: older entries in the due queue are stale. */
  dueVersion: number;
}

interface Job {
  lead: SimLead;
  enrollment: SimEnrollment;
  /** Enrolled by this dispatch run (written with the send, like the run's own transaction). */
  enrolledNow: boolean;
  step: SimStep;
  templateId: string;
  fallback: boolean;
  slot: number;
  readyAt: number;
  newContact: boolean;
  followUp: boolean;
  jobId: string;
}

export interface HistoryWorld {
  settings: HistorySettings;
  rng: Rng;
  uuid: () => string;
  phones: SimPhone[];
  sequences: SimSequence[];
  templates: Map<string, SimTemplate>;
  users: SimUser[];
}

export interface HistoryResult {
  messages: SimMessage[];
  history: SimHistoryRow[];
  reviews: SimReview[];
  dnc: SimDnc[];
  audit: SimAudit[];
  campaigns: SimCampaign[];
}

// ─── Rates (what farmers do; drawn per message like the simulators draw them) ────────────────────

const RATES = {
  waDelivered: 0.975,
  waFailed: 0.01,
  waRead: 0.72,
  waReplyByStep: [0.13, 0.08, 0.05] as const,
  coldBounce: 0.028,
  coldOpen: 0.38,
  coldClick: 0.12,
  coldReply: 0.035,
  coldUnsubscribe: 0.006,
  warmBounce: 0.012,
  warmOpen: 0.55,
  warmClick: 0.15,
  warmReply: 0.05,
  warmComplaint: 0.003,
  replyMix: [
    ["positive", 34],
    ["question", 24],
    ["later", 16],
    ["negative", 18],
    ["optout", 8],
  ] as ReadonlyArray<readonly [ReplyKind, number]>,
  /** Leads a rep marks DEAD without a reply (the company closed, a wrong number found by phone). */
  deadWithoutReply: 0.006,
};

const DRAFTED_ANSWER = "Bună ziua! Vă mulțumim pentru răspuns. Un coleg vă sună astăzi cu detaliile ofertei pentru ferma dumneavoastră.";

// ─── The simulation ──────────────────────────────────────────────────────────────────────────────

export class PastSimulation {
  readonly result: HistoryResult = { messages: [], history: [], reviews: [], dnc: [], audit: [], campaigns: [] };
  private readonly timeline: Timeline;
  private readonly dated = new KeyedQueue<{ lead: SimLead; version: number }>();
  private readonly fresh: SimLead[] = [];
  private freshHead = 0;
  private readonly campaigns = new Map<string, SimCampaign>();
  private readonly reps: SimUser[];
  private readonly managers: SimUser[];
  private nextChat: number;
  /** The slot of the next dispatch run, and of the last one (one run per slot, as UNIQUE (tenant, slot) makes it). */
  private runAt: number | null = null;
  private lastRun = -Infinity;

  constructor(
    private readonly w: HistoryWorld,
    chatIdBase: number,
  ) {
    this.timeline = new Timeline(w.settings.now);
    // Indexed from before the first import to past the last step any enrollment can be due.
    this.cal = new CalendarIndex(w.settings.calendar, w.settings.timeZone, w.settings.start - 2 * DAY, w.settings.now + 60 * DAY);
    this.reps = w.users.filter((u) => u.role === "SALES_REP");
    this.managers = w.users.filter((u) => u.role === "MANAGER");
    this.nextChat = chatIdBase;
  }

  private readonly cal: CalendarIndex;

  private between(minMs: number, maxMs: number): number {
    return minMs + Math.floor(this.w.rng.next() * (maxMs - minMs + 1));
  }

  /** A moment people are at work: inside the window, `delayMs` or more after `from`. */
  private officeMoment(from: number, delayMs: number): number {
    const at = from + delayMs;
    const opening = this.cal.nextOpeningMs(at);
    return opening === at ? at : opening + this.between(0, 90 * MINUTE);
  }

  private iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

  // ─── Imports and manager enrolments ────────────────────────────────────────────────────────────

  /** Leads arrive at `importedAt` (in that order); they are COLD and never scheduled until dispatch. */
  addImport(leads: SimLead[]): void {
    for (const lead of leads) {
      this.timeline.at(lead.importedAt, () => {
        this.fresh.push(lead);
        this.ensureRun(lead.importedAt);
      });
      const sequence = lead.managerSequence;
      if (sequence) {
        // The manager's bulk enrolment, a few minutes after the import.
        this.timeline.at(lead.importedAt + this.between(5, 40) * MINUTE, (t) => this.managerEnroll(lead, sequence, t));
      }
    }
  }

  private managerEnroll(lead: SimLead, sequence: SimSequence, t: number): void {
    if (lead.state !== "COLD" || lead.inFlight || lead.enrollments.some((e) => e.status === "ACTIVE" || e.status === "PAUSED")) return;
    const first = nextStepFor({ currentStep: 0, enrolledAt: new Date(t), lastStepAt: null, steps: sequence.steps }, new Date(t), this.cal);
    const e: SimEnrollment = { sequence, status: "ACTIVE", currentStep: 0, enrolledAt: t, lastStepAt: null, nextStepAt: first?.at.getTime() ?? t, pausedAt: null, stoppedAt: null, stoppedReason: null, completedAt: null };
    lead.enrollments.push(e);
    lead.sequencePaused = false;
    lead.currentSequenceId = sequence.id;
    lead.sequenceStep = 0;
    lead.sequenceStartedAt = t;
    this.setDue(lead, e.nextStepAt!, first?.reason ?? "sequence enrolled");
    const manager = this.w.rng.pick(this.managers);
    this.result.audit.push({ actor: manager.id, action: "sequence.enroll_bulk", entityType: "outreach_sequence", entityId: sequence.id, before: null, after: { target: { leadIds: 1 }, counts: { ENROLLED: 1 } }, at: t });
  }

  // ─── Due leads and dispatch runs ───────────────────────────────────────────────────────────────

  private setDue(lead: SimLead, at: number | null, reason: string): void {
    lead.nextActionAt = at;
    lead.nextActionReason = reason;
    lead.dueVersion++;
    if (at !== null) {
      this.dated.push(at, { lead, version: lead.dueVersion });
      this.ensureRun(at);
    }
  }

  private clearDue(lead: SimLead, reason: string): void {
    this.setDue(lead, null, reason);
  }

  /**
   * The dispatch cron runs every 5 minutes; a run while the window is closed touches nothing, so only
   * the open slots at or after something becomes due are simulated.
   */
  private ensureRun(from: number): void {
    const slot = this.nextSlot(Math.max(from, this.timeline.now, this.lastRun + SLOT));
    if (this.runAt !== null && this.runAt <= slot) return;
    this.runAt = slot;
    this.timeline.at(slot, (t) => {
      if (this.runAt !== t) return;
      this.runAt = null;
      this.lastRun = t;
      this.dispatchRun(t);
    });
  }

  private nextSlot(t: number): number {
    const slot = Math.ceil(t / SLOT) * SLOT;
    // Openings fall on the hour, so the next opening of a slot boundary is a slot boundary.
    return this.cal.nextOpeningMs(slot);
  }

  private dispatchRun(slot: number): void {
    const held: SimLead[] = [];
    let taken = 0;
    this.noPhoneForNew = false;
    while (taken < this.w.settings.dispatchBatchSize) {
      const key = this.dated.peekKey();
      let lead: SimLead | undefined;
      if (key !== undefined && key <= slot) {
        const entry = this.dated.pop()!;
        if (entry.version !== entry.lead.dueVersion || entry.lead.inFlight) continue;
        lead = entry.lead;
      } else if (this.freshHead < this.fresh.length) {
        lead = this.fresh[this.freshHead++]!;
        // Scheduled meanwhile (a manager's enrolment): its dated entry decides.
        if (lead.nextActionAt !== null || lead.inFlight || lead.state !== "COLD") continue;
      } else break;
      if (!this.selectable(lead)) continue;
      taken++;
      if (!this.dispatch(lead, slot)) held.push(lead);
    }
    // Left due (no phone could take them this run): the next run sees them again, first.
    for (const lead of held.reverse()) {
      if (lead.nextActionAt === null) this.fresh[--this.freshHead] = lead;
      else this.dated.push(lead.nextActionAt, { lead, version: lead.dueVersion });
    }
    if (this.freshHead < this.fresh.length) this.ensureRun(slot + SLOT);
    const next = this.dated.peekKey();
    if (next !== undefined) this.ensureRun(Math.max(next, slot + SLOT));
  }

  /** Set in a run once no phone can take a new lead: the rest of the run's new leads stay due. */
  private noPhoneForNew = false;

  /** selectDueJourneys' SQL filter. */
  private selectable(l: SimLead): boolean {
    return DISPATCHABLE.has(l.state) && !l.review && !l.sequencePaused && !l.humanControlled && !(l.whatsappOptedOut && l.emailOptedOut);
  }

  private outcome(stage: "dispatch" | "send", at: number, result: string, summary: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { v: 1, stage, at: new Date(at).toISOString(), result, summary, ...extra };
  }

  private journeyFacts(l: SimLead) {
    return {
      state: l.state,
      whatsappOptedOut: l.whatsappOptedOut,
      emailOptedOut: l.emailOptedOut,
      lastChannelUsed: l.lastChannelUsed,
      preferredChannel: null,
    };
  }

  private select(l: SimLead, requested: ChannelName | null): ChannelSelection {
    return selectChannel({ journey: this.journeyFacts(l), contact: l.contact, dnc: l.dnc, requested });
  }

  /** One lead of a run. Returns false when the lead stays due untouched (no phone could take it). */
  private dispatch(lead: SimLead, slot: number): boolean {
    const at = slot + this.between(500, 4000);
    const runSlot = new Date(slot).toISOString();
    const decide = (result: string, summary: string, next: number | null | undefined, reason: string, extra: Record<string, unknown> = {}) => {
      lead.lastDispatchAt = at;
      lead.lastDispatchOutcome = this.outcome("dispatch", at, result, summary, { runSlot, ...extra, ...(next !== undefined ? { nextActionAt: this.iso(next) } : {}) });
      if (next !== undefined) this.setDue(lead, next, reason);
    };
    const park = () => (lead.state === "COLD" ? at + PARK_MS : null);

    const any = this.select(lead, null);
    if (!any.selected) {
      decide("SKIPPED_NO_CHANNEL", "no usable channel", park(), "no usable channel", { eligible: true });
      return true;
    }
    // The sequences domain: the lead's ACTIVE enrollment, or the default sequence for a COLD lead.
    let enrollment = lead.enrollments.find((e) => e.status === "ACTIVE") ?? null;
    let enrolledNow = false;
    if (!enrollment && lead.state === "COLD") {
      const sequence = this.w.sequences.find((s) => s.isDefault)!;
      const prior = lead.enrollments.find((e) => e.sequence === sequence);
      enrollment = prior ?? { sequence, status: "ACTIVE", currentStep: 0, enrolledAt: at, lastStepAt: null, nextStepAt: at, pausedAt: null, stoppedAt: null, stoppedReason: null, completedAt: null };
      enrolledNow = true;
    }
    const step = enrollment ? enrollment.sequence.steps.find((s) => s.stepNumber === enrollment!.currentStep + 1) : undefined;
    if (!enrollment || !step) {
      this.commitEnrollment(lead, enrollment, enrolledNow, at);
      decide("NO_SEQUENCE_STEP", "no sequence step left to send", park(), "no sequence step to send", { eligible: true, sequence: null });
      return true;
    }
    const selection = this.select(lead, step.channel);
    const send = channelForStep(selection, { stepNumber: step.stepNumber, channel: step.channel, templateId: step.templateId, fallback: step.fallback });
    const sequence = { sequenceId: enrollment.sequence.id, stepNumber: step.stepNumber };
    const channelInfo = { selected: selection.selected, fallback: selection.fallback, scores: selection.reasoning.preferenceScore, reasons: selection.reasons };
    if (send.kind === "UNUSABLE") {
      this.commitEnrollment(lead, enrollment, enrolledNow, at);
      decide("SKIPPED_NO_CHANNEL", send.why, park(), send.why, { eligible: true, channel: channelInfo, sequence });
      return true;
    }
    const jobId = this.w.uuid();
    const followUp = !lead.isNewContact || step.stepNumber > 1;
    if (send.channel !== "WHATSAPP") {
      lead.inFlight = true;
      const job: Job = { lead, enrollment, enrolledNow, step, templateId: send.templateId, fallback: send.fallback, slot, readyAt: at + this.between(1000, 15_000), newContact: false, followUp, jobId };
      this.timeline.at(job.readyAt, (t) => this.sendEmail(job, send.channel as "EMAIL_COLD" | "EMAIL_WARM", t));
      return true;
    }
    // Phones: sticky for a contacted lead; a new lead to the ACTIVE phone with most quota left.
    const day = this.cal.localDate(at);
    const active = (p: SimPhone) => p.activeFrom <= at && (p.inactiveFrom === null || p.inactiveFrom > at);
    let phone: SimPhone | null = null;
    if (!lead.isNewContact && lead.phone) {
      if (!active(lead.phone)) {
        this.commitEnrollment(lead, enrollment, enrolledNow, at);
        decide("WAITING_FOR_STICKY_PHONE", "the lead's phone is not ACTIVE; the lead waits for it", at + STICKY_WAIT_MS, "waiting for the lead's phone to be ACTIVE", {
          eligible: true,
          channel: channelInfo,
          sequence,
          phone: { phoneId: lead.phone.id, kind: "NONE", reason: "phone not ACTIVE", code: "STICKY_PHONE_NOT_ACTIVE" },
        });
        return true;
      }
      phone = lead.phone;
    } else {
      if (this.noPhoneForNew) return false;
      const remaining = (p: SimPhone) => this.w.settings.dailyQuota - (p.usage.get(day)?.newContacts ?? 0) - p.pendingNew;
      const candidates = this.w.phones.filter(active);
      const withQuota = candidates.filter((p) => remaining(p) > 0);
      if (candidates.length > 0 && withQuota.length === 0) {
        const nextDay = this.cal.nextDayOpeningMs(at);
        this.commitEnrollment(lead, enrollment, enrolledNow, at);
        decide("SKIPPED_QUOTA_EXCEEDED", "every ACTIVE phone has used its new-contact quota today", nextDay, "new-contact quota of every phone used today", { eligible: true, channel: channelInfo, sequence });
        return true;
      }
      const open = withQuota.filter((p) => p.queue.length < MAX_PENDING_PER_PHONE);
      open.sort((a, b) => remaining(b) - remaining(a) || a.queue.length - b.queue.length || b.reputation - a.reputation || (a.id < b.id ? -1 : 1));
      phone = open[0] ?? null;
      if (!phone) {
        this.noPhoneForNew = true;
        return false;
      }
    }
    lead.inFlight = true;
    const job: Job = { lead, enrollment, enrolledNow, step, templateId: send.templateId, fallback: send.fallback, slot, readyAt: at + this.between(500, 5000), newContact: lead.isNewContact, followUp, jobId };
    phone.queue.push(job);
    if (job.newContact) phone.pendingNew++;
    this.wakePhone(phone, job.readyAt);
    return true;
  }

  /** An enrolment made by a run is written with the run's decisions (one transaction). */
  private commitEnrollment(lead: SimLead, e: SimEnrollment | null, enrolledNow: boolean, at: number): void {
    if (!e || !enrolledNow || (lead.enrollments.includes(e) && e.status === "ACTIVE")) return;
    if (!lead.enrollments.includes(e)) lead.enrollments.push(e);
    e.status = "ACTIVE";
    e.enrolledAt = at;
    e.currentStep = 0;
    e.lastStepAt = null;
    e.nextStepAt = nextStepFor({ currentStep: 0, enrolledAt: new Date(at), lastStepAt: null, steps: e.sequence.steps }, new Date(at), this.cal)?.at.getTime() ?? at;
    lead.currentSequenceId = e.sequence.id;
    lead.sequenceStep = 0;
    lead.sequenceStartedAt = at;
  }

  // ─── WhatsApp: one phone, one message at a time ────────────────────────────────────────────────

  private wakePhone(phone: SimPhone, at: number): void {
    const allowed = Math.max(at, phone.nextAllowedAt);
    if (phone.wakeAt !== null && phone.wakeAt <= allowed) return;
    phone.wakeAt = allowed;
    this.timeline.at(allowed, (t) => {
      if (phone.wakeAt === t) this.phoneTurn(phone, t);
    });
  }

  private phoneTurn(phone: SimPhone, t: number): void {
    phone.wakeAt = null;
    if (phone.queue.length === 0) return;
    if (t < phone.nextAllowedAt) return this.wakePhone(phone, phone.nextAllowedAt);
    if (phone.inactiveFrom !== null && phone.inactiveFrom <= t) {
      // The quota guardian refuses every send of a phone that is not ACTIVE.
      phone.pendingNew = 0;
      for (const job of phone.queue.splice(0)) {
        const lead = job.lead;
        lead.inFlight = false;
        if (!this.selectable(lead)) continue;
        this.commitEnrollment(lead, job.enrollment, job.enrolledNow, job.slot);
        lead.lastDispatchAt = t;
        if (job.newContact) {
          lead.lastDispatchOutcome = this.outcome("send", t, "REFUSED_PHONE_NOT_ACTIVE", "quota guardian refused: PHONE_NOT_ACTIVE", { sequence: { sequenceId: job.enrollment.sequence.id, stepNumber: job.step.stepNumber } });
          this.setDue(lead, t, "phone refused (PHONE_NOT_ACTIVE); to be moved to another phone");
        } else {
          lead.lastDispatchOutcome = this.outcome("send", t, "REFUSED_PHONE_NOT_ACTIVE", "quota guardian refused: PHONE_NOT_ACTIVE", { sequence: { sequenceId: job.enrollment.sequence.id, stepNumber: job.step.stepNumber } });
          this.setDue(lead, t + PHONE_INACTIVE_WAIT_MS, "waiting for the lead's phone (PHONE_NOT_ACTIVE)");
        }
      }
      return;
    }
    if (!this.cal.isOpen(t)) return this.wakePhone(phone, this.cal.nextOpeningMs(t));
    const day = this.cal.localDate(t);
    const ready = phone.queue.filter((j) => j.readyAt <= t);
    if (ready.length === 0) return this.wakePhone(phone, Math.min(...phone.queue.map((j) => j.readyAt)));
    // Follow-ups first (the payload's followUp flag), then in the order queued.
    ready.sort((a, b) => Number(b.followUp) - Number(a.followUp) || a.readyAt - b.readyAt);
    const used = phone.usage.get(day)?.newContacts ?? 0;
    const job = ready.find((j) => !j.newContact || used < this.w.settings.dailyQuota);
    if (!job) {
      // Quota spent for today: the new contacts wait for tomorrow's opening.
      const nextDay = this.cal.nextDayOpeningMs(t);
      for (const j of ready) j.readyAt = nextDay;
      return this.wakePhone(phone, nextDay);
    }
    phone.queue.splice(phone.queue.indexOf(job), 1);
    if (job.newContact) phone.pendingNew--;
    this.sendWhatsApp(phone, job, t, day);
    if (phone.queue.length > 0) this.wakePhone(phone, Math.min(...phone.queue.map((j) => j.readyAt)));
  }

  /**
   * The send path's run-time re-check (staleReason): a lead that replied, opted out or bounced since
   * dispatch is not sent to. One still in outreach is due again when the dispatch lease ends.
   */
  private stale(job: Job, channel: SendChannel, t: number): boolean {
    const lead = job.lead;
    const usable =
      channel === "WHATSAPP"
        ? !lead.whatsappOptedOut && !lead.dnc.phone
        : !lead.emailOptedOut && !lead.dnc.email && !lead.dnc.domain && lead.contact.emailStatus === "VALID";
    if (this.selectable(lead) && usable) return false;
    if (this.selectable(lead)) {
      this.commitEnrollment(lead, job.enrollment, job.enrolledNow, job.slot);
      lead.lastDispatchAt = t;
      lead.lastDispatchOutcome = this.outcome("send", t, "NO_LONGER_ELIGIBLE", channel === "WHATSAPP" ? "lead opted out of WhatsApp" : "lead's email is no longer usable", {
        sequence: { sequenceId: job.enrollment.sequence.id, stepNumber: job.step.stepNumber },
      });
      this.setDue(lead, job.slot + LEASE_MS, channel === "WHATSAPP" ? "WhatsApp send queued" : `${channel} send queued`);
    }
    return true;
  }

  private render(lead: SimLead, templateId: string) {
    const t = this.w.templates.get(templateId)!;
    const version = chooseVersion(t.versions, lead.companyId, t.id)!;
    const rendered = renderTemplate({
      channel: t.channel,
      subject: version.subject ?? t.subject,
      content: version.content,
      variables: t.variables,
      values: leadVariableValues({ denumire: lead.company.denumire, contactPrincipalNume: lead.company.contactPrincipalNume, judet: lead.company.judet, localitate: lead.company.localitate }),
      seed: variantSeed(lead.companyId, version.id),
    });
    return { text: rendered.text, subject: rendered.subject, versionId: version.id };
  }

  private sendWhatsApp(phone: SimPhone, job: Job, t: number, day: string): void {
    const lead = job.lead;
    lead.inFlight = false;
    if (this.stale(job, "WHATSAPP", t)) return;
    this.commitEnrollment(lead, job.enrollment, job.enrolledNow, job.slot);
    if (job.newContact) lead.assignedAt = job.slot;
    const r = this.render(lead, job.templateId);
    const recipient = `+${lead.company.telefonPrincipal!.replace(/\D/g, "")}`;
    lead.chatId ??= this.nextChat++;
    const cost: 0 | 1 = job.newContact ? 1 : 0;
    const m: SimMessage = {
      ...this.blankMessage(lead, "WHATSAPP", "OUTBOUND"),
      status: "SENT",
      externalId: this.w.uuid(),
      chatId: lead.chatId,
      recipient,
      preview: r.text.slice(0, 500),
      hash: contentHash(r.text),
      quotaCost: cost,
      phone,
      sequenceId: job.enrollment.sequence.id,
      step: job.step.stepNumber,
      templateId: job.templateId,
      versionId: r.versionId,
      idempotencyKey: sendIdempotencyKey(lead.journeyId, job.step.stepNumber, "WHATSAPP"),
      metadata: { usageDate: day, jobId: job.jobId, attemptAt: null, reconciled: false },
      // The intent is written just before TimelinesAI is called, the finalisation just after.
      createdAt: t - this.between(150, 1200),
      sentAt: t,
    };
    this.result.messages.push(m);

    // finalizeSent: phone, quota history, journey, state, enrollment.
    phone.lastSentAt = t;
    // The send path's spacing: derived from the phone and its last send (server/pipeline/pacing.ts).
    phone.nextAllowedAt = t + spacingMs(phone.id, new Date(t), this.w.settings.jitter);
    phone.sentTotal++;
    const u = phone.usage.get(day) ?? { newContacts: 0, followups: 0, first: t, last: t };
    if (cost === 1) u.newContacts++;
    else u.followups++;
    u.first = Math.min(u.first, t);
    u.last = Math.max(u.last, t);
    phone.usage.set(day, u);
    lead.phone = phone;
    if (lead.isNewContact) {
      lead.firstContactAt = t;
      lead.firstContactChannel = "WHATSAPP";
      lead.quotaDate = day;
    }
    lead.isNewContact = false;
    lead.lastChannelUsed = "WHATSAPP";
    lead.lastContactAt = t;
    if (lead.state === "COLD") this.transition(lead, "CONTACTED_WA", { type: "JOB", id: `wa.send:${job.jobId}` }, "Primul mesaj WhatsApp trimis", t, { messageUid: m.externalId, phoneId: phone.id, sequenceStep: job.step.stepNumber });
    const next = this.advance(lead, job.enrollment, job.step.stepNumber, t);
    lead.lastDispatchAt = t;
    lead.lastDispatchOutcome = this.outcome("send", t, "SENT", "sent", {
      runSlot: new Date(job.slot).toISOString(),
      sequence: { sequenceId: job.enrollment.sequence.id, stepNumber: job.step.stepNumber },
      phone: { phoneId: phone.id, kind: "STICKY", reason: "sent from the lead's phone" },
      quota: { allowed: true, cost },
      template: { templateId: job.templateId, templateVersionId: r.versionId },
      nextActionAt: this.iso(next),
    });
    this.setDue(lead, next, next === null ? "sequence finished" : `sequence step ${job.step.stepNumber + 1}`);
    this.waOutcomes(lead, m, job.step.stepNumber);
  }

  /** advanceAfterSend / finalizeSent's enrollment part: the next step by nextStepFor, or COMPLETED. */
  private advance(lead: SimLead, e: SimEnrollment, stepNumber: number, t: number): number | null {
    lead.sequenceStep = stepNumber;
    if (e.status !== "ACTIVE" || e.currentStep !== stepNumber - 1) return e.status === "ACTIVE" ? e.nextStepAt : null;
    lead.currentSequenceId = e.sequence.id;
    const next = nextStepFor({ currentStep: stepNumber, enrolledAt: new Date(e.enrolledAt), lastStepAt: new Date(t), steps: e.sequence.steps }, new Date(t), this.cal);
    e.currentStep = stepNumber;
    e.lastStepAt = t;
    if (next) e.nextStepAt = next.at.getTime();
    else {
      e.nextStepAt = null;
      e.status = "COMPLETED";
      e.completedAt = t;
    }
    return e.nextStepAt;
  }

  private blankMessage(lead: SimLead, channel: SendChannel, direction: "OUTBOUND" | "INBOUND"): SimMessage {
    return {
      id: this.w.uuid(),
      lead,
      channel,
      direction,
      status: "QUEUED",
      externalId: null,
      chatId: null,
      recipient: null,
      subject: null,
      preview: "",
      hash: "",
      quotaCost: 0,
      phone: null,
      sequenceId: null,
      step: null,
      templateId: null,
      versionId: null,
      idempotencyKey: "",
      instantlyCampaignId: null,
      instantlyLeadId: null,
      resendEmailId: null,
      sentimentScore: null,
      intent: null,
      analysis: null,
      errorCode: null,
      metadata: {},
      createdAt: 0,
      sentAt: null,
      deliveredAt: null,
      readAt: null,
      openedAt: null,
      clickedAt: null,
      repliedAt: null,
      bouncedAt: null,
      failedAt: null,
    };
  }

  /** What happens to a WhatsApp message after it left, decided now (as the simulator decides). */
  private waOutcomes(lead: SimLead, m: SimMessage, step: number): void {
    const rng = this.w.rng;
    const sent = m.sentAt!;
    const roll = rng.next();
    if (roll < RATES.waFailed) {
      this.timeline.at(sent + this.between(5_000, 90_000), (t) => this.mark(m, "FAILED", t));
      return;
    }
    if (roll > RATES.waDelivered) return; // the phone is off: it stays SENT
    const delivered = sent + this.between(2_000, 120_000);
    this.timeline.at(delivered, (t) => this.mark(m, "DELIVERED", t));
    if (!rng.chance(RATES.waRead)) return;
    // Most reads within the hour, the rest spread over days.
    const read = delivered + (rng.chance(0.6) ? this.between(MINUTE, HOUR) : this.between(HOUR, 3 * DAY));
    this.timeline.at(read, (t) => this.mark(m, "READ", t));
    if (rng.chance(RATES.waReplyByStep[step - 1] ?? 0.04)) {
      const kind = rng.weighted(RATES.replyMix);
      this.timeline.at(read + this.between(MINUTE, 10 * HOUR), (t) => this.reply(lead, m, kind, t));
    }
  }

  /** The monotonic status rule (server/events/message-status.ts): forward only; failures end ≤ DELIVERED. */
  private mark(m: SimMessage, status: "DELIVERED" | "READ" | "OPENED" | "CLICKED" | "REPLIED" | "BOUNCED" | "FAILED", t: number): void {
    const rank: Record<string, number> = { QUEUED: 0, SENT: 1, DELIVERED: 2, READ: 3, OPENED: 3, CLICKED: 4, REPLIED: 5 };
    const column = ({ DELIVERED: "deliveredAt", READ: "readAt", OPENED: "openedAt", CLICKED: "clickedAt", REPLIED: "repliedAt", BOUNCED: "bouncedAt", FAILED: "failedAt" } as const)[status];
    if (m[column] === null) m[column] = t;
    if (m.status === "BOUNCED" || m.status === "FAILED") return;
    if (status === "BOUNCED" || status === "FAILED") {
      if (rank[m.status]! <= rank.DELIVERED!) {
        m.status = status;
        m.errorCode = status;
      }
      return;
    }
    if (rank[status]! > rank[m.status]!) m.status = status;
  }

  // ─── Email ─────────────────────────────────────────────────────────────────────────────────────

  private sendEmail(job: Job, channel: "EMAIL_COLD" | "EMAIL_WARM", t: number): void {
    const lead = job.lead;
    lead.inFlight = false;
    if (this.stale(job, channel, t)) return;
    this.commitEnrollment(lead, job.enrollment, job.enrolledNow, job.slot);
    const r = this.render(lead, job.templateId);
    const m: SimMessage = {
      ...this.blankMessage(lead, channel, "OUTBOUND"),
      recipient: lead.company.emailPrincipal,
      subject: r.subject,
      preview: r.text.slice(0, 500),
      hash: contentHash(`${r.subject}\n\n${r.text}`),
      sequenceId: job.enrollment.sequence.id,
      step: job.step.stepNumber,
      templateId: job.templateId,
      versionId: r.versionId,
      idempotencyKey: sendIdempotencyKey(lead.journeyId, job.step.stepNumber, channel),
      metadata: { jobId: job.jobId, attemptAt: null },
      createdAt: t - this.between(200, 1500),
    };
    this.result.messages.push(m);
    if (channel === "EMAIL_COLD") {
      // Instantly: the lead joins the step's campaign (created on first use); Instantly sends it
      // minutes later inside the campaign's schedule (the tenant's window) and says so by webhook.
      const campaign = this.campaign(job.enrollment.sequence, job.step.stepNumber, t);
      m.instantlyCampaignId = campaign.instantlyCampaignId;
      m.instantlyLeadId = this.w.uuid();
      m.metadata = { acceptedAt: new Date(t).toISOString(), attemptAt: null };
      const instantlySends = this.cal.nextOpeningMs(t + this.between(2, 25) * MINUTE) + this.between(0, 60_000);
      this.timeline.at(instantlySends, (at) => {
        m.status = "SENT";
        m.sentAt = at;
        m.externalId = this.w.uuid();
        this.coldOutcomes(lead, m);
      });
    } else {
      m.status = "SENT";
      m.sentAt = t;
      m.externalId = this.w.uuid();
      m.resendEmailId = m.externalId;
      this.warmOutcomes(lead, m);
    }
    if (lead.state === "COLD") {
      this.transition(lead, "CONTACTED_EMAIL", { type: "JOB", id: `${channel}:${job.jobId}` }, "Adăugat în campania de email", t, { providerId: m.instantlyLeadId ?? m.externalId, sequenceStep: job.step.stepNumber });
    }
    const next = this.advance(lead, job.enrollment, job.step.stepNumber, t);
    if (lead.isNewContact) {
      lead.firstContactAt = t;
      lead.firstContactChannel = channel;
    }
    lead.isNewContact = false;
    lead.lastChannelUsed = channel;
    lead.lastContactAt = t;
    lead.lastDispatchAt = t;
    lead.lastDispatchOutcome = this.outcome("send", t, "SENT", channel === "EMAIL_COLD" ? "added to the Instantly campaign" : "sent through Resend", {
      runSlot: new Date(job.slot).toISOString(),
      sequence: { sequenceId: job.enrollment.sequence.id, stepNumber: job.step.stepNumber },
      template: { templateId: job.templateId, templateVersionId: r.versionId },
      nextActionAt: this.iso(next),
    });
    this.setDue(lead, next, next === null ? "sequence finished" : `sequence step ${job.step.stepNumber + 1}`);
  }

  private campaign(sequence: SimSequence, stepNumber: number, t: number): SimCampaign {
    const key = `${sequence.id}:${stepNumber}`;
    let c = this.campaigns.get(key);
    if (!c) {
      c = { instantlyCampaignId: this.w.uuid(), name: `Cerniq · ${sequence.name} · pas ${stepNumber}`, sequenceId: sequence.id, stepNumber, createdAt: t };
      this.campaigns.set(key, c);
      this.result.campaigns.push(c);
    }
    return c;
  }

  private coldOutcomes(lead: SimLead, m: SimMessage): void {
    const rng = this.w.rng;
    const sent = m.sentAt!;
    if (rng.chance(RATES.coldBounce)) {
      this.timeline.at(sent + this.between(MINUTE, 40 * MINUTE), (t) => {
        this.mark(m, "BOUNCED", t);
        // A hard bounce: channel selection stops choosing the address (gold_companies.email_status).
        lead.contact.emailStatus = "BOUNCED";
      });
      return;
    }
    if (!rng.chance(RATES.coldOpen)) return;
    const opened = sent + (rng.chance(0.5) ? this.between(5 * MINUTE, 3 * HOUR) : this.between(3 * HOUR, 4 * DAY));
    this.timeline.at(opened, (t) => this.open(lead, m, t));
    if (rng.chance(RATES.coldClick)) this.timeline.at(opened + this.between(10_000, 10 * MINUTE), (t) => this.click(lead, m, t));
    if (rng.chance(RATES.coldUnsubscribe)) {
      this.timeline.at(opened + this.between(20_000, 20 * MINUTE), (t) => this.unsubscribe(lead, "EMAIL_COLD", false, t));
    } else if (rng.chance(RATES.coldReply / RATES.coldOpen)) {
      const kind = rng.weighted(RATES.replyMix);
      this.timeline.at(opened + this.between(2 * MINUTE, 20 * HOUR), (t) => this.reply(lead, m, kind, t));
    }
  }

  private warmOutcomes(lead: SimLead, m: SimMessage): void {
    const rng = this.w.rng;
    const sent = m.sentAt!;
    if (rng.chance(RATES.warmBounce)) {
      this.timeline.at(sent + this.between(5_000, 10 * MINUTE), (t) => {
        this.mark(m, "BOUNCED", t);
        lead.contact.emailStatus = "BOUNCED";
      });
      return;
    }
    const delivered = sent + this.between(1_000, 20_000);
    this.timeline.at(delivered, (t) => this.mark(m, "DELIVERED", t));
    if (!rng.chance(RATES.warmOpen)) return;
    const opened = delivered + (rng.chance(0.6) ? this.between(5 * MINUTE, 3 * HOUR) : this.between(3 * HOUR, 3 * DAY));
    this.timeline.at(opened, (t) => this.open(lead, m, t));
    if (rng.chance(RATES.warmClick)) this.timeline.at(opened + this.between(10_000, 10 * MINUTE), (t) => this.click(lead, m, t));
    if (rng.chance(RATES.warmComplaint)) {
      this.timeline.at(opened + this.between(MINUTE, HOUR), (t) => this.unsubscribe(lead, "EMAIL_WARM", true, t));
    } else if (rng.chance(RATES.warmReply / RATES.warmOpen)) {
      const kind = rng.weighted(RATES.replyMix);
      this.timeline.at(opened + this.between(2 * MINUTE, 20 * HOUR), (t) => this.reply(lead, m, kind, t));
    }
  }

  private open(lead: SimLead, m: SimMessage, t: number): void {
    const first = m.openedAt === null;
    this.mark(m, "OPENED", t);
    if (first) lead.openCount++;
    lead.lastOpenAt = Math.max(lead.lastOpenAt ?? 0, t);
  }

  private click(lead: SimLead, m: SimMessage, t: number): void {
    const first = m.clickedAt === null;
    this.mark(m, "CLICKED", t);
    if (first) lead.clickCount++;
  }

  /** applyOptOut: enrollments stopped, opted out of email (and WhatsApp on a complaint), address listed. */
  private unsubscribe(lead: SimLead, channel: "EMAIL_COLD" | "EMAIL_WARM", complaint: boolean, t: number): void {
    this.stopEnrollments(lead, `Lead-ul s-a dezabonat (${channel})`, t, () => true);
    lead.emailOptedOut = true;
    if (complaint) lead.whatsappOptedOut = true;
    const address = lead.company.emailPrincipal?.trim().toLowerCase();
    if (address) this.addDnc({ type: "EMAIL", value: address, reason: complaint ? "Plângere de spam raportată de furnizorul de email" : "Dezabonare prin link", source: complaint ? "webhook:complaint" : "webhook:unsubscribe", createdBy: null, at: t });
  }

  private readonly dncValues = new Set<string>();
  addDnc(entry: SimDnc): void {
    // UNIQUE (tenant, type, value): a second entry for the same value is skipped, as createMany does.
    const key = `${entry.type}:${entry.value}`;
    if (this.dncValues.has(key)) return;
    this.dncValues.add(key);
    this.result.dnc.push(entry);
  }

  // ─── Replies, their analysis, reviews and people ──────────────────────────────────────────────

  private stopEnrollments(lead: SimLead, reason: string, t: number, which: (e: SimEnrollment) => boolean): void {
    let stopped = false;
    for (const e of lead.enrollments) {
      if ((e.status === "ACTIVE" || e.status === "PAUSED") && which(e)) {
        e.status = "STOPPED";
        e.stoppedAt = t;
        e.stoppedReason = reason;
        e.nextStepAt = null;
        e.pausedAt = null;
        stopped = true;
      }
    }
    if (stopped) {
      this.clearDue(lead, `sequence stopped: ${reason}`);
      if (lead.state !== "PAUSED") lead.sequencePaused = false;
    }
  }

  private reply(lead: SimLead, answered: SimMessage, kind: ReplyKind, t: number): void {
    // Drawn per message, but a lead who has answered once does not start a second thread here.
    if (lead.replyCount > 0) return;
    const rng = this.w.rng;
    const channel = answered.channel;
    const text = rng.pick(REPLIES[kind]);
    const provider = channel === "WHATSAPP" ? "TIMELINESAI" : channel === "EMAIL_COLD" ? "INSTANTLY" : "RESEND";
    const externalId = this.w.uuid();
    const m: SimMessage = {
      ...this.blankMessage(lead, channel, "INBOUND"),
      status: "REPLIED",
      externalId,
      chatId: channel === "WHATSAPP" ? lead.chatId : null,
      recipient: channel === "WHATSAPP" ? (answered.phone?.number ?? null) : null,
      preview: text.slice(0, 500),
      hash: contentHash(text),
      phone: channel === "WHATSAPP" ? answered.phone : null,
      idempotencyKey: `${provider.toLowerCase()}:in:${externalId}`,
      instantlyCampaignId: channel === "EMAIL_COLD" ? answered.instantlyCampaignId : null,
      resendEmailId: channel === "EMAIL_WARM" ? externalId : null,
      metadata: { provider, automatic: false, source: { source: "webhook" } },
      createdAt: t,
      repliedAt: t,
    };
    this.result.messages.push(m);
    // The answered message becomes REPLIED (TimelinesAI names it in reply_to; email: its campaign's).
    this.mark(answered, "REPLIED", t);
    this.stopEnrollments(lead, `Lead-ul a răspuns (${channel})`, t, (e) => e.sequence.steps.find((s) => s.stepNumber === e.currentStep + 1)?.stopOnReply !== false);
    lead.replyCount++;
    lead.lastReplyAt = Math.max(lead.lastReplyAt ?? 0, t);
    if (checkTransition(lead.state, "WARM_REPLY", lead.previousState).kind === "allowed") {
      this.transition(lead, "WARM_REPLY", { type: "WEBHOOK", id: provider }, "Răspuns primit", t, { replyMessageId: m.id });
    }
    // The reply analysis (ai.sentiment) seconds later.
    this.timeline.at(t + this.between(3_000, 45_000), (at) => this.analysis(lead, m, kind, at));
  }

  private analysis(lead: SimLead, reply: SimMessage, kind: ReplyKind, t: number): void {
    // The product's own built-in engine and routing read the seeded reply, as the worker would
    // (server/replies/handle-reply.server.ts): no invented scores.
    const threshold = this.w.settings.sentimentThreshold;
    const u = understandReply({ text: reply.preview, channel: reply.channel as ReplyChannel, now: new Date(t), calendar: { timeZone: this.w.settings.timeZone } });
    const decision = routeReply(u, { sentimentAutoThreshold: threshold });
    const { score, intent } = u;
    reply.sentimentScore = score;
    reply.intent = intent;
    reply.analysis = {
      engine: u.engine,
      version: u.version,
      intent,
      score,
      confidence: u.confidence,
      reason: u.reason,
      optOut: u.optOut,
      complaint: u.complaint,
      keywordTriggers: u.keywordTriggers,
      laterUntil: u.laterUntil,
      route: decision.route,
      rule: decision.rule,
      priority: decision.priority,
      reviewReason: decision.reason,
      whyParts: [decision.whyPart],
      why: decision.why,
      analysedAt: new Date(t).toISOString(),
    };
    lead.sentiment = score;
    lead.engagement = Math.min(100, lead.engagement + (score >= 0 ? 40 : 10));
    // An out-of-office answer needs nobody.
    if (decision.route === "AUTO" && intent === "AUTO_REPLY") return;
    if (decision.actions.optOut || kind === "optout") {
      // Opt-out words stop every channel and put the lead's address on the list, never answered.
      this.stopEnrollments(lead, "Lead-ul s-a dezabonat", t, () => true);
      lead.whatsappOptedOut = true;
      lead.emailOptedOut = true;
      const value = reply.channel === "WHATSAPP" ? `+${lead.company.telefonPrincipal!.replace(/\D/g, "")}` : lead.company.emailPrincipal?.trim().toLowerCase();
      if (value) this.addDnc({ type: reply.channel === "WHATSAPP" ? "PHONE" : "EMAIL", value, reason: "A cerut să nu mai fie contactat", source: "reply:opt_out", createdBy: null, at: t });
    }
    // The route's item (server/replies/plan.ts): AUTO answers are drafted and held for approval (the
    // seeded tenants' auto-answer mode), anything else is a triage item with the route's priority.
    const [reviewKind, priority, reason]: [SimReview["kind"], Priority, SimReview["reason"]] =
      decision.route === "AUTO" ? ["APPROVAL", "HIGH", null] : ["TRIAGE", decision.priority ?? "MEDIUM", decision.reason ?? "AI_UNCERTAIN"];
    const whyParts = reviewKind === "APPROVAL" ? [decision.whyPart, holdWhy("MODE_APPROVAL")] : [decision.whyPart];
    const review: SimReview = {
      lead,
      kind: reviewKind,
      reason,
      priority,
      status: "PENDING",
      assignedTo: null,
      assignedAt: null,
      slaDueAt: t + this.w.settings.slaMinutes[priority] * MINUTE,
      slaBreachedAt: null,
      trigger: reply,
      analysis: { ...reply.analysis, whyParts, why: whyTextRo(whyParts) },
      score,
      intent,
      draftedAnswer: reviewKind === "APPROVAL" ? DRAFTED_ANSWER : null,
      resolution: null,
      resolutionNote: null,
      resolvedAt: null,
      resolvedBy: null,
      createdAt: t,
    };
    this.result.reviews.push(review);
    lead.review = review;
    this.handleReview(review, kind);
  }

  /** A rep picks the item up and resolves it; the breach job marks it at its due time if still open. */
  private handleReview(review: SimReview, kind: ReplyKind): void {
    const rng = this.w.rng;
    const rep = review.lead.owner ? this.w.users.find((u) => u.id === review.lead.owner)! : rng.pick(this.reps);
    const sla = this.w.settings.slaMinutes[review.priority] * MINUTE;
    // Reps work in the sending window's hours while the SLA clock runs day and night: most items are
    // picked up well within their SLA, some late, and an URGENT reply in the evening waits for morning.
    const pickup = this.officeMoment(review.createdAt, Math.round(sla * (rng.chance(0.84) ? 0.05 + rng.next() * 0.6 : 0.9 + rng.next() * 0.9)));
    const resolved = pickup + Math.round(Math.min(sla * 0.3, 2 * HOUR) * (0.1 + rng.next()));
    this.timeline.at(review.slaDueAt + this.between(1_000, 30_000), (t) => {
      if (review.status !== "RESOLVED") review.slaBreachedAt = t;
    });
    this.timeline.at(pickup, (t) => {
      review.status = "ASSIGNED";
      review.assignedTo = rep.id;
      review.assignedAt = t;
    });
    this.timeline.at(Math.max(pickup + MINUTE, pickup + Math.round((resolved - pickup) / 3)), () => {
      if (review.status === "ASSIGNED") review.status = "IN_PROGRESS";
    });
    this.timeline.at(resolved, (t) => this.resolve(review, rep, kind, t));
  }

  private resolve(review: SimReview, rep: SimUser, kind: ReplyKind, t: number): void {
    const rng = this.w.rng;
    const lead = review.lead;
    review.status = "RESOLVED";
    review.resolvedAt = t;
    review.resolvedBy = rep.id;
    lead.review = null;
    lead.owner = rep.id;
    if (kind === "positive") {
      const takeOver = rng.chance(0.7);
      review.resolution = takeOver ? "TAKEN_OVER" : "REPLIED_MANUALLY";
      review.resolutionNote = takeOver ? "Preiau discuția cu clientul." : "Am sunat clientul, trimit oferta pe email.";
      if (takeOver) lead.humanControlled = true;
      if (rng.chance(0.6)) this.later(lead, rep, t, this.between(2 * HOUR, 4 * DAY), "NEGOTIATION", "Discuție de ofertă începută", (at) => this.afterNegotiation(lead, rep, at));
    } else if (kind === "question" || kind === "later") {
      review.resolution = "REPLIED_MANUALLY";
      review.resolutionNote = kind === "question" ? "Am răspuns la telefon cu prețurile cerute." : "Clientul revine după recoltare.";
      if (kind === "question" && rng.chance(0.35)) this.later(lead, rep, t, this.between(HOUR, 3 * DAY), "NEGOTIATION", "Discuție de ofertă începută", (at) => this.afterNegotiation(lead, rep, at));
      if (kind === "later" && rng.chance(0.6)) this.later(lead, rep, t, this.between(0, HOUR), "PAUSED", "Revenim după recoltare");
    } else {
      review.resolution = "NO_ACTION";
      review.resolutionNote = kind === "optout" ? "Lead-ul a cerut dezabonarea; nu mai este contactat." : "Nu este interesat.";
      if (kind === "optout" || rng.chance(0.85)) this.later(lead, rep, t, this.between(0, HOUR), "DEAD", kind === "optout" ? "A cerut să nu mai fie contactat" : "Nu este interesat");
    }
  }

  private afterNegotiation(lead: SimLead, rep: SimUser, t: number): void {
    const roll = this.w.rng.next();
    if (roll < 0.45) this.later(lead, rep, t, this.between(2 * DAY, 14 * DAY), "CONVERTED", "Contract semnat");
    else if (roll < 0.6) this.later(lead, rep, t, this.between(DAY, 10 * DAY), "DEAD", "Oferta nu a fost acceptată");
  }

  /** A rep's move of the lead (the leads router's transition), during office hours. */
  private later(lead: SimLead, rep: SimUser, from: number, delayMs: number, to: State, reason: string, then?: (at: number) => void): void {
    this.timeline.at(this.officeMoment(from, delayMs), (t) => {
      if (checkTransition(lead.state, to, lead.previousState).kind !== "allowed") return;
      const before = lead.state;
      if (to === "DEAD" || to === "CONVERTED") this.stopEnrollments(lead, `Lead ${to === "DEAD" ? "marcat ca pierdut" : "convertit"}: ${reason}`, t, () => true);
      if (to === "PAUSED") {
        for (const e of lead.enrollments) {
          if (e.status === "ACTIVE") {
            e.status = "PAUSED";
            e.pausedAt = t;
            e.nextStepAt = null;
          }
        }
      }
      this.transition(lead, to, { type: "USER", id: rep.id }, reason, t, {});
      this.result.audit.push({
        actor: rep.id,
        action: "lead.transition",
        entityType: "gold_lead_journey",
        entityId: lead.journeyId,
        before: { state: before },
        after: { state: to, reason, enrollments: { paused: 0, resumed: 0, stopped: [] } },
        at: t,
      });
      then?.(t);
    });
  }

  /** A rep closes a lead that never answered (found out by phone that the farm closed). */
  markDeadWithoutReply(lead: SimLead): void {
    if (!this.w.rng.chance(RATES.deadWithoutReply)) return;
    const rep = this.w.rng.pick(this.reps);
    // Looked at some days after the import.
    this.later(lead, rep, lead.importedAt, this.between(2 * DAY, 20 * DAY), "DEAD", "Firma și-a încetat activitatea");
  }

  /** transitionLead: the table's check, the journey's state columns and a history row. */
  private transition(lead: SimLead, to: State, actor: { type: SimHistoryRow["actorType"]; id: string | null }, reason: string, t: number, metadata: Record<string, unknown>): void {
    const check = checkTransition(lead.state, to, lead.previousState);
    if (check.kind !== "allowed") throw new Error(`seed: ${lead.state} → ${to} is not allowed (${check.kind === "illegal" ? check.why : "no-op"})`);
    this.result.history.push({ lead, from: lead.state, to, actorType: actor.type, actorId: actor.id, reason, metadata, at: t });
    const from = lead.state;
    lead.previousState = from;
    lead.state = to;
    lead.stateChangedAt = t;
    lead.stateChangeReason = reason;
    if (to === "CONVERTED" && lead.convertedAt === null) lead.convertedAt = t;
    if (to === "PAUSED") lead.sequencePaused = true;
    if (from === "PAUSED") lead.sequencePaused = false;
    if (!DISPATCHABLE.has(to)) this.clearDue(lead, `state ${to}: ${reason}`);
  }

  simulate(): HistoryResult {
    this.timeline.runAll();
    return this.result;
  }
}
