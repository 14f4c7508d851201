/**
 * Leads: the list, the lead page and its actions. One procedure per file beside this one; this file only
 * wires them. The list's schemas are in list-schemas.ts, the lead page's in detail-schemas.ts. Tiers: reps
 * read and act on leads (their daily work); erasing a lead's personal data is a manager's. Every write is
 * a use case in server/leads/, audited there.
 */
import { router } from "../../init.server";
import { assignProcedure, ownersProcedure } from "./assign.server";
import { gdprEraseProcedure, gdprExportProcedure } from "./gdpr.server";
import { getLeadProcedure } from "./get.server";
import { historyProcedure } from "./history.server";
import { listProcedure } from "./list.server";
import { optionsProcedure } from "./options.server";
import { releaseProcedure, takeOverProcedure } from "./hold.server";
import { addNoteProcedure } from "./note.server";
import { optOutProcedure } from "./opt-out.server";
import { sendCheckProcedure, sendMessageProcedure } from "./send.server";
import { enrollProcedure, stopSequenceProcedure } from "./sequence.server";
import { timelineProcedure } from "./timeline.server";
import { transitionProcedure } from "./transition.server";

export const leadsRouter = router({
  // The leads list and its filter options.
  list: listProcedure,
  options: optionsProcedure,
  transition: transitionProcedure,
  history: historyProcedure,
  // The lead page (issue 10).
  get: getLeadProcedure,
  timeline: timelineProcedure,
  sendCheck: sendCheckProcedure,
  sendMessage: sendMessageProcedure,
  takeOver: takeOverProcedure,
  release: releaseProcedure,
  assign: assignProcedure,
  owners: ownersProcedure,
  addNote: addNoteProcedure,
  optOut: optOutProcedure,
  enroll: enrollProcedure,
  stopSequence: stopSequenceProcedure,
  gdprExport: gdprExportProcedure,
  gdprErase: gdprEraseProcedure,
});
