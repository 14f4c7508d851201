/** Take a lead over (the automation stops for it) or hand it back. */
import { z } from "zod";
import { releaseLead, takeOverLead } from "../../../leads/take-over.server";
import { repProcedure } from "../../init.server";
import { expectation, holdOutput } from "./detail-schemas";

const input = z.object({ leadId: z.uuid(), expected: expectation });

export const takeOverProcedure = repProcedure
  .input(input)
  .output(holdOutput)
  .mutation(({ ctx, input }) => ctx.db((tx) => takeOverLead(tx, { ...input, tenantId: ctx.user.tenantId, actor: ctx.actor, now: ctx.clock() })));

export const releaseProcedure = repProcedure
  .input(input)
  .output(holdOutput)
  .mutation(({ ctx, input }) => ctx.db((tx) => releaseLead(tx, { ...input, tenantId: ctx.user.tenantId, actor: ctx.actor, now: ctx.clock() })));
