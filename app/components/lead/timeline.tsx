/**
 * The lead's one conversation: WhatsApp and email in and out with every status and its time, replies
 * with their analysis, state changes with who and why, review items, notes, people's actions and the
 * automation's decisions (the explain trail). Newest first, loaded in windows ("Older" loads the next),
 * refreshed while the page is open so a delivery or a read shows up without reloading.
 */
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { BotIcon, HandIcon, InboxIcon, MailIcon, MessageIcon, NoteIcon, ArrowRightLeftIcon, AlertTriangleIcon } from "~/components/icons";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { ErrorState } from "~/components/ui/error-state";
import { Skeleton } from "~/components/ui/skeleton";
import { formatDateTime, formatNumber } from "~/lib/format";
import { useLocale, useT, type MessageKey } from "~/lib/i18n";
import { ro } from "~/lib/messages/ro";
import { useTRPC } from "~/lib/trpc";
import { cn } from "~/lib/utils";
import { intentKey } from "~/components/review/review-list";
import { whyText } from "~/components/review/why";
import { blockedText, collapseRepeats, decisionActor, decisionKey, manualDecision, matchesFilter, type TimelineFilter, type TimelineItem } from "./lead-model";

const WINDOW = 30;
/** A delivered/read status arrives by polling the provider (a minute apart); this keeps up with it. */
const REFRESH_MS = 15_000;

