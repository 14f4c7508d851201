/** Output schemas of the leads list and its filter options (the lead page's are in detail-schemas.ts). */
import { z } from "zod";
import { CurrentState } from "../../../generated/prisma/enums";

export const state = z.enum(CurrentState);

export const listTotal = z.object({ value: z.number().int().min(0), precision: z.enum(["exact", "estimate", "atLeast"]) });

export const listItem = z.object({
  leadId: z.uuid(),
  journeyId: z.uuid(),
  company: z.object({ name: z.string(), cui: z.string().nullable(), county: z.string().nullable(), locality: z.string().nullable() }),
  state,
  channel: z.string().nullable(),
  assignedUser: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  phone: z.object({ id: z.uuid(), label: z.string(), number: z.string() }).nullable(),
  lastContactAt: z.date().nullable(),
  nextActionAt: z.date().nullable(),
  nextActionReason: z.string().nullable(),
  sentimentScore: z.number().int(),
  replyCount: z.number().int(),
  lastReply: z
    .object({ at: z.date(), channel: z.string(), preview: z.string().nullable(), sentiment: z.number().int().nullable(), intent: z.string().nullable() })
    .nullable(),
  sequence: z.object({ id: z.uuid(), name: z.string(), step: z.number().int(), steps: z.number().int() }).nullable(),
  needsReview: z.boolean(),
  reviewPriority: z.string().nullable(),
  optedOut: z.object({ whatsapp: z.boolean(), email: z.boolean() }),
  humanControlled: z.boolean(),
});

export const listOutput = z.object({
  items: z.array(listItem),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: listTotal,
});

export const optionsOutput = z.object({
  owners: z.array(z.object({ id: z.uuid(), name: z.string(), role: z.string() })),
  phones: z.array(z.object({ id: z.uuid(), label: z.string(), number: z.string() })),
  sequences: z.array(z.object({ id: z.uuid(), name: z.string(), isActive: z.boolean() })),
});
