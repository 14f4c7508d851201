import type { MetaFunction } from "@remix-run/node";
import { WorkInProgressPage } from "~/components/work-in-progress";
import { pageTitle, useT } from "~/lib/i18n";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.review") }];

export default function ReviewPage() {
  const t = useT();
  return <WorkInProgressPage title={t("nav.review")} description={t("wip.review")} />;
}
