import { useQuery } from "@tanstack/react-query";
import { Link } from "@remix-run/react";
import { BellIcon } from "~/components/icons";
import { useT } from "~/lib/i18n";
import { useTRPC } from "~/lib/trpc";
import { cn } from "~/lib/utils";

/** The bell polls as often as the fastest monitor runs: a new alert shows within a minute. */
export const ALERT_COUNTS_REFRESH_MS = 60_000;

export function useAlertCounts() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.alerts.counts.queryOptions(), refetchInterval: ALERT_COUNTS_REFRESH_MS });
}

/**
 * The header's bell (managers and admins: the people alerts are for). Counts the alerts nobody has
 * acknowledged yet, coloured by the most severe one; a failed count shows the bell without a number
 * rather than a misleading zero.
 */
export function AlertBell() {
  const t = useT();
  const counts = useAlertCounts();
  const n = counts.data?.unacknowledged ?? 0;
  const worst = counts.data?.worst ?? null;
  const label = counts.data ? t("alerts.bell.label", { count: n }) : t("alerts.bell.labelUnknown");
  return (
    <Link
      to="/outreach/alerts"
      prefetch="intent"
      aria-label={label}
      title={label}
      className="relative inline-flex size-9 items-center justify-center rounded-md text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
    >
      <BellIcon className="size-5" />
      {n > 0 ? (
        <span
          data-testid="alert-bell-count"
          className={cn(
            "absolute -right-1 -top-1 flex h-5 min-w-5 items-center justify-center rounded-full px-1 text-[11px] font-semibold leading-none",
            worst === "CRITICAL" || worst === "HIGH" ? "bg-destructive text-destructive-foreground" : "bg-amber-500 text-white",
          )}
        >
          {n > 99 ? "99+" : n}
        </span>
      ) : null}
    </Link>
  );
}
