/**
 * The template library (issue 5 item 7). Procedures in read.server.ts and write.server.ts, schemas in
 * schemas.ts; this file only wires them. Tiers: reps read and preview; MANAGER creates and edits.
 */
import { router } from "../../init.server";
import { abResultsProcedure, getTemplateProcedure, listTemplatesProcedure, previewDraftProcedure, previewLeadsProcedure, previewTemplateProcedure } from "./read.server";
import { addVersionProcedure, createTemplateProcedure, setVersionProcedure, updateTemplateProcedure } from "./write.server";

export const templatesRouter = router({
  list: listTemplatesProcedure,
  get: getTemplateProcedure,
  create: createTemplateProcedure,
  update: updateTemplateProcedure,
  addVersion: addVersionProcedure,
  setVersion: setVersionProcedure,
  preview: previewTemplateProcedure,
  previewDraft: previewDraftProcedure,
  previewLeads: previewLeadsProcedure,
  abResults: abResultsProcedure,
});
