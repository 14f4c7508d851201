/** The list, searched and paged. */
import { z } from "zod";
import { listDoNotContact } from "../../../dnc/dnc.server";
import { managerProcedure } from "../../init.server";
import { dncEntry, listInput } from "./schemas";

export const listDncProcedure = managerProcedure
  .input(listInput)
  .output(z.object({ items: z.array(dncEntry), total: z.number().int() }))
  .query(({ ctx, input }) => ctx.db((tx) => listDoNotContact(tx, input)));
