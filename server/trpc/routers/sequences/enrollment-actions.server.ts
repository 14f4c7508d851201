/** A person pauses, resumes or stops one enrollment (the pipeline re-checks it when a send job runs). */
import { z } from "zod";
import { audited } from "../../../audit/audit.server";
import { loadTenantCalendar } from "../../../quota/settings.server";
import { pauseEnrollment, resumeEnrollment, stopEnrollment } from "../../../sequences/sequences.server";
import { repProcedure } from "../../init.server";
import { enrollmentChange } from "./schemas";
import { rest } from "../../rest";

const enrollmentId = z.object({ enrollmentId: z.uuid() });
const entity = { entityType: "sequence_enrollment" } as const;

export const pauseEnrollmentProcedure = repProcedure
  .meta(rest("POST", "/enrollments/{enrollmentId}/pause", "Pause one enrollment"))
  .input(enrollmentId)
  .output(enrollmentChange)
  .mutation(({ ctx, input }) =>
    ctx.db((tx) =>
      audited(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, action: "enrollment.pause", ...entity, entityId: () => input.enrollmentId }, () =>
        pauseEnrollment(tx, input.enrollmentId, ctx.clock()),
      ),
    ),
  );

export const resumeEnrollmentProcedure = repProcedure
  .meta(rest("POST", "/enrollments/{enrollmentId}/resume", "Resume one enrollment"))
  .input(enrollmentId)
  .output(enrollmentChange)
  .mutation(({ ctx, input }) =>
    ctx.db(async (tx) => {
      const calendar = await loadTenantCalendar(tx, ctx.user.tenantId);
      return audited(tx, { tenantId: ctx.user.tenantId, actor: ctx.actor, action: "enrollment.resume", ...entity, entityId: () => input.enrollmentId }, () =>
        resumeEnrollment(tx, input.enrollmentId, ctx.clock(), calendar),
      );
    }),
  );

export const stopEnrollmentProcedure = repProcedure
  .meta(rest("POST", "/enrollments/{enrollmentId}/stop", "Stop one enrollment"))
  .input(z.object({ enrollmentId: z.uuid(), reason: z.string().trim().min(1).max(500) }))
  .output(z.object({ stopped: enrollmentChange.nullable() }))
  .mutation(({ ctx, input }) =>
    ctx.db((tx) =>
      audited(
        tx,
        { tenantId: ctx.user.tenantId, actor: ctx.actor, action: "enrollment.stop", ...entity, entityId: () => input.enrollmentId, after: (r) => ({ reason: input.reason, ...r }) },
        async () => ({ stopped: await stopEnrollment(tx, input.enrollmentId, input.reason, ctx.clock()) }),
      ),
    ),
  );
