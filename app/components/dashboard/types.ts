import type { RouterOutputs } from "~/lib/trpc";

export type DashboardSummary = RouterOutputs["dashboard"]["summary"];
export type JourneyState = keyof DashboardSummary["leads"]["byState"];
export type ReviewPriority = keyof DashboardSummary["reviews"]["byPriority"];
export type HistoryPoint = DashboardSummary["history"][number];
