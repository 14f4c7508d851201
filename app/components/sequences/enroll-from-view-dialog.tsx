/**
 * "Înscrie lead-uri" on a sequence card (issue 11): a manager picks a saved filter of the leads list,
 * sees how many leads it matches now and what will happen, and on confirmation the leads list's own
 * bulk enroll runs (bulk.preview → bulk.start with the view's filters → the same job, progress bar
 * and result summary as on the list). No enrollment logic of its own: the job applies enrollLeads,
 * which skips leads already enrolled, opted out, on the do-not-contact list or past prospecting.
 */
import { useState, type FormEvent } from "react";
import { Link } from "@remix-run/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ListFilter, TriangleAlert } from "lucide-react";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { ErrorState } from "~/components/ui/error-state";
import { FormField } from "~/components/ui/form-field";
import { Select } from "~/components/ui/select";
import { Skeleton } from "~/components/ui/skeleton";
import { viewFromFilters, viewParams } from "~/components/leads/list-params";
import { BulkOperationResult } from "~/components/leads/bulk-operation-result";
import { domainCode, errorMessage, useOperation } from "~/components/leads/operation-progress";
import { formatNumber } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { enrollLink } from "./sequence-card";

export function EnrollFromViewDialog({ sequence, onClose }: { sequence: { id: string; name: string }; onClose: () => void }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const views = useQuery(trpc.leadViews.list.queryOptions());
  const [viewId, setViewId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [operationId, setOperationId] = useState<string | null>(null);

  const usable = views.data?.filter((v) => v.filters !== null) ?? [];
  const chosen = usable.find((v) => v.id === viewId);
  const target = chosen?.filters ? { filters: chosen.filters } : null;
  const preview = useQuery({
    ...trpc.bulk.preview.queryOptions({ target: target ?? { filters: {} } }),
    enabled: target !== null && operationId === null,
    staleTime: 0,
  });
  const start = useMutation(trpc.bulk.start.mutationOptions({ onSuccess: (r) => setOperationId(r.operationId) }));
  const operation = useOperation(operationId, () => {
    void queryClient.invalidateQueries({ queryKey: trpc.sequences.overview.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.sequences.get.queryKey({ sequenceId: sequence.id }) });
  });
  const running = operationId !== null && operation.data?.status !== "DONE" && operation.data?.status !== "FAILED";
  const count = target && preview.data ? preview.data : null;
  const canStart = count !== null && !count.overCap && count.count > 0 && !start.isPending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!target) {
      setError(t("sequences.enrollView.validation"));
      return;
    }
    if (!canStart || !count) return;
    start.mutate({ params: { action: "ENROLL", sequenceId: sequence.id }, target, expectedCount: count.count });
  };
  const startError = start.error ? errorMessage(t, "bulk", domainCode(start.error)) : null;

  return (
    <Dialog open onOpenChange={(open) => !open && !start.isPending && onClose()}>
      <DialogContent className="max-w-lg" data-testid="enroll-from-view">
        <DialogHeader>
          <DialogTitle>{t("sequences.enrollView.title", { name: sequence.name })}</DialogTitle>
          <DialogDescription>{t("sequences.enrollView.description")}</DialogDescription>
        </DialogHeader>
        {operationId ? (
          <BulkOperationResult operation={operation.data} running={running} onClose={onClose} />
        ) : views.isPending ? (
          <div className="grid gap-2" aria-busy="true">
            <p role="status" className="sr-only">
              {t("common.loading")}
            </p>
            <Skeleton className="h-4 w-24" />
            <Skeleton className="h-9 w-full" />
          </div>
        ) : views.isError ? (
          <ErrorState title={t("views.loadError")} onRetry={() => void views.refetch()} retrying={views.isFetching} />
        ) : usable.length === 0 ? (
          <div className="grid gap-3 text-sm">
            <p>{t("sequences.enrollView.noViews")}</p>
            <p>
              <Link className="text-primary underline-offset-4 hover:underline" to={enrollLink(sequence.id)}>
                {t("sequences.enrollView.single")}
              </Link>
            </p>
            <DialogFooter>
              <Button variant="outline" onClick={onClose}>
                {t("common.cancel")}
              </Button>
              <Button asChild>
                <Link to="/outreach/leads">
                  <ListFilter />
                  {t("sequences.enrollView.toLeads")}
                </Link>
              </Button>
            </DialogFooter>
          </div>
        ) : (
          <form onSubmit={submit} noValidate className="grid gap-4">
            <FormField label={t("sequences.enrollView.view")} error={error} required>
              {(field) => (
                <Select
                  {...field}
                  value={viewId}
                  onChange={(e) => {
                    setViewId(e.target.value);
                    setError(null);
                    start.reset();
                  }}
                >
                  <option value="">{t("sequences.enrollView.choose")}</option>
                  {usable.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.mine ? v.name : `${v.name} (${t("views.by", { name: v.owner.name })})`}
                    </option>
                  ))}
                </Select>
              )}
            </FormField>
            {chosen?.filters ? (
              <div className="grid gap-2 text-sm" aria-live="polite">
                {preview.isPending ? (
                  <Skeleton className="h-5 w-56" />
                ) : preview.isError ? (
                  <p className="text-destructive">{errorMessage(t, "bulk", domainCode(preview.error))}</p>
                ) : preview.data.overCap ? (
                  <Alert variant="warning">
                    <TriangleAlert />
                    <AlertDescription>{t("bulk.tooMany", { max: formatNumber(preview.data.max, locale) })}</AlertDescription>
                  </Alert>
                ) : preview.data.count === 0 ? (
                  <Alert variant="info">
                    <AlertDescription>{t("bulk.error.BULK_EMPTY")}</AlertDescription>
                  </Alert>
                ) : (
                  <p className="font-medium" data-testid="enroll-view-count">
                    {t("sequences.enrollView.count", { count: preview.data.count })}
                  </p>
                )}
                <Link className="w-fit text-primary underline-offset-4 hover:underline" to={`/outreach/leads?${viewParams(viewFromFilters(chosen.filters, { sort: "nextAction", size: 20 }), null).toString()}`}>
                  {t("sequences.enrollView.openView")}
                </Link>
              </div>
            ) : null}
            <p className="text-sm text-muted-foreground">{t("sequences.enrollView.what")}</p>
            <p className="text-sm">
              <Link className="text-primary underline-offset-4 hover:underline" to={enrollLink(sequence.id)}>
                {t("sequences.enrollView.single")}
              </Link>
            </p>
            {startError ? (
              <Alert variant="destructive">
                <TriangleAlert />
                <AlertDescription>{startError}</AlertDescription>
              </Alert>
            ) : null}
            <DialogFooter>
              <Button variant="outline" type="button" onClick={onClose} disabled={start.isPending}>
                {t("common.cancel")}
              </Button>
              <Button type="submit" disabled={start.isPending || (target !== null && !canStart)}>
                {start.isPending ? t("common.saving") : t("sequences.enrollView.submit")}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
