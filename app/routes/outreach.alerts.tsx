import { useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useSearchParams } from "@remix-run/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { roleAtLeast } from "#server/auth/roles";
import { requireUser } from "#server/auth/session.server";
import { alertActions, isOverdue, severityVariant, type AlertItem } from "~/components/alerts/alert-model";
import { BellIcon, CheckIcon, RefreshIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { mutationErrorMessageKey } from "~/components/phones/phone-model";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { EmptyState } from "~/components/ui/empty-state";
import { ErrorState } from "~/components/ui/error-state";
import { Label } from "~/components/ui/label";
import { Skeleton } from "~/components/ui/skeleton";
import { Textarea } from "~/components/ui/textarea";
import { ToastProvider, useToast } from "~/components/ui/toast";
import { formatDateTime, formatRelativeTime, formatTime } from "~/lib/format";
import { pageTitle, useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { cn } from "~/lib/utils";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.alerts") }];

/** Managers and admins: the people alerts are emailed to and who act on the runbook. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!roleAtLeast(user.role, "MANAGER")) throw new Response("Forbidden", { status: 403 });
  return null;
}

type Tab = "OPEN" | "RESOLVED";

export default function AlertsPage() {
  return (
    <ToastProvider>
      <Alerts />
    </ToastProvider>
  );
}

/** Open alerts (acknowledge, resolve) and the history of resolved ones (runbook §7). */
function Alerts() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const [params] = useSearchParams();
  const tab: Tab = params.get("status") === "RESOLVED" ? "RESOLVED" : "OPEN";
  const list = useQuery({ ...trpc.alerts.list.queryOptions({ status: tab, limit: 100 }), refetchInterval: 60_000 });
  const [resolving, setResolving] = useState<AlertItem | null>(null);

  return (
    <>
      <PageHeader
        title={t("nav.alerts")}
        description={list.data ? t("common.updated", { time: formatTime(list.dataUpdatedAt, locale) }) : t("alerts.subtitle")}
        actions={
          <Button variant="ghost" size="sm" onClick={() => void list.refetch()} disabled={list.isFetching} aria-label={t("common.refresh")}>
            <RefreshIcon className={cn(list.isFetching && "animate-spin")} />
            <span className="hidden sm:inline">{t("common.refresh")}</span>
          </Button>
        }
      />
      <nav aria-label={t("alerts.tabs")} className="mb-4 flex gap-2">
        {(["OPEN", "RESOLVED"] as const).map((s) => (
          <Link
            key={s}
            to={s === "OPEN" ? "?" : "?status=RESOLVED"}
            aria-current={tab === s ? "page" : undefined}
            className={cn(
              "rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
              tab === s ? "bg-primary/10 text-primary" : "text-muted-foreground hover:bg-accent",
            )}
          >
            {t(s === "OPEN" ? "alerts.tab.open" : "alerts.tab.history")}
          </Link>
        ))}
      </nav>

      {list.isPending ? (
        <div className="grid gap-3" aria-busy="true">
          <p role="status" className="sr-only">
            {t("common.loading")}
          </p>
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} className="h-32 w-full" />
          ))}
        </div>
      ) : list.isError ? (
        <ErrorState title={t("alerts.error")} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : list.data.items.length === 0 ? (
        <EmptyState
          icon={BellIcon}
          headingLevel="h2"
          title={t(tab === "OPEN" ? "alerts.empty.open" : "alerts.empty.history")}
          description={t(tab === "OPEN" ? "alerts.empty.openHint" : "alerts.empty.historyHint")}
        />
      ) : (
        <ul className="grid gap-3" aria-label={t(tab === "OPEN" ? "alerts.tab.open" : "alerts.tab.history")}>
          {list.data.items.map((alert) => (
            <li key={alert.id}>
              <AlertCard alert={alert} now={new Date(list.dataUpdatedAt)} onResolve={() => setResolving(alert)} />
            </li>
          ))}
        </ul>
      )}
      {resolving ? <ResolveDialog alert={resolving} onClose={() => setResolving(null)} /> : null}
    </>
  );
}

function useRefreshAlerts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.alerts.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.alerts.counts.queryKey() }),
    ]);
}

