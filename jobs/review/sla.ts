/**
 * human.review.sla (seeds: index "SLA … delayed"): the delayed "almost due" and breach checks of one
 * review item, queued when the item opens or is escalated (server/review/open.server.ts), and
 * human.review.sla.sweep, every minute, the safety net that catches an item whose delayed job was lost.
 * Both run server/review/sla-check.server.ts; the clock is injectable for tests.
 */
import { activeTenantIds, withTenant } from "../../server/db/client.server";
import { logEvent } from "../../server/observability/logger.server";
import { checkReviewSla, sweepReviewSla } from "../../server/review/sla-check.server";
import { systemClock, type Clock } from "../../server/clock";
import { defineJob } from "../definition";
import { OUTREACH_DLQ, REVIEW_SLA_QUEUE, REVIEW_SLA_SWEEP_QUEUE, reviewSlaPayload, reviewSlaSweepPayload } from "../queues";
import { pgBossTransactionalQueue } from "../transactional-queue";

let clock: Clock = systemClock;
/** Tests: the SLA jobs' notion of now. */
export function configureReviewClock(next: Clock): void {
  clock = next;
}

export const reviewSlaJob = defineJob({
  name: REVIEW_SLA_QUEUE,
  seedName: "human:review:queue",
  payload: reviewSlaPayload,
  policy: "standard",
  retryLimit: 3,
  retryDelaySeconds: 30,
  retryBackoff: true,
  deadLetter: OUTREACH_DLQ,
  localConcurrency: 2,
  async handler(data, { jobId, boss }) {
    const queue = pgBossTransactionalQueue(boss);
    const outcome = await withTenant(data.tenantId, (tx) => checkReviewSla(tx, queue, { tenantId: data.tenantId, reviewId: data.reviewId, check: data.check, dueAt: new Date(data.dueAt), now: clock() }));
    logEvent(outcome === "breached" ? "warn" : "info", { worker: REVIEW_SLA_QUEUE, jobId, action: `review.sla.${outcome}`, metadata: { reviewId: data.reviewId, check: data.check } });
    return { outcome };
  },
});

export const reviewSlaSweepJob = defineJob({
  name: REVIEW_SLA_SWEEP_QUEUE,
  payload: reviewSlaSweepPayload,
  policy: "singleton",
  retryLimit: 1,
  retryDelaySeconds: 30,
  retryBackoff: false,
  localConcurrency: 1,
  schedule: { cron: "* * * * *", tz: "Europe/Bucharest", data: {} },
  async handler(data, { jobId, boss }) {
    const queue = pgBossTransactionalQueue(boss);
    let breached = 0;
    let warned = 0;
    for (const tenantId of data.tenantId ? [data.tenantId] : await activeTenantIds()) {
      const r = await withTenant(tenantId, (tx) => sweepReviewSla(tx, queue, { tenantId, now: clock() }), { timeoutMs: 60_000 });
      breached += r.breached;
      warned += r.warned;
    }
    if (breached + warned > 0) logEvent("info", { worker: REVIEW_SLA_SWEEP_QUEUE, jobId, action: "review.sla.sweep", metadata: { breached, warned } });
    return { breached, warned };
  },
});
