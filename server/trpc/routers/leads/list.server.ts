/** The leads list: one page, filtered, searched and sorted, with its total (server/leads/list/list.server.ts). */
import { leadListInput } from "../../../leads/list/filters";
import { listLeads } from "../../../leads/list/list.server";
import { repProcedure } from "../../init.server";
import { listOutput } from "./list-schemas";

export const listProcedure = repProcedure
  .input(leadListInput)
  .output(listOutput)
  .query(({ ctx, input }) => ctx.db((tx) => listLeads(tx, { tenantId: ctx.user.tenantId, userId: ctx.user.id, query: input })));
