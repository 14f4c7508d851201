/** Writing templates (MANAGER): every write is audited with before and after. */
import { z } from "zod";
import { audited } from "../../../audit/audit.server";
import { addVersion, createTemplate, getTemplate, setVersion, updateTemplate } from "../../../templates/templates.server";
import { managerProcedure, type AuthedContext } from "../../init.server";
import { content, createInput, subject, templateOutput, updateInput, weight } from "./schemas";
import { rest } from "../../rest";

const entry = (ctx: AuthedContext, action: string) => ({ tenantId: ctx.user.tenantId, actor: ctx.actor, action, entityType: "outreach_template" });

export const createTemplateProcedure = managerProcedure
  .meta(rest("POST", "/templates", "Create a template"))
  .input(createInput)
  .output(templateOutput)
  .mutation(({ ctx, input }) => ctx.db((tx) => audited(tx, { ...entry(ctx, "template.create"), entityId: (t) => t.id }, () => createTemplate(tx, ctx.user.tenantId, input))));

export const updateTemplateProcedure = managerProcedure
  .meta(rest("PATCH", "/templates/{templateId}", "Change a template (a new text makes a new version)"))
  .input(updateInput)
  .output(z.object({ template: templateOutput, newVersionId: z.uuid().nullable() }))
  .mutation(({ ctx, input }) =>
    ctx.db((tx) =>
      audited(tx, { ...entry(ctx, "template.update"), entityId: (r) => r.template.id, before: () => getTemplate(tx, input.templateId) }, () => updateTemplate(tx, ctx.user.tenantId, input)),
    ),
  );

export const addVersionProcedure = managerProcedure
  .meta(rest("POST", "/templates/{templateId}/versions", "Add an A/B version"))
  .input(z.object({ templateId: z.uuid(), subject, content, weight: weight.default(100) }))
  .output(z.object({ template: templateOutput, versionId: z.uuid() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => audited(tx, { ...entry(ctx, "template.add_version"), entityId: (r) => r.template.id }, () => addVersion(tx, ctx.user.tenantId, input))));

export const setVersionProcedure = managerProcedure
  .meta(rest("PATCH", "/template-versions/{versionId}", "Change a version's weight or switch it on or off"))
  .input(z.object({ versionId: z.uuid(), weight: weight.optional(), isActive: z.boolean().optional() }))
  .output(templateOutput)
  .mutation(({ ctx, input }) =>
    ctx.db((tx) =>
      audited(
        tx,
        {
          ...entry(ctx, "template.set_version"),
          entityId: (t) => t.id,
          before: async () => ({ input, version: await tx.templateVersion.findUnique({ where: { id: input.versionId }, select: { weight: true, isActive: true } }) }),
        },
        () => setVersion(tx, input),
      ),
    ),
  );