function AlertCard({ alert, now, onResolve }: { alert: AlertItem; now: Date; onResolve: () => void }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshAlerts();
  const acknowledge = useMutation(
    trpc.alerts.acknowledge.mutationOptions({
      onSuccess: () => toast({ title: t("alerts.acknowledged", { title: alert.title }) }),
      onError: (error) => toast({ title: t(mutationErrorMessageKey(error)), variant: "error" }),
      onSettled: () => refresh(),
    }),
  );
  const can = alertActions(alert);
  const overdue = isOverdue(alert, now);
  return (
    <Card className={cn("grid gap-2 p-4", overdue && "border-destructive/60")} data-testid="alert-card">
      <div className="flex flex-wrap items-center gap-2">
        <Badge variant={severityVariant(alert.severity)}>{t(`alerts.severity.${alert.severity}`)}</Badge>
        <code className="text-xs text-muted-foreground">{alert.type}</code>
        {alert.occurrences > 1 ? <Badge variant="outline">{t("alerts.occurrences", { count: alert.occurrences })}</Badge> : null}
        {alert.status === "ACKNOWLEDGED" ? <Badge variant="secondary">{t("alerts.status.ACKNOWLEDGED")}</Badge> : null}
        {alert.status === "RESOLVED" ? <Badge variant="success">{t("alerts.status.RESOLVED")}</Badge> : null}
      </div>
      <h2 className="text-base font-semibold">{alert.title}</h2>
      <p className="text-sm">{alert.message}</p>
      <dl className="grid gap-x-6 gap-y-1 text-xs text-muted-foreground sm:grid-cols-2">
        <div>
          <dt className="inline">{t("alerts.firstSeen")}: </dt>
          <dd className="inline">{formatDateTime(alert.createdAt, locale)}</dd>
        </div>
        <div>
          <dt className="inline">{t("alerts.lastSeen")}: </dt>
          <dd className="inline">{formatRelativeTime(alert.lastSeenAt, now, locale)}</dd>
        </div>
        {alert.status !== "RESOLVED" ? (
          <div className={cn(overdue && "font-medium text-destructive")}>
            <dt className="inline">{t("alerts.respondBy", { minutes: alert.responseMinutes })}: </dt>
            <dd className="inline">{formatDateTime(alert.respondBy, locale)}</dd>
          </div>
        ) : null}
        <div>
          <dt className="inline">{t("alerts.runbook")}: </dt>
          <dd className="inline">§{alert.runbook}</dd>
        </div>
        {alert.acknowledgedAt ? (
          <div>
            <dt className="inline">{t("alerts.acknowledgedBy")}: </dt>
            <dd className="inline">
              {alert.acknowledgedBy ?? t("common.dash")}, {formatDateTime(alert.acknowledgedAt, locale)}
            </dd>
          </div>
        ) : null}
        {alert.resolvedAt ? (
          <div>
            <dt className="inline">{t("alerts.resolvedBy")}: </dt>
            <dd className="inline">
              {alert.resolvedBy ?? t("common.dash")}, {formatDateTime(alert.resolvedAt, locale)}
              {alert.resolutionNote ? ` — ${alert.resolutionNote}` : ""}
            </dd>
          </div>
        ) : null}
      </dl>
      {can.acknowledge || can.resolve ? (
        <div className="flex flex-wrap gap-2 pt-1">
          {can.acknowledge ? (
            <Button size="sm" variant="outline" disabled={acknowledge.isPending} onClick={() => acknowledge.mutate({ alertId: alert.id })}>
              {acknowledge.isPending ? t("common.saving") : t("alerts.action.acknowledge")}
            </Button>
          ) : null}
          {can.resolve ? (
            <Button size="sm" onClick={onResolve}>
              <CheckIcon />
              {t("alerts.action.resolve")}
            </Button>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}

function ResolveDialog({ alert, onClose }: { alert: AlertItem; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const toast = useToast();
  const refresh = useRefreshAlerts();
  const [note, setNote] = useState("");
  const mutation = useMutation(
    trpc.alerts.resolve.mutationOptions({
      onSuccess: () => {
        toast({ title: t("alerts.resolved", { title: alert.title }) });
        onClose();
      },
      onSettled: () => refresh(),
    }),
  );
  const pending = mutation.isPending;
  return (
    <Dialog open onOpenChange={(open) => !open && !pending && onClose()}>
      <DialogContent>
        <form
          className="grid gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (!pending) mutation.mutate({ alertId: alert.id, note: note.trim() || undefined });
          }}
        >
          <DialogHeader>
            <DialogTitle>{t("alerts.resolve.title")}</DialogTitle>
            <DialogDescription>{alert.title}</DialogDescription>
          </DialogHeader>
          <div className="grid gap-2">
            <Label htmlFor="resolve-note">
              {t("alerts.resolve.note")} <span className="text-muted-foreground">({t("common.optional")})</span>
            </Label>
            <Textarea id="resolve-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} placeholder={t("alerts.resolve.placeholder")} />
          </div>
          {mutation.error ? (
            <Alert variant="destructive">
              <AlertDescription>{t(mutationErrorMessageKey(mutation.error))}</AlertDescription>
            </Alert>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={onClose} disabled={pending}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? t("common.saving") : t("alerts.action.resolve")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
