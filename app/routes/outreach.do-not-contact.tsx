import { useState } from "react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useSearchParams } from "@remix-run/react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Toaster, toast } from "sonner";
import { roleAtLeast } from "#server/auth/roles";
import { requireUser } from "#server/auth/session.server";
import { MAX_IMPORT_ROWS } from "#server/dnc/limits";
import { countInvalid, guessReasonColumn, guessValueColumn, parseCsv, toImportRows, type DncType, type ParsedCsv } from "~/components/dnc/dnc-import";
import { AlertTriangleIcon, BanIcon, PlusIcon, SearchIcon, TrashIcon, UploadIcon } from "~/components/icons";
import { LeadDialog } from "~/components/lead/lead-dialog";
import { errorKey } from "~/components/lead/lead-model";
import { PageHeader } from "~/components/page-header";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { ErrorState } from "~/components/ui/error-state";
import { FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { Textarea } from "~/components/ui/textarea";
import { formatDateTime, formatNumber } from "~/lib/format";
import { pageTitle, useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.doNotContact") }];

/** Managers' page: a rep who follows a link gets the 403 page, and the procedures refuse them anyway. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (!roleAtLeast(user.role, "MANAGER")) throw new Response("Forbidden", { status: 403 });
  return null;
}

const PAGE_SIZE = 25;
const TYPES = ["PHONE", "EMAIL", "DOMAIN"] as const;

type Open = { kind: "add" } | { kind: "import" } | { kind: "remove"; id: string; value: string };

/** The do-not-contact list (issue 10): search, add, remove with a reason, import a CSV. Filters live in the URL. */
export default function DoNotContactPage() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const search = params.get("q") ?? "";
  const typeParam = params.get("type");
  const type = TYPES.find((x) => x === typeParam);
  const page = Math.max(1, Number(params.get("page")) || 1);
  const [draft, setDraft] = useState(search);
  const [open, setOpen] = useState<Open | null>(null);
  const list = useQuery({ ...trpc.doNotContact.list.queryOptions({ search: search || undefined, type, page, pageSize: PAGE_SIZE }), placeholderData: keepPreviousData });

  const setFilter = (next: { q?: string; type?: string; page?: number }) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === "" || (k === "page" && v === 1)) p.delete(k);
      else p.set(k, String(v));
    }
    if (!("page" in next)) p.delete("page");
    setParams(p, { replace: true });
  };
  const filtered = search !== "" || type !== undefined;
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / PAGE_SIZE)) : 1;

  return (
    <>
      <Toaster position="top-center" richColors closeButton />
      <PageHeader
        title={t("dnc.title")}
        description={t("dnc.description")}
        actions={
          <>
            <Button variant="outline" onClick={() => setOpen({ kind: "import" })}>
              <UploadIcon />
              {t("dnc.import")}
            </Button>
            <Button onClick={() => setOpen({ kind: "add" })}>
              <PlusIcon />
              {t("dnc.add")}
            </Button>
          </>
        }
      />

      <form
        role="search"
        className="mb-4 flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ q: draft.trim() });
        }}
      >
        <FormField label={t("dnc.search")} className="min-w-0 flex-1 basis-60">
          {(control) => <Input {...control} type="search" value={draft} placeholder={t("dnc.searchPlaceholder")} onChange={(e) => setDraft(e.target.value)} />}
        </FormField>
        <FormField label={t("dnc.type")} className="w-44">
          {(control) => (
            <Select {...control} value={type ?? ""} onChange={(e) => setFilter({ q: search, type: e.target.value })}>
              <option value="">{t("dnc.typeAll")}</option>
              {TYPES.map((x) => (
                <option key={x} value={x}>
                  {t(`dnc.type.${x}`)}
                </option>
              ))}
            </Select>
          )}
        </FormField>
        <Button type="submit" variant="outline">
          <SearchIcon />
          {t("dnc.search")}
        </Button>
      </form>

      {list.isPending ? (
        <Card className="space-y-2 p-4" aria-busy="true">
          {Array.from({ length: 5 }, (_, i) => (
            <Skeleton key={i} className="h-8" />
          ))}
        </Card>
      ) : list.isError ? (
        <ErrorState title={t("dnc.error")} onRetry={() => void list.refetch()} retrying={list.isFetching} />
      ) : list.data.items.length === 0 ? (
        filtered ? (
          <EmptyState
            icon={SearchIcon}
            title={t("dnc.noMatch")}
            description={t("dnc.noMatchHint")}
            action={
              <Button
                variant="outline"
                onClick={() => {
                  setDraft("");
                  setParams(new URLSearchParams(), { replace: true });
                }}
              >
                {t("dnc.clearFilter")}
              </Button>
            }
          />
        ) : (
          <EmptyState icon={BanIcon} title={t("dnc.empty")} description={t("dnc.emptyHint")} />
        )
      ) : (
        <Card>
          <p className="px-4 pt-3 text-sm text-muted-foreground" aria-live="polite">
            {t("dnc.count", { count: list.data.total })}
          </p>
          <div className="overflow-x-auto">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>{t("dnc.value")}</TableHead>
                  <TableHead>{t("dnc.type")}</TableHead>
                  <TableHead className="hidden sm:table-cell">{t("dnc.reason")}</TableHead>
                  <TableHead className="hidden md:table-cell">{t("dnc.source")}</TableHead>
                  <TableHead className="hidden md:table-cell">{t("dnc.added")}</TableHead>
                  <TableHead>
                    <span className="sr-only">{t("dnc.remove")}</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {list.data.items.map((e) => (
                  <TableRow key={e.id} data-testid="dnc-row">
                    <TableCell className="max-w-[14rem] break-all font-medium">{e.hashed ? <span className="text-muted-foreground">{t("dnc.hashed")}</span> : e.value}</TableCell>
                    <TableCell>
                      <Badge variant="outline">{t(`dnc.type.${e.type}`)}</Badge>
                    </TableCell>
                    <TableCell className="hidden sm:table-cell">{e.reason ?? "—"}</TableCell>
                    <TableCell className="hidden md:table-cell">{e.source ?? "—"}</TableCell>
                    <TableCell className="hidden whitespace-nowrap md:table-cell">
                      {formatDateTime(e.createdAt, locale)}
                      {e.createdBy ? <span className="block text-xs text-muted-foreground">{e.createdBy.name}</span> : null}
                    </TableCell>
                    <TableCell className="text-right">
                      {e.hashed || !e.value ? null : (
                        <Button variant="ghost" size="sm" aria-label={t("dnc.removeLabel", { value: e.value })} onClick={() => setOpen({ kind: "remove", id: e.id, value: e.value ?? "" })}>
                          <TrashIcon />
                        </Button>
                      )}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          {pages > 1 ? (
            <nav className="flex items-center justify-between gap-2 border-t px-4 py-2 text-sm" aria-label={t("dnc.page", { page: String(page), pages: String(pages) })}>
              <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => setFilter({ q: search, type, page: page - 1 })}>
                {t("dnc.prev")}
              </Button>
              <span>{t("dnc.page", { page: formatNumber(page, locale), pages: formatNumber(pages, locale) })}</span>
              <Button variant="outline" size="sm" disabled={page >= pages} onClick={() => setFilter({ q: search, type, page: page + 1 })}>
                {t("dnc.next")}
              </Button>
            </nav>
          ) : null}
        </Card>
      )}

      {open?.kind === "add" ? <AddDialog onClose={() => setOpen(null)} /> : null}
      {open?.kind === "remove" ? <RemoveDialog id={open.id} value={open.value} onClose={() => setOpen(null)} /> : null}
      {open?.kind === "import" ? <ImportDialog onClose={() => setOpen(null)} /> : null}
    </>
  );
}

