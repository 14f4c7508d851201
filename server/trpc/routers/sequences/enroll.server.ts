import { z } from "zod";
import { audited } from "../../../audit/audit.server";
import { loadTenantCalendar } from "../../../quota/settings.server";
import { enrollLeads } from "../../../sequences/sequences.server";
import { managerProcedure, repProcedure } from "../../init.server";
import { enrollBulkInput, enrollOutput } from "./schemas";
import { rest } from "../../rest";

/** One lead (a rep's action from the lead page). */
export const enrollProcedure = repProcedure
  .meta(rest("POST", "/sequences/{sequenceId}/enroll", "Enroll one lead"))
  .input(z.object({ sequenceId: z.uuid(), leadId: z.uuid() }))
  .output(enrollOutput)
  .mutation(({ ctx, input }) =>
    ctx.db(async (tx) => {
      const calendar = await loadTenantCalendar(tx, ctx.user.tenantId);
      return audited(
        tx,
        { tenantId: ctx.user.tenantId, actor: ctx.actor, action: "sequence.enroll", entityType: "outreach_sequence", entityId: () => input.sequenceId, after: (r) => ({ leadId: input.leadId, counts: r.counts }) },
        () => enrollLeads(tx, { tenantId: ctx.user.tenantId, sequenceId: input.sequenceId, target: { leadIds: [input.leadId] }, now: ctx.clock(), calendar }),
      );
    }),
  );

/** Many leads, by ids or by a filter (at most MAX_ENROLL_BATCH per call). */
export const enrollBulkProcedure = managerProcedure
  .meta(rest("POST", "/sequences/{sequenceId}/enroll-bulk", "Enroll many leads (by ids or a filter)"))
  .input(enrollBulkInput)
  .output(enrollOutput)
  .mutation(({ ctx, input }) =>
    ctx.db(async (tx) => {
      const calendar = await loadTenantCalendar(tx, ctx.user.tenantId);
      const target = "filter" in input.target ? input.target.filter : { leadIds: input.target.leadIds.length };
      return audited(
        tx,
        { tenantId: ctx.user.tenantId, actor: ctx.actor, action: "sequence.enroll_bulk", entityType: "outreach_sequence", entityId: () => input.sequenceId, after: (r) => ({ target, counts: r.counts }) },
        () => enrollLeads(tx, { tenantId: ctx.user.tenantId, sequenceId: input.sequenceId, target: input.target, now: ctx.clock(), calendar }),
      );
    }),
  );
