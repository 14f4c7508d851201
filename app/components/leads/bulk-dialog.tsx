import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";
import { roleAtLeast, type Role } from "#server/auth/roles";
import { BULK_ACTIONS, BULK_MIN_ROLE, type BulkAction, type BulkParams, type BulkTarget } from "#server/leads/bulk/actions";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { FormField } from "~/components/ui/form-field";
import { Select } from "~/components/ui/select";
import { Skeleton } from "~/components/ui/skeleton";
import { Textarea } from "~/components/ui/textarea";
import { formatNumber } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";
import { BulkOperationResult } from "./bulk-operation-result";
import { domainCode, errorMessage, useOperation, type Operation } from "./operation-progress";

type Options = RouterOutputs["leads"]["options"];
type Filters = Extract<BulkTarget, { filters: unknown }>["filters"];

/** The actions this role may run on many leads (the server checks the same table). */
export function bulkActionsFor(role: Role | null): BulkAction[] {
  return role ? BULK_ACTIONS.filter((a) => roleAtLeast(role, BULK_MIN_ROLE[a])) : [];
}

const NEEDS_REASON: ReadonlySet<BulkAction> = new Set(["PAUSE", "RESUME", "MARK_DEAD", "DO_NOT_CONTACT"]);

export interface BulkDialogProps {
  action: BulkAction;
  /** Lead ids picked on the page (possibly none). */
  selected: string[];
  filters: Filters;
  options: Options | undefined;
  onClose: () => void;
  /** The operation finished (DONE or FAILED): the list refreshes, the selection clears on success. */
  onFinished: (op: Operation) => void;
}

/**
 * Confirming a bulk action: on the selected leads or on every lead the filters match, with the exact
 * number it will cover (asked from the server; the start is refused if the set changed meanwhile),
 * what it does, and the reason or the choice it needs. Then the job's progress and, at the end, what
 * happened to how many leads.
 */
