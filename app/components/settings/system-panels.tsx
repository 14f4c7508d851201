/**
 * Two read-mostly panels of the settings page: the providers (sandbox or live, key present, last
 * webhook; never a key), and the daily statistics (when recent days were computed, and a recompute of
 * any range, sent in chunks of at most a month with a progress bar).
 */
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, RotateCw } from "lucide-react";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { ErrorState } from "~/components/ui/error-state";
import { FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Progress } from "~/components/ui/progress";
import { Skeleton } from "~/components/ui/skeleton";
import { useToast } from "~/components/ui/toast";
import { errorMessageKey } from "~/lib/domain-errors";
import { formatDateTime, formatDayKey, formatNumber, formatRelativeTime } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { businessToday } from "~/components/analytics/period-picker";

export function ProvidersPanel() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const providers = useQuery({ ...trpc.settings.providers.queryOptions(), refetchInterval: 60_000 });
  return (
    <Card aria-labelledby="providers-title">
      <CardHeader>
        <CardTitle as="h2" id="providers-title">
          {t("settings.providers.title")}
        </CardTitle>
        <CardDescription>{t("settings.providers.description")}</CardDescription>
      </CardHeader>
      <CardContent>
        {providers.isPending ? (
          <Skeleton className="h-32 w-full" />
        ) : providers.isError ? (
          <ErrorState title={t("settings.providers.error")} onRetry={() => void providers.refetch()} retrying={providers.isFetching} />
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2">
            {providers.data.map((p) => (
              <li key={p.provider} className="rounded-lg border p-4" data-testid="provider-status">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <span className="font-medium">{t(`settings.provider.${p.provider}`)}</span>
                  {p.mode === "live" ? <Badge variant="success">{t("settings.providers.live")}</Badge> : <Badge variant="warning">{t("settings.providers.sandbox")}</Badge>}
                </div>
                <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
                  <dt className="text-muted-foreground">{t("settings.providers.key")}</dt>
                  <dd>{p.keyPresent ? t("settings.providers.keyPresent") : p.mode === "simulator" ? t("settings.providers.keyNotNeeded") : t("settings.providers.keyMissing")}</dd>
                  {p.webhookSecretPresent !== null ? (
                    <>
                      <dt className="text-muted-foreground">{t("settings.providers.secret")}</dt>
                      <dd>{p.webhookSecretPresent ? t("settings.providers.keyPresent") : p.mode === "simulator" ? t("settings.providers.secretSandbox") : t("settings.providers.keyMissing")}</dd>
                    </>
                  ) : null}
                  <dt className="text-muted-foreground">{t("settings.providers.host")}</dt>
                  <dd className="break-all font-mono text-xs leading-5">{p.host}</dd>
                  {p.receivesWebhooks ? (
                    <>
                      <dt className="text-muted-foreground">{t("settings.providers.lastWebhook")}</dt>
                      <dd>{p.lastWebhookAt ? <time dateTime={p.lastWebhookAt.toISOString()} title={formatDateTime(p.lastWebhookAt, locale)}>{formatRelativeTime(p.lastWebhookAt, providers.dataUpdatedAt, locale)}</time> : t("settings.providers.noWebhook")}</dd>
                    </>
                  ) : null}
                </dl>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

/** Splits [from, to] into chunks of at most `size` days. */
export function chunks(from: string, to: string, size: number): Array<{ from: string; to: string }> {
  const out: Array<{ from: string; to: string }> = [];
  const day = (s: string) => Date.parse(`${s}T00:00:00Z`);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  for (let start = day(from); start <= day(to); start += size * 86_400_000) {
    out.push({ from: iso(start), to: iso(Math.min(day(to), start + (size - 1) * 86_400_000)) });
  }
  return out;
}

const CHUNK_DAYS = 31;

export function StatisticsPanel() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const status = useQuery({ ...trpc.analytics.statsStatus.queryOptions(), refetchInterval: 60_000 });
  const recompute = useMutation(trpc.analytics.recompute.mutationOptions());
  const today = businessToday();
  const [range, setRange] = useState({ from: today, to: today });
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const invalid = !/^\d{4}-\d{2}-\d{2}$/.test(range.from) || !/^\d{4}-\d{2}-\d{2}$/.test(range.to) || range.from > range.to || range.to > today;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    const parts = chunks(range.from, range.to, CHUNK_DAYS);
    setProgress({ done: 0, total: parts.length });
    let sent = 0;
    try {
      for (const [i, part] of parts.entries()) {
        const r = await recompute.mutateAsync(part);
        sent += r.sent;
        setProgress({ done: i + 1, total: parts.length });
      }
      toast({ title: t("settings.stats.done", { from: formatDayKey(range.from, locale), to: formatDayKey(range.to, locale), sent: formatNumber(sent, locale) }) });
      await Promise.all([queryClient.invalidateQueries({ queryKey: trpc.analytics.statsStatus.queryKey() }), queryClient.invalidateQueries({ queryKey: trpc.analytics.report.queryKey() }), queryClient.invalidateQueries({ queryKey: trpc.dashboard.summary.queryKey() })]);
    } catch {
      // Shown below; the chunks already done stay recomputed.
    } finally {
      setProgress(null);
    }
  };

  return (
    <Card aria-labelledby="stats-title">
      <CardHeader>
        <CardTitle as="h2" id="stats-title">
          {t("settings.stats.title")}
        </CardTitle>
        <CardDescription>{t("settings.stats.description")}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        {status.isPending ? (
          <Skeleton className="h-16 w-full" />
        ) : status.isError ? (
          <p className="text-sm text-destructive">{t(errorMessageKey(status.error))}</p>
        ) : (
          <div className="grid gap-2 text-sm">
            <p>{status.data.days > 0 ? t("settings.stats.kept", { days: formatNumber(status.data.days, locale), first: formatDayKey(status.data.firstDay ?? status.data.today, locale) }) : t("settings.stats.none")}</p>
            <ul className="grid gap-1 text-muted-foreground">
              {status.data.recent.slice(0, 3).map((r) => (
                <li key={r.day}>{t("settings.stats.recentDay", { day: formatDayKey(r.day, locale, "weekday"), when: formatDateTime(r.computedAt, locale) })}</li>
              ))}
            </ul>
          </div>
        )}
        <form onSubmit={(e) => void submit(e)} noValidate className="flex flex-wrap items-end gap-3">
          <FormField label={t("settings.stats.from")}>{(field) => <Input {...field} type="date" value={range.from} max={today} onChange={(e) => setRange({ ...range, from: e.target.value })} />}</FormField>
          <FormField label={t("settings.stats.to")}>{(field) => <Input {...field} type="date" value={range.to} max={today} onChange={(e) => setRange({ ...range, to: e.target.value })} />}</FormField>
          <Button type="submit" variant="outline" disabled={invalid || progress !== null}>
            <RotateCw />
            {t("settings.stats.recompute")}
          </Button>
        </form>
        {progress ? (
          <div className="grid gap-1" role="status">
            <Progress value={progress.done} max={progress.total} label={t("settings.stats.progressLabel")} valueText={t("settings.stats.progress", { done: progress.done, total: progress.total })} />
            <span className="text-xs text-muted-foreground">{t("settings.stats.progress", { done: progress.done, total: progress.total })}</span>
          </div>
        ) : null}
        {recompute.error && !progress ? (
          <Alert variant="destructive">
            <AlertTriangle />
            <AlertDescription>{t(errorMessageKey(recompute.error))}</AlertDescription>
          </Alert>
        ) : null}
        <p className="text-xs text-muted-foreground">{t("settings.stats.schedule")}</p>
      </CardContent>
    </Card>
  );
}
