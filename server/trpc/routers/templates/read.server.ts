/** Reading templates: reps read and preview (they see what a lead will get). */
import { z } from "zod";
import { templateAbResults } from "../../../templates/ab-results.server";
import { getTemplate, listTemplates, previewDraftForLead, previewForLead, previewLeads } from "../../../templates/templates.server";
import { managerProcedure, repProcedure } from "../../init.server";
import { abResultsOutput, channel, previewDraftInput, previewDraftOutput, previewLeadsOutput, previewOutput, templateListItem, templateOutput } from "./schemas";
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
  .input(z.object({ templateId: z.uuid(), leadId: z.uuid(), versionId: z.uuid().optional(), variant: z.number().int().min(0).max(1_000_000).optional() }))
  .output(previewOutput)
  .query(({ ctx, input }) => ctx.db((tx) => previewForLead(tx, input)));

/** The editor's live preview of unsaved text (MANAGER: the ones who edit), with the save-time checks. */
export const previewDraftProcedure = managerProcedure
  .input(previewDraftInput)
  .output(previewDraftOutput)
  .query(({ ctx, input }) => ctx.db((tx) => previewDraftForLead(tx, input)));

/** Leads to preview a template with, by name. */
export const previewLeadsProcedure = repProcedure
  .input(z.object({ search: z.string().trim().max(100).optional(), limit: z.number().int().min(1).max(50).default(20) }).default({ limit: 20 }))
  .output(previewLeadsOutput)
  .query(({ ctx, input }) => ctx.db((tx) => previewLeads(tx, { search: input.search || undefined, limit: input.limit })));

/** A/B versions side by side with a significance hint (from the daily template statistics). */
export const abResultsProcedure = repProcedure
  .input(z.object({ templateId: z.uuid() }))
  .output(abResultsOutput)
  .query(({ ctx, input }) => ctx.db((tx) => templateAbResults(tx, input.templateId)));
