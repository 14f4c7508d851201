import type { MetaFunction } from "@remix-run/node";
import { useRouteLoaderData } from "@remix-run/react";
import { useQuery } from "@tanstack/react-query";
import { Lock } from "lucide-react";
import { PageHeader } from "~/components/page-header";
import { BusinessSettings } from "~/components/settings/business-settings";
import { ProvidersPanel, StatisticsPanel } from "~/components/settings/system-panels";
import { UsersPanel } from "~/components/settings/users-panel";
import { EmptyState } from "~/components/ui/empty-state";
import { ErrorState } from "~/components/ui/error-state";
import { Skeleton } from "~/components/ui/skeleton";
import { ToastProvider } from "~/components/ui/toast";
import { pageTitle, useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import type { RootData } from "~/root";

export { PageErrorBoundary as ErrorBoundary } from "~/components/route-error";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "nav.settings") }];

export default function SettingsPage() {
  const t = useT();
  const user = useRouteLoaderData<RootData>("root")?.user ?? null;
  if (user?.role !== "ADMIN") {
    return (
      <>
        <PageHeader title={t("nav.settings")} />
        <EmptyState icon={Lock} headingLevel="h2" title={t("settings.forbidden")} description={t("settings.forbiddenHint")} />
      </>
    );
  }
  return (
    <ToastProvider>
      <Settings selfId={user.id} />
    </ToastProvider>
  );
}

/**
 * Tenant settings (issue 11, ADMIN): the business settings, people and roles, providers and the daily
 * statistics. Every change is validated with the procedure's schema, audited, and applied without a
 * restart.
 */
function Settings({ selfId }: { selfId: string }) {
  const t = useT();
  const trpc = useTRPC();
  const settings = useQuery(trpc.settings.get.queryOptions());
  return (
    <>
      <PageHeader title={t("nav.settings")} description={t("settings.subtitle")} />
      <div className="grid grid-cols-[minmax(0,1fr)] gap-6">
        {settings.isPending ? (
          <div className="grid gap-4" aria-busy="true">
            <p role="status" className="sr-only">
              {t("common.loading")}
            </p>
            <Skeleton className="h-48 w-full" />
            <Skeleton className="h-40 w-full" />
          </div>
        ) : settings.isError ? (
          <ErrorState title={t("settings.error")} onRetry={() => void settings.refetch()} retrying={settings.isFetching} />
        ) : (
          <BusinessSettings key={settings.data.updatedAt.toISOString()} settings={settings.data} />
        )}
        <UsersPanel selfId={selfId} />
        <ProvidersPanel />
        <StatisticsPanel />
      </div>
    </>
  );
}
