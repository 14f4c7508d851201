/**
 * Queue names and payloads of the pipeline, for producers (dispatch) and the job definitions in
 * jobs/pipeline/. Names are the seeds' with ':' mapped to '.' (ADR 0005); the WhatsApp send queue is
 * the one phone lifecycle already cancels from (server/phones/pending-sends.server.ts).
 */
import { z } from "zod";
import { OUTREACH_DLQ } from "../events/queues";
import { WA_SEND_QUEUE } from "../phones/pending-sends.server";

export { OUTREACH_DLQ, WA_SEND_QUEUE };

/** seeds `outreach:orchestrator:dispatch`. */
export const DISPATCH_QUEUE = "outreach.orchestrator.dispatch";
export const dispatchPayload = z
  .object({
    /** Absent on the cron tick: the tick fans out one job per active tenant. */
    tenantId: z.uuid().optional(),
    /** ISO start of the 5-minute slot; absent = the slot of "now". */
    slot: z.iso.datetime().optional(),
  })
  .strict();

/** Job-level retries already made, per budget of seeds §6.1 (server/pipeline/rules/failure.ts). */
const attemptsSchema = z.object({ network: z.number().int().min(0), server: z.number().int().min(0), rateLimit: z.number().int().min(0) }).partial();

export const waSendPayload = z
  .object({
    tenantId: z.uuid(),
    journeyId: z.uuid(),
    leadId: z.uuid(),
    phoneId: z.uuid(),
    sequenceId: z.uuid(),
    stepNumber: z.number().int().min(1),
    templateId: z.uuid(),
    /** Slot of the dispatch run that queued it (explainability). */
    dispatchSlot: z.string().optional(),
    attempts: attemptsSchema.default({}),
    /** How often the job deferred itself for spacing (diagnostics only). */
    deferrals: z.number().int().min(0).default(0),
    /**
     * A follow-up goes before initial messages waiting on the same phone (server/pipeline/rules/send-order.ts).
     * Part of the payload so every re-enqueue (spacing, retries) keeps it; absent on jobs queued before
     * it existed, which then count as initial messages.
     */
    followUp: z.boolean().default(false),
  })
  .strict();
export type WaSendPayload = z.output<typeof waSendPayload>;

/** seeds `q:email:cold` / `q:email:warm`. */
export const EMAIL_COLD_QUEUE = "q.email.cold";
export const EMAIL_WARM_QUEUE = "q.email.warm";
export const emailSendPayload = z
  .object({
    tenantId: z.uuid(),
    journeyId: z.uuid(),
    leadId: z.uuid(),
    sequenceId: z.uuid(),
    stepNumber: z.number().int().min(1),
    templateId: z.uuid(),
    dispatchSlot: z.string().optional(),
    attempts: attemptsSchema.default({}),
  })
  .strict();
export type EmailSendPayload = z.output<typeof emailSendPayload>;
