/**
 * What the pipeline needs from three neighbouring domains being written alongside it: the template
 * renderer (server/templates), the lead state machine (server/lead-state) and sequences
 * (server/sequences). The pipeline codes against these small interfaces; the job wiring
 * (jobs/pipeline/deps.ts) plugs in the real modules.
 */
import type { TenantTx } from "../db/client.server";
import type { JourneyEnrolment } from "../sequences/sequences.server";
import type { ChannelName, CurrentState, SendChannel } from "./rules/types";

export interface SequenceStepRef {
  sequenceId: string;
  stepNumber: number;
  /** The channel the step asks for (channel selection may still fall back). */
  channel: ChannelName;
  templateId: string;
  /** The step's fallback template of the other channel and that template's channel (null = none). */
  fallback: { templateId: string; channel: ChannelName } | null;
}

export interface NextSteps {
  /** Per journey, null when nothing is left to send. */
  steps: Map<string, SequenceStepRef | null>;
  /** Journeys this call enrolled, whose journey columns the caller must write in the same transaction. */
  enrolled: JourneyEnrolment | null;
}

export interface SequencePort {
  /**
   * The step due now for each journey (one call per dispatch batch), enrolling COLD leads without a
   * sequence in the tenant's default one. The enrolment's rows are written; the enrolled journeys'
   * own columns are returned for the caller, which updates those journeys anyway (one update instead
   * of two).
   */
  nextStepsFor(
    tx: TenantTx,
    input: { tenantId: string; journeys: ReadonlyArray<{ journeyId: string; leadId: string; state: CurrentState }>; now: Date },
  ): Promise<NextSteps>;
  /** Records that `stepNumber` went out and schedules the next one; returns when it is due (null = finished). */
  advanceAfterSend(tx: TenantTx, input: { tenantId: string; journeyId: string; sequenceId: string; stepNumber: number; sentAt: Date }): Promise<{ nextActionAt: Date | null }>;
}

export interface RenderedMessage {
  text: string;
  /** Email only. */
  subject?: string;
  html?: string;
  templateVersionId: string | null;
}

export interface TemplatePort {
  /** Throws a coded DomainError (e.g. a required variable without a value): never renders a blank. */
  render(tx: TenantTx, input: { tenantId: string; templateId: string; leadId: string; journeyId: string; channel: SendChannel }): Promise<RenderedMessage>;
}

export interface LeadStatePort {
  /** Moves the lead, recording who/what/why; rejects illegal moves with a coded error. */
  transition(
    tx: TenantTx,
    input: { tenantId: string; journeyId: string; to: CurrentState; actor: { type: "JOB"; id: string }; reason: string; metadata?: Record<string, unknown>; at?: Date },
  ): Promise<void>;
}

export interface PipelinePorts {
  sequences: SequencePort;
  templates: TemplatePort;
  leadState: LeadStatePort;
}
