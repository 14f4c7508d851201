/**
 * The template library (issue 5 item 7). Thin: validation in, domain call, shape out.
 * Tiers: reps read and preview (they see what a lead will get); MANAGER creates and edits; every
 * write is audited with before/after.
 */
import { z } from "zod";
import { Channel } from "../../generated/prisma/enums";
import type { Prisma } from "../../generated/prisma/client";
import { insertAudit } from "../../phones/repository.server";
import { templateVariableSchema } from "../../templates/template.server";
import { addVersion, createTemplate, getTemplate, listTemplates, previewForLead, setVersion, updateTemplate } from "../../templates/templates.server";
import { managerProcedure, repProcedure, router, type AuthedContext } from "../init.server";
import type { TenantTx } from "../../db/client.server";

const channel = z.enum(Channel);
const counts = z.object({ sent: z.number().int(), delivered: z.number().int(), opened: z.number().int(), replied: z.number().int() });

const templateListItem = z.object({
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

const versionOutput = z.object({
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

const templateOutput = z.object({
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

const name = z.string().trim().min(1).max(200);
const content = z.string().min(1).max(20_000);
const subject = z.string().max(500).nullish();
const weight = z.number().int().min(0).max(10_000);

const createInput = z.object({
  name,
  channel: z.enum(["WHATSAPP", "EMAIL_COLD", "EMAIL_WARM"]),
  subject,
  content,
  variables: z.array(templateVariableSchema).max(50),
  hasMedia: z.boolean().optional(),
  mediaUrl: z.url().nullish(),
  weight: weight.optional(),
});

const updateInput = z.object({
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

const previewOutput = z.object({
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
});

/** A write and its audit row in one transaction: the log cannot disagree with the data. */
function audited<T>(ctx: AuthedContext, action: string, entityId: (result: T) => string, fn: (tx: TenantTx) => Promise<T>, loadBefore?: (tx: TenantTx) => Promise<unknown>) {
  return ctx.db(async (tx) => {
    const before = loadBefore ? JSON.parse(JSON.stringify(await loadBefore(tx))) : undefined;
    const result = await fn(tx);
    await insertAudit(tx, {
      tenantId: ctx.user.tenantId,
      actorType: "USER",
      actorUserId: ctx.user.id,
      action,
      entityType: "outreach_template",
      entityId: entityId(result),
      ...(before !== undefined ? { before: before as Prisma.InputJsonValue } : {}),
      after: JSON.parse(JSON.stringify(result)) as Prisma.InputJsonValue,
      ip: ctx.ip,
    });
    return result;
  });
}

export const templatesRouter = router({
  list: repProcedure
    .input(z.object({ channel: channel.optional(), includeInactive: z.boolean().default(false) }).default({ includeInactive: false }))
    .output(z.array(templateListItem))
    .query(({ ctx, input }) => ctx.db((tx) => listTemplates(tx, input))),

  get: repProcedure
    .input(z.object({ templateId: z.uuid() }))
    .output(templateOutput)
    .query(({ ctx, input }) => ctx.db((tx) => getTemplate(tx, input.templateId))),

  create: managerProcedure
    .input(createInput)
    .output(templateOutput)
    .mutation(({ ctx, input }) => audited(ctx, "template.create", (t) => t.id, (tx) => createTemplate(tx, ctx.user.tenantId, input))),

  update: managerProcedure
    .input(updateInput)
    .output(z.object({ template: templateOutput, newVersionId: z.uuid().nullable() }))
    .mutation(({ ctx, input }) => audited(ctx, "template.update", (r) => r.template.id, (tx) => updateTemplate(tx, ctx.user.tenantId, input), (tx) => getTemplate(tx, input.templateId))),

  addVersion: managerProcedure
    .input(z.object({ templateId: z.uuid(), subject, content, weight: weight.default(100) }))
    .output(z.object({ template: templateOutput, versionId: z.uuid() }))
    .mutation(({ ctx, input }) => audited(ctx, "template.add_version", (r) => r.template.id, (tx) => addVersion(tx, ctx.user.tenantId, input))),

  setVersion: managerProcedure
    .input(z.object({ versionId: z.uuid(), weight: weight.optional(), isActive: z.boolean().optional() }))
    .output(templateOutput)
    .mutation(({ ctx, input }) => audited(ctx, "template.set_version", (t) => t.id, (tx) => setVersion(tx, input), async (tx) => ({ input, version: await tx.templateVersion.findUnique({ where: { id: input.versionId }, select: { weight: true, isActive: true } }) }))),

  /** Renders for one of the caller's leads exactly as a send would, showing missing variables. */
  preview: repProcedure
    .input(z.object({ templateId: z.uuid(), leadId: z.uuid(), versionId: z.uuid().optional() }))
    .output(previewOutput)
    .query(({ ctx, input }) => ctx.db((tx) => previewForLead(tx, input))),
});
