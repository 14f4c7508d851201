/**
 * Sequences (issue 5 item 8): definitions, enrollment, pause/resume/stop per enrollment. One procedure
 * per file beside this one, schemas in schemas.ts; this file only wires them.
 * Tiers: reps read; MANAGER edits definitions, enrolls in bulk, pauses/resumes/archives a whole
 * sequence (lifecycle.server.ts); a rep may enroll, pause, resume and
 * stop single leads (their daily work). Writes are audited.
 *
 * Pending send jobs are not cancelled here: the pipeline re-checks the enrollment when a job runs
 * (ACTIVE, same step), so a stopped or paused enrollment's job does nothing.
 */
import { router } from "../../init.server";
import { createSequenceProcedure } from "./create.server";
import { enrollBulkProcedure, enrollProcedure } from "./enroll.server";
import { pauseEnrollmentProcedure, resumeEnrollmentProcedure, stopEnrollmentProcedure } from "./enrollment-actions.server";
import { enrollmentsProcedure } from "./enrollments.server";
import { getSequenceProcedure } from "./get.server";
import {
  archiveSequenceProcedure,
  deleteSequenceProcedure,
  impactProcedure,
  pauseSequenceProcedure,
  restoreSequenceProcedure,
  resumeSequenceProcedure,
} from "./lifecycle.server";
import { overviewProcedure } from "./overview.server";
import { listSequencesProcedure } from "./list.server";
import { updateSequenceProcedure } from "./update.server";

export const sequencesRouter = router({
  list: listSequencesProcedure,
  get: getSequenceProcedure,
  create: createSequenceProcedure,
  update: updateSequenceProcedure,
  enrollments: enrollmentsProcedure,
  enroll: enrollProcedure,
  enrollBulk: enrollBulkProcedure,
  pause: pauseEnrollmentProcedure,
  resume: resumeEnrollmentProcedure,
  stop: stopEnrollmentProcedure,
  overview: overviewProcedure,
  impact: impactProcedure,
  pauseSequence: pauseSequenceProcedure,
  resumeSequence: resumeSequenceProcedure,
  archive: archiveSequenceProcedure,
  restore: restoreSequenceProcedure,
  delete: deleteSequenceProcedure,
});
