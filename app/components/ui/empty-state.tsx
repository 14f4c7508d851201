import type { ComponentType, ReactNode } from "react";
import type { IconProps } from "~/components/icons";
import { cn } from "~/lib/utils";

export interface EmptyStateProps {
  title: string;
  description?: ReactNode;
  icon?: ComponentType<IconProps>;
  /** Optional next step, e.g. a button or link. */
  action?: ReactNode;
  /** Heading level, so the state fits the page outline it appears in. */
  headingLevel?: "h2" | "h3";
  className?: string;
  children?: ReactNode;
}

/** Says plainly that there is nothing (yet) and why, instead of an empty table or a zero that looks like data. */
export function EmptyState({ title, description, icon: Icon, action, headingLevel = "h3", className, children }: EmptyStateProps) {
  const Heading = headingLevel;
  return (
    <div
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-lg border border-dashed bg-card/60 px-6 py-10 text-center",
        className,
      )}
    >
      {Icon ? (
        <div className="flex size-11 items-center justify-center rounded-full bg-accent text-accent-foreground">
          <Icon className="size-5" />
        </div>
      ) : null}
      <Heading className="text-base font-semibold">{title}</Heading>
      {description ? <div className="max-w-prose text-sm text-muted-foreground">{description}</div> : null}
      {children}
      {action ? <div className="mt-1">{action}</div> : null}
    </div>
  );
}
