import { useCallback, useMemo, useState } from "react";
import type { MetaFunction } from "@remix-run/node";
import { Link, useRouteLoaderData, useSearchParams } from "@remix-run/react";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import type { RowSelectionState } from "@tanstack/react-table";
import { ChevronDown, ListChecks, Upload, Users, X } from "lucide-react";
import { roleAtLeast } from "#server/auth/roles";
import type { BulkAction } from "#server/leads/bulk/actions";
import { LIST_SORTS, type ListSort } from "#server/leads/list/filters";
import { BulkDialog, bulkActionsFor } from "~/components/leads/bulk-dialog";
import { ImportDialog } from "~/components/leads/import-dialog";
import { LeadsTable, LeadsTableSkeleton } from "~/components/leads/leads-table";
import { LeadsToolbar } from "~/components/leads/leads-toolbar";
import { activeFilterCount, clearedView, parseView, viewFilters, viewFromFilters, viewInput, viewParams, type ListView } from "~/components/leads/list-params";
import { domainCode, errorMessage } from "~/components/leads/operation-progress";
import { Pagination } from "~/components/leads/pagination";
import { SavedViews } from "~/components/leads/saved-views";
import { PageHeader } from "~/components/page-header";
import { Button } from "~/components/ui/button";
import { EmptyState } from "~/components/ui/empty-state";
import { ErrorState } from "~/components/ui/error-state";
import { Popover, PopoverContent, PopoverTrigger } from "~/components/ui/popover";
import { Skeleton } from "~/components/ui/skeleton";
import { ToastProvider } from "~/components/ui/toast";
import { formatNumber } from "~/lib/format";
import { pageTitle, useLocale, useT } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import type { RootData } from "~/root";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.leads") }];

type Total = RouterOutputs["leads"]["list"]["total"];

function TotalText({ total }: { total: Total }) {
  const t = useT();
  const locale = useLocale();
  if (total.precision === "exact") return <>{t("leadsList.total", { count: total.value })}</>;
  const value = formatNumber(total.value, locale);
  return <>{total.precision === "estimate" ? t("leadsList.totalEstimate", { value }) : t("leadsList.totalAtLeast", { value })}</>;
}

/**
 * The leads list (issue 10): every lead of the organisation, a rep's own by default, filtered,
 * searched and sorted on the server (leads.list), with the view in the address, bulk actions on a
 * selection or on the whole filtered set, and CSV import for managers.
 */
export default function LeadsPage() {
  return (
    <ToastProvider>
      <Leads />
    </ToastProvider>
  );
}

