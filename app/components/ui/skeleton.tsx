import type { HTMLAttributes } from "react";
import { cn } from "~/lib/utils";

/** Purely visual: hidden from assistive tech, the surrounding region carries `aria-busy` instead. */
export function Skeleton({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return (
    <div aria-hidden="true" data-skeleton="" className={cn("animate-pulse rounded-md bg-muted", className)} {...props} />
  );
}
