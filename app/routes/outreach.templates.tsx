import type { MetaFunction } from "@remix-run/node";
import { WorkInProgressPage } from "~/components/work-in-progress";
import { pageTitle, useT } from "~/lib/i18n";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.templates") }];

export default function TemplatesPage() {
  const t = useT();
  return <WorkInProgressPage title={t("nav.templates")} description={t("wip.templates")} />;
}
