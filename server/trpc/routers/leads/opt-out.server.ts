/** The lead asked not to be contacted: every channel stops (server/leads/opt-out.server.ts). */
import { z } from "zod";
import { optOutLead } from "../../../leads/opt-out.server";
import { repProcedure } from "../../init.server";
import { expectation, optOutOutput, reason } from "./detail-schemas";

export const optOutProcedure = repProcedure
  .input(z.object({ leadId: z.uuid(), reason, expected: expectation }))
  .output(optOutOutput)
  .mutation(({ ctx, input }) =>
    ctx.db((tx) =>
      optOutLead(tx, { tenantId: ctx.user.tenantId, lead: { leadId: input.leadId }, actor: ctx.actor, now: ctx.clock(), reason: input.reason, source: "lead_page", expected: input.expected }),
    ),
  );
