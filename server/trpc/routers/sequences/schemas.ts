/** Input and output schemas of the sequences procedures (one file per procedure beside this one). */
import { z } from "zod";
import { CurrentState, EnrollmentStatus } from "../../../generated/prisma/enums";
import { ENROLL_OUTCOMES, MAX_ENROLL_BATCH, STEP_CHANNELS, sequenceStepInput } from "../../../sequences/definition";

export const channel = z.enum(STEP_CHANNELS);
export const enrollmentCounts = z.object({ ACTIVE: z.number().int(), PAUSED: z.number().int(), COMPLETED: z.number().int(), STOPPED: z.number().int() });

export const stepOutput = z.object({
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

export const sequenceOutput = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  channel: z.string().nullable(),
  isActive: z.boolean(),
  isDefault: z.boolean(),
  pausedAt: z.date().nullable(),
  archivedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  steps: z.array(stepOutput),
  enrollments: enrollmentCounts,
});

export const sequenceListItem = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  channel: z.string().nullable(),
  isActive: z.boolean(),
  isDefault: z.boolean(),
  pausedAt: z.date().nullable(),
  archivedAt: z.date().nullable(),
  stepCount: z.number().int(),
  enrollments: enrollmentCounts,
});

const count = z.number().int().nonnegative();

export const sequenceCard = sequenceListItem.extend({
  figures: z.object({ enrolled: count, active: count, paused: count, completed: count, stopped: count, replied: count, converted: count }),
  stepFigures: z.array(
    z.object({
      stepNumber: z.number().int(),
      sent: count,
      delivered: count,
      opened: count,
      replied: count,
      positiveReplies: count,
      replyRate: z.number().min(0).nullable(),
    }),
  ),
});

export const impactOutput = z.object({
  sequence: z.object({ id: z.uuid(), name: z.string(), isActive: z.boolean(), isDefault: z.boolean(), pausedAt: z.date().nullable(), archivedAt: z.date().nullable() }),
  active: count,
  pausedByPerson: count,
  pausedBySequence: count,
  dueOnResume: count,
  leadPaused: count,
  completed: count,
  stopped: count,
});

export const pauseOutput = z.object({ sequenceId: z.uuid(), paused: count, changed: z.boolean() });
export const resumeOutput = z.object({ sequenceId: z.uuid(), resumed: count, dueNow: count, completed: count, leadPaused: count, stopped: count, changed: z.boolean() });
export const archiveOutput = z.object({ sequenceId: z.uuid(), stopped: count, changed: z.boolean() });

export const steps = z.array(sequenceStepInput).min(1).max(30);
export const sequenceFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullish(),
  channel: channel.nullish(),
  isActive: z.boolean().optional(),
  isDefault: z.boolean().optional(),
};

export const enrollmentChange = z.object({
  enrollmentId: z.uuid(),
  journeyId: z.uuid(),
  leadId: z.uuid(),
  sequenceId: z.uuid(),
  pendingStep: z.number().int(),
  nextStepAt: z.date().nullable(),
});

export const enrollOutput = z.object({
  counts: z.record(z.enum(ENROLL_OUTCOMES), z.number().int()),
  leads: z.array(z.object({ leadId: z.string(), outcome: z.enum(ENROLL_OUTCOMES), enrollmentId: z.uuid().nullable() })),
});

export const updateInput = z.object({
  sequenceId: z.uuid(),
  name: sequenceFields.name.optional(),
  description: sequenceFields.description,
  channel: sequenceFields.channel,
  isActive: z.boolean().optional(),
  isDefault: z.boolean().optional(),
  steps: steps.optional(),
});

export const enrollmentsInput = z.object({
  sequenceId: z.uuid().optional(),
  leadId: z.uuid().optional(),
  status: z.enum(EnrollmentStatus).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.uuid().optional(),
});

export const enrollmentsOutput = z.object({
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
});

export const enrollBulkInput = z.object({
  sequenceId: z.uuid(),
  target: z.union([
    z.object({ leadIds: z.array(z.uuid()).min(1).max(MAX_ENROLL_BATCH) }),
    z.object({ filter: z.object({ states: z.array(z.enum(CurrentState)).optional(), judet: z.string().trim().min(1).optional() }) }),
  ]),
});
