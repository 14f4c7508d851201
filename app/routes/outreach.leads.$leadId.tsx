import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useParams } from "@remix-run/react";
import { useQuery } from "@tanstack/react-query";
import { Toaster } from "sonner";
import { z } from "zod";
import { requireUser } from "#server/auth/session.server";
import { leadIsVisible } from "#server/leads/lead-detail.server";
import { ArrowLeftIcon } from "~/components/icons";
import { Composer } from "~/components/lead/composer";
import { LeadActions } from "~/components/lead/lead-actions";
import { CompanyCard, JourneyCard } from "~/components/lead/lead-summary";
import { Timeline } from "~/components/lead/timeline";
import { automationHolds } from "~/components/lead/lead-model";
import { PageHeader } from "~/components/page-header";
import { Alert, AlertDescription } from "~/components/ui/alert";
import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { ErrorState } from "~/components/ui/error-state";
import { Skeleton } from "~/components/ui/skeleton";
import { formatDateTime } from "~/lib/format";
import { pageTitle, useLocale, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.leads") }];

/**
 * An id that is not a lead of the signed-in person's tenant (unknown, malformed, or another tenant's:
 * row-level security hides it) is a 404 before any of the page renders; the data itself comes through
 * tRPC (leads.get and friends), which answers NOT_FOUND for the same ids.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const leadId = z.uuid().safeParse(params.leadId);
  if (!leadId.success || !(await leadIsVisible(user.tenantId, leadId.data))) throw new Response("Not found", { status: 404 });
  return null;
}

export default function LeadPage() {
  const t = useT();
  const locale = useLocale();
  const trpc = useTRPC();
  const { leadId = "" } = useParams();
  const lead = useQuery({ ...trpc.leads.get.queryOptions({ leadId }), refetchInterval: 30_000 });

  const back = (
    <Button asChild variant="outline" size="sm">
      <Link to="/outreach/leads">
        <ArrowLeftIcon />
        {t("lead.back")}
      </Link>
    </Button>
  );

  if (lead.isPending) {
    return (
      <div aria-busy="true">
        <PageHeader title={t("nav.leads")} description={<Skeleton className="h-4 w-48" />} actions={back} />
        <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
          <Skeleton className="h-96" />
          <Skeleton className="h-96" />
        </div>
      </div>
    );
  }
  if (lead.isError) {
    return (
      <>
        <PageHeader title={t("nav.leads")} actions={back} />
        <ErrorState title={t("lead.loadError")} onRetry={() => void lead.refetch()} retrying={lead.isFetching} />
      </>
    );
  }

  const data = lead.data;
  const holds = automationHolds(data);
  return (
    <>
      <Toaster position="top-center" richColors closeButton />
      <PageHeader
        title={data.company.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Badge variant="secondary">{t(`state.${data.state.current}`)}</Badge>
            {data.humanControlled ? <Badge variant="warning">{t("lead.badge.humanControlled")}</Badge> : null}
            {data.optedOut.whatsapp || data.optedOut.email ? <Badge variant="destructive">{t("lead.badge.optedOut")}</Badge> : null}
            {data.review.required ? <Badge variant="warning">{t("lead.badge.review")}</Badge> : null}
            {holds.includes("paused") ? <Badge variant="outline">{t("lead.badge.paused")}</Badge> : null}
            <span>
              {t("lead.owner")}: <span className="font-medium text-foreground">{data.owner?.name ?? t("lead.ownerNone")}</span>
            </span>
            <span>· {t("lead.updated", { when: formatDateTime(data.updatedAt, locale) })}</span>
          </span>
        }
        actions={back}
      />
      {data.erasedAt ? (
        <Alert variant="warning" className="mb-4">
          <AlertDescription>{t("lead.erased", { when: formatDateTime(data.erasedAt, locale) })}</AlertDescription>
        </Alert>
      ) : null}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="min-w-0 space-y-4">
          {data.erasedAt ? null : <Composer lead={data} />}
          <Timeline leadId={data.leadId} />
        </div>
        <div className="min-w-0 space-y-4">
          <LeadActions lead={data} />
          <JourneyCard lead={data} />
          <CompanyCard lead={data} />
        </div>
      </div>
    </>
  );
}
