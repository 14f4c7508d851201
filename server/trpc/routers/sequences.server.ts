/**
 * Sequences (issue 5 item 8): definitions, enrollment, pause/resume/stop per enrollment.
 * Tiers: reps read; MANAGER edits definitions and enrolls in bulk; a rep may enroll, pause, resume and
 * stop single leads (their daily work). Writes are audited.
 *
 * Pending send jobs are not cancelled here: the pipeline re-checks the enrollment when a job runs
 * (ACTIVE, same step), so a stopped or paused enrollment's job does nothing. The procedures return
 * what they stopped for a caller that wants to cancel early.
 */
import { z } from "zod";
import type { TenantTx } from "../../db/client.server";
import { CurrentState, EnrollmentStatus } from "../../generated/prisma/enums";
import type { Prisma } from "../../generated/prisma/client";
import { insertAudit } from "../../phones/repository.server";
import { loadTenantQuotaSettings } from "../../quota/settings.server";
import { calendarFor } from "../../quota/window";
import { systemClock, type Clock } from "../../clock";
import { STEP_CHANNELS, sequenceStepInput } from "../../sequences/definition";
import {
  ENROLL_OUTCOMES,
  MAX_ENROLL_BATCH,
  createSequence,
  enrollLeads,
  getSequence,
  listEnrollments,
  listSequences,
  pauseEnrollment,
  resumeEnrollment,
  stopEnrollment,
  updateSequence,
} from "../../sequences/sequences.server";
import { managerProcedure, repProcedure, router, type AuthedContext } from "../init.server";

const channel = z.enum(STEP_CHANNELS);
const enrollmentCounts = z.object({ ACTIVE: z.number().int(), PAUSED: z.number().int(), COMPLETED: z.number().int(), STOPPED: z.number().int() });

const stepOutput = z.object({
  id: z.uuid(),
  stepNumber: z.number().int(),
  name: z.string().nullable(),
  channel: z.string(),
  templateId: z.uuid(),
  templateName: z.string(),
  fallbackTemplateId: z.uuid().nullable(),
  fallbackTemplateName: z.string().nullable(),
  delayHours: z.number().int(),
  delayMinutes: z.number().int(),
  stopOnReply: z.boolean(),
  respectBusinessHours: z.boolean(),
});

const sequenceOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  channel: z.string().nullable(),
  isActive: z.boolean(),
  isDefault: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
  steps: z.array(stepOutput),
  enrollments: enrollmentCounts,
});

const sequenceListItem = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  channel: z.string().nullable(),
  isActive: z.boolean(),
  isDefault: z.boolean(),
  stepCount: z.number().int(),
  enrollments: enrollmentCounts,
});

const steps = z.array(sequenceStepInput).min(1).max(30);
const sequenceFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullish(),
  channel: channel.nullish(),
  isActive: z.boolean().optional(),
  isDefault: z.boolean().optional(),
};

const enrollmentChange = z.object({
  enrollmentId: z.uuid(),
  journeyId: z.uuid(),
  leadId: z.uuid(),
  sequenceId: z.uuid(),
  pendingStep: z.number().int(),
  nextStepAt: z.date().nullable(),
});

const enrollOutput = z.object({
  counts: z.record(z.enum(ENROLL_OUTCOMES), z.number().int()),
  leads: z.array(z.object({ leadId: z.string(), outcome: z.enum(ENROLL_OUTCOMES), enrollmentId: z.uuid().nullable() })),
});

export interface SequencesRouterDeps {
  clock: Clock;
}

async function tenantCalendar(tx: TenantTx, tenantId: string) {
  return calendarFor((await loadTenantQuotaSettings(tx, tenantId)).window);
}

async function audit(tx: TenantTx, ctx: AuthedContext, action: string, entityType: string, entityId: string | null, after: unknown) {
  await insertAudit(tx, {
    tenantId: ctx.user.tenantId,
    actorType: "USER",
    actorUserId: ctx.user.id,
    action,
    entityType,
    entityId,
    after: JSON.parse(JSON.stringify(after ?? null)) as Prisma.InputJsonValue,
    ip: ctx.ip,
  });
}

