import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { AlertTriangleIcon, CheckIcon, CloseIcon } from "~/components/icons";
import { useT } from "~/lib/i18n";
import { cn } from "~/lib/utils";

export interface ToastInput {
  title: string;
  variant?: "success" | "error";
}

interface ToastItem extends Required<ToastInput> {
  id: number;
}

type ShowToast = (toast: ToastInput) => void;

const ToastContext = createContext<ShowToast | null>(null);

/** Long enough to read two lines at a calm pace; errors stay until dismissed (WCAG 2.2.1). */
const SUCCESS_MS = 7_000;
/** Older confirmations make way rather than stacking over the page. */
const MAX_VISIBLE = 3;

/**
 * Short confirmations of what just happened ("Vânzări 07: starea este acum «În pauză»"). The live
 * region is rendered from the start, because screen readers only announce changes to a region that
 * already exists; success is polite, an error is an alert. Confirmations dismiss themselves, errors do
 * not, and both have a close button.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const t = useT();
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const nextId = useRef(0);
  const timers = useRef(new Map<number, number>());

  const dismiss = useCallback((id: number) => {
    const timer = timers.current.get(id);
    if (timer !== undefined) window.clearTimeout(timer);
    timers.current.delete(id);
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);

  const show = useCallback<ShowToast>(
    ({ title, variant = "success" }) => {
      const id = ++nextId.current;
      setToasts((current) => [...current.slice(-(MAX_VISIBLE - 1)), { id, title, variant }]);
      if (variant === "success") timers.current.set(id, window.setTimeout(() => dismiss(id), SUCCESS_MS));
    },
    [dismiss],
  );

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) window.clearTimeout(timer);
    };
  }, []);

  return (
    <ToastContext.Provider value={show}>
      {children}
      <section
        aria-label={t("toast.region")}
        aria-live="polite"
        className="pointer-events-none fixed inset-x-4 bottom-4 z-[60] flex flex-col items-end gap-2 sm:left-auto sm:w-96"
      >
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={cn(
              "pointer-events-auto flex w-full items-start gap-3 rounded-lg border bg-card px-4 py-3 text-sm shadow-lg",
              toast.variant === "error" ? "border-destructive/40 text-destructive" : "border-emerald-300",
            )}
          >
            {toast.variant === "error" ? (
              <AlertTriangleIcon className="mt-0.5 size-4 shrink-0" />
            ) : (
              <CheckIcon className="mt-0.5 size-4 shrink-0 text-emerald-700" />
            )}
            {/* The role names the message alone, not the card with its close button. */}
            <p role={toast.variant === "error" ? "alert" : "status"} className="flex-1 leading-snug text-foreground">
              {toast.title}
            </p>
            <button
              type="button"
              onClick={() => dismiss(toast.id)}
              className="rounded-sm opacity-70 transition-opacity hover:opacity-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
            >
              <CloseIcon className="size-4" />
              <span className="sr-only">{t("toast.dismiss")}</span>
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

export function useToast(): ShowToast {
  const show = useContext(ToastContext);
  if (!show) throw new Error("useToast must be used inside <ToastProvider>");
  return show;
}
