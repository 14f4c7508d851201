/** Input and output schemas of the template procedures (one file per procedure beside this one). */
import { z } from "zod";
import { Channel } from "../../../generated/prisma/enums";
import { templateVariableSchema } from "../../../templates/template";

export const channel = z.enum(Channel);
export const counts = z.object({ sent: z.number().int(), delivered: z.number().int(), opened: z.number().int(), replied: z.number().int() });

export const templateListItem = z.object({
  id: z.uuid(),
  name: z.string(),
  channel,
  subject: z.string().nullable(),
  isActive: z.boolean(),
  hasMedia: z.boolean(),
  updatedAt: z.date(),
  activeVersions: z.number().int(),
  totals: counts,
});

export const versionOutput = z.object({
  id: z.uuid(),
  versionNumber: z.number().int(),
  subject: z.string().nullable(),
  content: z.string(),
  weight: z.number().int(),
  isActive: z.boolean(),
  createdAt: z.date(),
  counts,
  longestLength: z.number().int().nullable(),
  variants: z.number().int().nullable(),
});

export const templateOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  channel,
  subject: z.string().nullable(),
  content: z.string(),
  variables: z.array(templateVariableSchema),
  hasMedia: z.boolean(),
  mediaUrl: z.string().nullable(),
  isActive: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
  versions: z.array(versionOutput),
});

export const name = z.string().trim().min(1).max(200);
export const content = z.string().min(1).max(20_000);
export const subject = z.string().max(500).nullish();
export const weight = z.number().int().min(0).max(10_000);

export const createInput = z.object({
  name,
  channel: z.enum(["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"]),
  subject,
  content,
  variables: z.array(templateVariableSchema).max(50),
  hasMedia: z.boolean().optional(),
  mediaUrl: z.url().nullish(),
  weight: weight.optional(),
});

export const updateInput = z.object({
  templateId: z.uuid(),
  name: name.optional(),
  isActive: z.boolean().optional(),
  variables: z.array(templateVariableSchema).max(50).optional(),
  hasMedia: z.boolean().optional(),
  mediaUrl: z.url().nullish(),
  subject: z.string().max(500).nullable().optional(),
  content: content.optional(),
  versionId: z.uuid().optional(),
});

export const previewOutput = z.object({
  templateId: z.uuid(),
  versionId: z.uuid(),
  versionNumber: z.number().int(),
  channel,
  lead: z.object({ id: z.uuid(), name: z.string() }),
  text: z.string(),
  subject: z.string().nullable(),
  variantPath: z.object({ content: z.array(z.number().int()), subject: z.array(z.number().int()) }),
  contentHash: z.string(),
  defaulted: z.array(z.string()),
  missing: z.array(z.string()),
  sendable: z.boolean(),
  /** Set when a variant index was asked for: which one of how many. */
  variant: z.object({ index: z.number().int(), total: z.number().int() }).nullable(),
});

export const checkOutput = z.object({
  issues: z.array(
    z.object({
      code: z.string(),
      field: z.enum(["content", "subject", "variables"]),
      message: z.string(),
      offset: z.number().int().optional(),
      line: z.number().int().optional(),
      column: z.number().int().optional(),
    }),
  ),
  longestLength: z.number().int().nullable(),
  variants: z.number().int().nullable(),
});

export const previewDraftInput = z.object({
  channel: z.enum(["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"]),
  subject: z.string().max(500).nullable(),
  content: z.string().max(20_000),
  variables: z.array(templateVariableSchema).max(50),
  leadId: z.uuid(),
  variant: z.number().int().min(0).max(1_000_000).optional(),
  versionId: z.uuid().optional(),
});

export const previewDraftOutput = z.object({
  lead: z.object({ id: z.uuid(), name: z.string() }),
  check: checkOutput,
  rendered: z
    .object({
      text: z.string(),
      subject: z.string().nullable(),
      variantPath: z.object({ content: z.array(z.number().int()), subject: z.array(z.number().int()) }),
      contentHash: z.string(),
      defaulted: z.array(z.string()),
      missing: z.array(z.string()),
    })
    .nullable(),
  variant: z.object({ index: z.number().int(), total: z.number().int() }).nullable(),
});

export const previewLeadsOutput = z.array(
  z.object({ id: z.uuid(), name: z.string(), values: z.record(z.string(), z.string().nullable()) }),
);

const n = z.number().int().nonnegative();
export const abResultsOutput = z.object({
  templateId: z.uuid(),
  versions: z.array(
    z.object({
      versionId: z.uuid(),
      versionNumber: z.number().int(),
      isActive: z.boolean(),
      weight: z.number().int(),
      sent: n,
      delivered: n,
      opened: n,
      clicked: n,
      replied: n,
      positiveReplies: n,
      bounced: n,
    }),
  ),
  hint: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("SINGLE") }),
    z.object({ kind: z.literal("NOT_ENOUGH_DATA"), minSent: n, minEvents: n }),
    z.object({ kind: z.literal("NO_CLEAR_WINNER"), leaderId: z.uuid(), runnerUpId: z.uuid(), pValue: z.number() }),
    z.object({ kind: z.literal("AHEAD"), leaderId: z.uuid(), runnerUpId: z.uuid(), pValue: z.number(), leaderRate: z.number(), runnerUpRate: z.number() }),
  ]),
});
