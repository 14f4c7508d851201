import type { MetaFunction } from "@remix-run/node";
import { useQuery } from "@tanstack/react-query";
import { ActivityChart } from "~/components/dashboard/activity-chart";
import { KpiCard, KpiCardSkeleton } from "~/components/dashboard/kpi-card";
import { leadsHref } from "~/components/leads/list-params";
import { QuotaSection, usePhonesList } from "~/components/dashboard/quota-section";
import { ReviewsByPriority } from "~/components/dashboard/reviews-by-priority";
import { StateFunnel } from "~/components/dashboard/state-funnel";
import type { DashboardSummary } from "~/components/dashboard/types";
import { ChartIcon, InboxIcon, RefreshIcon, UsersIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { ErrorState } from "~/components/ui/error-state";
import { Skeleton } from "~/components/ui/skeleton";
import { formatDayKey, formatNumber, formatPercent, formatTime } from "~/lib/format";
import { pageTitle, useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { cn } from "~/lib/utils";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.dashboard") }];

/** Often enough that a rep sees new replies without reloading, rare enough to be cheap. */
const REFRESH_MS = 60_000;

export default function DashboardPage() {
  const t = useT();
  const trpc = useTRPC();
  const summary = useQuery({ ...trpc.dashboard.summary.queryOptions(), refetchInterval: REFRESH_MS });
  // Same query (and cache entry) as the quota section below; here only for the refresh button.
  const phones = usePhonesList();
  const refreshing = summary.isFetching || phones.isFetching;

  return (
    <>
      <PageHeader
        title={t("dashboard.title")}
        description={summary.data ? <Subtitle data={summary.data} /> : <Skeleton className="h-4 w-64" />}
        actions={
          summary.data ? (
            <Button
              variant="ghost"
              size="sm"
              onClick={() => void Promise.all([summary.refetch(), phones.refetch()])}
              disabled={refreshing}
              aria-label={t("common.refresh")}
            >
              <RefreshIcon className={cn(refreshing && "animate-spin")} />
              <span className="hidden sm:inline">{t("common.refresh")}</span>
            </Button>
          ) : null
        }
      />
      {summary.isPending ? (
        <DashboardSkeleton />
      ) : summary.isError ? (
        // The quota grid has its own query: a failed summary does not hide the phones.
        <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
          <ErrorState
            title={t("dashboard.error")}
            onRetry={() => void summary.refetch()}
            retrying={summary.isFetching}
          />
          <QuotaSection />
        </div>
      ) : (
        <DashboardContent data={summary.data} />
      )}
    </>
  );
}

function Subtitle({ data }: { data: DashboardSummary }) {
  const t = useT();
  const locale = useLocale();
  return (
    <>
      {t("dashboard.subtitle", { date: formatDayKey(data.today, locale) })}
      <span className="mx-2" aria-hidden="true">
        ·
      </span>
      {t("common.updated", { time: formatTime(data.generatedAt, locale) })}
    </>
  );
}

function DashboardContent({ data }: { data: DashboardSummary }) {
  const t = useT();
  const locale = useLocale();
  const { todayActivity, replyRate, reviews } = data;
  return (
    // minmax(0, 1fr): a wide child (the chart on a phone) must scroll or shrink, not widen the page.
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
      <section aria-label={t("dashboard.kpi.label")} className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <KpiCard
          label={t("dashboard.kpi.contacted")}
          value={formatNumber(todayActivity.contactedLeads, locale)}
          hint={t("dashboard.kpi.contactedHint")}
          icon={UsersIcon}
          href={leadsHref({ owner: "all", contactFrom: data.today, contactTo: data.today, sort: "lastContact" })}
          linkLabel={t("dashboard.kpi.openLeads")}
        />
        <KpiCard
          label={t("dashboard.kpi.replies")}
          value={formatNumber(todayActivity.repliedLeads, locale)}
          hint={t("dashboard.kpi.repliesHint")}
          icon={InboxIcon}
          href={leadsHref({ owner: "all", replyFrom: data.today, replyTo: data.today })}
          linkLabel={t("dashboard.kpi.openLeads")}
        />
        <KpiCard
          label={t("dashboard.kpi.replyRate")}
          value={replyRate.rate === null ? t("common.dash") : formatPercent(replyRate.rate, locale)}
          hint={
            replyRate.rate === null
              ? t("dashboard.kpi.replyRateNoData")
              : t("dashboard.kpi.replyRateHint", { replied: replyRate.replied, contacted: replyRate.contacted })
          }
          icon={ChartIcon}
          href={leadsHref({ owner: "all", replied: "yes" })}
          linkLabel={t("dashboard.kpi.openLeads")}
        />
        <KpiCard
          label={t("dashboard.kpi.reviewsPending")}
          value={formatNumber(reviews.open, locale)}
          hint={t("dashboard.kpi.reviewsPendingHint", { urgent: reviews.byPriority.URGENT, breached: reviews.slaBreached })}
          icon={InboxIcon}
          tone={reviews.slaBreached > 0 ? "alert" : "default"}
          href={leadsHref({ owner: "all", review: "yes" })}
          linkLabel={t("dashboard.kpi.openLeads")}
        />
      </section>
      <QuotaSection />
      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-3">
        <div className="min-w-0 lg:col-span-2">
          <ActivityChart history={data.history} today={data.today} />
        </div>
        <ReviewsByPriority reviews={reviews} />
      </div>
      <StateFunnel leads={data.leads} />
    </div>
  );
}

/**
 * Mirrors the real layout, so nothing jumps when the data arrives. The quota section loads on its own
 * query, so it sits outside the busy regions and may already show the grid.
 */
function DashboardSkeleton() {
  const t = useT();
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
      <p role="status" className="sr-only">
        {t("common.loading")}
      </p>
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" aria-busy="true">
        {[0, 1, 2, 3].map((i) => (
          <KpiCardSkeleton key={i} />
        ))}
      </div>
      <QuotaSection />
      <div className="grid gap-6" aria-busy="true">
        <div className="grid gap-6 lg:grid-cols-3">
          <Card className="p-5 lg:col-span-2">
            <Skeleton className="h-5 w-40" />
            <Skeleton className="mt-2 h-4 w-72" />
            <Skeleton className="mt-6 h-56 w-full" />
          </Card>
          <Card className="p-5">
            <Skeleton className="h-5 w-44" />
            <Skeleton className="mt-2 h-4 w-56" />
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} className="mt-4 h-6 w-full" />
            ))}
          </Card>
        </div>
        <Card className="p-5">
          <Skeleton className="h-5 w-48" />
          <div className="mt-6 grid gap-3">
            {[0, 1, 2, 3, 4, 5].map((i) => (
              <Skeleton key={i} className="h-3 w-full" />
            ))}
          </div>
        </Card>
      </div>
    </div>
  );
}
