import { z } from "zod";
import { loadDashboardSummary } from "../../dashboard/summary.server";
import { CurrentState, ReviewPriority } from "../../generated/prisma/enums";
import { repProcedure, router } from "../init.server";
import { rest } from "../rest";

const count = z.number().int().nonnegative();
const dayKey = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * The output schema is the contract with the browser: it lists exactly what leaves the server
 * (aggregates only, no lead or user identities) and fails loudly if the query code drifts from it.
 */
export const dashboardSummaryOutput = z.object({
  generatedAt: z.iso.datetime(),
  timeZone: z.string(),
  today: dayKey,
  leads: z.object({ total: count, byState: z.record(z.enum(CurrentState), count) }),
  todayActivity: z.object({ contactedLeads: count, repliedLeads: count }),
  replyRate: z.object({
    windowStart: dayKey,
    contacted: count,
    replied: count,
    rate: z.number().min(0).max(1).nullable(),
  }),
  reviews: z.object({
    open: count,
    byPriority: z.record(z.enum(ReviewPriority), count),
    slaBreached: count,
    slaMinutes: z.record(z.enum(ReviewPriority), z.number().int().positive()),
  }),
  history: z.array(
    z.object({
      date: dayKey,
      stats: z
        .object({
          messagesSent: count,
          whatsappSent: count,
          emailColdSent: count,
          emailWarmSent: count,
          newContacts: count,
          replies: count,
        })
        .nullable(),
    }),
  ),
});

export type DashboardSummaryOutput = z.infer<typeof dashboardSummaryOutput>;

export const dashboardRouter = router({
  summary: repProcedure
    .meta(rest("GET", "/analytics/summary", "Today's figures, the funnel, quota use and the last days' activity"))
    .output(dashboardSummaryOutput)
    .query(({ ctx }) => ctx.db((tx) => loadDashboardSummary(tx, { tenantId: ctx.user.tenantId, now: new Date() }))),
});
