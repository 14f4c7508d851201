import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { ErrorState } from "~/components/ui/error-state";
import { useT } from "~/lib/i18n";

/**
 * Error boundary for pages inside the app shell: a failure in one page replaces only that page, so
 * the sidebar and header stay usable and the rep can move on. Never shows raw error text.
 */
export function PageErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, body] =
    status === 404
      ? [t("error.notFoundTitle"), t("error.notFoundBody")]
      : status === 403
        ? [t("error.forbiddenTitle"), t("error.forbiddenBody")]
        : [t("error.title"), t("error.body")];
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