function Leads() {
  const t = useT();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const role = useRouteLoaderData<RootData>("root")?.user?.role ?? null;
  const [searchParams, setSearchParams] = useSearchParams();
  const view = useMemo(() => parseView(searchParams, role), [searchParams, role]);
  const [selection, setSelection] = useState<RowSelectionState>({});
  const [bulk, setBulk] = useState<BulkAction | null>(null);
  const [importing, setImporting] = useState(false);

  const list = useQuery({ ...trpc.leads.list.queryOptions(viewInput(view)), placeholderData: keepPreviousData });
  const options = useQuery({ ...trpc.leads.options.queryOptions(), staleTime: 5 * 60_000 });
  // Relative times ("acum 3 zile") against the moment the page of data arrived.
  const now = useMemo(() => new Date(list.dataUpdatedAt || Date.now()), [list.dataUpdatedAt]);

  const filtersKey = JSON.stringify(viewFilters(view));
  const update = useCallback(
    (patch: Partial<ListView>, opts: { replace?: boolean } = {}) => {
      const next = { ...view, ...patch };
      // A new filter set starts a new selection: the old one may name leads it no longer shows.
      if (JSON.stringify(viewFilters(next)) !== filtersKey) setSelection({});
      setSearchParams(viewParams(next, role), { replace: opts.replace, preventScrollReset: true });
    },
    [view, role, setSearchParams, filtersKey],
  );
  const clear = () => update(clearedView(view, role));
  const onSort = (sort: ListSort) =>
    update({ sort, dir: sort === view.sort ? ((view.dir ?? LIST_SORTS[sort]) === "asc" ? "desc" : "asc") : undefined, page: 1 });

  const refreshList = () => queryClient.invalidateQueries({ queryKey: trpc.leads.list.queryKey() });
  const selected = Object.keys(selection).filter((id) => selection[id]);
  const actions = bulkActionsFor(role);
  const canImport = role !== null && roleAtLeast(role, "MANAGER");
  const filtered = activeFilterCount(view, role) > 0;

  return (
    <>
      <PageHeader
        title={t("nav.leads")}
        description={list.data ? <TotalText total={list.data.total} /> : list.isPending ? <Skeleton className="h-4 w-40" /> : null}
        actions={
          <>
            <SavedViews filters={viewFilters(view)} onOpen={(saved) => update(viewFromFilters(saved.filters, view))} />
            {canImport ? (
              <Button size="sm" onClick={() => setImporting(true)}>
                <Upload aria-hidden="true" />
                {t("import.open")}
              </Button>
            ) : null}
          </>
        }
      />
      <LeadsToolbar view={view} role={role} options={options.data} onChange={update} onClear={clear} />

      {actions.length > 0 && list.data && list.data.items.length > 0 ? (
        <div className="mb-3 flex flex-wrap items-center gap-2 text-sm" role="region" aria-label={t("bulk.bar")}>
          {selected.length > 0 ? (
            <>
              <span className="font-medium" data-testid="selection-count">
                {t("bulk.selected", { count: selected.length })}
              </span>
              <Button variant="ghost" size="sm" onClick={() => setSelection({})}>
                <X aria-hidden="true" />
                {t("bulk.clearSelection")}
              </Button>
            </>
          ) : null}
          <Popover>
            <PopoverTrigger asChild>
              <Button variant="outline" size="sm">
                <ListChecks aria-hidden="true" />
                {selected.length > 0 ? t("bulk.bar") : `${t("bulk.bar")}: ${t("bulk.onFiltered").toLowerCase()}`}
                <ChevronDown className="opacity-60" aria-hidden="true" />
              </Button>
            </PopoverTrigger>
            <PopoverContent className="w-64 p-1">
              <ul>
                {actions.map((action) => (
                  <li key={action}>
                    <button type="button" className="w-full rounded px-3 py-2 text-left hover:bg-accent focus-visible:bg-accent focus-visible:outline-none" onClick={() => setBulk(action)}>
                      {t(`bulk.action.${action}`)}
                    </button>
                  </li>
                ))}
              </ul>
            </PopoverContent>
          </Popover>
        </div>
      ) : null}

      {list.isPending ? (
        <LeadsTableSkeleton />
      ) : list.isError ? (
        <ErrorState
          title={t("leadsList.error")}
          description={domainCode(list.error) ? errorMessage(t, "leadsList", domainCode(list.error)) : undefined}
          onRetry={() => void list.refetch()}
          retrying={list.isFetching}
        />
      ) : list.data.items.length === 0 ? (
        filtered || view.page > 1 ? (
          <EmptyState
            icon={Users}
            headingLevel="h2"
            title={t("leadsList.empty")}
            description={t("leadsList.emptyHint")}
            action={
              <Button variant="outline" size="sm" asChild>
                <Link to={`?${viewParams(clearedView(view, role), role).toString()}`} preventScrollReset>
                  <X aria-hidden="true" />
                  {t("leadsList.filter.clear")}
                </Link>
              </Button>
            }
          />
        ) : (
          <EmptyState icon={Users} headingLevel="h2" title={t("leadsList.emptyNone")} description={t("leadsList.emptyNoneHint")} />
        )
      ) : (
        <>
          <LeadsTable
            rows={list.data.items}
            now={now}
            sort={{ sort: view.sort, dir: view.dir ?? LIST_SORTS[view.sort] }}
            onSort={onSort}
            selection={selection}
            onSelectionChange={setSelection}
            stale={list.isPlaceholderData}
            hideOwner={view.owner === "me"}
          />
          <Pagination
            page={view.page}
            size={view.size}
            shown={list.data.items.length}
            total={list.data.total}
            onPage={(page) => update({ page })}
            onSize={(size) => update({ size, page: 1 })}
          />
        </>
      )}

      {bulk ? (
        <BulkDialog
          action={bulk}
          selected={selected}
          filters={viewFilters(view)}
          options={options.data}
          onClose={() => setBulk(null)}
          onFinished={(op) => {
            void refreshList();
            if (op.status === "DONE") setSelection({});
          }}
        />
      ) : null}
      {importing ? (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImported={() => {
            void refreshList();
          }}
        />
      ) : null}
    </>
  );
}
