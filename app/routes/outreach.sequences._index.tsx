import { useRef, useState } from "react";
import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData } from "@remix-run/react";
import { useQuery } from "@tanstack/react-query";
import { Plus, Workflow } from "lucide-react";
import { RefreshIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { EnrollFromViewDialog } from "~/components/sequences/enroll-from-view-dialog";
import { SequenceActionDialog } from "~/components/sequences/sequence-action-dialog";
import { SequenceCard, type SequenceAction } from "~/components/sequences/sequence-card";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { ErrorState } from "~/components/ui/error-state";
import { Skeleton } from "~/components/ui/skeleton";
import { ToastProvider } from "~/components/ui/toast";
import { formatTime } from "~/lib/format";
import { pageTitle, useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { cn } from "~/lib/utils";
import type { RootData } from "~/root";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.sequences") }];

export default function SequencesPage() {
  return (
    <ToastProvider>
      <Sequences />
    </ToastProvider>
  );
}

/** The figures move as leads are sent, reply and convert; a minute is fresh enough for a manager. */
const REFRESH_MS = 60_000;

function Sequences() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const role = useRouteLoaderData<RootData>("root")?.user?.role ?? null;
  const canManage = role === "MANAGER" || role === "ADMIN";
  const [showArchived, setShowArchived] = useState(false);
  const list = useQuery({ ...trpc.sequences.overview.queryOptions({ includeArchived: showArchived }), refetchInterval: REFRESH_MS });
  const [dialog, setDialog] = useState<{ sequenceId: string; action: SequenceAction | "enroll" } | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const open = (sequenceId: string, action: SequenceAction | "enroll") => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setDialog({ sequenceId, action });
  };
  const close = () => {
    setDialog(null);
    const target = opener.current;
    requestAnimationFrame(() => target?.isConnected && target.focus());
  };
  const dialogSequence = dialog ? list.data?.find((s) => s.id === dialog.sequenceId) : undefined;

  return (
    <>
      <PageHeader
        title={t("nav.sequences")}
        description={list.data ? t("sequences.subtitle", { time: formatTime(list.dataUpdatedAt, locale) }) : t("sequences.subtitleLoading")}
        actions={
          <>
            <label className="flex items-center gap-2 text-sm text-muted-foreground">
              <input type="checkbox" className="size-4 accent-primary" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} />
              {t("sequences.showArchived")}
            </label>
            <Button variant="ghost" size="sm" onClick={() => void list.refetch()} disabled={list.isFetching} aria-label={t("common.refresh")}>
              <RefreshIcon className={cn(list.isFetching && "animate-spin")} />
              <span className="hidden sm:inline">{t("common.refresh")}</span>
            </Button>
            {canManage ? (
              <Button asChild size="sm">
                <Link to="/outreach/sequences/new">
                  <Plus />
                  {t("sequences.action.new")}
                </Link>
              </Button>
            ) : null}
          </>
        }
      />
      {list.isPending ? (
        <div className="grid gap-4 lg:grid-cols-2" aria-busy="true">
          <p role="status" className="sr-only">
            {t("common.loading")}
          </p>
          {[0, 1, 2, 3].map((i) => (
            <Card key={i} className="p-5">
              <Skeleton className="h-5 w-48" />
              <Skeleton className="mt-2 h-4 w-32" />
              <Skeleton className="mt-6 h-12 w-full" />
              <Skeleton className="mt-4 h-20 w-full" />
            </Card>
          ))}
        </div>
      ) : list.isError ? (
        <ErrorState title={t("sequences.error")} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : list.data.length === 0 ? (
        <EmptyState
          icon={Workflow}
          headingLevel="h2"
          title={t("sequences.empty")}
          description={canManage ? t("sequences.emptyHint") : t("sequences.emptyHintReadOnly")}
          action={
            canManage ? (
              <Button asChild size="sm">
                <Link to="/outreach/sequences/new">
                  <Plus />
                  {t("sequences.action.new")}
                </Link>
              </Button>
            ) : null
          }
        />
      ) : (
        <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-2">
          {list.data.map((s) => (
            <SequenceCard key={s.id} sequence={s} canManage={canManage} onAction={(action) => open(s.id, action)} onEnroll={() => open(s.id, "enroll")} />
          ))}
        </div>
      )}
      {dialog && dialogSequence && dialog.action === "enroll" ? <EnrollFromViewDialog key={dialog.sequenceId} sequence={dialogSequence} onClose={close} /> : null}
      {dialog && dialogSequence && dialog.action !== "enroll" ? (
        <SequenceActionDialog
          key={`${dialog.sequenceId}:${dialog.action}`}
          sequence={dialogSequence}
          action={dialog.action}
          onClose={close}
          onSwitch={(action) => setDialog({ ...dialog, action })}
        />
      ) : null}
    </>
  );
}
