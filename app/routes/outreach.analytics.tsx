import type { ReactNode } from "react";
import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { useRouteLoaderData, useSearchParams } from "@remix-run/react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { BarChart3, Lock } from "lucide-react";
import dayPickerStyles from "react-day-picker/style.css";
import { presetPeriod, validPeriod, type Period } from "#server/stats/periods";
import { CHART_COLOURS, GroupedBars, TrendChart } from "~/components/analytics/charts";
import { businessToday, PeriodPicker } from "~/components/analytics/period-picker";
import { formatDuration, ReportTable, type Column } from "~/components/analytics/report-table";
import { RefreshIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { ErrorState } from "~/components/ui/error-state";
import { Skeleton } from "~/components/ui/skeleton";
import { errorMessageKey } from "~/lib/domain-errors";
import { formatDateTime, formatDayKey, formatNumber, formatPercent } from "~/lib/format";
import { pageTitle, useLocale, useT, type Translate } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { cn } from "~/lib/utils";
import type { RootData } from "~/root";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.analytics") }];
// The package types its CSS as a CSS module; the Remix compiler turns a .css import into the file's URL.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: dayPickerStyles as unknown as string }];

type Report = RouterOutputs["analytics"]["report"];

/** Today's figures move every few minutes (the statistics job); a manager watching the page sees them. */
const REFRESH_MS = 5 * 60_000;

export default function AnalyticsPage() {
  const t = useT();
  const role = useRouteLoaderData<RootData>("root")?.user?.role ?? null;
  if (role === "SALES_REP") {
    return (
      <>
        <PageHeader title={t("nav.analytics")} />
        <EmptyState icon={Lock} headingLevel="h2" title={t("analytics.forbidden")} description={t("analytics.forbiddenHint")} />
      </>
    );
  }
  return <Analytics />;
}

function usePeriod() {
  const [params, setParams] = useSearchParams();
  const today = businessToday();
  const fromUrl = { from: params.get("from") ?? "", to: params.get("to") ?? "" };
  const period: Period = validPeriod(fromUrl) && fromUrl.from <= fromUrl.to ? fromUrl : presetPeriod("30d", today);
  const compare = params.get("compare") !== "0";
  const set = (next: Partial<Period & { compare: boolean }>) => {
    const p = { ...period, compare, ...next };
    setParams({ from: p.from, to: p.to, ...(p.compare ? {} : { compare: "0" }) }, { replace: true, preventScrollReset: true });
  };
  return { period, compare, today, set };
}

function Analytics() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const { period, compare, today, set } = usePeriod();
  const report = useQuery({ ...trpc.analytics.report.queryOptions(period), placeholderData: keepPreviousData, refetchInterval: REFRESH_MS });
  const data = report.data;

  return (
    <>
      <PageHeader
        title={t("nav.analytics")}
        description={
          data ? (
            <>
              {t("analytics.subtitle", { from: formatDayKey(data.period.from, locale), to: formatDayKey(data.period.to, locale) })}
              {data.lastComputedAt ? (
                <>
                  <span className="mx-2" aria-hidden="true">
                    ·
                  </span>
                  {t("analytics.computedAt", { when: formatDateTime(data.lastComputedAt, locale) })}
                </>
              ) : null}
            </>
          ) : (
            t("analytics.subtitleLoading")
          )
        }
        actions={
          <Button variant="ghost" size="sm" onClick={() => void report.refetch()} disabled={report.isFetching} aria-label={t("common.refresh")}>
            <RefreshIcon className={cn(report.isFetching && "animate-spin")} />
            <span className="hidden sm:inline">{t("common.refresh")}</span>
          </Button>
        }
      />
      <div className="mb-6">
        <PeriodPicker period={period} today={today} compare={compare} onChange={(p) => set(p)} onCompareChange={(c) => set({ compare: c })} />
      </div>
      {report.isPending ? (
        <AnalyticsSkeleton />
      ) : report.isError ? (
        <ErrorState title={t(errorMessageKey(report.error))} onRetry={() => void report.refetch()} retrying={report.isFetching} />
      ) : (
        <div className={cn("grid grid-cols-[minmax(0,1fr)] gap-6 transition-opacity", report.isPlaceholderData && "opacity-60")} aria-busy={report.isFetching || undefined}>
          {data!.totals.computedDays < data!.totals.days ? (
            <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950" role="status">
              {t("analytics.missingDays", { count: data!.totals.days - data!.totals.computedDays })}
            </p>
          ) : null}
          <Kpis data={data!} compare={compare} />
          <Section id="daily" title={t("analytics.daily.title")} description={t("analytics.daily.description")}>
            <TrendChart
              points={data!.series}
              labels={{ sent: t("analytics.col.sent"), replied: t("analytics.col.replies"), positive: t("analytics.col.positive"), summary: t("analytics.daily.summary", { sent: data!.totals.sent, replied: data!.totals.replied }) }}
            />
            <details className="mt-3">
              <summary className="cursor-pointer text-sm font-medium text-primary">{t("analytics.daily.table")}</summary>
              <DailyTable data={data!} />
            </details>
          </Section>
          <Channels data={data!} />
          <Sequences data={data!} />
          <Templates data={data!} />
          <Phones data={data!} />
          <Reps data={data!} />
          <FirstReply data={data!} />
          <Campaigns data={data!} />
        </div>
      )}
    </>
  );
}

