import { Link } from "@remix-run/react";
import { InboxIcon } from "~/components/icons";
import { Badge, type BadgeProps } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { formatNumber } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import type { DashboardSummary, ReviewPriority } from "./types";

/** Most urgent first: the order a rep should work the queue in. */
const ORDER: readonly ReviewPriority[] = ["URGENT", "HIGH", "MEDIUM", "LOW"];

const TONE: Record<ReviewPriority, NonNullable<BadgeProps["variant"]>> = {
  URGENT: "destructive",
  HIGH: "warning",
  MEDIUM: "secondary",
  LOW: "outline",
};

/** Tenants configure SLAs in minutes; hours with one decimal read better (1 h, 4 h, 1,5 h). */
function slaHours(minutes: number): number {
  return Math.round(minutes / 6) / 10;
}

export function ReviewsByPriority({ reviews }: { reviews: DashboardSummary["reviews"] }) {
  const t = useT();
  const locale = useLocale();
  return (
    <Card className="flex flex-col">
      <CardHeader>
        <CardTitle as="h2">{t("dashboard.reviews.title")}</CardTitle>
        <CardDescription>{t("dashboard.reviews.description")}</CardDescription>
      </CardHeader>
      <CardContent className="flex-1">
        {reviews.open === 0 ? (
          <EmptyState icon={InboxIcon} title={t("dashboard.reviews.none")} className="py-8" />
        ) : (
          <>
            <ul className="divide-y">
              {ORDER.map((priority) => (
                <li key={priority} className="flex items-center justify-between gap-3 py-2.5 text-sm">
                  <span className="flex items-center gap-2">
                    <Badge variant={TONE[priority]}>{t(`priority.${priority}`)}</Badge>
                    <span className="text-xs text-muted-foreground">
                      {t("dashboard.reviews.sla", { hours: slaHours(reviews.slaMinutes[priority]) })}
                    </span>
                  </span>
                  <span className="font-semibold tabular-nums">{formatNumber(reviews.byPriority[priority], locale)}</span>
                </li>
              ))}
            </ul>
            {reviews.slaBreached > 0 ? (
              <p className="mt-3 rounded-md bg-destructive/5 px-3 py-2 text-sm font-medium text-destructive">
                {t("dashboard.reviews.breached", { count: reviews.slaBreached })}
              </p>
            ) : null}
          </>
        )}
      </CardContent>
      <CardFooter>
        <Button asChild variant="outline" size="sm" className="w-full">
          <Link to="/outreach/review">{t("dashboard.reviews.open")}</Link>
        </Button>
      </CardFooter>
    </Card>
  );
}
