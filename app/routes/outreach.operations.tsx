import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { roleAtLeast } from "#server/auth/roles";
import { requireUser } from "#server/auth/session.server";
import { RefreshIcon } from "~/components/icons";
import { ApiKeys } from "~/components/operations/api-keys";
import { DeadLetters } from "~/components/operations/dead-letters";
import { HealthCards, type Overview } from "~/components/operations/health-cards";
import { QueuesTable } from "~/components/operations/queues-table";
import { PageHeader } from "~/components/page-header";
import { mutationErrorMessageKey } from "~/components/phones/phone-model";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { ErrorState } from "~/components/ui/error-state";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { ToastProvider, useToast } from "~/components/ui/toast";
import { formatDateTime, formatNumber, formatTime } from "~/lib/format";
import { pageTitle, useLocale, useT, type Translate } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { cn } from "~/lib/utils";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.operations") }];

/** Admins only, as the procedures behind it. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!roleAtLeast(user.role, "ADMIN")) throw new Response("Forbidden", { status: 403 });
  return null;
}

export default function OperationsPage() {
  return (
    <ToastProvider>
      <Operations />
    </ToastProvider>
  );
}

/** The operations page (issue 12 item 3): health, queues, dead letters, monitors, dispatch runs, recovery. */
function Operations() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.operations.overview.queryOptions(), refetchInterval: 30_000 });

  return (
    <>
      <PageHeader
        title={t("nav.operations")}
        description={overview.data ? t("common.updated", { time: formatTime(overview.dataUpdatedAt, locale) }) : t("ops.subtitle")}
        actions={
          <Button variant="ghost" size="sm" onClick={() => void overview.refetch()} disabled={overview.isFetching} aria-label={t("common.refresh")}>
            <RefreshIcon className={cn(overview.isFetching && "animate-spin")} />
            <span className="hidden sm:inline">{t("common.refresh")}</span>
          </Button>
        }
      />
      <div className="grid grid-cols-[minmax(0,1fr)] gap-8">
        {overview.isPending ? (
          <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" aria-busy="true">
            <p role="status" className="sr-only">
              {t("common.loading")}
            </p>
            {Array.from({ length: 4 }, (_, i) => (
              <Skeleton key={i} className="h-40" />
            ))}
          </div>
        ) : overview.isError ? (
          <ErrorState title={t("ops.error")} onRetry={() => void overview.refetch()} retrying={overview.isFetching} />
        ) : (
          <HealthCards data={overview.data} />
        )}

        <Section title={t("ops.dlq.title")} description={t("ops.dlq.description")}>
          <DeadLetters />
        </Section>

        {overview.data ? (
          <Section title={t("ops.queues.title")} description={t("ops.queues.description")}>
            <QueuesTable queues={overview.data.health.queues} />
          </Section>
        ) : null}

        {overview.data ? (
          <Section title={t("ops.monitors.title")} description={t("ops.monitors.description")}>
            <MonitorRuns monitors={overview.data.monitors} />
          </Section>
        ) : null}

        <Section title={t("ops.runs.title")} description={t("ops.runs.description")}>
          <DispatchRuns />
        </Section>

        <Section title={t("ops.recover.title")} description={t("ops.recover.description")}>
          <Recover />
        </Section>

        <Section title={t("ops.keys.title")} description={t("ops.keys.description")}>
          <ApiKeys />
        </Section>
      </div>
    </>
  );
}

function Section({ title, description, children }: { title: string; description: string; children: React.ReactNode }) {
  return (
    <section className="grid gap-3">
      <div>
        <h2 className="text-lg font-semibold">{title}</h2>
        <p className="text-sm text-muted-foreground">{description}</p>
      </div>
      {children}
    </section>
  );
}

