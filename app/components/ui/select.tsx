import { forwardRef, type SelectHTMLAttributes } from "react";
import { cn } from "~/lib/utils";

const CHEVRON =
  "url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24' fill='none' stroke='%236b7280' stroke-width='2' stroke-linecap='round' stroke-linejoin='round'%3E%3Cpath d='m6 9 6 6 6-6'/%3E%3C/svg%3E\")";

/**
 * A styled native `<select>`: keyboard, screen-reader and mobile pickers work as the platform intends,
 * with no dropdown library. The chevron is a background image so the whole box stays clickable.
 */
export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement>>(function Select(
  { className, style, children, ...props },
  ref,
) {
  return (
    <select
      ref={ref}
      style={{ backgroundImage: CHEVRON, ...style }}
      className={cn(
        "h-9 w-full appearance-none rounded-md border border-input bg-card bg-[length:1rem] bg-[right_0.5rem_center] bg-no-repeat py-1 pl-3 pr-8 text-sm shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:cursor-not-allowed disabled:opacity-50 aria-[invalid=true]:border-destructive",
        className,
      )}
      {...props}
    >
      {children}
    </select>
  );
});