function useRefreshList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.doNotContact.list.pathKey() });
}

function Failure({ error }: { error: unknown }) {
  const t = useT();
  if (!error) return null;
  return (
    <Alert variant="destructive">
      <AlertTriangleIcon />
      <AlertDescription>{t(errorKey(error, "dnc.error"))}</AlertDescription>
    </Alert>
  );
}

function AddDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const refresh = useRefreshList();
  const [type, setType] = useState<DncType>("PHONE");
  const [value, setValue] = useState("");
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState(false);
  const add = useMutation(
    trpc.doNotContact.add.mutationOptions({
      onSuccess: (r) => {
        toast.success(r.created ? t("dnc.addDone", { value: r.value }) : t("dnc.addExisting", { value: r.value }));
        onClose();
      },
      onSettled: () => refresh(),
    }),
  );
  return (
    <LeadDialog
      title={t("dnc.addTitle")}
      pending={add.isPending}
      onClose={onClose}
      submitLabel={t("dnc.addSubmit")}
      onSubmit={() => {
        if (!value.trim()) return setInvalid(true);
        add.mutate({ type, value: value.trim(), reason: reason.trim() || undefined });
      }}
    >
      <FormField label={t("dnc.type")}>
        {(control) => (
          <Select {...control} value={type} onChange={(e) => setType(e.target.value as DncType)}>
            {TYPES.map((x) => (
              <option key={x} value={x}>
                {t(`dnc.type.${x}`)}
              </option>
            ))}
          </Select>
        )}
      </FormField>
      <FormField label={t("dnc.value")} hint={t(`dnc.addValueHint.${type}`)} error={invalid ? t("dnc.error.DNC_VALUE_INVALID") : null} required>
        {(control) => (
          <Input
            {...control}
            value={value}
            autoFocus
            inputMode={type === "PHONE" ? "tel" : "email"}
            onChange={(e) => {
              setValue(e.target.value);
              setInvalid(false);
            }}
          />
        )}
      </FormField>
      <FormField label={t("dnc.reason")} labelNote={`(${t("common.optional")})`}>
        {(control) => <Textarea {...control} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />}
      </FormField>
      <Failure error={add.error} />
    </LeadDialog>
  );
}

