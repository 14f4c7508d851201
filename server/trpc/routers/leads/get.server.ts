/** Everything the lead page shows about one lead but its timeline; NOT_FOUND for another tenant's id. */
import { getLeadDetail } from "../../../leads/lead-detail.server";
import { repProcedure } from "../../init.server";
import { rest } from "../../rest";
import { leadDetailOutput, leadIdInput } from "./detail-schemas";

export const getLeadProcedure = repProcedure
  .meta(rest("GET", "/leads/{leadId}", "One lead: company, owner, state, enrollments, do-not-contact status"))
  .input(leadIdInput)
  .output(leadDetailOutput)
  .query(({ ctx, input }) => ctx.db((tx) => getLeadDetail(tx, input.leadId)));
