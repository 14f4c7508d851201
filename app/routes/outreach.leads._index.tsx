import type { MetaFunction } from "@remix-run/node";
import { WorkInProgressPage } from "~/components/work-in-progress";
import { pageTitle, useT } from "~/lib/i18n";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.leads") }];

export default function LeadsPage() {
  const t = useT();
  return <WorkInProgressPage title={t("nav.leads")} description={t("wip.leads")} />;
}
