/** Input and output schemas of the review procedures (server/trpc/routers/reviews/). */
import { z } from "zod";
import { AnswerMode, AnswerSource, AnswerStatus, AutoAnswerMode, Channel, CurrentState, MessageDirection, MessageStatus, ReviewKind, ReviewPriority, ReviewReason, ReviewResolution, ReviewStatus, UserRole } from "../../../generated/prisma/enums";
import { autoAnswerCapsSchema, sentimentThresholdSchema, slaMinutesSchema } from "../../../settings/tenant-settings";

export const priority = z.enum(ReviewPriority);
const person = z.object({ id: z.uuid(), name: z.string() });

export const listInput = z.object({
  priority: priority.optional(),
  state: z.enum(["OPEN", "RESOLVED"]).default("OPEN"),
  /** Managers only: a user id, UNASSIGNED or MINE. */
  assignee: z.union([z.uuid(), z.literal("UNASSIGNED"), z.literal("MINE")]).optional(),
  breached: z.boolean().optional(),
  limit: z.number().int().min(1).max(200).default(100),
});

export const listItem = z.object({
  id: z.uuid(),
  kind: z.enum(ReviewKind),
  reason: z.enum(ReviewReason).nullable(),
  priority,
  status: z.enum(ReviewStatus),
  resolution: z.enum(ReviewResolution).nullable(),
  slaDueAt: z.date(),
  slaBreached: z.boolean(),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
  assignee: person.nullable(),
  mine: z.boolean(),
  lead: z.object({ id: z.uuid(), name: z.string(), county: z.string().nullable() }),
  channel: z.string().nullable(),
  replyPreview: z.string().nullable(),
  intent: z.string().nullable(),
  score: z.number().int().nullable(),
  hasDraft: z.boolean(),
});

export const countsOutput = z.object({
  byPriority: z.record(priority, z.number().int()),
  total: z.number().int(),
  breached: z.number().int(),
  mine: z.number().int(),
  unassigned: z.number().int(),
});

export const listOutput = z.object({ items: z.array(listItem), counts: countsOutput });

export const detailOutput = z.object({
  id: z.uuid(),
  kind: z.enum(ReviewKind),
  reason: z.enum(ReviewReason).nullable(),
  priority,
  status: z.enum(ReviewStatus),
  resolution: z.enum(ReviewResolution).nullable(),
  resolutionNote: z.string().nullable(),
  slaDueAt: z.date(),
  slaBreached: z.boolean(),
  slaBreachedAt: z.date().nullable(),
  createdAt: z.date(),
  resolvedAt: z.date().nullable(),
  escalatedAt: z.date().nullable(),
  aiIntent: z.string().nullable(),
  aiSentimentScore: z.number().int().nullable(),
  analysis: z.record(z.string(), z.unknown()).nullable(),
  draftedAnswer: z.string().nullable(),
  finalAnswer: z.string().nullable(),
  assignedUser: person.nullable(),
  resolvedByUser: person.nullable(),
  answer: z
    .object({ id: z.uuid(), body: z.string(), subject: z.string().nullable(), status: z.enum(AnswerStatus), source: z.enum(AnswerSource), channel: z.enum(Channel), mode: z.enum(AnswerMode).nullable(), errorCode: z.string().nullable() })
    .nullable(),
  lead: z.object({
    id: z.uuid(),
    denumire: z.string(),
    judet: z.string().nullable(),
    localitate: z.string().nullable(),
    contactPrincipalNume: z.string().nullable(),
    contactPrincipalFunctie: z.string().nullable(),
    telefonPrincipal: z.string().nullable(),
    emailPrincipal: z.string().nullable(),
  }),
  journey: z.object({
    currentState: z.enum(CurrentState),
    previousState: z.enum(CurrentState).nullable(),
    isHumanControlled: z.boolean(),
    whatsappOptedOut: z.boolean(),
    emailOptedOut: z.boolean(),
    nextActionAt: z.date().nullable(),
    nextActionReason: z.string().nullable(),
    sentimentScore: z.number().int(),
    lastIntent: z.string().nullable(),
    holder: person.nullable(),
    owner: person.nullable(),
  }),
  conversation: z.array(
    z.object({
      id: z.uuid(),
      direction: z.enum(MessageDirection),
      channel: z.enum(Channel),
      status: z.enum(MessageStatus),
      contentPreview: z.string().nullable(),
      subject: z.string().nullable(),
      createdAt: z.date(),
      sentAt: z.date().nullable(),
      intent: z.string().nullable(),
      sentimentScore: z.number().int().nullable(),
      isTrigger: z.boolean(),
    }),
  ),
  suggestions: z.array(z.object({ id: z.uuid(), name: z.string().nullable(), role: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(), createdAt: z.date() })),
  notes: z.array(z.object({ id: z.uuid(), body: z.string(), createdAt: z.date(), author: person })),
  history: z.array(z.object({ id: z.uuid(), action: z.string(), at: z.date(), actor: z.string().nullable() })),
});

