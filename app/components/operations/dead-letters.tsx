import { useState } from "react";
import { Link } from "@remix-run/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckIcon, RefreshIcon } from "~/components/icons";
import { mutationErrorMessageKey } from "~/components/phones/phone-model";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { EmptyState } from "~/components/ui/empty-state";
import { ErrorState } from "~/components/ui/error-state";
import { Skeleton } from "~/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "~/components/ui/table";
import { useToast } from "~/components/ui/toast";
import { formatDateTime } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { useTRPC, type RouterOutputs } from "~/lib/trpc";

type DeadLetter = RouterOutputs["pipeline"]["deadLetters"][number];
type Open = { kind: "inspect" | "discard"; item: DeadLetter } | null;

/**
 * The dead-letter queue (workers overview §6.2): what failed after its retries, why, with the payload;
 * retry sends it back to its queue, discard drops it. Both are audited by the server.
 */
export function DeadLetters() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.pipeline.deadLetters.queryOptions({ limit: 100 }));
  const [open, setOpen] = useState<Open>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.pipeline.deadLetters.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.operations.overview.queryKey() }),
    ]);
  const retry = useMutation(
    trpc.pipeline.retryDeadLetter.mutationOptions({
      onSuccess: () => toast({ title: t("ops.dlq.retried") }),
      onError: (error) => toast({ title: t(mutationErrorMessageKey(error)), variant: "error" }),
      onSettled: () => refresh(),
    }),
  );

  if (list.isPending)
    return (
      <div aria-busy="true" className="grid gap-2">
        <Skeleton className="h-9 w-full" />
        <Skeleton className="h-9 w-full" />
      </div>
    );
  if (list.isError) return <ErrorState title={t("ops.dlq.error")} onRetry={() => void list.refetch()} retrying={list.isFetching} />;
  if (list.data.length === 0) return <EmptyState icon={CheckIcon} title={t("ops.dlq.empty")} description={t("ops.dlq.emptyHint")} />;
  return (
    <>
      <div className="overflow-x-auto rounded-lg border bg-card">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t("ops.dlq.queue")}</TableHead>
              <TableHead>{t("ops.dlq.reason")}</TableHead>
              <TableHead>{t("ops.dlq.lead")}</TableHead>
              <TableHead>{t("ops.dlq.at")}</TableHead>
              <TableHead className="text-right">{t("ops.dlq.actions")}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.data.map((d) => (
              <TableRow key={d.id} data-testid="dead-letter-row">
                <TableCell className="font-mono text-xs">{d.queue}</TableCell>
                <TableCell className="max-w-md">
                  <span className="font-mono text-xs text-muted-foreground">{d.code}</span>
                  <span className="block text-sm">{d.reason}</span>
                </TableCell>
                <TableCell>
                  {d.leadId ? (
                    <Link className="text-sm text-primary underline-offset-2 hover:underline" to={`/outreach/leads/${d.leadId}`}>
                      {t("ops.dlq.openLead")}
                    </Link>
                  ) : (
                    t("common.dash")
                  )}
                </TableCell>
                <TableCell className="whitespace-nowrap text-sm">{formatDateTime(d.createdAt, locale)}</TableCell>
                <TableCell>
                  <div className="flex justify-end gap-2">
                    <Button size="sm" variant="ghost" onClick={() => setOpen({ kind: "inspect", item: d })}>
                      {t("ops.dlq.inspect")}
                    </Button>
                    <Button size="sm" variant="outline" disabled={retry.isPending && retry.variables?.id === d.id} onClick={() => retry.mutate({ id: d.id })}>
                      <RefreshIcon />
                      {t("ops.dlq.retry")}
                    </Button>
                    <Button size="sm" variant="ghost" className="text-destructive" onClick={() => setOpen({ kind: "discard", item: d })}>
                      {t("ops.dlq.discard")}
                    </Button>
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {open?.kind === "inspect" ? <InspectDialog item={open.item} onClose={() => setOpen(null)} /> : null}
      {open?.kind === "discard" ? <DiscardDialog item={open.item} onClose={() => setOpen(null)} onDone={refresh} /> : null}
    </>
  );
}

function InspectDialog({ item, onClose }: { item: DeadLetter; onClose: () => void }) {
  const t = useT();
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="max-w-2xl">
        <DialogHeader>
          <DialogTitle>{t("ops.dlq.inspectTitle", { queue: item.queue })}</DialogTitle>
          <DialogDescription>
            {item.code}: {item.reason}
          </DialogDescription>
        </DialogHeader>
        <pre className="max-h-80 overflow-auto rounded-md bg-muted p-3 text-xs" data-testid="dead-letter-payload">
          {JSON.stringify(item.payload, null, 2)}
        </pre>
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            {t("ops.close")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

function DiscardDialog({ item, onClose, onDone }: { item: DeadLetter; onClose: () => void; onDone: () => Promise<unknown> }) {
  const t = useT();
  const trpc = useTRPC();
  const toast = useToast();
  const mutation = useMutation(
    trpc.pipeline.discardDeadLetter.mutationOptions({
      onSuccess: () => {
        toast({ title: t("ops.dlq.discarded") });
        onClose();
      },
      onSettled: () => onDone(),
    }),
  );
  return (
    <Dialog open onOpenChange={(o) => !o && !mutation.isPending && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t("ops.dlq.discardTitle")}</DialogTitle>
          <DialogDescription>{t("ops.dlq.discardBody", { queue: item.queue })}</DialogDescription>
        </DialogHeader>
        {mutation.error ? (
          <Alert variant="destructive">
            <AlertDescription>{t(mutationErrorMessageKey(mutation.error))}</AlertDescription>
          </Alert>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={onClose} disabled={mutation.isPending}>
            {t("common.cancel")}
          </Button>
          <Button variant="destructive" disabled={mutation.isPending} onClick={() => mutation.mutate({ id: item.id })}>
            {mutation.isPending ? t("common.saving") : t("ops.dlq.discard")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