export function Timeline({ leadId }: { leadId: string }) {
  const t = useT();
  const trpc = useTRPC();
  const [filter, setFilter] = useState<TimelineFilter>("all");
  const query = useInfiniteQuery({
    ...trpc.leads.timeline.infiniteQueryOptions({ leadId, limit: WINDOW }, { getNextPageParam: (last) => last.next ?? undefined }),
    refetchInterval: REFRESH_MS,
  });
  const items = (query.data?.pages ?? []).flatMap((p) => p.items).filter((i) => matchesFilter(i, filter));
  const rows = collapseRepeats(items);
  // Something new happened to the lead (a send job's decision, a state change): the cards beside the
  // timeline (stage, last decision) read the lead itself, so it is read again now, not at its own next refresh.
  const newest = query.data?.pages[0]?.items[0]?.key ?? null;
  const seen = useRef<string | null>(null);
  const queryClient = useQueryClient();
  useEffect(() => {
    if (newest !== null && seen.current !== null && newest !== seen.current) void queryClient.invalidateQueries({ queryKey: trpc.leads.get.queryKey({ leadId }) });
    seen.current = newest;
  }, [newest, leadId, queryClient, trpc]);

  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3 space-y-0 pb-3">
        <div className="grid gap-1">
          <CardTitle as="h2">{t("timeline.title")}</CardTitle>
          <CardDescription>{t("timeline.description")}</CardDescription>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <span className="text-muted-foreground">{t("timeline.filter")}</span>
          <select
            value={filter}
            onChange={(e) => setFilter(e.target.value as TimelineFilter)}
            className="h-8 rounded-md border border-input bg-card px-2 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          >
            {(["all", "messages", "decisions", "activity"] as const).map((f) => (
              <option key={f} value={f}>
                {t(`timeline.filter.${f}`)}
              </option>
            ))}
          </select>
        </label>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <div className="grid gap-3" aria-busy="true">
            <p role="status" className="sr-only">
              {t("common.loading")}
            </p>
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="h-16 w-full" />
            ))}
          </div>
        ) : query.isError ? (
          <ErrorState title={t("timeline.error")} onRetry={() => void query.refetch()} retrying={query.isFetching} />
        ) : rows.length === 0 ? (
          <EmptyState icon={InboxIcon} title={t("timeline.empty")} description={t("timeline.emptyHint")} />
        ) : (
          <ol className="grid gap-3" data-testid="timeline">
            {rows.map(({ item, repeated }) => (
              <li key={item.key} data-testid={`timeline-${item.kind}`}>
                <TimelineRow item={item} repeated={repeated} />
              </li>
            ))}
          </ol>
        )}
        {query.hasNextPage ? (
          <div className="mt-4 flex justify-center">
            <Button variant="outline" size="sm" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
              {query.isFetchingNextPage ? t("timeline.loadingMore") : t("timeline.more")}
            </Button>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}

function Row({ icon, tone = "default", children, at }: { icon: ReactNode; tone?: "default" | "out" | "in" | "auto" | "warn"; children: ReactNode; at: Date }) {
  const locale = useLocale();
  return (
    <div
      className={cn(
        "flex gap-3 rounded-md border p-3 text-sm",
        tone === "out" && "border-primary/30 bg-primary/5",
        tone === "in" && "border-emerald-300 bg-emerald-50/60",
        tone === "auto" && "border-dashed bg-muted/30",
        tone === "warn" && "border-amber-300 bg-amber-50/60",
      )}
    >
      <span className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full bg-card text-muted-foreground shadow-sm [&_svg]:size-4">{icon}</span>
      <div className="min-w-0 flex-1">
        {children}
        <time className="mt-1 block text-xs text-muted-foreground" dateTime={new Date(at).toISOString()}>
          {formatDateTime(at, locale)}
        </time>
      </div>
    </div>
  );
}

const has = (key: string): key is MessageKey => Object.prototype.hasOwnProperty.call(ro, key);

function TimelineRow({ item, repeated }: { item: TimelineItem; repeated: number }) {
  const t = useT();
  const locale = useLocale();
  const time = (d: Date | null) => (d ? formatDateTime(d, locale) : null);

  switch (item.kind) {
    case "message": {
      const out = item.direction === "OUTBOUND";
      const statusTone = item.status === "FAILED" || item.status === "BOUNCED" ? "destructive" : item.status === "QUEUED" ? "secondary" : item.status === "READ" || item.status === "REPLIED" || item.status === "OPENED" || item.status === "CLICKED" ? "success" : "outline";
      const times = (["sent", "delivered", "read", "opened", "clicked", "replied", "bounced", "failed"] as const)
        .filter((k) => item.times[k] && !(k === "replied" && !out))
        .map((k) => t(`timeline.time.${k}`, { time: time(item.times[k])! }));
      const analysisIntent = item.analysis?.intent ? t(intentKey(item.analysis.intent)) : "—";
      const analysisWhy = whyText(item.analysis?.details, locale);
      return (
        <Row icon={item.channel === "WHATSAPP" ? <MessageIcon /> : <MailIcon />} tone={out ? "out" : "in"} at={item.at}>
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{out ? t("timeline.out") : t("timeline.in")}</span>
            <Badge variant="outline">{t(`channel.${item.channel}`)}</Badge>
            {out ? (
              <Badge variant={statusTone} data-testid="message-status">
                {t(`timeline.status.${item.status}`)}
              </Badge>
            ) : null}
            {item.manual?.by ? <span className="text-xs text-muted-foreground">{t("timeline.manualBy", { name: item.manual.by.name })}</span> : item.manual ? <span className="text-xs text-muted-foreground">{t("timeline.manualLogged")}</span> : null}
          </div>
          {item.subject ? <p className="mt-1 font-medium">{item.subject}</p> : null}
          <p className="mt-1 whitespace-pre-wrap break-words">{item.preview ?? t("timeline.noText")}</p>
          {item.analysis ? (
            <div className="mt-1 text-xs" data-testid="reply-analysis">
              <p className="font-medium text-emerald-900">
                {item.analysis.sentiment !== null
                  ? t("timeline.analysis", { intent: analysisIntent, score: formatNumber(item.analysis.sentiment, locale) })
                  : t("timeline.analysisNoScore", { intent: analysisIntent })}
              </p>
              {analysisWhy ? <p className="mt-0.5 text-muted-foreground">{analysisWhy}</p> : null}
            </div>
          ) : null}
          {item.error?.message || item.error?.code ? (
            <p className="mt-1 text-xs text-destructive">{t("timeline.error.detail", { message: item.error.message ?? item.error.code ?? "" })}</p>
          ) : null}
          <p className="mt-1 text-xs text-muted-foreground">
            {[
              ...times,
              item.phone ? item.phone.label : null,
              item.sequenceStep !== null ? t("timeline.step", { step: item.sequenceStep }) : null,
              item.template ? t("timeline.template", { name: item.template.name, version: item.template.version ?? "—" }) : null,
              item.quotaCost === 1 ? t("timeline.quotaUnit") : null,
            ]
              .filter(Boolean)
              .join(" · ")}
          </p>
        </Row>
      );
    }
    case "state": {
      const who = item.actor.type === "USER" ? (item.actor.name ?? t("timeline.someone")) : item.actor.type === "WEBHOOK" ? t("timeline.actor.WEBHOOK", { name: item.actor.id ?? "" }) : t(`timeline.actor.${item.actor.type}`);
      return (
        <Row icon={<ArrowRightLeftIcon />} at={item.at}>
          <p className="font-medium">{item.from ? t("timeline.state", { from: t(`state.${item.from}`), to: t(`state.${item.to}`) }) : t("timeline.stateFirst", { to: t(`state.${item.to}`) })}</p>
          <p className="text-xs text-muted-foreground">
            {t("lead.journey.by", { who })}
            {item.reason ? ` · ${item.reason}` : ""}
          </p>
        </Row>
      );
    }
    case "decision": {
      const key = decisionKey(item.result);
      const manual = item.stage === "manual" ? manualDecision(item.outcome) : null;
      return (
        <Row icon={manual ? <HandIcon /> : <BotIcon />} tone={manual ? "default" : "auto"} at={item.at}>
          <p>
            <span className="font-medium">{manual ? decisionActor(t, manual, item.by) : t("timeline.decision")}</span> {key ? t(key as "decision.SENT") : item.result}
            {repeated > 1 ? <span className="text-muted-foreground"> ({t("timeline.decisionRepeated", { count: repeated })})</span> : null}
          </p>
          {manual?.blocked ? <p className="text-xs">{blockedText(t, manual.blocked)}</p> : null}
          <details className="mt-1 text-xs text-muted-foreground">
            <summary className="cursor-pointer select-none">
              {t("timeline.decisionDetails")} · {has(`decision.stage.${item.stage}`) ? t(`decision.stage.${item.stage}` as "decision.stage.send") : item.stage}
            </summary>
            {item.summary ? <p className="mt-1">{item.summary}</p> : null}
            <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all rounded bg-muted/60 p-2 font-mono text-[11px]">{JSON.stringify(item.outcome, null, 2)}</pre>
          </details>
        </Row>
      );
    }
    case "review": {
      const priority = has(`priority.${item.priority}`) ? t(`priority.${item.priority}` as MessageKey as "priority.LOW") : item.priority;
      const reviewReason = !item.reason ? "—" : has(`review.reason.${item.reason}`) ? t(`review.reason.${item.reason}` as MessageKey as "review.reason.COMPLAINT") : item.reason;
      return (
        <Row icon={<AlertTriangleIcon />} tone="warn" at={item.at}>
          <p className="font-medium">
            {item.reviewKind === "APPROVAL" ? t("timeline.reviewApproval", { priority }) : t("timeline.review", { priority, reason: reviewReason })}
          </p>
          <p className="text-xs text-muted-foreground">
            {t(`timeline.reviewStatus.${item.status}`)} · {item.slaBreached ? t("timeline.reviewBreached") : t("timeline.reviewSla", { when: formatDateTime(item.slaDueAt, locale) })}
            {item.assignedTo ? ` · ${item.assignedTo.name}` : ""}
          </p>
        </Row>
      );
    }
    case "note":
      return (
        <Row icon={<NoteIcon />} at={item.at}>
          <p className="text-xs font-medium text-muted-foreground">{t("timeline.note", { name: item.author?.name ?? t("timeline.someone") })}</p>
          <p className="mt-1 whitespace-pre-wrap break-words">{item.body}</p>
        </Row>
      );
    case "action": {
      const name = item.actor.name ?? t("timeline.someone");
      const key = `timeline.action.${item.action}`;
      return (
        <Row icon={<HandIcon />} at={item.at}>
          <p>{has(key) ? t(key as "timeline.action.lead.take_over", { name }) : t("timeline.action.other", { name, action: item.action })}</p>
        </Row>
      );
    }
  }
}
