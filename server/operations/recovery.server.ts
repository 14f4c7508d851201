/**
 * Runbook §6, recovery after a database restore or a Redis loss, for one tenant:
 *   1. Redis: counters and phone mirrors rebuilt from the log (resync; the quota store's sentinel is
 *      the caller's: `npm run ops -- recover` rebuilds every tenant and rewrites it).
 *   2. Pending follow-ups re-created from next_action_at: in this design a follow-up is not a job but a
 *      date on the journey (dispatch reads next_action_at every 5 minutes), so what a restore can break
 *      is that date. Two repairs, both idempotent:
 *      - a journey leased to a send job ("send queued", next_action_at in the future) whose job no
 *        longer exists in pg-boss (restored from an older backup, deleted) is due again now; the
 *        send's idempotency key makes sure a step that did go out is not sent twice;
 *      - a journey in an active sequence with its next step planned (sequence_enrollments.next_step_at)
 *        but no next_action_at gets the enrollment's date back.
 * Dry run: the counts, nothing written. Applied: audited with the counts.
 */
import type { Actor } from "../audit/actor";
import { recordAudit } from "../audit/audit.server";
import { withTenant } from "../db/client.server";
import { getEnv } from "../config/env.server";
import { resyncTenant } from "../quota/resync.server";
import type { QuotaStore } from "../quota/store.server";
import type { Clock } from "../clock";
import { DISPATCHABLE_STATES } from "../pipeline/rules/eligibility";
import { EMAIL_COLD_QUEUE, EMAIL_WARM_QUEUE, waSendQueue } from "../../jobs/queues";

export interface RecoveryPlan {
  tenantId: string;
  /** Journeys whose queued send is gone: due again. */
  lostLeases: number;
  /** Journeys whose next follow-up date was missing: restored from the enrollment. */
  missingNextAction: number;
  /** Phones whose Redis counter the log raised. */
  countersRaised: number;
  phones: number;
  applied: boolean;
}

/** The queues a tenant's sends wait in: its own WhatsApp send queue and the email queues. */
const sendQueues = (tenantId: string) => [waSendQueue(tenantId), EMAIL_COLD_QUEUE, EMAIL_WARM_QUEUE];

export async function recoverTenant(
  deps: { store: QuotaStore; clock: Clock },
  tenantId: string,
  input: { dryRun: boolean; actor: Actor; /** False when the caller rebuilds Redis for every tenant itself. */ resync?: boolean },
): Promise<RecoveryPlan> {
  const now = deps.clock();
  const schema = getEnv().PGBOSS_SCHEMA;
  const states = [...DISPATCHABLE_STATES];
  // Journeys leased to a send (dispatch's last decision was to queue one) with no live send job.
  const lostLeaseSql = `
    SELECT j.id FROM gold_lead_journey j
     WHERE j.next_action_at > $1
       AND j.last_dispatch_outcome->>'result' IN ('DISPATCHED_WHATSAPP', 'DISPATCHED_EMAIL')
       AND j.current_state::text = ANY($2::text[])
       AND NOT EXISTS (
         SELECT 1 FROM ${schema}.job q
          WHERE q.name = ANY($3::text[]) AND q.state < 'completed' AND q.data->>'journeyId' = j.id::text)`;
  const missingSql = `
    SELECT j.id, min(e.next_step_at) AS next_at FROM gold_lead_journey j
      JOIN sequence_enrollments e ON e.journey_id = j.id AND e.status = 'ACTIVE' AND e.next_step_at IS NOT NULL
     WHERE j.next_action_at IS NULL AND NOT j.sequence_paused AND NOT j.is_human_controlled AND NOT j.requires_human_review
       AND j.current_state::text = ANY($1::text[])
     GROUP BY j.id`;

  const counts = await withTenant(
    tenantId,
    async (tx) => {
      const lost = await tx.$queryRawUnsafe<Array<{ id: string }>>(lostLeaseSql, now, states, sendQueues(tenantId));
      const missing = await tx.$queryRawUnsafe<Array<{ id: string; next_at: Date }>>(missingSql, states);
      if (!input.dryRun) {
        if (lost.length > 0) {
          await tx.goldLeadJourney.updateMany({ where: { id: { in: lost.map((r) => r.id) } }, data: { nextActionAt: now, nextActionReason: "recovery: the queued send was lost; due again" } });
        }
        for (const m of missing) {
          await tx.goldLeadJourney.update({ where: { id: m.id }, data: { nextActionAt: m.next_at, nextActionReason: "recovery: next step date restored from the enrollment" }, select: { id: true } });
        }
      }
      return { lost: lost.length, missing: missing.length };
    },
    { timeoutMs: 120_000 },
  );

  let countersRaised = 0;
  let phones = 0;
  if (!input.dryRun && input.resync !== false) {
    const r = await resyncTenant(deps, (fn) => withTenant(tenantId, fn), tenantId, input.actor);
    countersRaised = r.phones.filter((p) => p.after !== p.before).length;
    phones = r.phones.length;
  }
  if (!input.dryRun) {
    await withTenant(tenantId, (tx) =>
      recordAudit(tx, { tenantId, actor: input.actor, action: "operations.recover", entityType: "tenant", entityId: tenantId, after: { lostLeases: counts.lost, missingNextAction: counts.missing, countersRaised, phones } }),
    );
  }
  return { tenantId, lostLeases: counts.lost, missingNextAction: counts.missing, countersRaised, phones, applied: !input.dryRun };
}
