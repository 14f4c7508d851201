import { z } from "zod";
import { getSequence } from "../../../sequences/sequences.server";
import { repProcedure } from "../../init.server";
import { sequenceOutput } from "./schemas";
import { rest } from "../../rest";

export const getSequenceProcedure = repProcedure
  .meta(rest("GET", "/sequences/{sequenceId}", "One sequence with its steps"))
  .input(z.object({ sequenceId: z.uuid() }))
  .output(sequenceOutput)
  .query(({ ctx, input }) => ctx.db((tx) => getSequence(tx, input.sequenceId)));
