/** The caller's saved views of the leads list and the ones others shared. */
import { z } from "zod";
import { listLeadViews } from "../../../leads/views/views.server";
import { repProcedure } from "../../init.server";
import { viewOutput } from "./schemas";

export const listViewsProcedure = repProcedure.output(z.array(viewOutput)).query(({ ctx }) => ctx.db((tx) => listLeadViews(tx, ctx.actor)));