export const assigneesOutput = z.array(z.object({ id: z.uuid(), name: z.string(), role: z.enum(UserRole), reviewAvailable: z.boolean(), openItems: z.number().int() }));

export const reviewRef = z.object({ reviewId: z.uuid() });
const text = (max: number) => z.string().trim().min(1).max(max);

export const approveInput = reviewRef.extend({ body: text(4000).optional(), subject: z.string().trim().max(300).nullable().optional() });
export const manualReplyInput = reviewRef.extend({ body: text(4000), requestId: z.uuid() });
export const noteInput = reviewRef.extend({ body: text(2000) });
export const optionalNoteInput = reviewRef.extend({ note: z.string().trim().max(2000).nullable().default(null) });
export const draftInput = reviewRef.extend({ body: text(4000) });
export const assignInput = reviewRef.extend({ userId: z.uuid().nullable() });
export const outcomeInput = reviewRef.extend({ outcome: z.enum(["NEGOTIATION", "BACK_TO_SEQUENCE", "DEAD"]), reason: text(1000) });

export const sendOutput = z.object({ reviewId: z.uuid(), answerId: z.uuid(), channel: z.enum(["WHATSAPP", "EMAIL_WARM"]), resolution: z.enum(["APPROVED", "EDITED_AND_SENT", "REPLIED_MANUALLY"]) });
export const assignmentOutput = z.object({ reviewId: z.uuid(), assignedTo: z.uuid().nullable(), status: z.string(), changed: z.boolean() });

export const settingsOutput = z.object({
  autoAnswerMode: z.enum(AutoAnswerMode),
  autoAnswerDailyCap: z.number().int(),
  sentimentAutoThreshold: z.number().int(),
  reviewAutoAssign: z.boolean(),
  reviewRepOpenCap: z.number().int(),
  slaUrgentMinutes: z.number().int(),
  slaHighMinutes: z.number().int(),
  slaMediumMinutes: z.number().int(),
  slaLowMinutes: z.number().int(),
  slaBusinessHours: z.boolean(),
  offerSummary: z.string().nullable(),
  slackWebhook: z.string().nullable(),
});

// The settings page's own field rules (the same columns): server/settings/tenant-settings.ts.
const minutes = slaMinutesSchema;
export const settingsInput = z
  .object({
    autoAnswerMode: z.enum(AutoAnswerMode),
    autoAnswerDailyCap: autoAnswerCapsSchema.shape.perLeadPerDay,
    sentimentAutoThreshold: sentimentThresholdSchema,
    reviewAutoAssign: z.boolean(),
    reviewRepOpenCap: z.number().int().min(0).max(500),
    slaUrgentMinutes: minutes,
    slaHighMinutes: minutes,
    slaMediumMinutes: minutes,
    slaLowMinutes: minutes,
    slaBusinessHours: z.boolean(),
    offerSummary: z.string().trim().max(500).nullable(),
    /** A new URL, null to remove it; absent keeps the one set. */
    slackWebhookUrl: z.url({ protocol: /^https?$/ }).max(500).nullable(),
  })
  .partial();
