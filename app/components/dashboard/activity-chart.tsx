import { TrendChart } from "~/components/analytics/charts";
import { ChartIcon } from "~/components/icons";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { formatDayKey, formatNumber } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import type { HistoryPoint } from "./types";

/**
 * Messages sent (bars) and replies (line) per day on one shared scale, drawn with Recharts from the
 * daily statistics the statistics job keeps current. Days without a stats row are gaps, not zero, and
 * are named under the chart. Screen readers get the same numbers as a table.
 */
export function ActivityChart({ history, today }: { history: HistoryPoint[]; today: string }) {
  const t = useT();
  const locale = useLocale();
  const known = history.filter((p) => p.stats !== null);

  return (
    <Card className="flex h-full flex-col">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1.5">
          <CardTitle as="h2">{t("dashboard.chart.title")}</CardTitle>
          <CardDescription>{t("dashboard.chart.description")}</CardDescription>
        </div>
      </CardHeader>
      <CardContent className="flex-1">
        {known.length === 0 ? (
          <EmptyState icon={ChartIcon} title={t("dashboard.chart.empty")} description={t("dashboard.chart.emptyHint")} />
        ) : (
          <>
            <TrendChart
              height={224}
              points={history.map((p) => ({ date: p.date, sent: p.stats?.messagesSent ?? null, replied: p.stats?.replies ?? null }))}
              labels={{ sent: t("dashboard.chart.sent"), replied: t("dashboard.chart.replies"), summary: t("dashboard.chart.tableCaption") }}
            />
            <p className="mt-2 text-xs text-muted-foreground">
              {history.some((p) => p.stats === null) ? `${t("dashboard.chart.missingDay")}: ${history.filter((p) => p.stats === null).map((p) => (p.date === today ? t("common.today") : formatDayKey(p.date, locale, "short"))).join(", ")}` : null}
            </p>
            {/* The wrapper carries sr-only: a table ignores width: 1px and would widen the page. */}
            <div className="sr-only">
              <table>
                <caption>{t("dashboard.chart.tableCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("dashboard.chart.day")}</th>
                    <th scope="col">{t("dashboard.chart.sent")}</th>
                    <th scope="col">{t("dashboard.chart.newContacts")}</th>
                    <th scope="col">{t("dashboard.chart.replies")}</th>
                  </tr>
                </thead>
                <tbody>
                  {history.map((point) => (
                    <tr key={point.date}>
                      <th scope="row">{formatDayKey(point.date, locale)}</th>
                      {point.stats ? (
                        <>
                          <td>{formatNumber(point.stats.messagesSent, locale)}</td>
                          <td>{formatNumber(point.stats.newContacts, locale)}</td>
                          <td>{formatNumber(point.stats.replies, locale)}</td>
                        </>
                      ) : (
                        <td colSpan={3}>{t("dashboard.chart.missingDay")}</td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </CardContent>
    </Card>
  );
}
