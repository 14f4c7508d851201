/**
 * The read model behind the dashboard: a handful of aggregate queries over one tenant's data.
 *
 * Every query runs on the transaction the caller hands in, which row-level security has bound to the
 * caller's tenant; each one also filters on tenant_id explicitly, so a missing or mis-set RLS policy
 * would still not mix tenants, and the planner can use the (tenant_id, …) indexes.
 *
 * "Today" and the 14-day window are calendar days in the tenant's time zone (Europe/Bucharest by
 * default), the same days the WhatsApp quota and the daily stats are keyed by.
 */
import { DateTime } from "luxon";
import type { TenantTx } from "../db/client.server";
import { CurrentState, ReviewPriority } from "../generated/prisma/enums";

/** Taken from the generated enums so a new state or priority in schema.prisma is counted, not dropped. */
export const JOURNEY_STATES: readonly CurrentState[] = Object.values(CurrentState);
export const REVIEW_PRIORITIES: readonly ReviewPriority[] = Object.values(ReviewPriority);

/** Review statuses that still need a person; RESOLVED and EXPIRED are done. */
const OPEN_REVIEW_STATUSES = ["PENDING", "ASSIGNED", "IN_PROGRESS", "ESCALATED"] as const;

export const HISTORY_DAYS = 14;

export interface DayWindow {
  /** Today as `YYYY-MM-DD` in the tenant's zone. */
  today: string;
  /** Start of today in the tenant's zone, as an instant. */
  todayStart: Date;
  /** Start of the first day of the history window (today and the 13 days before it). */
  historyStart: Date;
  /** The history window's days, oldest first, as `YYYY-MM-DD`. */
  historyDays: string[];
}

/** Day boundaries by the calendar, not by 24-hour steps, so DST change days are 23 or 25 hours long. */
export function dayWindow(timeZone: string, now: Date, days = HISTORY_DAYS): DayWindow {
  const local = DateTime.fromJSDate(now, { zone: timeZone }).startOf("day");
  if (!local.isValid) throw new Error(`dayWindow: invalid time zone ${timeZone}`);
  const first = local.minus({ days: days - 1 });
  return {
    today: local.toISODate() as string,
    todayStart: local.toJSDate(),
    historyStart: first.toJSDate(),
    historyDays: Array.from({ length: days }, (_, i) => first.plus({ days: i }).toISODate() as string),
  };
}

export type StateCounts = Record<CurrentState, number>;
export type PriorityCounts = Record<ReviewPriority, number>;

export interface DailyStatsPoint {
  date: string;
  /** null when the nightly aggregation has not produced a row for that day: unknown, not zero. */
  stats: {
    messagesSent: number;
    whatsappSent: number;
    emailColdSent: number;
    emailWarmSent: number;
    newContacts: number;
    replies: number;
  } | null;
}

export interface DashboardSummary {
  generatedAt: string;
  timeZone: string;
  today: string;
  leads: { total: number; byState: StateCounts };
  todayActivity: { contactedLeads: number; repliedLeads: number };
  /** Leads first contacted in the window, and how many of them have replied since. */
  replyRate: { windowStart: string; contacted: number; replied: number; rate: number | null };
  reviews: { open: number; byPriority: PriorityCounts; slaBreached: number; slaMinutes: PriorityCounts };
  history: DailyStatsPoint[];
}

function zeroes<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
}

/** `@db.Date` values arrive as UTC midnight; their UTC date is the stored calendar day. */
function dayKeyOfDateColumn(value: Date): string {
  return value.toISOString().slice(0, 10);
}

