import type { ReactNode } from "react";
import { AlertTriangleIcon, RefreshIcon } from "~/components/icons";
import { Button } from "~/components/ui/button";
import { useT } from "~/lib/i18n";
import { cn } from "~/lib/utils";

export interface ErrorStateProps {
  title?: string;
  description?: ReactNode;
  /** When given, a retry button is shown; it should re-run what failed (e.g. a query's `refetch`). */
  onRetry?: () => void;
  retrying?: boolean;
  className?: string;
}

/**
 * A failed load shown in place of the content it replaces. Announced with `role="alert"`; the wording
 * is human and never includes a stack trace or raw server message.
 */
export function ErrorState({ title, description, onRetry, retrying = false, className }: ErrorStateProps) {
  const t = useT();
  return (
    <div
      role="alert"
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-lg border border-destructive/30 bg-destructive/5 px-6 py-8 text-center",
        className,
      )}
    >
      <AlertTriangleIcon className="size-6 text-destructive" />
      <p className="font-semibold text-destructive">{title ?? t("error.loadFailed")}</p>
      <div className="max-w-prose text-sm text-muted-foreground">{description ?? t("error.loadFailedHint")}</div>
      {onRetry ? (
        <Button variant="outline" size="sm" onClick={onRetry} disabled={retrying}>
          <RefreshIcon className={cn(retrying && "animate-spin")} />
          {t("error.retry")}
        </Button>
      ) : null}
    </div>
  );
}
