import type { MetaFunction } from "@remix-run/node";
import { pageTitle } from "~/lib/i18n";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "error.notFoundTitle") }];

/**
 * Any other path under /outreach: a 404 thrown by this route, so the outreach layout (sidebar, header)
 * renders it with the page error boundary, on the server and in the browser alike. Without it no route
 * matched below the layout and the root boundary rendered the page without the shell.
 */
export function loader(): never {
  throw new Response("Not Found", { status: 404 });
}

export default function UnknownOutreachPage() {
  return null;
}
