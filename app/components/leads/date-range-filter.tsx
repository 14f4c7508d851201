import { useState } from "react";
import { DayPicker, type DateRange } from "react-day-picker";
import { enUS, ro } from "date-fns/locale";
import { CalendarDays, X } from "lucide-react";
import { Button } from "~/components/ui/button";
import { Popover, PopoverContent, PopoverTrigger } from "~/components/ui/popover";
import { formatDayKey } from "~/lib/format";
import { useLocale, useT } from "~/lib/i18n";
import { cn } from "~/lib/utils";

/** `YYYY-MM-DD` of a day the picker returns (a local midnight), without a time-zone trip. */
function dayKey(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

function fromKey(key: string | undefined): Date | undefined {
  if (!key) return undefined;
  const [y, m, d] = key.split("-").map(Number);
  return new Date(y!, m! - 1, d!);
}

/** shadcn's calendar look, in Tailwind classes (react-day-picker v9 class names), no stylesheet to load. */
const CLASS_NAMES = {
  root: "text-sm",
  months: "flex flex-col gap-4",
  month: "grid gap-2",
  month_caption: "flex h-8 items-center justify-center font-medium capitalize",
  nav: "absolute inset-x-3 top-3 flex justify-between",
  button_previous: "inline-flex size-8 items-center justify-center rounded-md hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
  button_next: "inline-flex size-8 items-center justify-center rounded-md hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
  chevron: "size-4 fill-current",
  month_grid: "border-collapse",
  weekdays: "flex",
  weekday: "w-9 text-center text-xs font-normal text-muted-foreground",
  week: "mt-1 flex",
  day: "size-9 p-0 text-center",
  day_button: "size-9 rounded-md hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
  selected: "[&>button]:bg-primary [&>button]:text-primary-foreground",
  range_start: "rounded-l-md bg-primary/15",
  range_end: "rounded-r-md bg-primary/15",
  range_middle: "bg-primary/15 [&>button]:!bg-transparent [&>button]:!text-foreground",
  today: "font-semibold text-primary",
  outside: "text-muted-foreground opacity-50",
  disabled: "opacity-40",
};

/**
 * A range of calendar days (react-day-picker, docs/decisions/0009-leads-list.md) in a popover; the days
 * are Bucharest days, as the list filters them.
 */
export function DateRangeFilter({
  label,
  from,
  to,
  onChange,
}: {
  label: string;
  from?: string;
  to?: string;
  onChange: (range: { from?: string; to?: string }) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const selected: DateRange | undefined = from || to ? { from: fromKey(from), to: fromKey(to ?? from) } : undefined;
  const shown = from || to ? `${formatDayKey(from ?? to!, locale)} – ${formatDayKey(to ?? from!, locale)}` : t("leadsList.filter.anyDate");
  return (
    <div className="grid gap-1.5">
      <span className="text-xs font-medium text-muted-foreground" aria-hidden="true">
        {label}
      </span>
      <Popover open={open} onOpenChange={setOpen}>
        <PopoverTrigger asChild>
          <Button variant="outline" size="sm" className={cn("h-9 justify-start font-normal", !(from || to) && "text-muted-foreground")} aria-label={`${label}: ${shown}`}>
            <CalendarDays aria-hidden="true" />
            {shown}
          </Button>
        </PopoverTrigger>
        <PopoverContent className="relative w-auto p-3">
          <DayPicker
            mode="range"
            locale={locale === "ro" ? ro : enUS}
            weekStartsOn={1}
            selected={selected}
            defaultMonth={selected?.from}
            onSelect={(range) => onChange({ from: range?.from ? dayKey(range.from) : undefined, to: range?.to ? dayKey(range.to) : range?.from ? dayKey(range.from) : undefined })}
            classNames={CLASS_NAMES}
            disabled={{ after: new Date() }}
          />
          {from || to ? (
            <Button
              variant="ghost"
              size="sm"
              className="mt-2 w-full"
              onClick={() => {
                onChange({});
                setOpen(false);
              }}
            >
              <X aria-hidden="true" />
              {t("leadsList.filter.clearDates")}
            </Button>
          ) : null}
        </PopoverContent>
      </Popover>
    </div>
  );
}