export function BulkDialog({ action, selected, filters, options, onClose, onFinished }: BulkDialogProps) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const [scope, setScope] = useState<"selection" | "filtered">(selected.length > 0 ? "selection" : "filtered");
  const [reason, setReason] = useState("");
  const [assignee, setAssignee] = useState("");
  const [sequenceId, setSequenceId] = useState("");
  const [errors, setErrors] = useState<{ reason?: string; sequence?: string }>({});
  const [operationId, setOperationId] = useState<string | null>(null);

  const target: BulkTarget = scope === "selection" && selected.length > 0 ? { leadIds: selected } : { filters };
  const preview = useQuery({ ...trpc.bulk.preview.queryOptions({ target }), staleTime: 0, enabled: operationId === null });
  const start = useMutation(trpc.bulk.start.mutationOptions({ onSuccess: (r) => setOperationId(r.operationId) }));
  const operation = useOperation(operationId, onFinished);
  const running = operationId !== null && operation.data?.status !== "DONE" && operation.data?.status !== "FAILED";

  const count = preview.data?.count;
  const leads = count === undefined ? null : t("bulk.leads", { count });
  const title = leads === null ? t("bulk.titleCounting") : t(`bulk.title.${action}`, { leads });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (start.isPending || !preview.data || preview.data.overCap || preview.data.count === 0) return;
    const next: typeof errors = {};
    if (NEEDS_REASON.has(action) && !reason.trim()) next.reason = t("bulk.validation.reason");
    if (action === "ENROLL" && !sequenceId) next.sequence = t("bulk.validation.sequence");
    setErrors(next);
    if (Object.keys(next).length > 0) return;
    const params: BulkParams =
      action === "ASSIGN"
        ? { action, userId: assignee || null }
        : action === "ENROLL"
          ? { action, sequenceId }
          : { action, reason: reason.trim() };
    start.mutate({ params, target, expectedCount: preview.data.count });
  };

  const startError = start.error ? errorMessage(t, "bulk", domainCode(start.error)) : null;
  return (
    <Dialog open onOpenChange={(open) => !open && !start.isPending && onClose()}>
      <DialogContent className="max-w-lg">
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{t(`bulk.note.${action}`)}</DialogDescription>
        </DialogHeader>

        {operationId ? (
          <BulkOperationResult operation={operation.data} running={running} onClose={onClose} />
        ) : (
          <form onSubmit={submit} noValidate className="grid gap-4">
            {selected.length > 0 ? (
              <fieldset className="grid gap-2">
                <legend className="mb-1 text-sm font-medium">{t("bulk.scope")}</legend>
                <label className="flex items-center gap-2 text-sm">
                  <input type="radio" name="bulk-scope" checked={scope === "selection"} onChange={() => setScope("selection")} />
                  {t("bulk.scope.selection", { count: selected.length })}
                </label>
                <label className="flex items-center gap-2 text-sm">
                  <input type="radio" name="bulk-scope" checked={scope === "filtered"} onChange={() => setScope("filtered")} />
                  {t("bulk.scope.filtered")}
                </label>
              </fieldset>
            ) : (
              <p className="text-sm">
                {t("bulk.scope")}: {t("bulk.scope.filtered")}
              </p>
            )}
            {preview.isPending ? <Skeleton className="h-5 w-48" /> : null}
            {preview.data?.overCap ? (
              <Alert variant="warning">
                <TriangleAlert />
                <AlertDescription>{t("bulk.tooMany", { max: formatNumber(preview.data.max, locale) })}</AlertDescription>
              </Alert>
            ) : null}
            {preview.data && !preview.data.overCap && preview.data.count === 0 ? (
              <Alert variant="info">
                <AlertDescription>{t("bulk.error.BULK_EMPTY")}</AlertDescription>
              </Alert>
            ) : null}

            {action === "ASSIGN" ? (
              <FormField label={t("bulk.assignee")}>
                {(field) => (
                  <Select {...field} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
                    <option value="">{t("bulk.assigneeNone")}</option>
                    {options?.owners.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.name}
                      </option>
                    ))}
                  </Select>
                )}
              </FormField>
            ) : null}
            {action === "ENROLL" ? (
              <FormField label={t("bulk.sequence")} error={errors.sequence ?? null} required>
                {(field) => (
                  <Select
                    {...field}
                    value={sequenceId}
                    onChange={(e) => {
                      setSequenceId(e.target.value);
                      setErrors((er) => ({ ...er, sequence: undefined }));
                    }}
                  >
                    <option value="">{t("bulk.sequenceChoose")}</option>
                    {options?.sequences
                      .filter((s) => s.isActive)
                      .map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.name}
                        </option>
                      ))}
                  </Select>
                )}
              </FormField>
            ) : null}
            {NEEDS_REASON.has(action) ? (
              <FormField label={t("bulk.reason")} hint={t("bulk.reasonHint")} error={errors.reason ?? null} required>
                {(field) => (
                  <Textarea
                    {...field}
                    rows={2}
                    maxLength={500}
                    value={reason}
                    onChange={(e) => {
                      setReason(e.target.value);
                      if (e.target.value.trim()) setErrors((er) => ({ ...er, reason: undefined }));
                    }}
                  />
                )}
              </FormField>
            ) : null}

            {startError ? (
              <Alert variant="destructive">
                <TriangleAlert />
                <AlertDescription>{startError}</AlertDescription>
              </Alert>
            ) : null}
            <DialogFooter>
              <Button variant="outline" onClick={onClose} disabled={start.isPending}>
                {t("common.cancel")}
              </Button>
              <Button
                type="submit"
                variant={action === "MARK_DEAD" || action === "DO_NOT_CONTACT" ? "destructive" : "default"}
                disabled={start.isPending || !preview.data || preview.data.overCap || preview.data.count === 0}
              >
                {start.isPending ? t("common.saving") : t("bulk.submit")}
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
