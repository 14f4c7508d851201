import { useMemo } from "react";
import { Link, useNavigate } from "@remix-run/react";
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type RowSelectionState, type OnChangeFn } from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, Bot, MessageSquareWarning, UserRound } from "lucide-react";
import type { ListSort } from "#server/leads/list/filters";
import { Badge } from "~/components/ui/badge";
import { Checkbox } from "~/components/ui/checkbox";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { formatDateTime, formatRelativeTime } from "~/lib/format";
import { useLocale, useT, type Translate } from "~/lib/i18n";
import type { RouterOutputs } from "~/lib/trpc";
import { cn } from "~/lib/utils";
import { nextActionReasonText } from "./next-action";
import { sentimentTone, StateBadge } from "./state-badge";

export type LeadRow = RouterOutputs["leads"]["list"]["items"][number];

export interface SortState {
  sort: ListSort;
  dir: "asc" | "desc";
}

interface LeadsTableProps {
  rows: LeadRow[];
  now: Date;
  sort: SortState;
  onSort: (sort: ListSort) => void;
  selection: RowSelectionState;
  onSelectionChange: OnChangeFn<RowSelectionState>;
  /** A refetch is in flight: rows stay, dimmed, until the new page arrives. */
  stale: boolean;
  /** The list shows only the caller's own leads: the owner column would repeat their name. */
  hideOwner?: boolean;
}

/** Which list sort a column's header sets. */
const COLUMN_SORT: Partial<Record<string, ListSort>> = { company: "name", lastContact: "lastContact", nextAction: "nextAction", lastReply: "sentiment" };

const leadHref = (row: LeadRow) => `/outreach/leads/${row.leadId}`;

function phoneLabel(number: string): string {
  // +40722123456 → 0722 123 456, the way reps read and dial them.
  return /^\+40\d{9}$/.test(number) ? `0${number.slice(3, 6)} ${number.slice(6, 9)} ${number.slice(9)}` : number;
}

function When({ at, now, empty }: { at: Date | null; now: Date; empty: string }) {
  const locale = useLocale();
  if (!at) return <span className="text-muted-foreground">{empty}</span>;
  return (
    <time dateTime={at.toISOString()} title={formatDateTime(at, locale)} className="whitespace-nowrap">
      {formatRelativeTime(at, now, locale)}
    </time>
  );
}

function Flags({ row, t }: { row: LeadRow; t: Translate }) {
  if (!row.needsReview && !row.optedOut.whatsapp && !row.optedOut.email && !row.humanControlled) return null;
  return (
    <span className="mt-1 flex flex-wrap gap-1">
      {row.needsReview ? (
        <Badge variant="warning" className="whitespace-nowrap px-1.5 py-0">
          <MessageSquareWarning className="size-3" aria-hidden="true" />
          {t("leadsList.flag.review")}
        </Badge>
      ) : null}
      {row.optedOut.whatsapp || row.optedOut.email ? (
        <Badge variant="destructive" className="whitespace-nowrap px-1.5 py-0">
          {t("leadsList.flag.optedOut")}
        </Badge>
      ) : null}
      {row.humanControlled ? (
        <Badge variant="outline" className="whitespace-nowrap px-1.5 py-0">
          <UserRound className="size-3" aria-hidden="true" />
          {t("leadsList.flag.human")}
        </Badge>
      ) : null}
    </span>
  );
}

function NextActionReason({ reason, t }: { reason: string; t: Translate }) {
  const text = nextActionReasonText(reason, t);
  return (
    <span className="block truncate text-xs text-muted-foreground" title={text}>
      {text}
    </span>
  );
}

