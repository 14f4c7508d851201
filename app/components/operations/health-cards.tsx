import type { ReactNode } from "react";
import { Badge } from "~/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { formatDateTime, formatNumber, formatRelativeTime } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import type { RouterOutputs } from "~/lib/trpc";

export type Overview = RouterOutputs["operations"]["overview"];

type Tone = "success" | "warning" | "destructive";
const levelTone = (level: "OK" | "DEGRADED" | "CRITICAL"): Tone => (level === "OK" ? "success" : level === "DEGRADED" ? "warning" : "destructive");
const storeTone = (state: Overview["quotaStore"]["state"]): Tone => (state === "OK" ? "success" : state === "HEALING" ? "warning" : "destructive");
/** The health summary's problem codes (server/monitoring/pipeline-health.server.ts) in words. */
const PROBLEMS = [
  "QUOTA_STORE_LOST",
  "QUOTA_STORE_UNREACHABLE",
  "TIMELINESAI_DOWN",
  "NO_SENDABLE_PHONE",
  "CRITICAL_ALERTS_OPEN",
  "DISPATCH_STALLED",
  "QUOTA_STORE_HEALING",
  "PHONES_OFFLINE",
  "PHONES_NOT_CHECKED",
  "DEAD_LETTERS_WAITING",
  "REVIEWS_PAST_SLA",
  "HIGH_ALERTS_OPEN",
] as const;
const isKnownProblem = (code: string): code is (typeof PROBLEMS)[number] => (PROBLEMS as readonly string[]).includes(code);

const providerTone = (status: "UP" | "DEGRADED" | "DOWN"): Tone => (status === "UP" ? "success" : status === "DEGRADED" ? "warning" : "destructive");

function HealthCard({ title, badge, children }: { title: string; badge: ReactNode; children: ReactNode }) {
  return (
    <Card>
      <CardHeader className="flex flex-row items-center justify-between gap-2 space-y-0 pb-2">
        <CardTitle as="h2" className="text-sm font-medium">
          {title}
        </CardTitle>
        {badge}
      </CardHeader>
      <CardContent className="text-sm">{children}</CardContent>
    </Card>
  );
}

/** The pipeline at a glance: overall level, quota store, providers, dispatch and the phone pool. */
export function HealthCards({ data }: { data: Overview }) {
  const t = useT();
  const locale = useLocale();
  const h = data.health;
  const n = (v: number) => formatNumber(v, locale);
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <HealthCard title={t("ops.health.title")} badge={<Badge variant={levelTone(h.level)}>{t(`ops.level.${h.level}`)}</Badge>}>
        {h.problems.length === 0 ? (
          <p className="text-muted-foreground">{t("ops.health.noProblems")}</p>
        ) : (
          <ul className="list-disc space-y-1 pl-4">
            {h.problems.map((p) => (
              <li key={p}>{isKnownProblem(p) ? t(`ops.problem.${p}`) : p}</li>
            ))}
          </ul>
        )}
        <p className="mt-2 text-xs text-muted-foreground">
          {t("ops.health.alerts", { open: n(h.alerts.open), unacknowledged: n(h.alerts.unacknowledged) })} · {t("ops.health.reviews", { open: n(h.reviews.open), breached: n(h.reviews.breached) })}
        </p>
      </HealthCard>

      <HealthCard title={t("ops.quotaStore.title")} badge={<Badge variant={storeTone(data.quotaStore.state)}>{t(`ops.quotaStore.${data.quotaStore.state}`)}</Badge>}>
        <p className="text-muted-foreground">{t(`ops.quotaStore.hint.${data.quotaStore.state}`)}</p>
        {data.quotaStore.since ? (
          <p className="mt-2 text-xs text-muted-foreground">
            {t("ops.quotaStore.since", { time: formatDateTime(data.quotaStore.since, locale) })}
            {data.quotaStore.reason ? ` (${data.quotaStore.reason})` : ""}
          </p>
        ) : null}
        {data.quotaStore.error ? <p className="mt-2 text-xs text-destructive">{data.quotaStore.error}</p> : null}
      </HealthCard>

      <HealthCard title={t("ops.providers.title")} badge={null}>
        {data.providers.length === 0 ? (
          <p className="text-muted-foreground">{t("ops.providers.none")}</p>
        ) : (
          <ul className="space-y-2">
            {data.providers.map((p) => (
              <li key={p.provider} className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-medium">{p.provider}</span>
                <Badge variant={providerTone(p.status)}>{t(`ops.provider.${p.status}`)}</Badge>
                {p.status !== "UP" ? (
                  <span className="w-full text-xs text-muted-foreground">
                    {t("ops.providers.failures", { count: p.consecutiveFailures })}
                    {p.lastError ? ` — ${p.lastError}` : ""}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </HealthCard>

      <HealthCard title={t("ops.dispatch.title")} badge={<Badge variant={h.dispatch.stalled ? "destructive" : h.windowOpen ? "success" : "secondary"}>{t(h.dispatch.stalled ? "ops.dispatch.stalled" : h.windowOpen ? "ops.dispatch.windowOpen" : "ops.dispatch.windowClosed")}</Badge>}>
        <p>
          {t("ops.dispatch.lastRun")}: {h.dispatch.lastRunAt ? formatRelativeTime(h.dispatch.lastRunAt, h.at, locale) : t("ops.never")}
          {h.dispatch.lastStatus ? ` (${h.dispatch.lastStatus})` : ""}
        </p>
        <p className="mt-1 text-xs text-muted-foreground">{t("ops.dispatch.lastHour", { runs: n(h.dispatch.runsLastHour), sent: n(h.dispatch.sentToQueuesLastHour) })}</p>
        <p className="mt-3 font-medium">{t("ops.phones.title")}</p>
        <p className="text-xs text-muted-foreground" data-testid="phone-pool">
          {t("ops.phones.summary", { sendable: n(h.phones.sendable), total: n(h.phones.total), offline: n(h.phones.offline), banned: n(h.phones.banned), paused: n(h.phones.paused) })}
        </p>
        {h.phones.uncheckedRecently > 0 ? <p className="text-xs text-amber-700">{t("ops.phones.unchecked", { count: h.phones.uncheckedRecently })}</p> : null}
      </HealthCard>
    </div>
  );
}
