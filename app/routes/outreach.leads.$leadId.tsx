import type { MetaFunction } from "@remix-run/node";
import { Link, useParams } from "@remix-run/react";
import { ArrowLeftIcon } from "~/components/icons";
import { Button } from "~/components/ui/button";
import { WorkInProgressPage } from "~/components/work-in-progress";
import { pageTitle, useT } from "~/lib/i18n";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.leads") }];

export default function LeadDetailPage() {
  const t = useT();
  const { leadId = "" } = useParams();
  return (
    <WorkInProgressPage
      title={t("nav.leads")}
      description={t("wip.leadDetail", { leadId })}
      action={
        <Button asChild variant="outline" size="sm">
          <Link to="/outreach/leads">
            <ArrowLeftIcon />
            {t("wip.backToLeads")}
          </Link>
        </Button>
      }
    />
  );
}
