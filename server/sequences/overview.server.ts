/**
 * The sequence cards: how many leads each sequence holds and how they fared, and how each step does.
 *
 * Enrollment counts come from the enrollments and the lead's journey (what is true now):
 *   enrolled   every enrollment, whatever its status (re-enrolling reuses the row: a lead counts once)
 *   active / paused / completed / stopped   by status
 *   replied    enrolled leads who replied after they were enrolled (journey.last_reply_at)
 *   converted  enrolled leads now CONVERTED
 * Step figures come from the daily step statistics (outreach_daily_step_stats, the stats job's
 * breakdown of the log), summed over all days: sent, replies attributed to the step (the lead's last
 * message before the reply), positive replies, and the reply rate replies / sent.
 */
import type { TenantTx } from "../db/client.server";

export interface StepFigures {
  stepNumber: number;
  sent: number;
  delivered: number;
  opened: number;
  replied: number;
  positiveReplies: number;
  /** replied / sent; null before anything was sent. */
  replyRate: number | null;
}

export interface SequenceFigures {
  sequenceId: string;
  enrolled: number;
  active: number;
  paused: number;
  completed: number;
  stopped: number;
  replied: number;
  converted: number;
  steps: StepFigures[];
}

const rate = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export async function sequenceFigures(tx: TenantTx, sequenceIds?: readonly string[]): Promise<Map<string, SequenceFigures>> {
  const ids = sequenceIds ? [...sequenceIds] : null;
  const enrollments = await tx.$queryRaw<Array<Omit<SequenceFigures, "steps" | "sequenceId"> & { sequence_id: string }>>`
    SELECT e.sequence_id::text,
           count(*)::int AS enrolled,
           count(*) FILTER (WHERE e.status = 'ACTIVE')::int AS active,
           count(*) FILTER (WHERE e.status = 'PAUSED')::int AS paused,
           count(*) FILTER (WHERE e.status = 'COMPLETED')::int AS completed,
           count(*) FILTER (WHERE e.status = 'STOPPED')::int AS stopped,
           count(*) FILTER (WHERE j.last_reply_at >= e.enrolled_at)::int AS replied,
           count(*) FILTER (WHERE j.current_state = 'CONVERTED')::int AS converted
      FROM sequence_enrollments e
      JOIN gold_lead_journey j ON j.id = e.journey_id
     WHERE (${ids}::uuid[] IS NULL OR e.sequence_id = ANY(${ids}::uuid[]))
     GROUP BY e.sequence_id`;
  const steps = await tx.$queryRaw<Array<{ sequence_id: string; step_number: number; sent: number; delivered: number; opened: number; replied: number; positive: number }>>`
    SELECT sequence_id::text, step_number,
           sum(sent)::int AS sent, sum(delivered)::int AS delivered, sum(opened)::int AS opened,
           sum(replied)::int AS replied, sum(positive_replies)::int AS positive
      FROM outreach_daily_step_stats
     WHERE (${ids}::uuid[] IS NULL OR sequence_id = ANY(${ids}::uuid[]))
     GROUP BY 1, 2
     ORDER BY 1, 2`;

  const out = new Map<string, SequenceFigures>();
  const get = (id: string): SequenceFigures => {
    let f = out.get(id);
    if (!f) {
      f = { sequenceId: id, enrolled: 0, active: 0, paused: 0, completed: 0, stopped: 0, replied: 0, converted: 0, steps: [] };
      out.set(id, f);
    }
    return f;
  };
  for (const { sequence_id, ...counts } of enrollments) Object.assign(get(sequence_id), counts);
  for (const s of steps) {
    get(s.sequence_id).steps.push({
      stepNumber: s.step_number,
      sent: s.sent,
      delivered: s.delivered,
      opened: s.opened,
      replied: s.replied,
      positiveReplies: s.positive,
      replyRate: rate(s.replied, s.sent),
    });
  }
  return out;
}
