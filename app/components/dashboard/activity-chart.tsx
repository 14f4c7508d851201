import { ChartIcon } from "~/components/icons";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { formatDayKey, formatNumber } from "~/lib/format";
import { useLocale, useT, type Translate } from "~/lib/i18n";
import type { Locale } from "~/lib/locale";
import { cn } from "~/lib/utils";
import type { HistoryPoint } from "./types";

/** Rounds an axis maximum up to 1, 2 or 5 × 10ⁿ so the gridline labels are round numbers. */
export function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((m) => m * magnitude >= value) ?? 10;
  return step * magnitude;
}

function Legend() {
  const t = useT();
  return (
    <div className="flex flex-wrap gap-4 text-xs text-muted-foreground" aria-hidden="true">
      <span className="flex items-center gap-1.5">
        <span className="size-2.5 rounded-sm bg-primary" />
        {t("dashboard.chart.sent")}
      </span>
      <span className="flex items-center gap-1.5">
        <span className="size-2.5 rounded-sm bg-amber-500" />
        {t("dashboard.chart.replies")}
      </span>
    </div>
  );
}

function dayDetail(point: HistoryPoint, t: Translate, locale: Locale): string {
  const day = formatDayKey(point.date, locale, "weekday");
  if (!point.stats) return `${day}: ${t("dashboard.chart.missingDay")}`;
  return t("dashboard.chart.dayDetail", {
    day,
    sent: point.stats.messagesSent,
    newContacts: point.stats.newContacts,
    replies: point.stats.replies,
  });
}

/**
 * Two bars per day on one shared scale (replies are drawn to the same scale as sends, so their
 * proportion is honest). Days without a stats row are drawn as gaps, not as zero. The drawing is
 * hidden from screen readers, which get the same numbers as a table.
 */
export function ActivityChart({ history, today }: { history: HistoryPoint[]; today: string }) {
  const t = useT();
  const locale = useLocale();
  const known = history.filter((p) => p.stats !== null);
  const top = niceCeiling(Math.max(0, ...known.map((p) => p.stats?.messagesSent ?? 0)));
  const pct = (value: number) => `${(value / top) * 100}%`;

  return (
    <Card className="flex h-full flex-col">
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1.5">
          <CardTitle as="h2">{t("dashboard.chart.title")}</CardTitle>
          <CardDescription>{t("dashboard.chart.description")}</CardDescription>
        </div>
        {known.length > 0 ? <Legend /> : null}
      </CardHeader>
      <CardContent className="flex-1">
        {known.length === 0 ? (
          <EmptyState icon={ChartIcon} title={t("dashboard.chart.empty")} description={t("dashboard.chart.emptyHint")} />
        ) : (
          <>
            <div className="flex gap-2" aria-hidden="true">
              {/* Y axis labels */}
              <div className="relative h-56 w-10 shrink-0 text-right text-[11px] tabular-nums text-muted-foreground">
                <span className="absolute right-0 top-0 -translate-y-1/2">{formatNumber(top, locale)}</span>
                <span className="absolute right-0 top-1/2 -translate-y-1/2">{formatNumber(top / 2, locale, 1)}</span>
                <span className="absolute bottom-0 right-0 translate-y-1/2">0</span>
              </div>
              <div className="min-w-0 flex-1">
                <div className="relative h-56 border-b border-l">
                  <div className="absolute inset-x-0 top-0 border-t border-dashed border-border" />
                  <div className="absolute inset-x-0 top-1/2 border-t border-dashed border-border" />
                  <div className="absolute inset-0 flex items-end gap-1 px-1 sm:gap-2">
                    {history.map((point) => (
                      <div key={point.date} className="group relative flex h-full min-w-0 flex-1 items-end justify-center gap-0.5">
                        {point.stats ? (
                          <>
                            <div
                              className="w-1/2 max-w-4 rounded-t-sm bg-primary transition-[height] duration-500 group-hover:bg-primary/80"
                              style={{ height: pct(point.stats.messagesSent) }}
                            />
                            <div
                              className="w-1/2 max-w-4 rounded-t-sm bg-amber-500 transition-[height] duration-500 group-hover:bg-amber-500/80"
                              style={{ height: pct(point.stats.replies) }}
                            />
                          </>
                        ) : (
                          <div className="h-full w-full max-w-8 rounded-sm border border-dashed border-muted-foreground/30 bg-[repeating-linear-gradient(135deg,transparent,transparent_4px,hsl(var(--muted))_4px,hsl(var(--muted))_8px)]" />
                        )}
                        <div className="pointer-events-none absolute bottom-full left-1/2 z-10 mb-1 hidden w-max max-w-56 -translate-x-1/2 rounded-md bg-foreground px-2 py-1 text-xs text-background shadow group-hover:block">
                          {dayDetail(point, t, locale)}
                        </div>
                      </div>
                    ))}
                  </div>
                </div>
                <div className="mt-1.5 flex gap-1 px-1 sm:gap-2">
                  {history.map((point, i) => (
                    <div
                      key={point.date}
                      className={cn(
                        // min-w-0 + nowrap: a label may spill into its hidden neighbour's slot instead of widening the row.
                        "min-w-0 flex-1 whitespace-nowrap text-center text-[10px] tabular-nums text-muted-foreground sm:text-[11px]",
                        point.date === today && "font-semibold text-foreground",
                        // Every other label on narrow screens, counted back from the last day so it always shows.
                        (history.length - 1 - i) % 2 === 1 && "invisible sm:visible",
                      )}
                    >
                      {point.date === today ? t("common.today") : formatDayKey(point.date, locale, "short")}
                    </div>
                  ))}
                </div>
              </div>
            </div>
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
