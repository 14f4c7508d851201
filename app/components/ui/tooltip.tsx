import { useId, type ReactElement, type ReactNode } from "react";
import { cloneElement, isValidElement } from "react";
import { cn } from "~/lib/utils";

export interface TooltipProps {
  /** A single focusable element; it receives `aria-describedby` pointing at the tooltip. */
  children: ReactElement<{ "aria-describedby"?: string }>;
  content: ReactNode;
  side?: "top" | "bottom";
  /** Horizontal anchoring; use "start" near the left edge so the bubble never overflows the viewport. */
  align?: "center" | "start" | "end";
  className?: string;
  /** Classes for the positioning wrapper, e.g. `flex w-full` when the trigger should fill its cell. */
  wrapperClassName?: string;
}

/**
 * CSS-only tooltip: shown on hover and on keyboard focus (`focus-within`), so it needs no positioning
 * library. Its text is also the trigger's accessible description, which makes it readable by screen
 * readers even while it is hidden. Hidden means `display: none`, not `visibility: hidden`: an invisible
 * bubble would still widen the page on a phone. Only for short supplementary text; never put the only copy
 * of important information here (touch screens cannot hover).
 */
const ALIGN = { center: "left-1/2 -translate-x-1/2", start: "left-0", end: "right-0" } as const;

export function Tooltip({ children, content, side = "top", align = "center", className, wrapperClassName }: TooltipProps) {
  const id = useId();
  const trigger = isValidElement(children) ? cloneElement(children, { "aria-describedby": id }) : children;
  return (
    <span className={cn("group/tooltip relative inline-flex", wrapperClassName)}>
      {trigger}
      <span
        id={id}
        role="tooltip"
        className={cn(
          "pointer-events-none absolute z-50 hidden w-max max-w-64 rounded-md bg-foreground px-2.5 py-1.5 text-xs leading-snug text-background shadow-md group-focus-within/tooltip:block group-hover/tooltip:block",
          side === "top" ? "bottom-full mb-2" : "top-full mt-2",
          ALIGN[align],
          className,
        )}
      >
        {content}
      </span>
    </span>
  );
}
