/** The choices the leads list's filters and bulk actions offer (server/leads/list/options.server.ts). */
import { leadListOptions } from "../../../leads/list/options.server";
import { repProcedure } from "../../init.server";
import { optionsOutput } from "./list-schemas";

export const optionsProcedure = repProcedure.output(optionsOutput).query(({ ctx }) => ctx.db((tx) => leadListOptions(tx)));
