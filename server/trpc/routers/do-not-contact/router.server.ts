/**
 * The do-not-contact list (managers and admins): list with search, add, remove, import. One procedure
 * per file; enforcement lives in the send paths, not here.
 */
import { router } from "../../init.server";
import { listDncProcedure } from "./list.server";
import { addDncProcedure, importDncProcedure, removeDncProcedure } from "./write.server";

export const doNotContactRouter = router({
  list: listDncProcedure,
  add: addDncProcedure,
  remove: removeDncProcedure,
  import: importDncProcedure,
});
