/**
 * Leads: the list, a person's change of a lead's state and the lead's state history. One procedure per
 * file beside this one, schemas in schemas.ts; this file only wires them. The use cases live in
 * server/leads/.
 */
import { router } from "../../init.server";
import { historyProcedure } from "./history.server";
import { listProcedure } from "./list.server";
import { optionsProcedure } from "./options.server";
import { transitionProcedure } from "./transition.server";

export const leadsRouter = router({
  list: listProcedure,
  options: optionsProcedure,
  transition: transitionProcedure,
  history: historyProcedure,
});
