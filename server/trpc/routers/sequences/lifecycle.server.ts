/**
 * A whole sequence: what a pause, resume or archive would touch (the confirm dialog), and the actions
 * themselves (MANAGER, audited). The rules are server/sequences/pause.ts, applied by
 * server/sequences/lifecycle.server.ts.
 */
import { z } from "zod";
import { audited } from "../../../audit/audit.server";
import { loadTenantCalendar } from "../../../quota/settings.server";
import { archiveSequence, deleteSequence, pauseSequence, restoreSequence, resumeSequence, sequenceImpact } from "../../../sequences/lifecycle.server";
import { managerProcedure, type AuthedContext } from "../../init.server";
import { archiveOutput, impactOutput, pauseOutput, resumeOutput } from "./schemas";

const sequenceId = z.object({ sequenceId: z.uuid() });
const entry = (ctx: AuthedContext, action: string, id: string) => ({
  tenantId: ctx.user.tenantId,
  actor: ctx.actor,
  action,
  entityType: "outreach_sequence",
  entityId: () => id,
});

export const impactProcedure = managerProcedure
  .input(sequenceId)
  .output(impactOutput)
  .query(({ ctx, input }) =>
    ctx.db(async (tx) => {
      const { sequence, ...impact } = await sequenceImpact(tx, input.sequenceId, ctx.clock(), await loadTenantCalendar(tx, ctx.user.tenantId));
      return { ...impact, sequence: { id: sequence.id, name: sequence.name, isActive: sequence.isActive, isDefault: sequence.isDefault, pausedAt: sequence.pausedAt, archivedAt: sequence.archivedAt } };
    }),
  );

export const pauseSequenceProcedure = managerProcedure
  .input(sequenceId)
  .output(pauseOutput)
  .mutation(({ ctx, input }) => ctx.db((tx) => audited(tx, entry(ctx, "sequence.pause", input.sequenceId), () => pauseSequence(tx, input.sequenceId, ctx.clock()))));

export const resumeSequenceProcedure = managerProcedure
  .input(sequenceId)
  .output(resumeOutput)
  .mutation(({ ctx, input }) =>
    ctx.db(async (tx) => {
      const calendar = await loadTenantCalendar(tx, ctx.user.tenantId);
      return audited(tx, entry(ctx, "sequence.resume", input.sequenceId), () => resumeSequence(tx, input.sequenceId, ctx.clock(), calendar));
    }),
  );

export const archiveSequenceProcedure = managerProcedure
  .input(sequenceId)
  .output(archiveOutput)
  .mutation(({ ctx, input }) => ctx.db((tx) => audited(tx, entry(ctx, "sequence.archive", input.sequenceId), () => archiveSequence(tx, input.sequenceId, ctx.clock()))));

export const restoreSequenceProcedure = managerProcedure
  .input(sequenceId)
  .output(z.object({ sequenceId: z.uuid(), changed: z.boolean() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => audited(tx, entry(ctx, "sequence.restore", input.sequenceId), () => restoreSequence(tx, input.sequenceId))));

/** Only for a sequence without history (SEQUENCE_HAS_HISTORY otherwise: archive it). */
export const deleteSequenceProcedure = managerProcedure
  .input(sequenceId)
  .output(z.object({ sequenceId: z.uuid() }))
  .mutation(({ ctx, input }) => ctx.db((tx) => audited(tx, entry(ctx, "sequence.delete", input.sequenceId), () => deleteSequence(tx, input.sequenceId))));
