import type { MetaFunction } from "@remix-run/node";
import { WorkInProgressPage } from "~/components/work-in-progress";
import { pageTitle, useT } from "~/lib/i18n";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.analytics") }];

export default function AnalyticsPage() {
  const t = useT();
  return <WorkInProgressPage title={t("nav.analytics")} description={t("wip.analytics")} />;
}
