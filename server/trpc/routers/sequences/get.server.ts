import { z } from "zod";
import { getSequence } from "../../../sequences/sequences.server";
import { repProcedure } from "../../init.server";
import { sequenceOutput } from "./schemas";

export const getSequenceProcedure = repProcedure
  .input(z.object({ sequenceId: z.uuid() }))
  .output(sequenceOutput)
  .query(({ ctx, input }) => ctx.db((tx) => getSequence(tx, input.sequenceId)));
