/**
 * The review queue (issue 15; seeds: worker category L, page /outreach/review). Reps read and act on
 * their items and the unassigned ones; managers on all, and assign. Each procedure is thin: parse, one
 * use case (server/review/), shape; every action is audited by its use case.
 */
import { router } from "../../init.server";
import {
  acceptSuggestionProcedure,
  addNoteProcedure,
  approveProcedure,
  assignProcedure,
  claimProcedure,
  dismissSuggestionProcedure,
  escalateProcedure,
  rejectProcedure,
  releaseProcedure,
  replyManuallyProcedure,
  saveDraftProcedure,
  setAvailabilityProcedure,
  setOutcomeProcedure,
  takeOverProcedure,
} from "./actions.server";
import { assigneesProcedure, getReviewProcedure, listReviewsProcedure, myAvailabilityProcedure } from "./read.server";
import { getSettingsProcedure, testSlackProcedure, updateSettingsProcedure } from "./settings.server";

export const reviewsRouter = router({
  list: listReviewsProcedure,
  get: getReviewProcedure,
  assignees: assigneesProcedure,
  availability: myAvailabilityProcedure,
  setAvailability: setAvailabilityProcedure,
  claim: claimProcedure,
  assign: assignProcedure,
  approve: approveProcedure,
  replyManually: replyManuallyProcedure,
  reject: rejectProcedure,
  saveDraft: saveDraftProcedure,
  addNote: addNoteProcedure,
  escalate: escalateProcedure,
  setOutcome: setOutcomeProcedure,
  takeOver: takeOverProcedure,
  release: releaseProcedure,
  acceptSuggestion: acceptSuggestionProcedure,
  dismissSuggestion: dismissSuggestionProcedure,
  settings: getSettingsProcedure,
  updateSettings: updateSettingsProcedure,
  testSlack: testSlackProcedure,
});