export function createSequencesRouter(deps: SequencesRouterDeps = { clock: systemClock }) {
  return router({
    list: repProcedure.output(z.array(sequenceListItem)).query(({ ctx }) => ctx.db((tx) => listSequences(tx))),

    get: repProcedure
      .input(z.object({ sequenceId: z.uuid() }))
      .output(sequenceOutput)
      .query(({ ctx, input }) => ctx.db((tx) => getSequence(tx, input.sequenceId))),

    create: managerProcedure
      .input(z.object({ ...sequenceFields, steps }))
      .output(sequenceOutput)
      .mutation(({ ctx, input }) =>
        ctx.db(async (tx) => {
          const s = await createSequence(tx, ctx.user.tenantId, input);
          await audit(tx, ctx, "sequence.create", "outreach_sequence", s.id, s);
          return s;
        }),
      ),

    update: managerProcedure
      .input(
        z.object({
          sequenceId: z.uuid(),
          name: sequenceFields.name.optional(),
          description: sequenceFields.description,
          channel: sequenceFields.channel,
          isActive: z.boolean().optional(),
          isDefault: z.boolean().optional(),
          steps: steps.optional(),
        }),
      )
      .output(sequenceOutput)
      .mutation(({ ctx, input }) =>
        ctx.db(async (tx) => {
          const { sequenceId, ...rest } = input;
          const s = await updateSequence(tx, ctx.user.tenantId, sequenceId, rest);
          await audit(tx, ctx, "sequence.update", "outreach_sequence", s.id, s);
          return s;
        }),
      ),

    enrollments: repProcedure
      .input(
        z.object({
          sequenceId: z.uuid().optional(),
          leadId: z.uuid().optional(),
          status: z.enum(EnrollmentStatus).optional(),
          limit: z.number().int().min(1).max(200).default(50),
          cursor: z.uuid().optional(),
        }),
      )
      .output(
        z.object({
          items: z.array(
            z.object({
              id: z.uuid(),
              leadId: z.uuid(),
              leadName: z.string(),
              journeyId: z.uuid(),
              sequenceId: z.uuid(),
              status: z.enum(EnrollmentStatus),
              currentStep: z.number().int(),
              nextStepAt: z.date().nullable(),
              lastStepAt: z.date().nullable(),
              pausedAt: z.date().nullable(),
              stoppedAt: z.date().nullable(),
              stoppedReason: z.string().nullable(),
              enrolledAt: z.date(),
              completedAt: z.date().nullable(),
            }),
          ),
          nextCursor: z.uuid().nullable(),
        }),
      )
      .query(({ ctx, input }) =>
        ctx.db(async (tx) => {
          const rows = await listEnrollments(tx, input);
          const more = rows.length > input.limit;
          const page = more ? rows.slice(0, input.limit) : rows;
          return { items: page.map(({ lead, ...e }) => ({ ...e, leadName: lead.denumire })), nextCursor: more ? (page[page.length - 1]?.id ?? null) : null };
        }),
      ),

    /** One lead (a rep's action from the lead page). */
    enroll: repProcedure
      .input(z.object({ sequenceId: z.uuid(), leadId: z.uuid() }))
      .output(enrollOutput)
      .mutation(({ ctx, input }) =>
        ctx.db(async (tx) => {
          const r = await enrollLeads(tx, {
            tenantId: ctx.user.tenantId,
            sequenceId: input.sequenceId,
            target: { leadIds: [input.leadId] },
            now: deps.clock(),
            calendar: await tenantCalendar(tx, ctx.user.tenantId),
          });
          await audit(tx, ctx, "sequence.enroll", "outreach_sequence", input.sequenceId, { leadId: input.leadId, counts: r.counts });
          return r;
        }),
      ),

    /** Many leads, by ids or by a filter (at most MAX_ENROLL_BATCH per call). */
    enrollBulk: managerProcedure
      .input(
        z.object({
          sequenceId: z.uuid(),
          target: z.union([
            z.object({ leadIds: z.array(z.uuid()).min(1).max(MAX_ENROLL_BATCH) }),
            z.object({ filter: z.object({ states: z.array(z.enum(CurrentState)).optional(), judet: z.string().trim().min(1).optional() }) }),
          ]),
        }),
      )
      .output(enrollOutput)
      .mutation(({ ctx, input }) =>
        ctx.db(
          async (tx) => {
            const r = await enrollLeads(tx, {
              tenantId: ctx.user.tenantId,
              sequenceId: input.sequenceId,
              target: input.target,
              now: deps.clock(),
              calendar: await tenantCalendar(tx, ctx.user.tenantId),
            });
            await audit(tx, ctx, "sequence.enroll_bulk", "outreach_sequence", input.sequenceId, { target: "filter" in input.target ? input.target.filter : { leadIds: input.target.leadIds.length }, counts: r.counts });
            return r;
          },
        ),
      ),

    pause: repProcedure
      .input(z.object({ enrollmentId: z.uuid() }))
      .output(enrollmentChange)
      .mutation(({ ctx, input }) =>
        ctx.db(async (tx) => {
          const r = await pauseEnrollment(tx, input.enrollmentId, deps.clock());
          await audit(tx, ctx, "enrollment.pause", "sequence_enrollment", input.enrollmentId, r);
          return r;
        }),
      ),

    resume: repProcedure
      .input(z.object({ enrollmentId: z.uuid() }))
      .output(enrollmentChange)
      .mutation(({ ctx, input }) =>
        ctx.db(async (tx) => {
          const r = await resumeEnrollment(tx, input.enrollmentId, deps.clock(), await tenantCalendar(tx, ctx.user.tenantId));
          await audit(tx, ctx, "enrollment.resume", "sequence_enrollment", input.enrollmentId, r);
          return r;
        }),
      ),

    stop: repProcedure
      .input(z.object({ enrollmentId: z.uuid(), reason: z.string().trim().min(1).max(500) }))
      .output(z.object({ stopped: enrollmentChange.nullable() }))
      .mutation(({ ctx, input }) =>
        ctx.db(async (tx) => {
          const r = await stopEnrollment(tx, input.enrollmentId, input.reason, deps.clock());
          await audit(tx, ctx, "enrollment.stop", "sequence_enrollment", input.enrollmentId, { reason: input.reason, stopped: r });
          return { stopped: r };
        }),
      ),
  });
}

export const sequencesRouter = createSequencesRouter();