export async function loadDashboardSummary(tx: TenantTx, input: { tenantId: string; now: Date }): Promise<DashboardSummary> {
  const { tenantId, now } = input;
  const tenant = await tx.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { timezone: true, slaUrgentMinutes: true, slaHighMinutes: true, slaMediumMinutes: true, slaLowMinutes: true },
  });
  const window = dayWindow(tenant.timezone, now);
  const openReview = { tenantId, status: { in: [...OPEN_REVIEW_STATUSES] } };

  const byStateRows = await tx.goldLeadJourney.groupBy({ by: ["currentState"], where: { tenantId }, _count: { _all: true } });
  // Distinct leads, not messages: a follow-up burst or a lead writing three short messages in a
  // row counts once. Outbound counts when it actually left (sent_at), inbound when it arrived.
  const [activity] = await tx.$queryRaw<Array<{ contacted: number; replied: number }>>`
    SELECT
      COUNT(DISTINCT journey_id) FILTER (WHERE direction = 'OUTBOUND' AND sent_at >= ${window.todayStart} AND sent_at <= ${now})::int AS contacted,
      COUNT(DISTINCT journey_id) FILTER (WHERE direction = 'INBOUND' AND created_at >= ${window.todayStart} AND created_at <= ${now})::int AS replied
    FROM gold_communication_log
    WHERE tenant_id = ${tenantId}::uuid
      AND (sent_at >= ${window.todayStart} OR created_at >= ${window.todayStart})`;
  const firstContacted = await tx.goldLeadJourney.count({ where: { tenantId, firstContactAt: { gte: window.historyStart, lte: now } } });
  const firstContactedReplied = await tx.goldLeadJourney.count({ where: { tenantId, firstContactAt: { gte: window.historyStart, lte: now }, replyCount: { gt: 0 } } });
  const byPriorityRows = await tx.humanReviewQueue.groupBy({ by: ["priority"], where: openReview, _count: { _all: true } });
  // The breach job may run a little after the deadline; an item past its due time is overdue now.
  const slaBreached = await tx.humanReviewQueue.count({ where: { ...openReview, OR: [{ slaBreached: true }, { slaDueAt: { lt: now } }] } });
  const statsRows = await tx.outreachDailyStats.findMany({
    where: { tenantId, statDate: { gte: new Date(`${window.historyDays[0]}T00:00:00Z`) } },
    select: {
      statDate: true,
      waSent: true,
      emailColdSent: true,
      emailWarmSent: true,
      newContacts: true,
      repliesTotal: true,
    },
    orderBy: { statDate: "asc" },
  });

  const byState = zeroes(JOURNEY_STATES);
  for (const row of byStateRows) byState[row.currentState] = row._count._all;
  const byPriority = zeroes(REVIEW_PRIORITIES);
  for (const row of byPriorityRows) byPriority[row.priority] = row._count._all;

  const statsByDay = new Map(statsRows.map((row) => [dayKeyOfDateColumn(row.statDate), row]));
  const history = window.historyDays.map((date): DailyStatsPoint => {
    const row = statsByDay.get(date);
    return {
      date,
      stats: row
        ? {
            messagesSent: row.waSent + row.emailColdSent + row.emailWarmSent,
            whatsappSent: row.waSent,
            emailColdSent: row.emailColdSent,
            emailWarmSent: row.emailWarmSent,
            newContacts: row.newContacts,
            replies: row.repliesTotal,
          }
        : null,
    };
  });

  return {
    generatedAt: now.toISOString(),
    timeZone: tenant.timezone,
    today: window.today,
    leads: { total: Object.values(byState).reduce((a, b) => a + b, 0), byState },
    todayActivity: { contactedLeads: activity?.contacted ?? 0, repliedLeads: activity?.replied ?? 0 },
    replyRate: {
      windowStart: window.historyDays[0] as string,
      contacted: firstContacted,
      replied: firstContactedReplied,
      rate: firstContacted > 0 ? firstContactedReplied / firstContacted : null,
    },
    reviews: {
      open: Object.values(byPriority).reduce((a, b) => a + b, 0),
      byPriority,
      slaBreached,
      slaMinutes: {
        URGENT: tenant.slaUrgentMinutes,
        HIGH: tenant.slaHighMinutes,
        MEDIUM: tenant.slaMediumMinutes,
        LOW: tenant.slaLowMinutes,
      },
    },
    history,
  };
}
