import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { ErrorState } from "~/components/ui/error-state";
import { useT } from "~/lib/i18n";

/**
 * Error boundary for pages inside the app shell: a failure in one page replaces only that page, so
 * the sidebar and header stay usable and the rep can move on. Never shows raw error text.
 */
/** Status, title and body for the current route error; the root and page boundaries share it. */
export function useRouteErrorCopy(): { status: number; title: string; body: string } {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  if (status === 404) return { status, title: t("error.notFoundTitle"), body: t("error.notFoundBody") };
  if (status === 403) return { status, title: t("error.forbiddenTitle"), body: t("error.forbiddenBody") };
  return { status, title: t("error.title"), body: t("error.body") };
}

export function PageErrorBoundary() {
  const t = useT();
  const { status, title, body } = useRouteErrorCopy();
  return (
    <ErrorState
      className="py-16"
      title={title}
      description={
        <>
          <p>{body}</p>
          <p className="mt-2 text-xs">{t("error.status", { status: String(status) })}</p>
        </>
      }
      onRetry={status >= 500 ? () => window.location.reload() : undefined}
    />
  );
}
