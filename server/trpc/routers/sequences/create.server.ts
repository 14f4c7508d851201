import { z } from "zod";
import { audited } from "../../../audit/audit.server";
import { createSequence } from "../../../sequences/sequences.server";
import { managerProcedure } from "../../init.server";
import { sequenceFields, sequenceOutput, steps } from "./schemas";
import { rest } from "../../rest";

export const createSequenceProcedure = managerProcedure
  .meta(rest("POST", "/sequences", "Create a sequence with its steps"))
  .input(z.object({ ...sequenceFields, steps }))
  .output(sequenceOutput)
  .mutation(({ ctx, input }) =>
    ctx.db((tx) =>
      audited(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, action: "sequence.create", entityType: "outreach_sequence", entityId: (s) => s.id }, () =>
        createSequence(tx, ctx.user.tenantId, input),
      ),
    ),
  );
