import { audited } from "../../../audit/audit.server";
import { loadTenantCalendar } from "../../../quota/settings.server";
import { getSequence, updateSequence } from "../../../sequences/sequences.server";
import { managerProcedure } from "../../init.server";
import { sequenceOutput, updateInput } from "./schemas";
import { rest } from "../../rest";

export const updateSequenceProcedure = managerProcedure
  .meta(rest("PATCH", "/sequences/{sequenceId}", "Change a sequence or its steps"))
  .input(updateInput)
  .output(sequenceOutput)
  .mutation(({ ctx, input }) =>
    ctx.db(async (tx) => {
      const { sequenceId, ...changes } = input;
      // An isActive change pauses or resumes the enrollments too (server/sequences/pause.ts).
      const activation = changes.isActive === undefined ? undefined : { now: ctx.clock(), calendar: await loadTenantCalendar(tx, ctx.user.tenantId) };
      return audited(
        tx,
        { tenantId: ctx.user.tenantId, actor: ctx.actor, action: "sequence.update", entityType: "outreach_sequence", entityId: (s) => s.id, before: () => getSequence(tx, sequenceId) },
        () => updateSequence(tx, ctx.user.tenantId, sequenceId, changes, activation),
      );
    }),
  );
