import type { ComponentType, ReactNode } from "react";
import { Link } from "@remix-run/react";
import type { IconProps } from "~/components/icons";
import { Card } from "~/components/ui/card";
import { Skeleton } from "~/components/ui/skeleton";
import { cn } from "~/lib/utils";

export interface KpiCardProps {
  label: string;
  value: string;
  hint: ReactNode;
  icon: ComponentType<IconProps>;
  /** Draws attention (e.g. reviews past their SLA) without changing the number's meaning. */
  tone?: "default" | "alert";
  /** The leads behind the figure (the leads list, filtered accordingly): the whole card links there. */
  href?: string;
  /** What the link opens, for screen readers (the card's label and value are read too). */
  linkLabel?: string;
}

/** A labelled figure. The label and value form a description list so they are read as a pair. */
export function KpiCard({ label, value, hint, icon: Icon, tone = "default", href, linkLabel }: KpiCardProps) {
  const card = (
    <Card className={cn("h-full p-5", tone === "alert" && "border-destructive/40", href && "transition-colors group-hover:border-primary/50 group-hover:bg-accent/40")}>
      <dl>
        <div className="flex items-start justify-between gap-3">
          <dt className="text-sm font-medium text-muted-foreground">{label}</dt>
          <Icon className={cn("size-5 shrink-0", tone === "alert" ? "text-destructive" : "text-primary")} />
        </div>
        <dd className="mt-2 text-3xl font-semibold tabular-nums tracking-tight" data-testid="kpi-value">
          {value}
        </dd>
        <dd className={cn("mt-1 text-xs", tone === "alert" ? "text-destructive" : "text-muted-foreground")}>{hint}</dd>
      </dl>
    </Card>
  );
  if (!href) return card;
  return (
    <Link to={href} className="group block rounded-lg focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring" data-testid="kpi-link">
      {card}
      {linkLabel ? <span className="sr-only">{linkLabel}</span> : null}
    </Link>
  );
}

export function KpiCardSkeleton() {
  return (
    <Card className="p-5">
      <Skeleton className="h-4 w-32" />
      <Skeleton className="mt-3 h-8 w-20" />
      <Skeleton className="mt-2 h-3 w-40" />
    </Card>
  );
}
