/**
 * Saved views of the leads list (issue 11): named filter sets, a person's own or shared with the
 * organisation. Every role may keep views; the use cases are in server/leads/views/. Enrolling the
 * leads of a view goes through the leads list's bulk enroll (bulk.preview / bulk.start with the
 * view's filters), not through a procedure of its own.
 */
import { router } from "../../init.server";
import { createViewProcedure } from "./create.server";
import { deleteViewProcedure } from "./delete.server";
import { listViewsProcedure } from "./list.server";
import { updateViewProcedure } from "./update.server";

export const leadViewsRouter = router({
  list: listViewsProcedure,
  create: createViewProcedure,
  update: updateViewProcedure,
  delete: deleteViewProcedure,
});
