/**
 * Input and output schemas of the lead page's procedures (get, timeline, actions, GDPR). The leads
 * list's procedures keep theirs in their own files. Outputs are declared whole: nothing the domain
 * returns reaches the browser unless it is named here.
 */
import { z } from "zod";
import { ActorType, Channel, CurrentState, EmailStatus, EnrollmentStatus, MessageDirection, MessageStatus, PhoneStatus, ReviewKind, ReviewPriority, ReviewReason, ReviewResolution, ReviewStatus } from "../../../generated/prisma/enums";
import { SEND_BLOCKS } from "../../../leads/send-blocks";

const state = z.enum(CurrentState);
const json = z.record(z.string(), z.unknown());
const person = z.object({ id: z.string(), name: z.string() });

export const leadIdInput = z.object({ leadId: z.uuid() });

/** What the person's screen showed (server/leads/expectations.ts): a stale screen gets LEAD_CHANGED. */
export const expectation = z
  .object({ state: state.optional(), ownerId: z.uuid().nullable().optional(), humanControlled: z.boolean().optional() })
  .strict()
  .optional();

export const leadDetailOutput = z.object({
  leadId: z.uuid(),
  journeyId: z.uuid(),
  erasedAt: z.date().nullable(),
  company: z.object({
    name: z.string(),
    cui: z.string().nullable(),
    county: z.string().nullable(),
    locality: z.string().nullable(),
    address: z.string().nullable(),
    caen: z.string().nullable(),
    farmedAreaHa: z.number().nullable(),
    contactName: z.string().nullable(),
    contactRole: z.string().nullable(),
    phone: z.string().nullable(),
    phoneReachable: z.boolean().nullable(),
    email: z.string().nullable(),
    emailStatus: z.enum(EmailStatus),
    website: z.string().nullable(),
    createdAt: z.date(),
  }),
  provenance: z.object({ source: z.string().nullable(), legalBasis: z.string().nullable() }),
  state: z.object({ current: state, previous: state.nullable(), changedAt: z.date().nullable(), reason: z.string().nullable(), allowedNext: z.array(state) }),
  owner: person.nullable(),
  humanControlled: z.boolean(),
  review: z.object({ required: z.boolean(), reason: z.enum(ReviewReason).nullable(), priority: z.enum(ReviewPriority).nullable(), open: z.number().int() }),
  sequencePaused: z.boolean(),
  optedOut: z.object({ whatsapp: z.boolean(), email: z.boolean() }),
  doNotContact: z.object({ phone: z.boolean(), email: z.boolean(), domain: z.boolean() }),
  phone: z.object({ id: z.uuid(), label: z.string(), number: z.string(), status: z.enum(PhoneStatus), enabled: z.boolean() }).nullable(),
  enrollments: z.array(
    z.object({
      id: z.uuid(),
      sequenceId: z.uuid(),
      sequenceName: z.string(),
      status: z.enum(EnrollmentStatus),
      currentStep: z.number().int(),
      totalSteps: z.number().int(),
      nextStepAt: z.date().nullable(),
      nextStep: z.object({ number: z.number().int(), channel: z.enum(Channel), templateName: z.string() }).nullable(),
      stoppedReason: z.string().nullable(),
      enrolledAt: z.date(),
    }),
  ),
  nextAction: z.object({ at: z.date().nullable(), reason: z.string().nullable() }),
  contact: z.object({
    first: z.date().nullable(),
    last: z.date().nullable(),
    lastReply: z.date().nullable(),
    firstChannel: z.enum(Channel).nullable(),
    lastChannel: z.enum(Channel).nullable(),
    isNewContact: z.boolean(),
  }),
  counters: z.object({ replies: z.number().int(), opens: z.number().int(), clicks: z.number().int(), sentiment: z.number().int(), engagement: z.number().int() }),
  lastDecision: z.object({ at: z.date().nullable(), outcome: json.nullable(), by: person.nullable() }),
  updatedAt: z.date(),
});

const cursor = z.object({ at: z.date(), key: z.string().min(3).max(80) });

/** `cursor` (not `before`) so React Query's infinite query passes the next window's start itself. */
export const timelineInput = z.object({ leadId: z.uuid(), cursor: cursor.nullish(), limit: z.number().int().min(1).max(100).default(40) });

