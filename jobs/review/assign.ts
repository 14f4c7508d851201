/**
 * human.review.assign: automatic assignment (server/review/assignment.server.ts), queued when an item
 * opens or a rep's item is resolved, and every five minutes for items that waited while everyone was
 * full or off. One run per tenant at a time (an advisory lock inside).
 */
import { activeTenantIds, withTenant } from "../../server/db/client.server";
import { logEvent } from "../../server/observability/logger.server";
import { autoAssignReviews } from "../../server/review/assignment.server";
import { defineJob } from "../definition";
import { REVIEW_ASSIGN_QUEUE, reviewAssignPayload } from "../queues";

export const reviewAssignJob = defineJob({
  name: REVIEW_ASSIGN_QUEUE,
  seedName: "human:review:queue",
  payload: reviewAssignPayload,
  policy: "standard",
  retryLimit: 3,
  retryDelaySeconds: 10,
  retryBackoff: true,
  localConcurrency: 1,
  schedule: { cron: "*/5 * * * *", tz: "Europe/Bucharest", data: {} },
  async handler(data, { jobId }) {
    let assigned = 0;
    let waiting = 0;
    for (const tenantId of data.tenantId ? [data.tenantId] : await activeTenantIds()) {
      const r = await withTenant(tenantId, (tx) => autoAssignReviews(tx, { tenantId, now: new Date() }), { timeoutMs: 60_000 });
      assigned += r.assigned.length;
      waiting += r.waiting;
    }
    if (assigned > 0) logEvent("info", { worker: REVIEW_ASSIGN_QUEUE, jobId, action: "review.auto_assigned", metadata: { assigned, waiting } });
    return { assigned, waiting };
  },
});