function MonitorRuns({ monitors }: { monitors: Overview["monitors"] }) {
  const t = useT();
  const locale = useLocale();
  if (monitors.length === 0) return <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">{t("ops.monitors.empty")}</p>;
  return (
    <div className="overflow-x-auto rounded-lg border bg-card">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>{t("ops.monitors.monitor")}</TableHead>
            <TableHead>{t("ops.monitors.lastRun")}</TableHead>
            <TableHead>{t("ops.monitors.outcome")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {monitors.map((m) => (
            <TableRow key={m.monitor}>
              <TableCell className="font-mono text-xs">{m.monitor}</TableCell>
              <TableCell className="whitespace-nowrap text-sm">{formatDateTime(m.startedAt, locale)}</TableCell>
              <TableCell>
                <Badge variant={m.error ? "destructive" : "secondary"}>{m.outcome}</Badge>
                {m.error ? (
                  <span className="mt-1 block max-w-xs truncate text-xs text-destructive" title={m.error}>
                    {m.error}
                  </span>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function DispatchRuns() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const runs = useQuery(trpc.pipeline.dispatchRuns.queryOptions({ limit: 10 }));
  if (runs.isPending) return <Skeleton className="h-24 w-full" />;
  if (runs.isError) return <ErrorState title={t("ops.runs.error")} onRetry={() => void runs.refetch()} retrying={runs.isFetching} />;
  if (runs.data.length === 0) return <p className="rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground">{t("ops.runs.empty")}</p>;
  return (
    <div className="overflow-x-auto rounded-lg border bg-card">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>{t("ops.runs.slot")}</TableHead>
            <TableHead>{t("ops.runs.status")}</TableHead>
            <TableHead>{t("ops.runs.queued")}</TableHead>
            <TableHead>{t("ops.runs.finished")}</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {runs.data.map((r) => (
            <TableRow key={r.id}>
              <TableCell className="whitespace-nowrap text-sm">{formatDateTime(r.slotStart, locale)}</TableCell>
              <TableCell>
                <Badge variant={r.status === "FAILED" ? "destructive" : "secondary"}>{runStatusLabel(t, r.status)}</Badge>
              </TableCell>
              <TableCell className="whitespace-nowrap text-sm">
                {t("ops.runs.queuedValue", {
                  wa: formatNumber(r.dispatchedToWhatsApp, locale),
                  email: formatNumber(r.dispatchedToEmail, locale),
                  eligible: formatNumber(r.totalEligibleLeads, locale),
                })}
              </TableCell>
              <TableCell className="whitespace-nowrap text-sm">{r.finishedAt ? formatDateTime(r.finishedAt, locale) : t("common.dash")}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

const RUN_STATUS_KEYS = {
  DONE: "ops.runs.status.DONE",
  WINDOW_CLOSED: "ops.runs.status.WINDOW_CLOSED",
  RUNNING: "ops.runs.status.RUNNING",
} as const;

/** A run's status in words; a code this page does not know yet is shown as it is. */
function runStatusLabel(t: Translate, status: string): string {
  return status in RUN_STATUS_KEYS ? t(RUN_STATUS_KEYS[status as keyof typeof RUN_STATUS_KEYS]) : status;
}

/** Runbook §6: first the plan (dry run), then the same call applied; both from the server. */
function Recover() {
  const t = useT();
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [applied, setApplied] = useState(false);
  const mutation = useMutation(
    trpc.operations.recover.mutationOptions({
      onSuccess: (_r, input) => {
        if (!input.dryRun) {
          setApplied(true);
          toast({ title: t("ops.recover.done") });
          void queryClient.invalidateQueries({ queryKey: trpc.operations.overview.queryKey() });
        }
      },
    }),
  );
  const plan = mutation.data;
  return (
    <div className="grid gap-3 rounded-lg border bg-card p-4 text-sm">
      {plan ? (
        <p data-testid="recover-plan">
          {t(applied ? "ops.recover.result" : "ops.recover.plan", { lost: plan.lostLeases, missing: plan.missingNextAction })}
        </p>
      ) : null}
      {mutation.error ? (
        <Alert variant="destructive">
          <AlertDescription>{t(mutationErrorMessageKey(mutation.error))}</AlertDescription>
        </Alert>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button size="sm" variant="outline" disabled={mutation.isPending} onClick={() => { setApplied(false); mutation.mutate({ dryRun: true }); }}>
          {t("ops.recover.dryRun")}
        </Button>
        {plan && !applied ? (
          <Button size="sm" disabled={mutation.isPending} onClick={() => mutation.mutate({ dryRun: false })}>
            {mutation.isPending ? t("common.saving") : t("ops.recover.apply")}
          </Button>
        ) : null}
      </div>
    </div>
  );
}