const base = { id: z.string(), at: z.date(), key: z.string() };
const actor = z.object({ type: z.enum(ActorType), id: z.string().nullable(), name: z.string().nullable() });
export const timelineItem = z.discriminatedUnion("kind", [
  z.object({
    ...base,
    kind: z.literal("message"),
    channel: z.enum(Channel),
    direction: z.enum(MessageDirection),
    status: z.enum(MessageStatus),
    subject: z.string().nullable(),
    preview: z.string().nullable(),
    recipient: z.string().nullable(),
    times: z.object({
      sent: z.date().nullable(),
      delivered: z.date().nullable(),
      read: z.date().nullable(),
      opened: z.date().nullable(),
      clicked: z.date().nullable(),
      replied: z.date().nullable(),
      bounced: z.date().nullable(),
      failed: z.date().nullable(),
    }),
    error: z.object({ code: z.string().nullable(), message: z.string().nullable() }).nullable(),
    phone: z.object({ id: z.string(), label: z.string() }).nullable(),
    template: z.object({ id: z.string(), name: z.string(), version: z.number().int().nullable() }).nullable(),
    sequenceStep: z.number().int().nullable(),
    quotaCost: z.number().int(),
    analysis: z.object({ sentiment: z.number().int().nullable(), intent: z.string().nullable(), details: json.nullable() }).nullable(),
    manual: z.object({ by: person.nullable() }).nullable(),
  }),
  z.object({ ...base, kind: z.literal("state"), from: state.nullable(), to: state, actor, reason: z.string().nullable() }),
  z.object({ ...base, kind: z.literal("decision"), stage: z.string(), result: z.string(), summary: z.string().nullable(), outcome: json, by: person.nullable() }),
  z.object({
    ...base,
    kind: z.literal("review"),
    reviewKind: z.enum(ReviewKind),
    reason: z.enum(ReviewReason).nullable(),
    priority: z.enum(ReviewPriority),
    status: z.enum(ReviewStatus),
    slaDueAt: z.date(),
    slaBreached: z.boolean(),
    resolution: z.enum(ReviewResolution).nullable(),
    resolvedAt: z.date().nullable(),
    assignedTo: person.nullable(),
  }),
  z.object({ ...base, kind: z.literal("note"), body: z.string(), author: person.nullable() }),
  z.object({ ...base, kind: z.literal("action"), action: z.string(), actor, details: json.nullable() }),
]);
export const timelineOutput = z.object({ items: z.array(timelineItem), next: cursor.nullable() });

export const sendChannel = z.enum(["WHATSAPP", "EMAIL"]);
export const sendCheckOutput = z.object({
  channel: sendChannel,
  recipient: z.string().nullable(),
  blocked: z.enum(SEND_BLOCKS).nullable(),
  window: z.object({ open: z.boolean(), nextOpening: z.date().nullable() }),
  phone: z.object({ id: z.uuid(), label: z.string(), status: z.enum(PhoneStatus), sticky: z.boolean() }).nullable(),
  quota: z.object({ cost: z.union([z.literal(0), z.literal(1)]), used: z.number().int().nullable(), limit: z.number().int().nullable() }).nullable(),
  when: z.enum(["NOW", "AT_NEXT_OPENING", "NEXT_DAY", "BLOCKED"]),
  at: z.date().nullable(),
  queue: z.object({ ahead: z.number().int().min(0), spacingSeconds: z.object({ min: z.number().int().min(0), max: z.number().int().min(0) }) }).nullable(),
});

export const sendMessageInput = z
  .object({
    leadId: z.uuid(),
    channel: sendChannel,
    requestId: z.uuid(),
    templateId: z.uuid().optional(),
    text: z.string().max(10_000).optional(),
    subject: z.string().max(300).optional(),
    expected: expectation,
  })
  .refine((v) => Boolean(v.templateId) || Boolean(v.text?.trim()), { message: "a template or a text", path: ["text"] });
export const sendMessageOutput = z.object({ messageId: z.uuid(), duplicate: z.boolean(), check: sendCheckOutput });

export const holdOutput = z.object({ leadId: z.uuid(), journeyId: z.uuid(), changed: z.boolean(), humanControlled: z.boolean(), ownerId: z.uuid().nullable() });

export const optOutOutput = z.object({
  leadId: z.uuid(),
  journeyId: z.uuid(),
  alreadyOptedOut: z.boolean(),
  doNotContact: z.array(z.object({ id: z.uuid(), type: z.enum(["PHONE", "EMAIL"]), created: z.boolean() })),
  stoppedEnrollments: z.number().int(),
});

export const reason = z.string().trim().min(1).max(500);
