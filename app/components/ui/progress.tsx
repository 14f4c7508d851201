import type { HTMLAttributes } from "react";
import { cn } from "~/lib/utils";

export interface ProgressProps extends HTMLAttributes<HTMLDivElement> {
  value: number;
  max?: number;
  /** Tailwind background class for the filled part, e.g. to colour quota by threshold. */
  indicatorClassName?: string;
  /** Accessible name; required because a bare progress bar means nothing to a screen reader. */
  label: string;
  /** Spoken value, e.g. "150 din 200"; defaults to the percentage. */
  valueText?: string;
}

export function Progress({ value, max = 100, indicatorClassName, label, valueText, className, ...props }: ProgressProps) {
  const clamped = Math.min(Math.max(value, 0), max);
  const percent = max > 0 ? (clamped / max) * 100 : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={clamped}
      aria-valuetext={valueText}
      className={cn("relative h-2 w-full overflow-hidden rounded-full bg-muted", className)}
      {...props}
    >
      <div
        className={cn("h-full rounded-full bg-primary transition-[width] duration-500 ease-out", indicatorClassName)}
        style={{ width: `${percent}%` }}
      />
    </div>
  );
}
