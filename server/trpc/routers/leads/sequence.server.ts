/** Enroll the lead in a sequence, or stop one of its enrollments. */
import { z } from "zod";
import { enrollLead, stopLeadSequence } from "../../../leads/lead-sequence.server";
import { repProcedure } from "../../init.server";
import { expectation, reason } from "./detail-schemas";

export const enrollProcedure = repProcedure
  .input(z.object({ leadId: z.uuid(), sequenceId: z.uuid(), expected: expectation }))
  .output(z.object({ enrollmentId: z.uuid(), nextStepAt: z.date().nullable() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => enrollLead(tx, { ...input, tenantId: ctx.user.tenantId, actor: ctx.actor, now: ctx.clock() })));

export const stopSequenceProcedure = repProcedure
  .input(z.object({ leadId: z.uuid(), enrollmentId: z.uuid(), reason }))
  .output(z.object({ stopped: z.boolean() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => stopLeadSequence(tx, { ...input, tenantId: ctx.user.tenantId, actor: ctx.actor, now: ctx.clock() })));
