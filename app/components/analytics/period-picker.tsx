/**
 * The analytics period: presets (today, 7, 30, 90 days, this month) as a group of toggle buttons, a
 * custom range chosen on a react-day-picker calendar in a dialog, and the comparison with the period
 * before. Days are Bucharest calendar days, as the statistics are.
 */
import { useState } from "react";
import { DayPicker, type DateRange } from "react-day-picker";
import { enGB, ro as roLocale } from "react-day-picker/locale";
import { CalendarRange } from "lucide-react";
import { DateTime } from "luxon";
import { MAX_PERIOD_DAYS, PERIOD_PRESETS, periodDays, presetOf, presetPeriod, type Period, type PeriodPreset } from "#server/stats/periods";
import { Button } from "~/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "~/components/ui/dialog";
import { BUSINESS_TIME_ZONE, formatDayKey } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { cn } from "~/lib/utils";

export function businessToday(now = new Date()): string {
  return DateTime.fromJSDate(now, { zone: BUSINESS_TIME_ZONE }).toISODate() as string;
}

/** A calendar day key as a local Date at noon (the calendar's own cells are local dates). */
const toDate = (day: string) => {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y!, m! - 1, d!, 12);
};
const toKey = (date: Date) => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;

export function PeriodPicker({ period, today, compare, onChange, onCompareChange }: { period: Period; today: string; compare: boolean; onChange: (p: Period) => void; onCompareChange: (c: boolean) => void }) {
  const t = useT();
  const locale = useLocale();
  const active = presetOf(period, today);
  const [open, setOpen] = useState(false);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label={t("analytics.period.presets")} className="flex flex-wrap gap-1 rounded-lg border bg-card p-1">
        {PERIOD_PRESETS.map((preset) => (
          <Button
            key={preset}
            size="sm"
            variant={active === preset ? "default" : "ghost"}
            aria-pressed={active === preset}
            onClick={() => onChange(presetPeriod(preset, today))}
          >
            {t(`analytics.period.${preset}` as `analytics.period.${PeriodPreset}`)}
          </Button>
        ))}
        <Button size="sm" variant={active ? "ghost" : "default"} aria-pressed={!active} onClick={() => setOpen(true)}>
          <CalendarRange />
          {active ? t("analytics.period.custom") : t("analytics.period.range", { from: formatDayKey(period.from, locale), to: formatDayKey(period.to, locale) })}
        </Button>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" className="size-4 accent-primary" checked={compare} onChange={(e) => onCompareChange(e.target.checked)} />
        {t("analytics.period.compare")}
      </label>
      {open ? <RangeDialog period={period} today={today} onClose={() => setOpen(false)} onApply={(p) => (onChange(p), setOpen(false))} /> : null}
    </div>
  );
}

function RangeDialog({ period, today, onClose, onApply }: { period: Period; today: string; onClose: () => void; onApply: (p: Period) => void }) {
  const t = useT();
  const locale = useLocale();
  const [range, setRange] = useState<DateRange | undefined>({ from: toDate(period.from), to: toDate(period.to) });
  const chosen = range?.from ? { from: toKey(range.from), to: toKey(range.to ?? range.from) } : null;
  const tooLong = chosen ? periodDays(chosen) > MAX_PERIOD_DAYS : false;
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="max-w-fit">
        <DialogHeader>
          <DialogTitle>{t("analytics.period.dialogTitle")}</DialogTitle>
          <DialogDescription>{t("analytics.period.dialogDescription")}</DialogDescription>
        </DialogHeader>
        <DayPicker
          mode="range"
          selected={range}
          onSelect={setRange}
          locale={locale === "ro" ? roLocale : enGB}
          weekStartsOn={1}
          defaultMonth={toDate(period.from)}
          numberOfMonths={1}
          disabled={{ after: toDate(today) }}
          className={cn("rdp-cerniq")}
        />
        <p className="text-sm text-muted-foreground" aria-live="polite">
          {chosen ? t("analytics.period.range", { from: formatDayKey(chosen.from, locale), to: formatDayKey(chosen.to, locale) }) : t("analytics.period.pickStart")}
        </p>
        {tooLong ? <p className="text-sm text-destructive">{t("analytics.period.tooLong", { max: MAX_PERIOD_DAYS })}</p> : null}
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            {t("common.cancel")}
          </Button>
          <Button disabled={!chosen || tooLong} onClick={() => chosen && onApply(chosen)}>
            {t("analytics.period.apply")}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
