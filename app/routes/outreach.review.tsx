import { useEffect, useRef, useState } from "react";
import type { MetaFunction } from "@remix-run/node";
import { useRouteLoaderData, useSearchParams } from "@remix-run/react";
import { useQuery } from "@tanstack/react-query";
import { InboxIcon, RefreshIcon } from "~/components/icons";
import { ReviewDetailPanel, isTyping } from "~/components/review/review-detail";
import { ReviewList } from "~/components/review/review-list";
import { neighbour, PRIORITIES, shortcutFor, SHORTCUTS, type Priority, type Viewer } from "~/components/review/review-model";
import { useNow } from "~/components/review/sla-countdown";
import { PageHeader } from "~/components/page-header";
import { Button } from "~/components/ui/button";
import { Dialog, DialogContent, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { EmptyState } from "~/components/ui/empty-state";
import { ErrorState } from "~/components/ui/error-state";
import { Select } from "~/components/ui/select";
import { Skeleton } from "~/components/ui/skeleton";
import { ToastProvider } from "~/components/ui/toast";
import { formatNumber } from "~/lib/format";
import { pageTitle, useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { cn } from "~/lib/utils";
import type { RootData } from "~/root";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.review") }];

/** New replies arrive on their own; the list asks again this often (and when the window regains focus). */
const REFRESH_MS = 20_000;

export default function ReviewPage() {
  return (
    <ToastProvider>
      <Review />
    </ToastProvider>
  );
}

type AssigneeFilter = "" | "MINE" | "UNASSIGNED" | (string & {});

/**
 * The review queue (issue 15): tabs by priority with counts, the list soonest due first and the item
 * beside it (below it on a phone). Reps see their items and the unassigned ones; managers see all and
 * filter by rep and breach. The filters live in the URL so a link or a reload shows the same view.
 */
function Review() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const root = useRouteLoaderData<RootData>("root");
  const user = root?.user;
  const viewer: Viewer | null = user ? { id: user.id, role: user.role } : null;
  const manager = viewer?.role === "MANAGER" || viewer?.role === "ADMIN";
  const [params, setParams] = useSearchParams();
  const priority = (PRIORITIES as readonly string[]).includes(params.get("priority") ?? "") ? (params.get("priority") as Priority) : undefined;
  const state = params.get("state") === "RESOLVED" ? "RESOLVED" : "OPEN";
  const assignee = (manager ? (params.get("assignee") ?? "") : "") as AssigneeFilter;
  const breached = manager && params.get("breached") === "1";
  const selectedId = params.get("item");
  const now = useNow();
  const [help, setHelp] = useState(false);

  const list = useQuery({
    ...trpc.reviews.list.queryOptions({ state, ...(priority ? { priority } : {}), ...(assignee ? { assignee } : {}), ...(breached ? { breached: true } : {}) }),
    refetchInterval: REFRESH_MS,
    placeholderData: (previous) => previous,
  });
  const assignees = useQuery({ ...trpc.reviews.assignees.queryOptions(), enabled: manager });

  const update = (changes: Record<string, string | null>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) if (v === null || v === "") next.delete(k);
        else next.set(k, v);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );
  const select = (id: string | null) => update({ item: id });

  // j / k walk the list, ? shows the shortcuts; the item's own keys live in its panel.
  const items = list.data?.items ?? [];
  const keyState = useRef({ items, selectedId });
  keyState.current = { items, selectedId };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || document.querySelector("[role=dialog]")) return;
      const action = shortcutFor(e.key);
      if (action === "next" || action === "previous") {
        e.preventDefault();
        const id = neighbour(keyState.current.items, keyState.current.selectedId, action === "next" ? 1 : -1);
        if (id) {
          update({ item: id });
          document.querySelector<HTMLElement>(`[data-review-id="${id}"]`)?.scrollIntoView({ block: "nearest" });
        }
      } else if (action === "help") {
        e.preventDefault();
        setHelp(true);
      } else if (action === "close" && keyState.current.selectedId) {
        update({ item: null });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- update only writes the URL
  }, []);

  const counts = list.data?.counts;
  const tabs: Array<{ key: Priority | null; label: string; count: number | null }> = [
    { key: null, label: t("review.tabs.all"), count: counts?.total ?? null },
    ...PRIORITIES.map((p) => ({ key: p, label: t(`priority.${p}`), count: counts?.byPriority[p] ?? null })),
  ];

  return (
    <>
      <PageHeader
        title={t("nav.review")}
        description={
          counts ? (
            manager ? (
              t("review.subtitle", { total: formatNumber(counts.total, locale), breached: formatNumber(counts.breached, locale) })
            ) : (
              t("review.subtitleRep", { mine: formatNumber(counts.mine, locale), unassigned: formatNumber(counts.unassigned, locale), breached: formatNumber(counts.breached, locale) })
            )
          ) : list.isPending ? (
            <Skeleton className="h-4 w-72" />
          ) : null
        }
        actions={
          <>
            <Button variant="ghost" size="sm" onClick={() => setHelp(true)}>
              {t("review.shortcuts.open")}
              <kbd className="rounded border px-1 text-[10px]">?</kbd>
            </Button>
            <Button variant="ghost" size="sm" onClick={() => void list.refetch()} disabled={list.isFetching} aria-label={t("common.refresh")}>
              <RefreshIcon className={cn(list.isFetching && "animate-spin")} />
              <span className="hidden sm:inline">{t("common.refresh")}</span>
            </Button>
          </>
        }
      />

      <div className="mb-4 flex flex-wrap items-end gap-3">
        <div role="tablist" aria-label={t("review.tabs.label")} className="flex max-w-full gap-1 overflow-x-auto rounded-lg bg-muted p-1">
          {tabs.map((tab) => {
            const active = (tab.key ?? null) === (priority ?? null);
            return (
              <button
                key={tab.key ?? "all"}
                type="button"
                role="tab"
                aria-selected={active}
                onClick={() => update({ priority: tab.key, item: null })}
                className={cn(
                  "flex items-center gap-1.5 whitespace-nowrap rounded-md px-3 py-1.5 text-sm font-medium transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                  active ? "bg-card text-foreground shadow-sm" : "text-muted-foreground hover:text-foreground",
                )}
              >
                {tab.label}
                {tab.count !== null ? (
                  <span className={cn("rounded-full px-1.5 text-xs tabular-nums", tab.key === "URGENT" && tab.count > 0 ? "bg-destructive/10 text-destructive" : "bg-background")}>
                    {formatNumber(tab.count, locale)}
                  </span>
                ) : null}
              </button>
            );
          })}
        </div>
        <div className="ml-auto flex flex-wrap items-center gap-2">
          <Select aria-label={t("review.filter.state")} value={state} onChange={(e) => update({ state: e.target.value === "OPEN" ? null : e.target.value, item: null })} className="h-9 w-auto">
            <option value="OPEN">{t("review.filter.open")}</option>
            <option value="RESOLVED">{t("review.filter.resolved")}</option>
          </Select>
          {manager ? (
            <>
              <Select aria-label={t("review.filter.assignee")} value={assignee} onChange={(e) => update({ assignee: e.target.value, item: null })} className="h-9 w-auto">
                <option value="">{t("review.filter.anyone")}</option>
                <option value="MINE">{t("review.filter.mine")}</option>
                <option value="UNASSIGNED">{t("review.filter.unassigned")}</option>
                {(assignees.data ?? []).map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </Select>
              <label className="flex h-9 items-center gap-2 rounded-md border bg-card px-3 text-sm">
                <input type="checkbox" checked={breached} onChange={(e) => update({ breached: e.target.checked ? "1" : null, item: null })} className="size-4 accent-primary" />
                {t("review.filter.breached")}
              </label>
            </>
          ) : null}
        </div>
      </div>

      {list.isPending ? (
        <ListSkeleton />
      ) : list.isError ? (
        <ErrorState title={t("review.list.error")} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : items.length === 0 ? (
        <EmptyState icon={InboxIcon} title={t("review.list.empty")} description={t("review.list.emptyHint")} headingLevel="h2" />
      ) : (
        <div className="grid gap-6 lg:grid-cols-[minmax(18rem,24rem)_minmax(0,1fr)]">
          <div className={cn("min-w-0 lg:max-h-[calc(100vh-14rem)] lg:overflow-y-auto", selectedId && "hidden lg:block")}>
            <ReviewList items={items} selectedId={selectedId} onSelect={select} now={now} />
          </div>
          <div className={cn("min-w-0", !selectedId && "hidden lg:block")}>
            {selectedId && viewer ? (
              <ReviewDetailPanel reviewId={selectedId} viewer={viewer} now={now} onBack={() => select(null)} />
            ) : (
              <EmptyState icon={InboxIcon} title={t("review.detail.pick")} description={t("review.detail.pickHint")} />
            )}
          </div>
        </div>
      )}

      <Dialog open={help} onOpenChange={setHelp}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>{t("review.shortcuts.title")}</DialogTitle>
          </DialogHeader>
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            {SHORTCUTS.map((s) => (
              <div key={s.label} className="contents">
                <dt className="flex gap-1">
                  {s.keys.map((k) => (
                    <kbd key={k} className="min-w-6 rounded border bg-muted px-1.5 text-center font-mono text-xs">
                      {k}
                    </kbd>
                  ))}
                </dt>
                <dd>{t(s.label)}</dd>
              </div>
            ))}
          </dl>
        </DialogContent>
      </Dialog>
    </>
  );
}

function ListSkeleton() {
  const t = useT();
  return (
    <div className="grid gap-2" aria-busy="true" aria-label={t("common.loading")}>
      {[0, 1, 2, 3, 4].map((i) => (
        <Skeleton key={i} className="h-20 w-full" />
      ))}
    </div>
  );
}
