import { z } from "zod";
import { listSequences } from "../../../sequences/sequences.server";
import { repProcedure } from "../../init.server";
import { sequenceListItem } from "./schemas";

export const listSequencesProcedure = repProcedure.output(z.array(sequenceListItem)).query(({ ctx }) => ctx.db((tx) => listSequences(tx)));
