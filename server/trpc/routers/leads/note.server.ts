/** A note on the lead, shown on its timeline. */
import { z } from "zod";
import { addLeadNote } from "../../../leads/notes.server";
import { repProcedure } from "../../init.server";

export const addNoteProcedure = repProcedure
  .input(z.object({ leadId: z.uuid(), body: z.string().trim().min(1).max(5000) }))
  .output(z.object({ id: z.uuid(), createdAt: z.date() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => addLeadNote(tx, { ...input, tenantId: ctx.user.tenantId, actor: ctx.actor, now: ctx.clock() })));
