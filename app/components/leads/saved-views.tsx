/**
 * The leads list's saved filters (issue 11): open one, save the current filters under a name (one's
 * own or shared with the organisation), rename, share, overwrite or delete one's own. The server
 * (leadViews.*) validates with the same schemas and audits every change.
 */
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bookmark, BookmarkPlus, ChevronDown, Pencil, Save, Trash2, TriangleAlert } from "lucide-react";
import type { LeadListFilters } from "#server/leads/list/filters";
import { MAX_VIEW_NAME, viewName } from "#server/leads/views/views";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Checkbox } from "~/components/ui/checkbox";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Popover, PopoverContent, PopoverTrigger } from "~/components/ui/popover";
import { Skeleton } from "~/components/ui/skeleton";
import { useToast } from "~/components/ui/toast";
import { useT, type MessageKey, type Translate } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { domainCode } from "./operation-progress";

export type SavedView = RouterOutputs["leadViews"]["list"][number];

/** `views.error.<domain code>` when the dictionary has it, else the generic sentence. */
export function viewErrorMessage(t: Translate, error: unknown): string {
  const key = `views.error.${domainCode(error) ?? "UNKNOWN"}` as MessageKey;
  const text = t(key as "views.error.UNKNOWN");
  return text === key ? t("views.error.UNKNOWN") : text;
}

type Editing = { mode: "create" } | { mode: "rename"; view: SavedView } | { mode: "delete"; view: SavedView };

