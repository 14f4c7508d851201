import { useQuery } from "@tanstack/react-query";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { ErrorState } from "~/components/ui/error-state";
import { Skeleton } from "~/components/ui/skeleton";
import { useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { QuotaUsageGrid } from "./quota-usage-grid";

/**
 * The counters move with every new contact (up to 20 × 200 a day), so the grid refreshes more often
 * than the rest of the dashboard; one Redis round trip per refresh keeps that cheap.
 */
export const QUOTA_REFRESH_MS = 30_000;

/** `phones.list` for the dashboard; the phones page reads the same query, so both share one cache entry. */
export function usePhonesList() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.phones.list.queryOptions(), refetchInterval: QUOTA_REFRESH_MS });
}

/**
 * "Cotă WhatsApp azi" on the dashboard: the grid once loaded, a skeleton of the same shape before, and
 * an error with retry that leaves the rest of the dashboard usable. The empty pool is the grid's own
 * state. A failed background refresh keeps the last good grid on screen (React Query keeps `data`).
 */
export function QuotaSection() {
  const t = useT();
  const phones = usePhonesList();

  if (phones.data) return <QuotaUsageGrid data={phones.data} />;
  return (
    <Card aria-busy={phones.isPending || undefined}>
      <CardHeader>
        <CardTitle as="h2">{t("dashboard.quota.title")}</CardTitle>
        <CardDescription>{t("dashboard.quota.description")}</CardDescription>
      </CardHeader>
      <CardContent>
        {phones.isError ? (
          <ErrorState title={t("dashboard.quota.error")} onRetry={() => void phones.refetch()} retrying={phones.isFetching} />
        ) : (
          <>
            <p role="status" className="sr-only">
              {t("common.loading")}
            </p>
            {/* Same breakpoints as the grid: 10 × 2 on a wide screen. */}
            <div className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-5 xl:grid-cols-10">
              {Array.from({ length: 20 }, (_, i) => (
                <Skeleton key={i} className="h-[4.25rem]" />
              ))}
            </div>
          </>
        )}
      </CardContent>
    </Card>
  );
}
