import { useId, type ReactNode } from "react";
import { Label } from "~/components/ui/label";
import { cn } from "~/lib/utils";

export interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
  "aria-required"?: true;
}

export interface FormFieldProps {
  label: ReactNode;
  /** Shown after the label in muted text, e.g. "(opțional)". */
  labelNote?: ReactNode;
  hint?: ReactNode;
  /** Shown under the control and tied to it with aria-describedby; marks the control invalid. */
  error?: string | null;
  required?: boolean;
  className?: string;
  /** Renders the control with the wiring a screen reader needs (id, description, invalid). */
  children: (control: FieldControlProps) => ReactNode;
}

/**
 * A labelled form control with its hint and error. The error is read with the control (its
 * description), so moving focus back to an invalid field says what is wrong with it.
 */
export function FormField({ label, labelNote, hint, error, required, className, children }: FormFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("grid content-start gap-1.5", className)}>
      <Label htmlFor={id}>
        {label}
        {labelNote ? <span className="ml-1 font-normal text-muted-foreground">{labelNote}</span> : null}
      </Label>
      {children({ id, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined, "aria-required": required ? true : undefined })}
      {error ? (
        <p id={errorId} className="text-xs font-medium text-destructive">
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