export function SavedViews({ filters, onOpen }: { filters: LeadListFilters; onOpen: (view: SavedView & { filters: LeadListFilters }) => void }) {
  const t = useT();
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [menuOpen, setMenuOpen] = useState(false);
  const [editing, setEditing] = useState<Editing | null>(null);
  const views = useQuery({ ...trpc.leadViews.list.queryOptions(), enabled: menuOpen || editing !== null });
  const update = useMutation(trpc.leadViews.update.mutationOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.leadViews.list.queryKey() });

  const start = (next: Editing) => {
    setMenuOpen(false);
    setEditing(next);
  };
  const overwrite = async (view: SavedView) => {
    setMenuOpen(false);
    try {
      const saved = await update.mutateAsync({ viewId: view.id, filters });
      toast({ title: t("views.updated", { name: saved.name }), variant: "success" });
      await refresh();
    } catch (error) {
      toast({ title: viewErrorMessage(t, error), variant: "error" });
    }
  };

  const mine = views.data?.filter((v) => v.mine) ?? [];
  const others = views.data?.filter((v) => !v.mine) ?? [];
  const section = (title: string, items: SavedView[]) =>
    items.length === 0 ? null : (
      <section aria-label={title} className="flex flex-col gap-0.5">
        <h3 className="px-2 pt-1 text-xs font-medium text-muted-foreground">{title}</h3>
        <ul className="flex flex-col gap-0.5">
          {items.map((view) => (
            <li key={view.id} className="flex min-w-0 items-center gap-1" data-testid="saved-view">
              <button
                type="button"
                className="min-w-0 flex-1 rounded px-2 py-1.5 text-left text-sm hover:bg-accent focus-visible:bg-accent focus-visible:outline-none disabled:cursor-not-allowed disabled:opacity-60"
                disabled={view.filters === null}
                title={view.filters === null ? t("views.unusable") : undefined}
                aria-label={t("views.openFor", { name: view.name })}
                onClick={() => {
                  if (!view.filters) return;
                  setMenuOpen(false);
                  onOpen({ ...view, filters: view.filters });
                }}
              >
                <span className="block truncate">{view.name}</span>
                {view.shared ? (
                  <span className="block truncate text-xs text-muted-foreground">
                    <Badge variant="secondary" className="mr-1 px-1 py-0 text-[10px]">
                      {t("views.sharedBadge")}
                    </Badge>
                    {view.mine ? null : t("views.by", { name: view.owner.name })}
                  </span>
                ) : null}
              </button>
              {view.canEdit ? (
                <>
                  <Button variant="ghost" size="icon" className="size-8 shrink-0" aria-label={t("views.overwrite", { name: view.name })} title={t("views.overwrite", { name: view.name })} onClick={() => void overwrite(view)}>
                    <Save />
                  </Button>
                  <Button variant="ghost" size="icon" className="size-8 shrink-0" aria-label={t("views.renameFor", { name: view.name })} title={t("views.rename")} onClick={() => start({ mode: "rename", view })}>
                    <Pencil />
                  </Button>
                  <Button variant="ghost" size="icon" className="size-8 shrink-0" aria-label={t("views.deleteFor", { name: view.name })} title={t("views.delete")} onClick={() => start({ mode: "delete", view })}>
                    <Trash2 />
                  </Button>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    );

  return (
    <>
      <Popover open={menuOpen} onOpenChange={setMenuOpen}>
        <PopoverTrigger asChild>
          <Button variant="outline" size="sm">
            <Bookmark aria-hidden="true" />
            {t("views.open")}
            <ChevronDown className="opacity-60" aria-hidden="true" />
          </Button>
        </PopoverTrigger>
        <PopoverContent className="w-[min(22rem,calc(100vw-2rem))] p-1" aria-label={t("views.menu")}>
          <div className="flex max-h-80 flex-col gap-2 overflow-y-auto py-1">
            {views.isPending ? (
              <div className="grid gap-1 px-2" aria-busy="true">
                <Skeleton className="h-7 w-full" />
                <Skeleton className="h-7 w-3/4" />
              </div>
            ) : views.isError ? (
              <p role="alert" className="px-2 py-1 text-sm text-destructive">
                {t("views.loadError")}{" "}
                <button type="button" className="underline" onClick={() => void views.refetch()}>
                  {t("error.retry")}
                </button>
              </p>
            ) : views.data.length === 0 ? (
              <p className="px-2 py-1 text-sm text-muted-foreground">{t("views.none")}</p>
            ) : (
              <>
                {section(t("views.mine"), mine)}
                {section(t("views.shared"), others)}
              </>
            )}
          </div>
          <div className="border-t p-1">
            <Button variant="ghost" size="sm" className="w-full justify-start" onClick={() => start({ mode: "create" })}>
              <BookmarkPlus aria-hidden="true" />
              {t("views.saveCurrent")}
            </Button>
          </div>
        </PopoverContent>
      </Popover>
      {editing?.mode === "create" || editing?.mode === "rename" ? (
        <ViewNameDialog key={editing.mode === "rename" ? editing.view.id : "create"} editing={editing} filters={filters} onClose={() => setEditing(null)} onSaved={() => void refresh()} />
      ) : null}
      {editing?.mode === "delete" ? <DeleteViewDialog view={editing.view} onClose={() => setEditing(null)} onDeleted={() => void refresh()} /> : null}
    </>
  );
}

function ViewNameDialog({
  editing,
  filters,
  onClose,
  onSaved,
}: {
  editing: { mode: "create" } | { mode: "rename"; view: SavedView };
  filters: LeadListFilters;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const trpc = useTRPC();
  const toast = useToast();
  const existing = editing.mode === "rename" ? editing.view : null;
  const [name, setName] = useState(existing?.name ?? "");
  const [shared, setShared] = useState(existing?.shared ?? false);
  const [nameError, setNameError] = useState<string | null>(null);
  const create = useMutation(trpc.leadViews.create.mutationOptions());
  const update = useMutation(trpc.leadViews.update.mutationOptions());
  const pending = create.isPending || update.isPending;
  const failure = create.error ?? update.error;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (!viewName.safeParse(name).success) {
      setNameError(t("views.validation.name"));
      return;
    }
    try {
      const saved = existing
        ? await update.mutateAsync({ viewId: existing.id, name: name.trim(), shared })
        : await create.mutateAsync({ name: name.trim(), shared, filters });
      toast({ title: existing ? t("views.updated", { name: saved.name }) : t("views.saved", { name: saved.name }), variant: "success" });
      onSaved();
      onClose();
    } catch {
      // Shown in the dialog (failure).
    }
  };

  return (
    <Dialog open onOpenChange={(open) => !open && !pending && onClose()}>
      <DialogContent className="max-w-md">
        <DialogHeader>
          <DialogTitle>{existing ? t("views.dialog.renameTitle") : t("views.dialog.createTitle")}</DialogTitle>
          {existing ? null : <DialogDescription>{t("views.dialog.createDescription")}</DialogDescription>}
        </DialogHeader>
        <form onSubmit={(e) => void submit(e)} noValidate className="grid gap-4">
          <FormField label={t("views.dialog.name")} hint={t("views.dialog.nameHint")} error={nameError} required>
            {(field) => (
              <Input
                {...field}
                autoFocus
                value={name}
                maxLength={MAX_VIEW_NAME}
                onChange={(e) => {
                  setName(e.target.value);
                  if (viewName.safeParse(e.target.value).success) setNameError(null);
                }}
              />
            )}
          </FormField>
          <label className="flex items-center gap-2 text-sm">
            <Checkbox checked={shared} onChange={(e) => setShared(e.target.checked)} />
            {t("views.dialog.shared")}
          </label>
          {failure ? (
            <Alert variant="destructive">
              <TriangleAlert />
              <AlertDescription>{viewErrorMessage(t, failure)}</AlertDescription>
            </Alert>
          ) : null}
          <DialogFooter>
            <Button variant="outline" type="button" onClick={onClose} disabled={pending}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? t("common.saving") : t("views.dialog.save")}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function DeleteViewDialog({ view, onClose, onDeleted }: { view: SavedView; onClose: () => void; onDeleted: () => void }) {
  const t = useT();
  const trpc = useTRPC();
  const toast = useToast();
  const remove = useMutation(trpc.leadViews.delete.mutationOptions());
  const confirm = async () => {
    try {
      await remove.mutateAsync({ viewId: view.id });
      toast({ title: t("views.deleted", { name: view.name }), variant: "success" });
      onDeleted();
      onClose();
    } catch {
      // Shown in the dialog.
    }
  };
  return (
    <Dialog open onOpenChange={(open) => !open && !remove.isPending && onClose()}>
      <DialogContent className="max-w-md">
        <DialogHeader>
          <DialogTitle>{t("views.dialog.deleteTitle", { name: view.name })}</DialogTitle>
          <DialogDescription>{t("views.dialog.deleteDescription")}</DialogDescription>
        </DialogHeader>
        {remove.error ? (
          <Alert variant="destructive">
            <TriangleAlert />
            <AlertDescription>{viewErrorMessage(t, remove.error)}</AlertDescription>
          </Alert>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={onClose} disabled={remove.isPending}>
            {t("common.cancel")}
          </Button>
          <Button variant="destructive" onClick={() => void confirm()} disabled={remove.isPending}>
            {remove.isPending ? t("common.saving") : t("views.delete")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