function Section({ id, title, description, children }: { id: string; title: string; description: string; children: ReactNode }) {
  return (
    <Card aria-labelledby={`${id}-title`}>
      <CardHeader>
        <CardTitle as="h2" id={`${id}-title`}>
          {title}
        </CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="grid min-w-0 gap-4">{children}</CardContent>
    </Card>
  );
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function Kpis({ data, compare }: { data: Report; compare: boolean }) {
  const t = useT();
  const now = data.totals;
  const before = data.previousTotals;
  const items: Array<{ key: string; label: string; value: number | null; previous: number | null; rate?: boolean; lowerIsBetter?: boolean }> = [
    { key: "sent", label: t("analytics.kpi.sent"), value: now.sent, previous: before.sent },
    { key: "delivered", label: t("analytics.kpi.delivered"), value: now.delivered, previous: before.delivered },
    { key: "opened", label: t("analytics.kpi.opened"), value: now.opened, previous: before.opened },
    { key: "replied", label: t("analytics.kpi.replied"), value: now.replied, previous: before.replied },
    { key: "positive", label: t("analytics.kpi.positive"), value: now.positiveReplies, previous: before.positiveReplies },
    { key: "conversions", label: t("analytics.kpi.conversions"), value: now.conversions, previous: before.conversions },
    { key: "replyRate", label: t("analytics.kpi.replyRate"), value: ratio(now.replied, now.sent), previous: ratio(before.replied, before.sent), rate: true },
    { key: "bounceRate", label: t("analytics.kpi.bounceRate"), value: ratio(now.emailsBounced, now.emailsSent), previous: ratio(before.emailsBounced, before.emailsSent), rate: true, lowerIsBetter: true },
  ];
  return (
    <section aria-label={t("analytics.kpi.label")} className="grid grid-cols-2 gap-3 md:grid-cols-4">
      {items.map(({ key, ...item }) => (
        <Kpi key={key} {...item} compare={compare} />
      ))}
    </section>
  );
}

function Kpi({ label, value, previous, rate, lowerIsBetter, compare }: { label: string; value: number | null; previous: number | null; rate?: boolean; lowerIsBetter?: boolean; compare: boolean }) {
  const t = useT();
  const locale = useLocale();
  const shown = value === null ? t("common.dash") : rate ? formatPercent(value, locale) : formatNumber(value, locale);
  let delta: ReactNode = null;
  if (compare && value !== null && previous !== null) {
    const diff = value - previous;
    const better = lowerIsBetter ? diff < 0 : diff > 0;
    const sign = diff > 0 ? "+" : diff < 0 ? "−" : "±";
    const change = rate
      ? t("analytics.kpi.points", { delta: `${sign}${formatNumber(Math.abs(diff) * 100, locale, 1)}` })
      : previous > 0
        ? `${sign}${formatPercent(Math.abs(diff) / previous, locale)}`
        : diff === 0
          ? "±0"
          : t("analytics.kpi.deltaNew");
    const before = rate ? formatPercent(previous, locale) : formatNumber(previous, locale);
    delta = (
      <p className="mt-1 text-xs" title={t("analytics.kpi.previous", { value: before })}>
        <span className={cn("font-semibold", diff === 0 ? "text-muted-foreground" : better ? "text-emerald-700" : "text-destructive")}>{change}</span>
        <span className="text-muted-foreground"> {t("analytics.kpi.vs", { value: before })}</span>
      </p>
    );
  }
  return (
    <Card className="p-4" data-testid="analytics-kpi">
      <p className="text-xs font-medium text-muted-foreground">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid="kpi-value">
        {shown}
      </p>
      {delta}
    </Card>
  );
}

function fileName(base: string, data: Report) {
  return `${base}-${data.period.from}-${data.period.to}.csv`;
}

const sum = { kind: "sum" } as const;
const label = { kind: "label" } as const;
type Counted = { sent: number; replied: number; bounced?: number };
const replyRateColumn = <R extends Counted>(t: Translate): Column<R> => ({
  key: "replyRate",
  label: t("analytics.col.replyRate"),
  format: "percent",
  value: (r) => ratio(r.replied, r.sent),
  total: { kind: "ratio", part: (r) => r.replied, whole: (r) => r.sent },
});
/** `replies`: the daily totals count every reply received; the breakdowns count messages that got one. */
function countColumns<R extends { sent: number; delivered: number; opened: number; replied: number; positiveReplies: number }>(t: Translate, replies: "replied" | "replies" = "replied"): Array<Column<R>> {
  return [
    { key: "sent", label: t("analytics.col.sent"), format: "number", value: (r) => r.sent, total: sum },
    { key: "delivered", label: t("analytics.col.delivered"), format: "number", value: (r) => r.delivered, total: sum },
    { key: "opened", label: t("analytics.col.opened"), format: "number", value: (r) => r.opened, total: sum },
    { key: "replied", label: t(replies === "replied" ? "analytics.col.replied" : "analytics.col.replies"), format: "number", value: (r) => r.replied, total: sum },
    { key: "positive", label: t("analytics.col.positive"), format: "number", value: (r) => r.positiveReplies, total: sum },
    replyRateColumn<R>(t),
  ];
}

function DailyTable({ data }: { data: Report }) {
  const t = useT();
  const locale = useLocale();
  type Row = Report["series"][number];
  const columns: Array<Column<Row>> = [
    { key: "date", label: t("analytics.col.day"), format: "text", value: (r) => r.date, render: (r) => formatDayKey(r.date, locale, "weekday"), total: label },
    { key: "sent", label: t("analytics.col.sent"), format: "number", value: (r) => r.sent, total: sum },
    { key: "replied", label: t("analytics.col.replies"), format: "number", value: (r) => r.replied, total: sum },
    { key: "positive", label: t("analytics.col.positive"), format: "number", value: (r) => r.positiveReplies, total: sum },
    { key: "conversions", label: t("analytics.col.conversions"), format: "number", value: (r) => r.conversions, total: sum },
  ];
  return <ReportTable caption={t("analytics.daily.title")} columns={columns} rows={data.series} rowKey={(r) => r.date} fileName={fileName("zilnic", data)} empty={t("analytics.empty")} testId="table-daily" />;
}

function Channels({ data }: { data: Report }) {
  const t = useT();
  type Row = Report["channels"][number];
  const first = new Map(data.firstReply.map((f) => [f.channel, f]));
  const columns: Array<Column<Row>> = [
    { key: "channel", label: t("analytics.col.channel"), format: "text", value: (r) => t(`channel.${r.channel}`), total: label },
    ...countColumns<Row>(t, "replies"),
    { key: "bounced", label: t("analytics.col.bounced"), format: "number", value: (r) => r.bounced, total: sum },
    { key: "conversions", label: t("analytics.col.conversions"), format: "number", value: (r) => r.conversions, total: sum },
    {
      key: "firstReply",
      label: t("analytics.col.firstReply"),
      format: "duration",
      value: (r) => first.get(r.channel)?.averageSeconds ?? null,
      total: { kind: "weighted", weight: (r) => first.get(r.channel)?.firstReplies ?? 0 },
    },
  ];
  return (
    <Section id="channels" title={t("analytics.channels.title")} description={t("analytics.channels.description")}>
      <GroupedBars
        data={data.channels.map((c) => ({ name: t(`channel.${c.channel}`), sent: c.sent, replied: c.replied, conversions: c.conversions }))}
        categoryKey="name"
        series={[
          { key: "sent", label: t("analytics.col.sent"), colour: CHART_COLOURS.sent },
          { key: "replied", label: t("analytics.col.replies"), colour: CHART_COLOURS.replied },
          { key: "conversions", label: t("analytics.col.conversions"), colour: CHART_COLOURS.conversions },
        ]}
        summary={t("analytics.channels.summary")}
      />
      <ReportTable caption={t("analytics.channels.title")} columns={columns} rows={data.channels} rowKey={(r) => r.channel} fileName={fileName("canale", data)} empty={t("analytics.empty")} testId="table-channels" />
    </Section>
  );
}

function Sequences({ data }: { data: Report }) {
  const t = useT();
  type Row = Report["steps"][number];
  const columns: Array<Column<Row>> = [
    { key: "sequence", label: t("analytics.col.sequence"), format: "text", value: (r) => r.sequenceName, render: (r) => (r.archived ? `${r.sequenceName} (${t("sequences.badge.archived")})` : r.sequenceName), total: label },
    { key: "step", label: t("analytics.col.step"), format: "number", value: (r) => r.stepNumber },
    { key: "channel", label: t("analytics.col.channel"), format: "text", value: (r) => t(`channel.${r.channel as "WHATSAPP"}`) },
    ...countColumns<Row>(t),
  ];
  return (
    <Section id="sequences" title={t("analytics.sequences.title")} description={t("analytics.sequences.description")}>
      <ReportTable caption={t("analytics.sequences.title")} columns={columns} rows={data.steps} rowKey={(r) => `${r.sequenceId}:${r.stepNumber}:${r.channel}`} fileName={fileName("secvente", data)} empty={t("analytics.empty")} testId="table-sequences" />
    </Section>
  );
}

function Templates({ data }: { data: Report }) {
  const t = useT();
  type Row = Report["templates"][number];
  const columns: Array<Column<Row>> = [
    { key: "template", label: t("analytics.col.template"), format: "text", value: (r) => r.templateName, total: label },
    { key: "version", label: t("analytics.col.version"), format: "text", value: (r) => `V${r.versionNumber}`, render: (r) => (
      <span className="flex items-center justify-end gap-1">
        V{r.versionNumber}
        {!r.versionActive ? <Badge variant="outline">{t("templates.versions.off")}</Badge> : null}
      </span>
    ) },
    ...countColumns<Row>(t),
  ];
  return (
    <Section id="templates" title={t("analytics.templates.title")} description={t("analytics.templates.description")}>
      <ReportTable caption={t("analytics.templates.title")} columns={columns} rows={data.templates} rowKey={(r) => r.versionId} fileName={fileName("sabloane", data)} empty={t("analytics.empty")} testId="table-templates" />
    </Section>
  );
}

function Phones({ data }: { data: Report }) {
  const t = useT();
  type Row = Report["phones"][number];
  const columns: Array<Column<Row>> = [
    { key: "phone", label: t("analytics.col.phone"), format: "text", value: (r) => r.label, total: label },
    { key: "sent", label: t("analytics.col.sent"), format: "number", value: (r) => r.sent, total: sum },
    { key: "newContacts", label: t("analytics.col.newContacts"), format: "number", value: (r) => r.newContacts, total: sum },
    { key: "followups", label: t("analytics.col.followups"), format: "number", value: (r) => r.followups, total: sum },
    { key: "delivered", label: t("analytics.col.delivered"), format: "number", value: (r) => r.delivered, total: sum },
    { key: "read", label: t("analytics.col.read"), format: "number", value: (r) => r.read, total: sum },
    { key: "replied", label: t("analytics.col.replied"), format: "number", value: (r) => r.replied, total: sum },
    { key: "failed", label: t("analytics.col.failed"), format: "number", value: (r) => r.failed, total: sum },
    replyRateColumn<Row>(t),
  ];
  return (
    <Section id="phones" title={t("analytics.phones.title")} description={t("analytics.phones.description")}>
      {data.phones.length > 0 ? (
        <GroupedBars
          layout="vertical"
          data={data.phones.map((p) => ({ name: p.label, newContacts: p.newContacts, followups: p.followups, replied: p.replied }))}
          categoryKey="name"
          series={[
            { key: "newContacts", label: t("analytics.col.newContacts"), colour: CHART_COLOURS.sent },
            { key: "followups", label: t("analytics.col.followups"), colour: CHART_COLOURS.muted },
            { key: "replied", label: t("analytics.col.replied"), colour: CHART_COLOURS.replied },
          ]}
          summary={t("analytics.phones.summary")}
        />
      ) : null}
      <ReportTable caption={t("analytics.phones.title")} columns={columns} rows={data.phones} rowKey={(r) => r.phoneId} fileName={fileName("telefoane", data)} empty={t("analytics.empty")} testId="table-phones" />
    </Section>
  );
}

function Reps({ data }: { data: Report }) {
  const t = useT();
  type Row = Report["reps"][number];
  const columns: Array<Column<Row>> = [
    { key: "rep", label: t("analytics.col.rep"), format: "text", value: (r) => r.name, render: (r) => (r.isActive ? r.name : `${r.name} (${t("settings.users.inactive")})`), total: label },
    { key: "sent", label: t("analytics.col.sentToLeads"), format: "number", value: (r) => r.sent, total: sum },
    { key: "replied", label: t("analytics.col.replied"), format: "number", value: (r) => r.replied, total: sum },
    { key: "positive", label: t("analytics.col.positive"), format: "number", value: (r) => r.positiveReplies, total: sum },
    { key: "converted", label: t("analytics.col.conversions"), format: "number", value: (r) => r.converted, total: sum },
    { key: "resolved", label: t("analytics.col.reviewsResolved"), format: "number", value: (r) => r.reviewsResolved, total: sum },
    {
      key: "sla",
      label: t("analytics.col.slaCompliance"),
      format: "percent",
      value: (r) => ratio(r.reviewsResolvedInSla, r.reviewsResolved),
      total: { kind: "ratio", part: (r) => r.reviewsResolvedInSla, whole: (r) => r.reviewsResolved },
    },
    { key: "breached", label: t("analytics.col.breached"), format: "number", value: (r) => r.reviewsBreached, total: sum },
    { key: "resolveTime", label: t("analytics.col.resolveTime"), format: "duration", value: (r) => r.averageResolveSeconds, total: { kind: "weighted", weight: (r) => r.reviewsResolved } },
  ];
  return (
    <Section id="reps" title={t("analytics.reps.title")} description={t("analytics.reps.description")}>
      <ReportTable caption={t("analytics.reps.title")} columns={columns} rows={data.reps} rowKey={(r) => r.userId} fileName={fileName("agenti", data)} empty={t("analytics.empty")} testId="table-reps" />
    </Section>
  );
}

function FirstReply({ data }: { data: Report }) {
  const t = useT();
  const locale = useLocale();
  type Row = Report["firstReply"][number];
  const buckets = (r: Row) => ({ h1: r.within1h, h4: r.within4h - r.within1h, h24: r.within24h - r.within4h, h72: r.within72h - r.within24h, more: r.firstReplies - r.within72h });
  const columns: Array<Column<Row>> = [
    { key: "channel", label: t("analytics.col.channel"), format: "text", value: (r) => t(`channel.${r.channel}`), total: label },
    { key: "firstReplies", label: t("analytics.col.firstReplies"), format: "number", value: (r) => r.firstReplies, total: sum },
    { key: "average", label: t("analytics.col.averageTime"), format: "duration", value: (r) => r.averageSeconds, total: { kind: "weighted", weight: (r) => r.firstReplies } },
    { key: "h1", label: t("analytics.bucket.h1"), format: "number", value: (r) => buckets(r).h1, total: sum },
    { key: "h4", label: t("analytics.bucket.h4"), format: "number", value: (r) => buckets(r).h4, total: sum },
    { key: "h24", label: t("analytics.bucket.h24"), format: "number", value: (r) => buckets(r).h24, total: sum },
    { key: "h72", label: t("analytics.bucket.h72"), format: "number", value: (r) => buckets(r).h72, total: sum },
    { key: "more", label: t("analytics.bucket.more"), format: "number", value: (r) => buckets(r).more, total: sum },
  ];
  const all = data.firstReply.reduce((n, r) => n + r.firstReplies, 0);
  return (
    <Section id="first-reply" title={t("analytics.firstReply.title")} description={t("analytics.firstReply.description")}>
      {all > 0 ? (
        <GroupedBars
          data={data.firstReply.map((r) => ({ name: t(`channel.${r.channel}`), ...buckets(r) }))}
          categoryKey="name"
          series={[
            { key: "h1", label: t("analytics.bucket.h1"), colour: "#15803d" },
            { key: "h4", label: t("analytics.bucket.h4"), colour: "#65a30d" },
            { key: "h24", label: t("analytics.bucket.h24"), colour: "#ca8a04" },
            { key: "h72", label: t("analytics.bucket.h72"), colour: "#ea580c" },
            { key: "more", label: t("analytics.bucket.more"), colour: "#94a3b8" },
          ]}
          summary={t("analytics.firstReply.summary", { count: all })}
        />
      ) : null}
      <ReportTable caption={t("analytics.firstReply.title")} columns={columns} rows={data.firstReply} rowKey={(r) => r.channel} fileName={fileName("primul-raspuns", data)} empty={t("analytics.empty")} testId="table-first-reply" />
      <p className="text-xs text-muted-foreground">{t("analytics.firstReply.note", { example: formatDuration(5400, locale) })}</p>
    </Section>
  );
}

function Campaigns({ data }: { data: Report }) {
  const t = useT();
  type Row = Report["campaigns"][number];
  const columns: Array<Column<Row>> = [
    { key: "campaign", label: t("analytics.col.campaign"), format: "text", value: (r) => r.name, total: label },
    { key: "sent", label: t("analytics.col.sent"), format: "number", value: (r) => r.sent, total: sum },
    { key: "opened", label: t("analytics.col.opened"), format: "number", value: (r) => r.opened, total: sum },
    { key: "replied", label: t("analytics.col.replied"), format: "number", value: (r) => r.replied, total: sum },
    { key: "bounced", label: t("analytics.col.bounced"), format: "number", value: (r) => r.bounced, total: sum },
    {
      key: "bounceRate",
      label: t("analytics.col.bounceRate"),
      format: "percent",
      value: (r) => ratio(r.bounced, r.sent),
      total: { kind: "ratio", part: (r) => r.bounced, whole: (r) => r.sent },
      render: (r) => <BounceRate rate={ratio(r.bounced, r.sent)} />,
    },
  ];
  return (
    <Section id="campaigns" title={t("analytics.campaigns.title")} description={t("analytics.campaigns.description")}>
      <ReportTable caption={t("analytics.campaigns.title")} columns={columns} rows={data.campaigns} rowKey={(r) => r.campaignId} fileName={fileName("campanii", data)} empty={t("analytics.campaigns.empty")} testId="table-campaigns" />
    </Section>
  );
}

/** Above the 3 % bounce protection threshold (seeds: campaigns pause there) in red. */
function BounceRate({ rate }: { rate: number | null }) {
  const t = useT();
  const locale = useLocale();
  if (rate === null) return <>{t("common.dash")}</>;
  return <span className={cn(rate > 0.03 && "font-semibold text-destructive")}>{formatPercent(rate, locale)}</span>;
}

function AnalyticsSkeleton() {
  const t = useT();
  return (
    <div className="grid gap-6" aria-busy="true">
      <p role="status" className="sr-only">
        {t("common.loading")}
      </p>
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {Array.from({ length: 8 }, (_, i) => (
          <Card key={i} className="p-4">
            <Skeleton className="h-3 w-20" />
            <Skeleton className="mt-2 h-7 w-24" />
          </Card>
        ))}
      </div>
      <Card className="p-5">
        <Skeleton className="h-5 w-40" />
        <Skeleton className="mt-6 h-60 w-full" />
      </Card>
      <Card className="p-5">
        <BarChart3 className="size-5 text-muted-foreground" />
        <Skeleton className="mt-4 h-32 w-full" />
      </Card>
    </div>
  );
}