function LastReply({ row, now, t }: { row: LeadRow; now: Date; t: Translate }) {
  const reply = row.lastReply;
  if (!reply) return <span className="text-muted-foreground">{t("leadsList.noReply")}</span>;
  const score = reply.sentiment;
  return (
    <span className="flex max-w-[13rem] flex-col gap-1">
      <span className="truncate" title={reply.preview ?? undefined}>
        {reply.preview ?? "—"}
      </span>
      <span className="flex items-center gap-2 text-xs text-muted-foreground">
        {score === null ? (
          <span className="inline-flex items-center gap-1">
            <Bot className="size-3" aria-hidden="true" />
            {t("leadsList.sentimentPending")}
          </span>
        ) : (
          <Badge variant={sentimentTone(score)} className="px-1.5 py-0 tabular-nums">
            {t("leadsList.sentimentScore", { score: score > 0 ? `+${score}` : String(score) })}
          </Badge>
        )}
        <When at={reply.at} now={now} empty="" />
      </span>
    </span>
  );
}

function columns(t: Translate, now: Date): Array<ColumnDef<LeadRow>> {
  return [
    {
      id: "select",
      header: ({ table }) => (
        <Checkbox
          aria-label={t("leadsList.col.selectPage")}
          checked={table.getIsAllPageRowsSelected()}
          indeterminate={table.getIsSomePageRowsSelected()}
          onChange={table.getToggleAllPageRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => (
        <Checkbox
          aria-label={t("leadsList.col.selectLead", { name: row.original.company.name })}
          checked={row.getIsSelected()}
          onChange={row.getToggleSelectedHandler()}
          onClick={(e) => e.stopPropagation()}
        />
      ),
    },
    {
      // The county and locality sit under the name: one column fewer, so the table fits a laptop screen.
      id: "company",
      header: `${t("leadsList.col.company")} · ${t("leadsList.col.county")}`,
      cell: ({ row: { original: r } }) => (
        <span className="flex min-w-[11rem] max-w-[16rem] flex-col">
          <Link to={leadHref(r)} className="truncate font-medium text-foreground hover:underline focus-visible:underline" data-testid="lead-link">
            {r.company.name}
          </Link>
          <span className="truncate text-xs text-muted-foreground">
            {r.company.cui ? `CUI ${r.company.cui}` : "—"}
            <span className="sr-only">, {t("leadsList.col.county")}: </span>
            <span aria-hidden="true"> · </span>
            <span data-testid="lead-county">{r.company.county ?? "—"}</span>
            {r.company.locality ? `, ${r.company.locality}` : ""}
          </span>
        </span>
      ),
    },
    {
      id: "state",
      header: t("leadsList.col.state"),
      cell: ({ row: { original: r } }) => (
        <span className="flex flex-col items-start">
          <StateBadge state={r.state} />
          <Flags row={r} t={t} />
        </span>
      ),
    },
    {
      id: "owner",
      header: t("leadsList.col.owner"),
      cell: ({ row: { original: r } }) =>
        r.assignedUser ? <span className="whitespace-nowrap">{r.assignedUser.name}</span> : <span className="text-muted-foreground">{t("leadsList.unassigned")}</span>,
    },
    {
      // Channel and the phone used, one column: the phone is the WhatsApp channel's detail.
      id: "channel",
      header: `${t("leadsList.col.channel")} · ${t("leadsList.col.phone")}`,
      cell: ({ row: { original: r } }) => (
        <span className="flex flex-col whitespace-nowrap">
          <span>{r.channel ? t(`leadsList.channel.${r.channel as "WHATSAPP"}`) : "—"}</span>
          {r.phone ? (
            <span className="text-xs text-muted-foreground" title={phoneLabel(r.phone.number)}>
              {r.phone.label}
              <span className="sr-only"> ({phoneLabel(r.phone.number)})</span>
            </span>
          ) : null}
        </span>
      ),
    },
    { id: "lastContact", header: t("leadsList.col.lastContact"), cell: ({ row: { original: r } }) => <When at={r.lastContactAt} now={now} empty={t("leadsList.never")} /> },
    {
      id: "nextAction",
      header: t("leadsList.col.nextAction"),
      cell: ({ row: { original: r } }) => (
        <span className="flex max-w-[11rem] flex-col">
          <When at={r.nextActionAt} now={now} empty={t("leadsList.nothingScheduled")} />
          {r.nextActionReason ? <NextActionReason reason={r.nextActionReason} t={t} /> : null}
        </span>
      ),
    },
    { id: "lastReply", header: t("leadsList.col.lastReply"), cell: ({ row: { original: r } }) => <LastReply row={r} now={now} t={t} /> },
    {
      id: "sequence",
      header: t("leadsList.col.sequence"),
      cell: ({ row: { original: r } }) =>
        r.sequence ? (
          <span className="flex flex-col whitespace-nowrap">
            <span>{r.sequence.name}</span>
            <span className="text-xs text-muted-foreground">{t("leadsList.step", { step: r.sequence.step, steps: r.sequence.steps })}</span>
          </span>
        ) : (
          "—"
        ),
    },
  ];
}

function SortHeader({ label, column, sort, onSort }: { label: string; column: ListSort; sort: SortState; onSort: (s: ListSort) => void }) {
  const t = useT();
  const active = sort.sort === column;
  const Icon = !active ? ArrowUpDown : sort.dir === "asc" ? ArrowUp : ArrowDown;
  return (
    <button
      type="button"
      onClick={() => onSort(column)}
      className="-ml-1 inline-flex items-center gap-1 rounded px-1 py-0.5 uppercase hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      aria-label={t("leadsList.sort.toggle", { column: label })}
    >
      {label}
      <Icon className={cn("size-3.5", active ? "text-foreground" : "opacity-50")} aria-hidden="true" />
    </button>
  );
}

/**
 * The leads of one page (TanStack Table: columns, page selection). From md up a table whose rows open
 * the lead on click (the company name is the keyboard's link); below md, cards with the key facts.
 */
/** The checkbox and the company stay in view while the other columns scroll sideways. */
const STICKY: Partial<Record<string, string>> = {
  select: "sticky left-0 z-10 w-10 bg-card",
  company: "sticky left-10 z-10 bg-card shadow-[1px_0_0_hsl(var(--border))]",
};

export function LeadsTable({ rows, now, sort, onSort, selection, onSelectionChange, stale, hideOwner = false }: LeadsTableProps) {
  const t = useT();
  const navigate = useNavigate();
  const cols = useMemo(() => columns(t, now), [t, now]);
  const table = useReactTable({
    data: rows,
    columns: cols,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.leadId,
    state: { rowSelection: selection, columnVisibility: { owner: !hideOwner } },
    onRowSelectionChange: onSelectionChange,
    enableRowSelection: true,
    manualPagination: true,
    manualSorting: true,
  });

  return (
    <div className={cn("transition-opacity", stale && "opacity-60")} aria-busy={stale || undefined}>
      <div className="hidden rounded-lg border bg-card md:block">
        <Table className="text-[13px]">
          <TableCaption className="sr-only">{t("leadsList.caption")}</TableCaption>
          <TableHeader>
            {table.getHeaderGroups().map((group) => (
              <TableRow key={group.id} className="hover:bg-transparent">
                {group.headers.map((header) => {
                  const sortKey = COLUMN_SORT[header.column.id];
                  const label = typeof header.column.columnDef.header === "string" ? header.column.columnDef.header : "";
                  return (
                    <TableHead
                      key={header.id}
                      className={STICKY[header.column.id]}
                      aria-sort={sortKey && sort.sort === sortKey ? (sort.dir === "asc" ? "ascending" : "descending") : undefined}
                    >
                      {sortKey ? <SortHeader label={label} column={sortKey} sort={sort} onSort={onSort} /> : flexRender(header.column.columnDef.header, header.getContext())}
                    </TableHead>
                  );
                })}
              </TableRow>
            ))}
          </TableHeader>
          <TableBody>
            {table.getRowModel().rows.map((row) => (
              <TableRow
                key={row.id}
                data-testid="lead-row"
                data-state={row.getIsSelected() ? "selected" : undefined}
                className="group cursor-pointer data-[state=selected]:bg-primary/5"
                onClick={(e) => {
                  // Clicks on the row's own controls (checkbox, link) do their own thing.
                  if ((e.target as HTMLElement).closest("a,button,input,label")) return;
                  navigate(leadHref(row.original));
                }}
              >
                {row.getVisibleCells().map((cell) => (
                  <TableCell key={cell.id} className={cn("align-top", STICKY[cell.column.id])}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>

      <ul className="grid gap-3 md:hidden" aria-label={t("leadsList.caption")}>
        {table.getRowModel().rows.map((row) => {
          const r = row.original;
          return (
            <li key={row.id} data-testid="lead-card" className={cn("rounded-lg border bg-card p-4", row.getIsSelected() && "border-primary/50 bg-primary/5")}>
              <div className="flex items-start gap-3">
                <Checkbox
                  className="mt-1"
                  aria-label={t("leadsList.col.selectLead", { name: r.company.name })}
                  checked={row.getIsSelected()}
                  onChange={row.getToggleSelectedHandler()}
                />
                <div className="min-w-0 flex-1">
                  <Link to={leadHref(r)} className="block font-medium hover:underline focus-visible:underline">
                    {r.company.name}
                  </Link>
                  <p className="text-xs text-muted-foreground">
                    {[r.company.county, r.company.locality].filter(Boolean).join(" · ") || "—"}
                  </p>
                  <div className="mt-2 flex flex-wrap items-center gap-2">
                    <StateBadge state={r.state} />
                    {r.channel ? <span className="text-xs text-muted-foreground">{t(`leadsList.channel.${r.channel as "WHATSAPP"}`)}</span> : null}
                  </div>
                  <Flags row={r} t={t} />
                  <dl className="mt-3 grid grid-cols-2 gap-x-3 gap-y-2 text-xs">
                    <div>
                      <dt className="text-muted-foreground">{t("leadsList.col.lastContact")}</dt>
                      <dd>
                        <When at={r.lastContactAt} now={now} empty={t("leadsList.never")} />
                      </dd>
                    </div>
                    <div>
                      <dt className="text-muted-foreground">{t("leadsList.col.nextAction")}</dt>
                      <dd>
                        <When at={r.nextActionAt} now={now} empty={t("leadsList.nothingScheduled")} />
                        {r.nextActionReason ? <NextActionReason reason={r.nextActionReason} t={t} /> : null}
                      </dd>
                    </div>
                    <div>
                      <dt className="text-muted-foreground">{t("leadsList.col.owner")}</dt>
                      <dd>{r.assignedUser?.name ?? t("leadsList.unassigned")}</dd>
                    </div>
                    <div>
                      <dt className="text-muted-foreground">{t("leadsList.col.sequence")}</dt>
                      <dd>{r.sequence ? `${r.sequence.name} · ${t("leadsList.step", { step: r.sequence.step, steps: r.sequence.steps })}` : "—"}</dd>
                    </div>
                    {r.lastReply ? (
                      <div className="col-span-2">
                        <dt className="text-muted-foreground">{t("leadsList.col.lastReply")}</dt>
                        <dd>
                          <LastReply row={r} now={now} t={t} />
                        </dd>
                      </div>
                    ) : null}
                  </dl>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The table's shape while the first page loads, so nothing jumps when it arrives. */
export function LeadsTableSkeleton() {
  const t = useT();
  return (
    <div aria-busy="true">
      <p role="status" className="sr-only">
        {t("common.loading")}
      </p>
      <div className="rounded-lg border bg-card p-3" data-testid="leads-skeleton">
        {Array.from({ length: 8 }, (_, i) => (
          <div key={i} className="flex items-center gap-4 border-b py-3 last:border-0">
            <div className="size-4 rounded bg-muted" />
            <div className="h-4 w-48 animate-pulse rounded bg-muted" />
            <div className="hidden h-4 w-20 animate-pulse rounded bg-muted sm:block" />
            <div className="h-5 w-24 animate-pulse rounded bg-muted" />
            <div className="hidden h-4 w-28 animate-pulse rounded bg-muted lg:block" />
            <div className="hidden h-4 w-32 animate-pulse rounded bg-muted lg:block" />
          </div>
        ))}
      </div>
    </div>
  );
}
