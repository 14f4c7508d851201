import { useEffect, useState } from "react";
import { ClockIcon } from "~/components/icons";
import { useT } from "~/lib/i18n";
import { cn } from "~/lib/utils";
import { countdown, formatDuration } from "./review-model";

/** The page's clock for countdowns: one tick every 30 s is enough for minute-resolution labels. */
export function useNow(intervalMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}

const TONE_CLASS = {
  ok: "text-muted-foreground",
  soon: "bg-amber-100 text-amber-900",
  overdue: "bg-destructive/10 text-destructive",
  done: "text-muted-foreground",
} as const;

/** "mai sunt 42 min" in grey, amber from 75 % of the SLA, red once due ("depășit cu 1 h 05 min"). */
export function SlaCountdown({ item, now, className }: { item: { createdAt: Date; slaDueAt: Date; status: string; escalatedAt?: Date | null }; now: Date; className?: string }) {
  const t = useT();
  const c = countdown(item, now);
  const units = { day: t("review.unit.day"), hour: t("review.unit.hour"), minute: t("review.unit.minute") };
  const time = formatDuration(c.leftMs, units);
  const label = c.tone === "done" ? t("review.sla.done") : c.leftMs > 0 ? t("review.sla.left", { time }) : t("review.sla.over", { time });
  return (
    <span data-sla-tone={c.tone} className={cn("inline-flex items-center gap-1 whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium tabular-nums", TONE_CLASS[c.tone], className)}>
      <ClockIcon className="size-3" aria-hidden />
      {label}
    </span>
  );
}
