import type { ReactNode } from "react";
import { cn } from "~/lib/utils";

/** The page's one <h1>, with an optional line of context and actions aligned to the right. */
export function PageHeader({
  title,
  description,
  actions,
  className,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  return (
    <div className={cn("mb-6 flex flex-wrap items-end justify-between gap-3", className)}>
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {/* A div, not a p: descriptions may hold block content (a loading skeleton), which a p cannot
            contain; the browser would move it out and the server HTML would no longer hydrate. */}
        {description ? <div className="mt-1 text-sm text-muted-foreground">{description}</div> : null}
      </div>
      {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
