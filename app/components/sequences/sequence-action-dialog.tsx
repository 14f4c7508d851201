/**
 * Confirms a whole-sequence action with what it will do to the enrollments, counted now by the server
 * with the same rules the action applies (server/sequences/pause.ts): the manager reads "3 lead-uri vor
 * fi puse în pauză" before pressing the button, and the toast after it says what happened.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { Skeleton } from "~/components/ui/skeleton";
import { useToast } from "~/components/ui/toast";
import { domainCodeOf, errorMessageKey } from "~/lib/domain-errors";
import { formatNumber } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import type { SequenceAction, SequenceCardData } from "./sequence-card";

export function SequenceActionDialog({ sequence, action, onClose, onSwitch }: { sequence: SequenceCardData; action: SequenceAction; onClose: () => void; onSwitch: (action: SequenceAction) => void }) {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const impact = useQuery({ ...trpc.sequences.impact.queryOptions({ sequenceId: sequence.id }), staleTime: 0 });
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.sequences.overview.queryKey() }), queryClient.invalidateQueries({ queryKey: trpc.sequences.list.queryKey() })]);
  const n = (v: number) => formatNumber(v, locale);

  const pause = useMutation(trpc.sequences.pauseSequence.mutationOptions());
  const resume = useMutation(trpc.sequences.resumeSequence.mutationOptions());
  const archive = useMutation(trpc.sequences.archive.mutationOptions());
  const restore = useMutation(trpc.sequences.restore.mutationOptions());
  const remove = useMutation(trpc.sequences.delete.mutationOptions());
  const mutation = { pause, resume, archive, restore, delete: remove }[action];
  const pending = mutation.isPending;

  const submit = async () => {
    const input = { sequenceId: sequence.id };
    try {
      let message: string;
      if (action === "pause") {
        const r = await pause.mutateAsync(input);
        message = t("sequences.pause.done", { name: sequence.name, count: r.paused });
      } else if (action === "resume") {
        const r = await resume.mutateAsync(input);
        message = t("sequences.resume.done", { name: sequence.name, count: r.resumed, due: n(r.dueNow), leadPaused: n(r.leadPaused), stopped: n(r.stopped + r.completed) });
      } else if (action === "archive") {
        const r = await archive.mutateAsync(input);
        message = t("sequences.archive.done", { name: sequence.name, count: r.stopped });
      } else if (action === "restore") {
        await restore.mutateAsync(input);
        message = t("sequences.restore.done", { name: sequence.name });
      } else {
        await remove.mutateAsync(input);
        message = t("sequences.delete.done", { name: sequence.name });
      }
      await refresh();
      toast({ title: message });
      onClose();
    } catch {
      // Shown in the dialog below (mutation.error).
      await refresh();
    }
  };

  const i = impact.data;
  const hasHistory = domainCodeOf(mutation.error) === "SEQUENCE_HAS_HISTORY";
  return (
    <Dialog open onOpenChange={(open) => !open && !pending && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{t(`sequences.${action}.title`, { name: sequence.name })}</DialogTitle>
          <DialogDescription>{t(`sequences.${action}.description`)}</DialogDescription>
        </DialogHeader>
        <div aria-live="polite" aria-busy={impact.isPending || undefined}>
          {impact.isPending ? (
            <div className="grid gap-2">
              <Skeleton className="h-4 w-3/4" />
              <Skeleton className="h-4 w-2/3" />
            </div>
          ) : impact.isError ? (
            <p className="text-sm text-destructive">{t(errorMessageKey(impact.error))}</p>
          ) : i ? (
            <ul className="grid list-disc gap-1.5 pl-5 text-sm" data-testid="impact-list">
              {action === "pause" ? (
                <>
                  <li>{t("sequences.pause.impactActive", { count: i.active })}</li>
                  {i.pausedByPerson > 0 ? <li>{t("sequences.pause.impactPerson", { count: i.pausedByPerson })}</li> : null}
                  <li>{t("sequences.pause.impactNoNew")}</li>
                  {sequence.isDefault ? <li>{t("sequences.pause.impactDefault")}</li> : null}
                  <li>{t("sequences.pause.impactQueued")}</li>
                </>
              ) : action === "resume" ? (
                <>
                  <li>{t("sequences.resume.impactResume", { count: i.pausedBySequence - i.leadPaused })}</li>
                  <li>{t("sequences.resume.impactDue", { count: i.dueOnResume })}</li>
                  {i.leadPaused > 0 ? <li>{t("sequences.resume.impactLeadPaused", { count: i.leadPaused })}</li> : null}
                  {i.pausedByPerson > 0 ? <li>{t("sequences.resume.impactPerson", { count: i.pausedByPerson })}</li> : null}
                  <li>{t("sequences.resume.impactWindow")}</li>
                </>
              ) : action === "archive" ? (
                <>
                  <li>{t("sequences.archive.impactStop", { count: i.active + i.pausedByPerson + i.pausedBySequence })}</li>
                  <li>{t("sequences.archive.impactKeep", { count: i.completed + i.stopped })}</li>
                  {sequence.isDefault ? <li>{t("sequences.archive.impactDefault")}</li> : null}
                </>
              ) : action === "restore" ? (
                <li>{t("sequences.restore.impact")}</li>
              ) : (
                <li>{t("sequences.delete.impact")}</li>
              )}
            </ul>
          ) : null}
        </div>
        {mutation.error ? (
          <Alert variant="destructive">
            <AlertTriangle />
            <AlertDescription>
              {t(errorMessageKey(mutation.error))}
              {hasHistory ? (
                <Button variant="link" size="sm" className="h-auto px-1" onClick={() => onSwitch("archive")}>
                  {t("sequences.delete.archiveInstead")}
                </Button>
              ) : null}
            </AlertDescription>
          </Alert>
        ) : null}
        <DialogFooter>
          <Button variant="outline" onClick={onClose} disabled={pending}>
            {t("common.cancel")}
          </Button>
          <Button variant={action === "delete" || action === "archive" ? "destructive" : "default"} onClick={() => void submit()} disabled={pending || impact.isPending}>
            {pending ? t("common.saving") : t(`sequences.${action}.submit`)}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
