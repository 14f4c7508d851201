/** Reading templates: reps read and preview (they see what a lead will get). */
import { z } from "zod";
import { getTemplate, listTemplates, previewForLead } from "../../../templates/templates.server";
import { repProcedure } from "../../init.server";
import { channel, previewOutput, templateListItem, templateOutput } from "./schemas";
import { queryBoolean, rest } from "../../rest";

export const listTemplatesProcedure = repProcedure
  .meta(rest("GET", "/templates", "Templates, by channel"))
  .input(z.object({ channel: channel.optional(), includeInactive: queryBoolean(false) }).default({ includeInactive: false }))
  .output(z.array(templateListItem))
  .query(({ ctx, input }) => ctx.db((tx) => listTemplates(tx, input)));

export const getTemplateProcedure = repProcedure
  .meta(rest("GET", "/templates/{templateId}", "One template with its versions"))
  .input(z.object({ templateId: z.uuid() }))
  .output(templateOutput)
  .query(({ ctx, input }) => ctx.db((tx) => getTemplate(tx, input.templateId)));

/** Renders for one of the caller's leads exactly as a send would, showing missing variables. */
export const previewTemplateProcedure = repProcedure
  .meta(rest("GET", "/templates/{templateId}/preview", "A template rendered for one lead, as a send would"))
  .input(z.object({ templateId: z.uuid(), leadId: z.uuid(), versionId: z.uuid().optional() }))
  .output(previewOutput)
  .query(({ ctx, input }) => ctx.db((tx) => previewForLead(tx, input)));
