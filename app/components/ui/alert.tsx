import { forwardRef, type HTMLAttributes } from "react";
import { cva, type VariantProps } from "class-variance-authority";
import { cn } from "~/lib/utils";

const alertVariants = cva("relative w-full rounded-lg border px-4 py-3 text-sm [&>svg]:absolute [&>svg]:left-4 [&>svg]:top-3.5 [&>svg]:size-4 [&>svg~*]:pl-7", {
  variants: {
    variant: {
      default: "bg-card text-foreground",
      info: "border-primary/30 bg-primary/5 text-foreground [&>svg]:text-primary",
      warning: "border-amber-300 bg-amber-50 text-amber-950 [&>svg]:text-amber-600",
      destructive: "border-destructive/40 bg-destructive/5 text-destructive [&>svg]:text-destructive",
    },
  },
  defaultVariants: { variant: "default" },
});

export interface AlertProps extends HTMLAttributes<HTMLDivElement>, VariantProps<typeof alertVariants> {}

/**
 * Destructive alerts are announced immediately (`role="alert"`); the others are polite status
 * messages, so an informational banner does not interrupt a screen-reader user mid-sentence.
 */
export const Alert = forwardRef<HTMLDivElement, AlertProps>(function Alert({ className, variant, role, ...props }, ref) {
  return (
    <div
      ref={ref}
      role={role ?? (variant === "destructive" ? "alert" : "status")}
      className={cn(alertVariants({ variant }), className)}
      {...props}
    />
  );
});

export const AlertTitle = forwardRef<HTMLHeadingElement, HTMLAttributes<HTMLHeadingElement>>(function AlertTitle(
  { className, ...props },
  ref,
) {
  return <h5 ref={ref} className={cn("mb-1 font-medium leading-none", className)} {...props} />;
});

export const AlertDescription = forwardRef<HTMLDivElement, HTMLAttributes<HTMLDivElement>>(function AlertDescription(
  { className, ...props },
  ref,
) {
  return <div ref={ref} className={cn("text-sm [&_p]:leading-relaxed", className)} {...props} />;
});
