import { z } from "zod";
import { listSequences } from "../../../sequences/sequences.server";
import { repProcedure } from "../../init.server";
import { sequenceListItem } from "./schemas";
import { rest } from "../../rest";

export const listSequencesProcedure = repProcedure
  .meta(rest("GET", "/sequences", "Every sequence with its step count and enrollments"))
  .output(z.array(sequenceListItem)).query(({ ctx }) => ctx.db((tx) => listSequences(tx)));
