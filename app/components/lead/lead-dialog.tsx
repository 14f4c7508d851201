/**
 * What every action on the lead page shares: a dialog shell (title, description, the form, a failure
 * explained in Romanian inside the dialog), and the refresh after an action. A stale screen (the lead
 * changed since it was shown) closes the dialog, says so in a toast and reloads the lead.
 */
import type { FormEvent, ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { AlertTriangleIcon } from "~/components/icons";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { errorKey, isStale } from "./lead-model";

export interface LeadDialogProps {
  title: string;
  description?: ReactNode;
  pending: boolean;
  onClose: () => void;
  onSubmit: (form: HTMLFormElement) => void;
  submitLabel: string;
  submitVariant?: "default" | "destructive";
  submitDisabled?: boolean;
  error?: unknown;
  children?: ReactNode;
}

export function LeadDialog({ title, description, pending, onClose, onSubmit, submitLabel, submitVariant = "default", submitDisabled, error, children }: LeadDialogProps) {
  const t = useT();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!pending) onSubmit(event.currentTarget);
  };
  return (
    <Dialog open onOpenChange={(open) => !open && !pending && onClose()}>
      <DialogContent>
        <form onSubmit={submit} noValidate className="grid gap-4" aria-busy={pending || undefined}>
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            {description ? <DialogDescription>{description}</DialogDescription> : null}
          </DialogHeader>
          {children}
          {error ? (
            <Alert variant="destructive">
              <AlertTriangleIcon />
              <AlertDescription>{t(errorKey(error))}</AlertDescription>
            </Alert>
          ) : null}
          <DialogFooter>
            <Button variant="outline" onClick={onClose} disabled={pending}>
              {t("common.cancel")}
            </Button>
            <Button type="submit" variant={submitVariant} disabled={pending || submitDisabled}>
              {pending ? t("common.saving") : submitLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/** Reloads everything the lead page shows about one lead. */
export function useRefreshLead(leadId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.leads.get.queryKey({ leadId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.leads.timeline.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.leads.history.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.leads.sendCheck.pathKey() }),
    ]);
}

/**
 * The `onError` of every action: a stale screen closes the dialog, says "this lead changed" and
 * reloads; any other failure stays in the dialog (returns false) for the person to read.
 */
export function useStaleHandler(leadId: string) {
  const t = useT();
  const refresh = useRefreshLead(leadId);
  return (error: unknown, close: () => void): boolean => {
    if (!isStale(error)) return false;
    close();
    toast.warning(t(errorKey(error)));
    void refresh();
    return true;
  };
}