function RemoveDialog({ id, value, onClose }: { id: string; value: string; onClose: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const refresh = useRefreshList();
  const [reason, setReason] = useState("");
  const [invalid, setInvalid] = useState(false);
  const remove = useMutation(
    trpc.doNotContact.remove.mutationOptions({
      onSuccess: () => {
        toast.success(t("dnc.removeDone", { value }));
        onClose();
      },
      onSettled: () => refresh(),
    }),
  );
  return (
    <LeadDialog
      title={t("dnc.removeTitle", { value })}
      description={t("dnc.removeDescription")}
      pending={remove.isPending}
      onClose={onClose}
      submitLabel={t("dnc.remove")}
      submitVariant="destructive"
      onSubmit={() => {
        if (!reason.trim()) return setInvalid(true);
        remove.mutate({ id, reason: reason.trim() });
      }}
    >
      <FormField label={t("lead.dialog.reason")} error={invalid ? t("common.required") : null} required>
        {(control) => (
          <Textarea
            {...control}
            value={reason}
            autoFocus
            maxLength={500}
            onChange={(e) => {
              setReason(e.target.value);
              setInvalid(false);
            }}
          />
        )}
      </FormField>
      <Failure error={remove.error} />
    </LeadDialog>
  );
}

function ImportDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const refresh = useRefreshList();
  const [file, setFile] = useState<{ name: string; parsed: ParsedCsv } | null>(null);
  const [parseError, setParseError] = useState(false);
  const [valueColumn, setValueColumn] = useState("");
  const [reasonColumn, setReasonColumn] = useState("");
  const [type, setType] = useState<DncType | "AUTO">("AUTO");
  const imported = useMutation(
    trpc.doNotContact.import.mutationOptions({
      onSuccess: (r) => toast.success(t("dnc.importDone", { added: formatNumber(r.added, locale), duplicates: formatNumber(r.duplicates, locale), invalid: formatNumber(r.invalid.length, locale) })),
      onSettled: () => refresh(),
    }),
  );
  const rows = file ? toImportRows(file.parsed, valueColumn, reasonColumn, type) : [];
  const tooMany = rows.length > MAX_IMPORT_ROWS;
  const invalidCount = countInvalid(rows);
  const result = imported.data;

  const read = async (picked: File | undefined) => {
    setFile(null);
    setParseError(false);
    imported.reset();
    if (!picked) return;
    try {
      const parsed = parseCsv(await picked.text());
      setFile({ name: picked.name, parsed });
      setValueColumn(guessValueColumn(parsed.columns));
      setReasonColumn(guessReasonColumn(parsed.columns));
    } catch {
      setParseError(true);
    }
  };

  return (
    <LeadDialog
      title={t("dnc.importTitle")}
      description={t("dnc.importDescription")}
      pending={imported.isPending}
      onClose={onClose}
      submitLabel={imported.isPending ? t("dnc.importing") : t("dnc.importSubmit")}
      submitDisabled={!file || rows.length === 0 || tooMany || result !== undefined}
      onSubmit={() => file && imported.mutate({ fileName: file.name, rows })}
    >
      <FormField label={t("dnc.importFile")} error={parseError ? t("dnc.importParseError") : null} required>
        {(control) => <Input {...control} type="file" accept=".csv,text/csv" onChange={(e) => void read(e.target.files?.[0])} />}
      </FormField>
      {file ? (
        <>
          <div className="grid gap-3 sm:grid-cols-3">
            <FormField label={t("dnc.importColumn")}>
              {(control) => (
                <Select {...control} value={valueColumn} onChange={(e) => setValueColumn(e.target.value)}>
                  {file.parsed.columns.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </Select>
              )}
            </FormField>
            <FormField label={t("dnc.importReasonColumn")}>
              {(control) => (
                <Select {...control} value={reasonColumn} onChange={(e) => setReasonColumn(e.target.value)}>
                  <option value="">{t("dnc.importNoReason")}</option>
                  {file.parsed.columns.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </Select>
              )}
            </FormField>
            <FormField label={t("dnc.importType")}>
              {(control) => (
                <Select {...control} value={type} onChange={(e) => setType(e.target.value as DncType | "AUTO")}>
                  <option value="AUTO">{t("dnc.importTypeAuto")}</option>
                  {TYPES.map((x) => (
                    <option key={x} value={x}>
                      {t(`dnc.type.${x}`)}
                    </option>
                  ))}
                </Select>
              )}
            </FormField>
          </div>
          <div className="text-sm">
            <p className="font-medium">
              {t("dnc.importPreview")} · {t("dnc.importRows", { count: rows.length })}
              {invalidCount > 0 ? ` · ${t("dnc.importInvalid")}: ${formatNumber(invalidCount, locale)}` : ""}
            </p>
            <ul className="mt-1 max-h-40 space-y-0.5 overflow-auto rounded-md border p-2 font-mono text-xs" data-testid="dnc-import-preview">
              {rows.slice(0, 8).map((r, i) => (
                <li key={i}>
                  {t(`dnc.type.${r.type}`)} · {r.value}
                  {r.reason ? ` · ${r.reason}` : ""}
                </li>
              ))}
            </ul>
          </div>
          {tooMany ? (
            <Alert variant="destructive">
              <AlertDescription>{t("dnc.importTooMany", { count: rows.length, max: formatNumber(MAX_IMPORT_ROWS, locale) })}</AlertDescription>
            </Alert>
          ) : null}
        </>
      ) : null}
      {result ? (
        <Alert variant="info" role="status">
          <AlertDescription>
            <p>{t("dnc.importDone", { added: formatNumber(result.added, locale), duplicates: formatNumber(result.duplicates, locale), invalid: formatNumber(result.invalid.length, locale) })}</p>
            {result.invalid.length > 0 ? (
              <ul className="mt-1 max-h-32 overflow-auto text-xs">
                {result.invalid.slice(0, 50).map((r) => (
                  <li key={r.row}>
                    {t("dnc.importRow", { row: r.row })}: {r.value}
                  </li>
                ))}
              </ul>
            ) : null}
          </AlertDescription>
        </Alert>
      ) : null}
      <Failure error={imported.error} />
    </LeadDialog>
  );
}
